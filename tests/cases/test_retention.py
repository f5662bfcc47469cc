"""The data-retention rule (cases/retention.py, README "Data retention"):
kept until the later of age 25 and 6 years after the last involvement, then
anonymised (never deleted) unless a record is still open."""

import json
from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from cases.models import CaseNote, Child, Contact, Offence, Outcome, Victim
from cases.retention import (
    ANONYMISED_FAMILY_NAME,
    ANONYMISED_GIVEN_NAME,
    reduced_date_of_birth,
    retention_apply,
    retention_report,
)
from cases.tasks import retention_apply_task
from panels.models import OocdReferral
from performance import indicators
from tests.factories import ChildFactory, OutcomeFactory
from tests.paths import EXAMPLE
from yjs.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

# Born 17 May 1990; a referral order from 1 June 2005 (aged 15) to 1 January 2006.
# Aged 25 on 17 May 2015; 6 years after the last involvement is 1 January 2012:
# the retention date is 17 May 2015 (the later).
DOB = date(1990, 5, 17)
RETENTION_DATE = date(2015, 5, 17)


def closed_child(**fields):
    child = ChildFactory(
        given_name="Ava",
        family_name="Testretention",
        preferred_name="Avi",
        date_of_birth=fields.pop("date_of_birth", DOB),
        address="1 Synthetic Street, Testtown",
        school="Test Academy",
        first_language="English",
        **fields,
    )
    outcome = OutcomeFactory(child=child, outcome_date=date(2005, 6, 1), end_date=date(2006, 1, 1))
    Offence.objects.filter(child=child).update(description="Took a bicycle from the park")
    Outcome.objects.filter(pk=outcome.pk).update(requirements="Weekly meetings")
    return child


def snapshot() -> list:
    """Every row the rule may touch, as plain values."""
    return [
        list(Child.objects.order_by("pk").values()),
        list(Offence.objects.order_by("pk").values()),
        list(Outcome.objects.order_by("pk").values()),
        list(Victim.objects.order_by("pk").values()),
        list(Contact.objects.order_by("pk").values()),
        list(CaseNote.objects.order_by("pk").values()),
        list(OocdReferral.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    ]


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2015, 5, 16), False),
        (RETENTION_DATE, True),
        (date(2015, 5, 18), True),
    ],
)
def test_due_from_the_day_the_child_reaches_the_retention_age(today, due):
    child = closed_child()
    report = retention_report(today=today)
    assert [c.child_id for c in report.due] == ([child.pk] if due else [])
    report = retention_apply(today=today)
    child.refresh_from_db()
    assert (child.given_name == ANONYMISED_GIVEN_NAME) is due


@pytest.mark.parametrize(
    ("today", "due"),
    [(date(2019, 2, 28), False), (date(2019, 3, 1), True), (date(2019, 3, 2), True)],
)
def test_six_years_after_the_last_involvement_when_that_is_later(today, due):
    child = closed_child()
    # A contact on 1 March 2013 (aged 22): 6 years later is 1 March 2019.
    Contact.objects.create(
        child=child,
        contact_date=timezone.make_aware(datetime(2013, 3, 1, 10, 0)),
        contact_type="office",
        attendance="attended",
        notes="Talked about the new job",
    )
    report = retention_report(today=today)
    assert [c.child_id for c in report.due] == ([child.pk] if due else [])
    if due:
        assert report.due[0].retention_date == date(2019, 3, 1)
        assert "last involvement 2013-03-01" in report.due[0].reason


def test_a_child_with_an_open_order_is_never_touched():
    child = closed_child()
    OutcomeFactory(child=child, outcome_date=date(2006, 2, 1), end_date=None)
    before = snapshot()
    report = retention_apply(today=date(2060, 1, 1))
    assert report.due == []
    assert [(c.child_id, c.open_records) for c in report.kept] == [(child.pk, ["outcomes"])]
    assert snapshot() == before


