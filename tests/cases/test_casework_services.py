"""The casework services on their own: defaults, rules, optimistic locking and
the audit trail they write."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import PlanItem, Programme
from cases.services import StaleEdit
from cases.services import casework as services
from tests.factories import ChildFactory, OffenceFactory, OutcomeFactory
from yjs.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(make_user):
    return make_user("practitioner")


@pytest.fixture
def child(worker):
    return ChildFactory(allocated_worker=worker, date_of_birth=date(2009, 6, 1))


@pytest.fixture
def programme(db):
    return Programme.objects.create(name="Reparation project", category="rj_reparation")


def _ratings():
    return {
        "likelihood_of_reoffending": "low",
        "risk_of_serious_harm": "medium",
        "safety_and_wellbeing": "low",
        "intervention_level": "standard",
    }


def test_assessment_review_defaults_to_three_months_clamped(child, worker):
    a = services.assessment_record(
        child=child, assessment_date=date(2024, 11, 30), **_ratings(), by=worker
    )
    assert a.next_review_due == date(2025, 2, 28)
    assert a.author == worker


def test_assessment_in_the_future_is_refused(child, worker):
    with pytest.raises(ValidationError) as error:
        services.assessment_record(
            child=child,
            assessment_date=timezone.localdate() + timedelta(days=1),
            **_ratings(),
            by=worker,
        )
    assert "assessment_date" in error.value.error_dict


def test_two_saves_of_the_same_version_one_wins(child, worker):
    first = services.child_update(child=child, expected_version=1, preferred_name="One", by=worker)
    assert first.version == 2
    with pytest.raises(StaleEdit):
        services.child_update(child=child, expected_version=1, preferred_name="Two", by=worker)
    child.refresh_from_db()
    assert child.preferred_name == "One"
    assert AuditEvent.objects.filter(child_id=child.pk, action="update").count() == 1


def test_child_update_refuses_unknown_fields(child, worker):
    with pytest.raises(TypeError):
        services.child_update(child=child, expected_version=1, source_id="x", by=worker)


def test_offence_cannot_move_after_its_outcome(child, worker):
    offence = OffenceFactory(child=child, offence_date=date(2024, 1, 1))
    OutcomeFactory(child=child, outcome_date=date(2024, 2, 1), offences=[offence])
    with pytest.raises(ValidationError) as error:
        services.offence_update(
            offence=offence,
            expected_version=offence.version,
            offence_date=date(2024, 3, 1),
            category=offence.category,
            seriousness_score=2,
            by=worker,
        )
    assert "after the date of an outcome" in str(error.value)


def test_outcome_update_sets_offences_and_tier(child, worker):
    first = OffenceFactory(child=child, offence_date=date(2024, 1, 1))
    second = OffenceFactory(child=child, offence_date=date(2024, 1, 5))
    outcome = OutcomeFactory(child=child, outcome_date=date(2024, 2, 1), offences=[first])
    outcome = services.outcome_update(
        outcome=outcome,
        expected_version=outcome.version,
        offences=[first, second],
        outcome_type="youth_conditional_caution",
        outcome_date=date(2024, 2, 1),
        by=worker,
    )
    assert outcome.tier == "pre_court" and outcome.yjs_intervention
    assert set(outcome.offences.all()) == {first, second}


def test_plan_item_with_start_dates(child, worker, programme):
    item = services.plan_item_record(
        child=child,
        programme=programme,
        planned_start_date=date(2024, 1, 1),
        actual_start_date=date(2024, 1, 15),
        status="in_progress",
        by=worker,
    )
    item = PlanItem.objects.get(pk=item.pk)
    assert item.actual_start_date == date(2024, 1, 15) and item.version == 1
    assert AuditEvent.objects.filter(child_id=child.pk, object_type="cases.planitem").count() == 1


def test_plan_item_outcome_must_be_the_childs(child, worker, programme):
    other_outcome = OutcomeFactory()
    with pytest.raises(ValidationError):
        services.plan_item_record(
            child=child,
            programme=programme,
            planned_start_date=date(2024, 1, 1),
            outcome=other_outcome,
            by=worker,
        )


def test_contact_in_the_future_cannot_be_attended(child, worker):
    soon = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=2), datetime.min.time())
    )
    with pytest.raises(ValidationError):
        services.contact_record(
            child=child, contact_date=soon, contact_type="office", attendance="attended", by=worker
        )
    planned = services.contact_record(
        child=child, contact_date=soon, contact_type="office", attendance="planned", by=worker
    )
    assert planned.recorded_by == worker


def test_allocation_is_audited(child, worker, make_user):
    manager = make_user("team_manager")
    services.child_allocate(
        child=child, expected_version=1, allocated_worker=manager, team=None, by=manager
    )
    child.refresh_from_db()
    assert child.allocated_worker == manager
    assert AuditEvent.objects.filter(child_id=child.pk, summary__contains="Allocated to").exists()
