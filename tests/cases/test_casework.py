"""Casework forms: offences, outcomes, assessments, interventions, contacts,
notes to the child and the programme directory. Each role, validation shown in
the error summary, audit rows for every change, and optimistic locking with
two sessions."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Assessment, CaseNote, Contact, Offence, Outcome, PlanItem, Programme
from tests.factories import ChildFactory, OffenceFactory, OutcomeFactory
from yjs.audit.models import AuditEvent
from yjs.dates import add_months

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def child(users):
    return ChildFactory(allocated_worker=users["practitioner"], date_of_birth=date(2009, 6, 1))


@pytest.fixture
def programme(db):
    return Programme.objects.create(name="Knife crime awareness", category="knife_crime")


def _audited(child, action, obj_type):
    return AuditEvent.objects.filter(
        child_id=child.pk, action=action, object_type=f"cases.{obj_type}"
    ).count()


CREATE_PAGES = [
    "offence_create",
    "outcome_create",
    "assessment_create",
    "plan_item_create",
    "contact_create",
    "note_create",
]


def test_practitioner_opens_each_form(client_as, child):
    client = client_as("practitioner")
    for name in CREATE_PAGES:
        response = client.get(reverse(f"cases:{name}", args=[child.pk]))
        assert response.status_code == 200, name
        assert response.content.decode().count("<h1") == 1


def test_roles_without_edit_children_get_403(client_as, child):
    for role in ("board_member", "administrator", "victim_worker", "panel_chair"):
        client = client_as(role)
        for name in CREATE_PAGES:
            url = reverse(f"cases:{name}", args=[child.pk])
            assert client.get(url).status_code == 403, (role, name)
            assert client.post(url, {}).status_code == 403, (role, name)


# --- Offences -----------------------------------------------------------------


def test_record_an_offence(client_as, child):
    response = client_as("practitioner").post(
        reverse("cases:offence_create", args=[child.pk]),
        {
            "offence_date": "2024-03-01",
            "category": "robbery",
            "seriousness_score": "5",
            "gravity_score": "3",
            "weapon": "on",
            "description": "Took a phone",
        },
    )
    assert response.status_code == 302
    offence = Offence.objects.get(child=child)
    assert offence.seriousness_score == 5 and offence.weapon
    assert _audited(child, "create", "offence") == 1


def test_offence_rules_are_shown(client_as, child):
    response = client_as("practitioner").post(
        reverse("cases:offence_create", args=[child.pk]),
        {"offence_date": "2018-01-01", "category": "robbery", "seriousness_score": "9"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "10th birthday" in page
    assert "must be between 1 and 8" in page
    assert "<title>Error:" in page
    assert not Offence.objects.exists()


def test_change_an_offence(client_as, child):
    offence = OffenceFactory(child=child, offence_date=date(2024, 1, 1))
    client = client_as("practitioner")
    url = reverse("cases:offence_edit", args=[child.pk, offence.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "offence_date": "2024-01-02",
            "category": "burglary",
            "seriousness_score": "4",
            "version": offence.version,
        },
    )
    assert response.status_code == 302
    offence.refresh_from_db()
    assert offence.category == "burglary" and offence.version == 2
    assert _audited(child, "update", "offence") == 1


def test_offence_of_another_child_is_404(client_as, child):
    other = OffenceFactory()
    url = reverse("cases:offence_edit", args=[child.pk, other.pk])
    assert client_as("practitioner").get(url).status_code == 404


# --- Outcomes -----------------------------------------------------------------


def test_record_an_outcome_with_derived_tier_and_default_intervention(client_as, child):
    offence = OffenceFactory(child=child, offence_date=date(2024, 1, 1))
    response = client_as("practitioner").post(
        reverse("cases:outcome_create", args=[child.pk]),
        {
            "outcome_type": "youth_rehabilitation_order",
            "offences": [offence.pk],
            "outcome_date": "2024-02-01",
            "requirements": "Supervision; curfew",
        },
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get(child=child)
    assert outcome.tier == "community" and outcome.yjs_intervention
    assert list(outcome.offences.all()) == [offence]
    assert _audited(child, "create", "outcome") == 1


def test_release_date_only_for_custody(client_as, child):
    offence = OffenceFactory(child=child, offence_date=date(2024, 1, 1))
    response = client_as("practitioner").post(
        reverse("cases:outcome_create", args=[child.pk]),
        {
            "outcome_type": "referral_order",
            "offences": [offence.pk],
            "outcome_date": "2024-02-01",
            "release_date": "2024-03-01",
        },
    )
    assert response.status_code == 200
    assert "only for custodial sentences" in response.content.decode()


def test_outcome_before_its_offence_is_refused(client_as, child):
    offence = OffenceFactory(child=child, offence_date=date(2024, 1, 1))
    response = client_as("practitioner").post(
        reverse("cases:outcome_create", args=[child.pk]),
        {"outcome_type": "fine", "offences": [offence.pk], "outcome_date": "2023-12-01"},
    )
    assert "is before its offence" in response.content.decode()


def test_another_childs_offence_cannot_be_chosen(client_as, child):
    other = OffenceFactory()
    response = client_as("practitioner").post(
        reverse("cases:outcome_create", args=[child.pk]),
        {"outcome_type": "fine", "offences": [other.pk], "outcome_date": "2024-02-01"},
    )
    assert response.status_code == 200
    assert not Outcome.objects.filter(child=child).exists()


def test_change_an_outcome_updates_the_tier(client_as, child):
    outcome = OutcomeFactory(child=child, outcome_date=date(2024, 2, 1))
    offence = outcome.offences.get()
    url = reverse("cases:outcome_edit", args=[child.pk, outcome.pk])
    client = client_as("practitioner")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "outcome_type": "detention_and_training_order",
            "offences": [offence.pk],
            "outcome_date": "2024-02-01",
            "release_date": "2024-05-01",
            "yjs_intervention": "Y",
            "version": outcome.version,
        },
    )
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert outcome.tier == "custody" and outcome.release_date == date(2024, 5, 1)


# --- Assessments --------------------------------------------------------------


def _assessment_post(**overrides):
    data = {
        "assessment_date": "2024-05-31",
        "likelihood_of_reoffending": "medium",
        "risk_of_serious_harm": "high",
        "safety_and_wellbeing": "medium",
        "intervention_level": "enhanced",
        "summary": "",
    }
    data.update(overrides)
    return data


def test_assessment_review_defaults_to_three_months(client_as, child):
    response = client_as("practitioner").post(
        reverse("cases:assessment_create", args=[child.pk]), _assessment_post()
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(child=child)
    assert assessment.next_review_due == date(2024, 8, 31)
    assert assessment.next_review_due == add_months(date(2024, 5, 31), 3)
    assert _audited(child, "create", "assessment") == 1


def test_assessment_review_must_be_within_three_months(client_as, child):
    response = client_as("practitioner").post(
        reverse("cases:assessment_create", args=[child.pk]),
        _assessment_post(next_review_due="2024-12-01"),
    )
    assert response.status_code == 200
    assert "within 3 months" in response.content.decode()


def test_assessment_needs_its_ratings(client_as, child):
    response = client_as("practitioner").post(
        reverse("cases:assessment_create", args=[child.pk]),
        _assessment_post(risk_of_serious_harm=""),
    )
    page = response.content.decode()
    assert "govuk-error-summary" in page and 'href="#id_risk_of_serious_harm_0"' in page


# --- Plan items ---------------------------------------------------------------


def test_add_a_late_intervention(client_as, child, programme):
    today = _today()
    response = client_as("practitioner").post(
        reverse("cases:plan_item_create", args=[child.pk]),
        {
            "programme": programme.pk,
            "planned_start_date": (today - timedelta(days=10)).isoformat(),
            "actual_start_date": (today - timedelta(days=3)).isoformat(),
            "status": "in_progress",
        },
    )
    assert response.status_code == 302
    item = PlanItem.objects.get(child=child)
    assert item.actual_start_date == today - timedelta(days=3)
    assert _audited(child, "create", "planitem") == 1
    page = client_as("practitioner").get(reverse("cases:caseload")).content.decode()
    assert "1 late" in page


def test_intervention_rules(client_as, child, programme):
    response = client_as("practitioner").post(
        reverse("cases:plan_item_create", args=[child.pk]),
        {
            "programme": programme.pk,
            "planned_start_date": "2024-01-10",
            "status": "completed",
            "successfully_completed": "Y",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "is required once the intervention has started" in page
    assert "can only be recorded once it has an end date" in page


def test_inactive_programmes_are_not_offered(client_as, child, programme):
    Programme.objects.create(name="Retired course", category="other", active=False)
    page = (
        client_as("practitioner")
        .get(reverse("cases:plan_item_create", args=[child.pk]))
        .content.decode()
    )
    assert "Knife crime awareness" in page and "Retired course" not in page


def test_change_an_intervention(client_as, child, programme):
    item = PlanItem.objects.create(
        child=child, programme=programme, planned_start_date=date(2024, 1, 10)
    )
    url = reverse("cases:plan_item_edit", args=[child.pk, item.pk])
    client = client_as("practitioner")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "programme": programme.pk,
            "planned_start_date": "2024-01-10",
            "actual_start_date": "2024-01-20",
            "end_date": "2024-03-01",
            "status": "completed",
            "successfully_completed": "Y",
            "version": item.version,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.successfully_completed is True and item.status == "completed"


# --- Contacts -----------------------------------------------------------------


def test_record_a_contact_with_a_warning(client_as, child):
    response = client_as("practitioner").post(
        reverse("cases:contact_create", args=[child.pk]),
        {
            "contact_date": "2024-04-02T10:30",
            "contact_type": "office",
            "attendance": "failed_to_attend",
            "compliance_action": "warning",
            "notes": "Did not come; phoned mum",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get(child=child)
    assert contact.compliance_action == "warning"
    assert timezone.localtime(contact.contact_date).hour == 10
    assert _audited(child, "create", "contact") == 1


def test_breach_needs_a_failure_to_attend(client_as, child):
    response = client_as("practitioner").post(
        reverse("cases:contact_create", args=[child.pk]),
        {
            "contact_date": "2024-04-02T10:30",
            "contact_type": "office",
            "attendance": "attended",
            "compliance_action": "breach",
        },
    )
    assert response.status_code == 200
    assert "follows a failure to attend" in response.content.decode()


# --- Notes --------------------------------------------------------------------


def test_note_form_explains_writing_to_the_child(client_as, child):
    page = (
        client_as("practitioner")
        .get(reverse("cases:note_create", args=[child.pk]))
        .content.decode()
    )
    assert "Write to the child" in page and "first person" in page


def test_write_a_note(client_as, child):
    response = client_as("practitioner").post(
        reverse("cases:note_create", args=[child.pk]),
        {"written_on": _today().isoformat(), "text": "I met you today. You told me..."},
    )
    assert response.status_code == 302
    assert CaseNote.objects.get(child=child).text.startswith("I met you")
    assert _audited(child, "create", "casenote") == 1


def test_empty_note_is_refused(client_as, child):
    response = client_as("practitioner").post(
        reverse("cases:note_create", args=[child.pk]),
        {"written_on": _today().isoformat(), "text": ""},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


# --- Optimistic locking with two sessions -------------------------------------


def _session(user):
    client = Client()
    client.force_login(user)
    return client


def test_stale_note_edit_is_refused_and_keeps_what_was_typed(users, child):
    note = CaseNote.objects.create(child=child, written_on=date(2024, 1, 1), text="First words")
    url = reverse("cases:note_edit", args=[child.pk, note.pk])
    first, second = _session(users["practitioner"]), _session(users["team_manager"])
    assert first.get(url).status_code == 200 and second.get(url).status_code == 200
    opened_version = note.version

    saved = first.post(url, {"written_on": "2024-01-01", "text": "Saved first", "version": 1})
    assert saved.status_code == 302

    stale = second.post(
        url, {"written_on": "2024-01-01", "text": "Typed second", "version": opened_version}
    )
    page = stale.content.decode()
    assert stale.status_code == 200
    assert "Someone else changed this" in page
    assert page.index("Someone else changed this") < page.index('<form method="post" novalidate>')
    assert "Typed second" in page  # what they typed is kept in the form
    assert "The latest saved version" in page and "Saved first" in page
    note.refresh_from_db()
    assert note.text == "Saved first" and note.version == 2
    assert _audited(child, "update", "casenote") == 1

    # Saving again from the refused form (now carrying the latest version) works.
    again = second.post(url, {"written_on": "2024-01-01", "text": "Typed second", "version": 2})
    assert again.status_code == 302
    note.refresh_from_db()
    assert note.text == "Typed second" and note.version == 3


@pytest.mark.parametrize(
    "kind", ["child", "offence", "outcome", "assessment", "plan_item", "contact"]
)
def test_stale_edits_are_refused_for_every_record(users, child, programme, kind):
    offence = OffenceFactory(child=child, offence_date=date(2024, 1, 1))
    records = {
        "child": (
            child,
            "child_edit",
            [child.pk],
            {
                "given_name": "Ava",
                "family_name": "Edited",
                "date_of_birth": "2009-06-01",
                "sex": "F",
                "ethnicity": "white",
            },
        ),
        "offence": (
            offence,
            "offence_edit",
            [child.pk, offence.pk],
            {
                "offence_date": "2024-01-01",
                "category": "drugs",
                "seriousness_score": "3",
            },
        ),
        "outcome": None,
        "assessment": None,
        "plan_item": None,
        "contact": None,
    }
    if kind == "outcome":
        outcome = OutcomeFactory(child=child, outcome_date=date(2024, 2, 1), offences=[offence])
        records[kind] = (
            outcome,
            "outcome_edit",
            [child.pk, outcome.pk],
            {
                "outcome_type": "fine",
                "offences": [offence.pk],
                "outcome_date": "2024-02-01",
            },
        )
    if kind == "assessment":
        a = Assessment.objects.create(
            child=child,
            assessment_date=date(2024, 1, 1),
            likelihood_of_reoffending="low",
            risk_of_serious_harm="low",
            safety_and_wellbeing="low",
            intervention_level="standard",
            next_review_due=date(2024, 4, 1),
        )
        records[kind] = (
            a,
            "assessment_edit",
            [child.pk, a.pk],
            _assessment_post(assessment_date="2024-01-01"),
        )
    if kind == "plan_item":
        item = PlanItem.objects.create(
            child=child, programme=programme, planned_start_date=date(2024, 1, 1)
        )
        records[kind] = (
            item,
            "plan_item_edit",
            [child.pk, item.pk],
            {
                "programme": programme.pk,
                "planned_start_date": "2024-01-02",
                "status": "planned",
            },
        )
    if kind == "contact":
        c = Contact.objects.create(
            child=child,
            contact_date=timezone.now() - timedelta(days=3),
            contact_type="office",
            attendance="attended",
        )
        records[kind] = (
            c,
            "contact_edit",
            [child.pk, c.pk],
            {
                "contact_date": "2024-04-02T10:30",
                "contact_type": "home_visit",
                "attendance": "attended",
                "compliance_action": "none",
            },
        )
    obj, name, args, data = records[kind]
    url = reverse(f"cases:{name}", args=args)
    first, second = _session(users["practitioner"]), _session(users["service_manager"])
    assert first.post(url, {**data, "version": obj.version}).status_code == 302
    response = second.post(url, {**data, "version": obj.version})
    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    obj.refresh_from_db()
    assert obj.version == 2


# --- The programme directory --------------------------------------------------


def test_programme_directory_permissions(client_as, programme):
    assert client_as("practitioner").get(reverse("cases:programmes")).status_code == 200
    assert client_as("board_member").get(reverse("cases:programmes")).status_code == 403
    assert client_as("practitioner").get(reverse("cases:programme_create")).status_code == 403
    assert client_as("team_manager").get(reverse("cases:programme_create")).status_code == 403
    client = client_as("service_manager")
    response = client.post(
        reverse("cases:programme_create"),
        {"name": "Football and mentoring", "category": "group_work", "active": "on"},
    )
    assert response.status_code == 302
    new = Programme.objects.get(name="Football and mentoring")
    response = client.post(
        reverse("cases:programme_edit", args=[new.pk]),
        {"name": "Football and mentoring", "category": "group_work"},
    )
    new.refresh_from_db()
    assert not new.active
    assert AuditEvent.objects.filter(object_type="cases.programme").count() == 2


def test_programme_names_are_unique(client_as, programme):
    response = client_as("service_manager").post(
        reverse("cases:programme_create"),
        {"name": "knife crime awareness", "category": "knife_crime", "active": "on"},
    )
    assert response.status_code == 200
    assert "already in the directory" in response.content.decode()
