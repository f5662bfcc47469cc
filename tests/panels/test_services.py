"""The panel's rules, through its services (panels/services.py)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from cases.models import Child, Offence, Outcome, PlanItem
from cases.services import today
from panels import services
from panels.models import DecisionAmendment, OocdReferral
from tests.factories import ChildFactory, OffenceFactory
from yjs.audit.models import AuditEvent


def decide(referral, user, decision="youth_caution", **extra):
    extra.setdefault("rationale", "A first offence, admitted, with remorse shown.")
    return services.decision_record(referral=referral, decision=decision, by=user, **extra)


# --- Referral intake -------------------------------------------------------------


NEW_CHILD = {
    "given_name": "Testa",
    "family_name": "Synthetic",
    "date_of_birth": date(2010, 2, 3),
    "sex": "F",
    "ethnicity": "mixed",
}


def referral_values(**extra):
    values = {
        "referral_date": today() - timedelta(days=3),
        "police_reference": "SYN/0001",
        "arresting_force": "Synthetic Constabulary",
        "admission": True,
        "gravity_score": 2,
        "reason": "Shoplifting, first contact with police",
    }
    values.update(extra)
    return values


def new_offence(**extra):
    values = {
        "offence_date": today() - timedelta(days=5),
        "category": "theft_and_handling",
        "seriousness_score": 2,
        "description": "Took sweets",
        "weapon": False,
    }
    values.update(extra)
    return values


def test_a_child_not_yet_known_is_created_from_the_referral(chair):
    referral = services.referral_create(
        new_child=NEW_CHILD,
        new_offences=[new_offence()],
        gravity_adjustment=1,
        **referral_values(),
        by=chair,
    )
    child = referral.child
    assert (child.given_name, child.sex, child.ethnicity) == ("Testa", "F", "mixed")
    offence = referral.offences.get()
    assert offence.child == child
    assert offence.gravity_score == 3  # 2 moved up one for aggravating factors
    assert referral.final_gravity_score == 3
    assert AuditEvent.objects.filter(child_id=child.pk, object_type="panels.oocdreferral").exists()
    assert AuditEvent.objects.filter(child_id=child.pk, object_type="cases.child").exists()


@pytest.mark.parametrize("score, adjustment, final", [(4, 1, 4), (1, -1, 1), (3, -1, 2), (2, 0, 2)])
def test_the_gravity_score_is_adjusted_by_one_and_kept_within_1_to_4(
    chair, score, adjustment, final
):
    referral = services.referral_create(
        new_child=NEW_CHILD,
        new_offences=[new_offence()],
        **referral_values(gravity_score=score, gravity_adjustment=adjustment),
        by=chair,
    )
    assert referral.final_gravity_score == final
    assert referral.offences.get().gravity_score == final


def test_a_referral_for_a_known_child_and_existing_offences(chair):
    child = ChildFactory(date_of_birth=date(2010, 1, 1))
    first = OffenceFactory(child=child, offence_date=today() - timedelta(days=10))
    second = OffenceFactory(child=child, offence_date=today() - timedelta(days=9))
    referral = services.referral_create(
        child=child, existing_offences=[first, second], **referral_values(), by=chair
    )
    assert set(referral.offences.all()) == {first, second}
    assert Child.objects.count() == 1


def test_a_referral_needs_an_offence_of_the_same_child(chair):
    child = ChildFactory(date_of_birth=date(2010, 1, 1))
    other = OffenceFactory(offence_date=today() - timedelta(days=10))
    with pytest.raises(ValidationError) as caught:
        services.referral_create(
            child=child, existing_offences=[other], **referral_values(), by=chair
        )
    assert "offences" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.referral_create(child=child, **referral_values(), by=chair)
    assert not OocdReferral.objects.exists()


def test_a_refused_referral_writes_nothing(chair):
    with pytest.raises(ValidationError) as caught:
        services.referral_create(
            new_child=NEW_CHILD,
            new_offences=[new_offence(offence_date=date(2015, 1, 1))],  # before the 10th birthday
            **referral_values(),
            by=chair,
        )
    assert "offence_date" in caught.value.message_dict
    assert not Child.objects.exists() and not Offence.objects.exists()


def test_a_referral_is_not_before_its_offence(chair):
    with pytest.raises(ValidationError) as caught:
        services.referral_create(
            new_child=NEW_CHILD,
            new_offences=[new_offence(offence_date=today())],
            **referral_values(referral_date=today() - timedelta(days=1)),
            by=chair,
        )
    assert "referral_date" in caught.value.message_dict


# --- Decisions --------------------------------------------------------------------


def test_a_caution_creates_the_outcome_on_the_childs_record(make_referral, meeting, chair):
    referral = make_referral(meeting=meeting)
    referral = decide(referral, chair)
    outcome = referral.outcome
    assert referral.decision == "youth_caution"
    assert referral.panel_date == meeting.meeting_date
    assert outcome.child == referral.child
    assert (outcome.outcome_type, outcome.tier) == ("youth_caution", "pre_court")
    assert outcome.outcome_date == meeting.meeting_date
    assert list(outcome.offences.all()) == list(referral.offences.all())
    assert referral.decided_by == chair and referral.decided_at is not None
    assert not referral.is_signed_off


def test_no_further_action_is_recorded_as_an_outcome_too(make_referral, meeting, chair):
    referral = decide(make_referral(meeting=meeting, admission=False), chair, "no_further_action")
    assert referral.outcome.outcome_type == "no_further_action"
    assert referral.outcome.tier == "none"


def test_a_charge_creates_no_outcome(make_referral, meeting, chair):
    referral = decide(make_referral(meeting=meeting), chair, "charge")
    assert referral.outcome is None
    assert not Outcome.objects.exists()


@pytest.mark.parametrize(
    "decision", ["community_resolution", "youth_caution", "youth_conditional_caution"]
)
def test_cautions_and_community_resolution_need_an_admission(
    make_referral, meeting, chair, decision
):
    referral = make_referral(meeting=meeting, admission=False)
    with pytest.raises(ValidationError) as caught:
        decide(referral, chair, decision, conditions="Attend a programme")
    assert "admission" in caught.value.message_dict["decision"][0]
    referral.refresh_from_db()
    assert referral.decision == "" and referral.panel_date is None
    assert not Outcome.objects.exists()


def test_outcome_22_needs_no_admission(make_referral, meeting, chair):
    referral = decide(make_referral(meeting=meeting, admission=False), chair, "outcome_22")
    assert referral.outcome.outcome_type == "outcome_22"


def test_a_referral_is_decided_once(make_referral, meeting, chair):
    referral = make_referral(meeting=meeting)
    decide(referral, chair)
    with pytest.raises(services.DecisionRefused):
        decide(referral, chair, "charge")  # the stale object: the row lock re-reads it
    assert Outcome.objects.count() == 1


def test_a_decision_needs_a_written_rationale(make_referral, meeting, chair):
    with pytest.raises(ValidationError) as caught:
        decide(make_referral(meeting=meeting), chair, rationale="   ")
    assert "rationale" in caught.value.message_dict


def test_a_conditional_caution_needs_its_conditions(make_referral, meeting, chair):
    referral = make_referral(meeting=meeting)
    with pytest.raises(ValidationError) as caught:
        decide(referral, chair, "youth_conditional_caution")
    assert "conditions" in caught.value.message_dict
    referral = decide(referral, chair, "youth_conditional_caution", conditions="Attend 4 sessions")
    assert referral.outcome.requirements == "Attend 4 sessions"
    assert referral.outcome.yjs_intervention is True


def test_a_decision_is_made_at_a_meeting_on_or_before_today(make_referral, chair):
    referral = make_referral()
    with pytest.raises(services.DecisionRefused):
        decide(referral, chair)
    future = services.meeting_create(
        meeting_date=today() + timedelta(days=3), chair=chair, by=chair
    )
    services.agenda_assign(meeting=future, referrals=[referral], by=chair)
    with pytest.raises(ValidationError) as caught:
        decide(referral, chair)
    assert "day of the panel meeting" in caught.value.message_dict["decision"][0]


def test_an_agreed_intervention_goes_on_the_childs_plan(make_referral, meeting, chair, programme):
    start = today() + timedelta(days=7)
    referral = decide(
        make_referral(meeting=meeting),
        chair,
        "community_resolution",
        programme=programme,
        planned_start_date=start,
    )
    item = PlanItem.objects.get(child=referral.child)
    assert (item.programme, item.planned_start_date, item.outcome) == (
        programme,
        start,
        referral.outcome,
    )
    assert referral.plan_item == item
    assert referral.outcome.yjs_intervention is True


def test_an_intervention_needs_its_planned_start_date(make_referral, meeting, chair, programme):
    with pytest.raises(ValidationError) as caught:
        decide(make_referral(meeting=meeting), chair, programme=programme)
    assert "planned_start_date" in caught.value.message_dict


def test_the_outcome_and_the_decision_are_one_transaction(
    make_referral, meeting, chair, programme, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("the plan could not be written")

    monkeypatch.setattr(services, "plan_item_create", broken)
    referral = make_referral(meeting=meeting)
    with pytest.raises(RuntimeError):
        decide(referral, chair, programme=programme, planned_start_date=today())
    referral.refresh_from_db()
    assert referral.decision == "" and referral.outcome is None
    assert not Outcome.objects.exists()


# --- Sign-off and amendments ---------------------------------------------------------


def test_signing_off_a_meetings_decisions(make_referral, meeting, chair):
    decided = decide(make_referral(meeting=meeting), chair)
    waiting = make_referral(meeting=meeting)
    assert services.meeting_sign_off(meeting=meeting, by=chair) == 1
    decided.refresh_from_db()
    waiting.refresh_from_db()
    assert decided.is_signed_off and decided.signed_off_by == chair
    assert not waiting.is_signed_off
    assert services.meeting_sign_off(meeting=meeting, by=chair) == 0


def test_a_signed_off_decision_is_amended_with_a_reason_and_kept_in_history(
    make_referral, meeting, chair
):
    referral = decide(make_referral(meeting=meeting), chair, "youth_caution")
    services.decision_sign_off(referral=referral, by=chair)
    with pytest.raises(ValidationError) as caught:
        services.decision_amend(
            referral=referral, decision="community_resolution", rationale="x", reason="", by=chair
        )
    assert "reason" in caught.value.message_dict
    referral = services.decision_amend(
        referral=referral,
        decision="community_resolution",
        rationale="Police agreed a community resolution is proportionate",
        reason="Recorded in error at the meeting",
        by=chair,
    )
    amendment = DecisionAmendment.objects.get(referral=referral)
    assert (amendment.previous_decision, amendment.new_decision) == (
        "youth_caution",
        "community_resolution",
    )
    assert amendment.was_signed_off and amendment.reason == "Recorded in error at the meeting"
    outcome = Outcome.objects.get(pk=referral.outcome_id)
    assert (outcome.outcome_type, outcome.tier) == ("community_resolution", "diversion")
    assert Outcome.objects.count() == 1
    assert AuditEvent.objects.filter(summary__startswith="Amended the OOCD panel decision").exists()


def test_an_amendment_follows_the_admission_rule(make_referral, meeting, chair):
    referral = decide(make_referral(meeting=meeting, admission=False), chair, "outcome_22")
    with pytest.raises(ValidationError):
        services.decision_amend(
            referral=referral, decision="youth_caution", rationale="x", reason="y", by=chair
        )
    assert not DecisionAmendment.objects.exists()


def test_an_amendment_from_charge_creates_the_outcome(make_referral, meeting, chair):
    referral = decide(make_referral(meeting=meeting), chair, "charge")
    referral = services.decision_amend(
        referral=referral, decision="youth_caution", rationale="x", reason="CPS advice", by=chair
    )
    assert referral.outcome.outcome_type == "youth_caution"


def test_an_amendment_to_charge_is_refused_while_an_outcome_is_recorded(
    make_referral, meeting, chair
):
    referral = decide(make_referral(meeting=meeting), chair, "youth_caution")
    with pytest.raises(ValidationError):
        services.decision_amend(
            referral=referral, decision="charge", rationale="x", reason="y", by=chair
        )


def test_an_imported_decision_counts_as_signed_off(make_referral):
    referral = make_referral()
    referral.decision, referral.panel_date = "outcome_22", today()
    assert referral.is_signed_off


# --- Scrutiny ---------------------------------------------------------------------------


def decided_referrals(make_referral, count, *, panel_date, decision="community_resolution"):
    made = []
    for _ in range(count):
        referral = make_referral(referral_date=panel_date - timedelta(days=10))
        OocdReferral.objects.filter(pk=referral.pk).update(decision=decision, panel_date=panel_date)
        made.append(referral.pk)
    return made


def test_the_scrutiny_sample_is_reproducible(make_referral, chair):
    ids = decided_referrals(make_referral, 25, panel_date=date(2024, 5, 10))
    decided_referrals(make_referral, 3, panel_date=date(2024, 5, 10), decision="charge")
    decided_referrals(make_referral, 4, panel_date=date(2024, 8, 10))  # another quarter
    sample = services.scrutiny_sample_draw(quarter="2024Q1", size=8, by=chair)
    first = sorted(sample.reviews.values_list("referral_id", flat=True))
    assert len(first) == 8 and set(first) <= set(ids)  # charges are not out-of-court disposals
    assert sample.eligible == 25
    # Drawing again returns the stored sample...
    assert services.scrutiny_sample_draw(quarter="2024Q1", size=8, by=chair) == sample
    # ...and drawing from scratch with the same data gives the same children.
    sample.delete()
    again = services.scrutiny_sample_draw(quarter="2024Q1", size=8, by=chair)
    assert sorted(again.reviews.values_list("referral_id", flat=True)) == first


def test_the_sample_depends_on_the_quarter_seed_only():
    ids = list(range(1, 101))
    assert services.scrutiny_pick("2024Q1", ids, 10) == services.scrutiny_pick(
        "2024Q1", list(reversed(ids)), 10
    )
    assert services.scrutiny_pick("2024Q1", ids, 10) != services.scrutiny_pick("2024Q2", ids, 10)
    assert services.scrutiny_pick("2024Q1", [3, 1], 10) == [1, 3]


def test_a_scrutiny_verdict_is_recorded(make_referral, chair):
    decided_referrals(make_referral, 2, panel_date=date(2024, 5, 10))
    sample = services.scrutiny_sample_draw(quarter="2024Q1", size=5, by=chair)
    review = sample.reviews.first()
    services.scrutiny_verdict_record(
        review=review, verdict="not_appropriate", comments="Gravity too high", by=chair
    )
    review.refresh_from_db()
    assert (review.verdict, review.reviewed_by) == ("not_appropriate", chair)
    with pytest.raises(ValidationError):
        services.scrutiny_verdict_record(review=review, verdict="maybe", comments="", by=chair)


def test_a_charge_goes_to_court_without_a_panel_intervention(
    make_referral, meeting, chair, programme
):
    with pytest.raises(ValidationError) as caught:
        decide(
            make_referral(meeting=meeting),
            chair,
            "charge",
            programme=programme,
            planned_start_date=today(),
        )
    assert "programme" in caught.value.message_dict
    assert not PlanItem.objects.exists()