def test_a_child_with_recent_involvement_is_not_due():
    child = closed_child()
    CaseNote.objects.create(child=child, written_on=date(2014, 6, 1), text="Well done")
    report = retention_apply(today=date(2016, 1, 1))
    assert report.due == [] and report.kept == []
    child.refresh_from_db()
    assert child.given_name == "Ava"


def test_dry_run_writes_nothing_and_reports_who_and_why():
    child = closed_child(source_id="C900001")
    before = snapshot()
    out = StringIO()
    call_command("retention", "--dry-run", "--today", "2020-01-01", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert snapshot() == before
    assert printed["dry_run"] is True
    assert printed["counts"] == {
        "due": 1,
        "kept_open": 0,
        "already_anonymised": 0,
        "anonymised": 0,
    }
    (due,) = printed["due"]
    assert due["child"] == child.pk and due["source_id"] == "C900001"
    assert due["retention_date"] == "2015-05-17"
    assert "aged 25 on 2015-05-17" in due["reason"]


def test_apply_anonymises_personal_data_and_keeps_the_facts():
    child = closed_child(restricted=True)  # restricted children follow the same rule
    other = ChildFactory(date_of_birth=date(2008, 1, 1))  # not due: too young
    offence = Offence.objects.get(child=child)
    shared = Victim.objects.create(victim_type="person", contact_name="Pat Shared", views="x")
    shared.offences.add(offence, OutcomeFactory(child=other).offences.get())
    own = Victim.objects.create(
        victim_type="person",
        consent_to_contact=True,
        rj_engaged=True,
        contact_name="Sam Victim",
        contact_phone="0700 000000",
        contact_email="sam@example.org",
        contact_address="2 Synthetic Road",
        views="Wants an apology",
    )
    own.offences.add(offence)
    CaseNote.objects.create(child=child, written_on=date(2005, 7, 1), text="Dear Ava")
    referral = OocdReferral.objects.create(
        child=child,
        referral_date=date(2005, 5, 20),
        admission=True,
        decision="youth_caution",
        police_reference="PR-1",
        child_voice="I am sorry",
        parent_voice="He is sorry",
        rationale="First offence",
    )
    sex = child.sex
    facts_before = list(Outcome.objects.values("outcome_date", "end_date", "outcome_type"))

    report = retention_apply(today=date(2020, 1, 1))

    assert [a["child"] for a in report.anonymised] == [child.pk]
    child.refresh_from_db()
    assert (child.given_name, child.family_name) == (ANONYMISED_GIVEN_NAME, ANONYMISED_FAMILY_NAME)
    assert child.preferred_name == child.address == child.school == child.first_language == ""
    assert child.date_of_birth == date(1990, 5, 1)
    assert (child.sex, child.ethnicity, child.restricted) == (sex, "white", True)
    offence.refresh_from_db()
    assert offence.description == "" and offence.category == "theft_and_handling"
    assert Outcome.objects.get(child=child).requirements == ""
    assert CaseNote.objects.get(child=child).text == ""
    referral.refresh_from_db()
    assert referral.child_voice == referral.parent_voice == referral.rationale == ""
    assert referral.police_reference == "" and referral.decision == "youth_caution"
    own.refresh_from_db()
    assert own.contact_name == own.contact_phone == own.contact_email == ""
    assert own.contact_address == own.views == ""
    assert own.consent_to_contact and own.rj_engaged
    # The other child is still in the service's hands: the shared victim stays.
    shared.refresh_from_db()
    assert shared.contact_name == "Pat Shared"
    assert list(Outcome.objects.values("outcome_date", "end_date", "outcome_type")) == (
        facts_before
    )

    (event,) = AuditEvent.objects.filter(child_id=child.pk)
    assert event.action == "update" and event.object_type == "cases.child"
    assert "Anonymised under the data-retention rule" in event.summary
    assert "Ava" not in event.summary and "Testretention" not in event.summary
    assert "1990" not in event.summary and "2015-05-17" not in event.summary


def test_running_twice_changes_nothing_more():
    closed_child()
    first = retention_apply(today=date(2020, 1, 1))
    assert len(first.anonymised) == 1
    before = snapshot()
    second = retention_apply(today=date(2020, 1, 1))
    assert second.anonymised == [] and second.due == []
    assert second.counts["already_anonymised"] == 1
    assert snapshot() == before


def test_date_of_birth_kept_when_reducing_it_would_change_an_age():
    # Outcome on 10 May 2005: aged 14 with the real date of birth, 15 from 1 May.
    child = closed_child()
    Outcome.objects.filter(child=child).update(outcome_date=date(2005, 5, 10))
    retention_apply(today=date(2020, 1, 1))
    child.refresh_from_db()
    assert child.given_name == ANONYMISED_GIVEN_NAME
    assert child.date_of_birth == DOB
    assert "Date of birth kept" in AuditEvent.objects.get(child_id=child.pk).summary


def test_reduced_date_of_birth():
    assert reduced_date_of_birth(date_of_birth=date(2000, 2, 29), dates=[]) == date(2000, 2, 1)
    assert reduced_date_of_birth(
        date_of_birth=date(2000, 2, 29), dates=[date(2018, 2, 28)]
    ) == date(2000, 2, 1)  # 18 on 28 February 2018 either way
    assert reduced_date_of_birth(
        date_of_birth=date(2000, 3, 20), dates=[date(2015, 3, 19)]
    ) == date(2000, 3, 20)


def test_celery_task_runs(settings):
    assert settings.CELERY_BEAT_SCHEDULE["retention-monthly"]["task"] == (
        "cases.tasks.retention_apply"
    )
    child = closed_child()
    result = retention_apply_task.delay("2020-01-01").get()
    assert result["anonymised"] == 1
    child.refresh_from_db()
    assert child.given_name == ANONYMISED_GIVEN_NAME


def test_settings_change_the_rule(settings):
    settings.RETENTION_AGE_YEARS = 30
    closed_child()
    assert retention_report(today=date(2020, 5, 16)).due == []
    assert len(retention_report(today=date(2020, 5, 17)).due) == 1


# --- The indicators for past periods do not change -----------------------------


@pytest.fixture(scope="module")
def service_small(django_db_setup, django_db_blocker):
    """The example extract imported through the real command, inside a
    transaction rolled back after the module (as tests/performance/conftest.py)."""
    if not EXAMPLE.is_dir():
        pytest.skip(f"the example extract is not at {EXAMPLE}")
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_extract", str(EXAMPLE), stdout=StringIO())
        yield EXAMPLE
        transaction.set_rollback(True)


def figures() -> dict:
    as_of = date(2026, 1, 31)
    return {
        "kpis": indicators.kpis(start=date(2023, 7, 1), end=date(2024, 6, 30), as_of=as_of),
        "kpis_2020": indicators.kpis(start=date(2020, 1, 1), end=date(2020, 12, 31), as_of=as_of),
        "return": indicators.kpi_return(quarter="2024Q1", as_of=as_of),
        "breakdown": indicators.kpi_return_breakdown(quarter="2023Q3", as_of=as_of),
    }


def test_indicator_figures_unchanged_by_anonymising(service_small):
    before = figures()
    dobs = dict(Child.objects.values_list("pk", "date_of_birth"))
    report = retention_apply(today=date(2060, 1, 1))
    assert len(report.anonymised) > 20
    assert report.kept  # open episodes keep some children
    reduced = [
        pk for pk, dob in Child.objects.values_list("pk", "date_of_birth") if dob != dobs[pk]
    ]
    assert reduced  # most dates of birth were moved to the 1st of the month
    assert figures() == before
    assert Child.objects.filter(given_name=ANONYMISED_GIVEN_NAME).count() == len(report.anonymised)
