"""Writes of the OOCD panel: referrals, meetings, decisions, sign-off,
amendments and scrutiny. Each runs in one transaction, checks the rules and
records the audit event (style.md, "Every write is a service function").

Decisions and the child's record (architecture.md: panels → cases):

* every decision except charge creates an outcome on the child's record
  through ``cases.services.outcome_record`` in the same transaction, linked as
  ``referral.outcome``. No further action is in the outcome vocabulary
  (interchange.md, tier ``none``), so it gets an outcome too: the service
  extract does the same (its NFA referrals carry an outcome_id), and the
  child's record then shows the end of the matter;
* an agreed intervention goes on the child's plan through
  ``cases.services.plan_item_create`` with its planned start date.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases import validation, vocab
from cases.models import Child, Offence, Programme
from cases.services import (
    offence_record,
    outcome_record,
    plan_item_create,
    raise_problems,
    today,
    versioned_update,
)
from cases.services.casework import child_create
from cases.validation import Problem
from panels.models import (
    GRAVITY_MAX,
    GRAVITY_MIN,
    DecisionAmendment,
    OocdReferral,
    PanelAttendee,
    PanelMeeting,
    ScrutinyReview,
    ScrutinySample,
    final_gravity,
)
from yjs.audit.services import Action, audit_record
from yjs.dates import financial_quarter

DEFAULT_SCRUTINY_SAMPLE_SIZE = 10


class DecisionRefused(ValidationError):
    """A decision that the rules do not allow (already decided, signed off...)."""


# --- Referrals -----------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    child: Child | None = None,
    new_child: dict | None = None,
    existing_offences: Iterable[Offence] = (),
    new_offences: Iterable[dict] = (),
    referral_date: date,
    police_reference: str,
    arresting_force: str,
    admission: bool,
    gravity_score: int,
    gravity_adjustment: int = 0,
    aggravating_factors: str = "",
    mitigating_factors: str = "",
    reason: str = "",
    by,
    request=None,
) -> OocdReferral:
    """A police referral for a known ``child`` or a ``new_child`` (given_name,
    family_name, date_of_birth, sex, ethnicity), for existing offences of the
    child and/or new offences (offence_date, category, seriousness_score,
    description, weapon). New offences carry the adjusted gravity score."""
    if (child is None) == (new_child is None):
        raise ValueError("give exactly one of child and new_child")
    problems = []
    if not GRAVITY_MIN <= gravity_score <= GRAVITY_MAX:
        problems.append(Problem("gravity_score", "must be between 1 and 4"))
    if gravity_adjustment not in (-1, 0, 1):
        problems.append(Problem("gravity_adjustment", "must move the score by one at most"))
    existing_offences = list(existing_offences)
    new_offences = list(new_offences)
    if not existing_offences and not new_offences:
        problems.append(Problem("offences", "choose or record at least one offence"))
    if child is not None and any(o.child_id != child.pk for o in existing_offences):
        problems.append(Problem("offences", "every offence must be this child's"))
    offence_dates = [o.offence_date for o in existing_offences] + [
        o["offence_date"] for o in new_offences
    ]
    problems += validation.referral_problems(
        referral_date=referral_date,
        admission=admission,
        panel_date=None,
        decision="",
        offence_dates=offence_dates,
        today=today(),
    )
    raise_problems(problems)
    if child is None:
        # A child first known through a police referral: the minimal identity
        # only; the case manager completes the record later.
        child = child_create(**new_child, by=by, request=request)
    final = final_gravity(gravity_score, gravity_adjustment)
    offences = existing_offences + [
        offence_record(child=child, gravity_score=final, by=by, request=request, **values)
        for values in new_offences
    ]
    referral = OocdReferral.objects.create(
        child=child,
        referral_date=referral_date,
        admission=admission,
        police_reference=police_reference,
        arresting_force=arresting_force,
        gravity_score=gravity_score,
        gravity_adjustment=gravity_adjustment,
        aggravating_factors=aggravating_factors,
        mitigating_factors=mitigating_factors,
        reason=reason,
        recorded_by=by,
    )
    referral.offences.set(offences)
    audit_record(
        user=by,
        action=Action.CREATE,
        child=child,
        obj=referral,
        request=request,
        # No police reference in the summary: the audit log outlives retention.
        summary="Recorded a police referral to the OOCD panel",
    )
    return referral


@transaction.atomic
def referral_prepare(
    *,
    referral: OocdReferral,
    expected_version: int | None,
    assessment_date: date | None,
    assessment_summary: str,
    assessment_recommendation: str,
    child_voice: str,
    parent_voice: str,
    by,
    request=None,
) -> OocdReferral:
    """The YJS assessment and the voices of the child and the parent or carer,
    recorded before the panel."""
    if assessment_date and assessment_date < referral.referral_date:
        raise_problems([Problem("assessment_date", "is before the referral date")])
    if assessment_date and assessment_date > today():
        raise_problems([Problem("assessment_date", "must not be in the future")])
    referral = versioned_update(
        referral,
        expected_version=expected_version,
        fields={
            "assessment_date": assessment_date,
            "assessment_summary": assessment_summary,
            "assessment_recommendation": assessment_recommendation,
            "child_voice": child_voice,
            "parent_voice": parent_voice,
        },
    )
    audit_record(
        user=by,
        action=Action.UPDATE,
        child=referral.child,
        obj=referral,
        request=request,
        summary="Recorded the YJS assessment and voices for the OOCD panel",
    )
    return referral


# --- Meetings ------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    meeting_date: date,
    chair,
    location: str = "",
    attendees: Iterable[dict] = (),
    by,
    request=None,
) -> PanelMeeting:
    """A panel meeting; ``attendees`` are dicts of name, agency and role."""
    meeting = PanelMeeting.objects.create(
        meeting_date=meeting_date, chair=chair, location=location, created_by=by
    )
    PanelAttendee.objects.bulk_create(
        PanelAttendee(meeting=meeting, **attendee) for attendee in attendees
    )
    audit_record(
        user=by, action=Action.CREATE, obj=meeting, request=request, summary=f"Scheduled {meeting}"
    )
    return meeting


@transaction.atomic
def agenda_assign(
    *, meeting: PanelMeeting, referrals: Iterable[OocdReferral], by, request=None
) -> int:
    """Put referrals awaiting a decision on the meeting's agenda."""
    ids = [r.pk for r in referrals]
    locked = list(
        OocdReferral.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, decision="")
        .order_by("pk")
    )
    if len(locked) != len(ids):
        raise DecisionRefused("Only referrals awaiting a decision can go on an agenda.")
    for referral in locked:
        referral.meeting = meeting
        referral.save(update_fields=["meeting", "updated_at"])
        audit_record(
            user=by,
            action=Action.UPDATE,
            child_id=referral.child_id,
            obj=referral,
            request=request,
            summary=f"Added the referral to the agenda of the {meeting}",
        )
    return len(locked)


# --- Decisions -----------------------------------------------------------------


def _decision_problems(
    *, referral: OocdReferral, decision: str, rationale: str, conditions: str, panel_date: date
) -> list[Problem]:
    problems = []
    if decision not in vocab.codes(vocab.OOCD_DECISION):
        problems.append(Problem("decision", "choose the panel's decision"))
    if not (rationale or "").strip():
        problems.append(Problem("rationale", "write down why the panel made this decision"))
    if decision == "youth_conditional_caution" and not (conditions or "").strip():
        problems.append(Problem("conditions", "a youth conditional caution needs its conditions"))
    if panel_date > today():
        problems.append(
            Problem("decision", "cannot be recorded before the day of the panel meeting")
        )
    problems += validation.referral_problems(
        referral_date=referral.referral_date,
        admission=referral.admission,
        panel_date=panel_date,
        decision=decision,
        offence_dates=[o.offence_date for o in referral.offences.all()],
    )
    return problems


def _yjs_intervention(decision: str, *, with_programme: bool) -> bool:
    """An intervention agreed by the panel is delivered by the YJS; otherwise
    interchange.md's default (Y for youth conditional cautions)."""
    return with_programme or vocab.yjs_intervention_default(decision)


@transaction.atomic
def decision_record(
    *,
    referral: OocdReferral,
    decision: str,
    rationale: str,
    conditions: str = "",
    programme: Programme | None = None,
    planned_start_date: date | None = None,
    by,
    request=None,
) -> OocdReferral:
    """The panel's decision on a referral on a meeting's agenda. The referral
    is row-locked, so two people deciding it at once cannot both succeed: the
    second finds it decided (a referral is decided once)."""
    referral = (
        OocdReferral.objects.select_for_update(of=("self",))
        .select_related("child", "meeting")
        .get(pk=referral.pk)
    )
    if referral.is_decided:
        raise DecisionRefused("This referral has already been decided: amend the decision instead.")
    if referral.meeting is None:
        raise DecisionRefused("Put the referral on a meeting's agenda first.")
    panel_date = referral.meeting.meeting_date
    problems = _decision_problems(
        referral=referral,
        decision=decision,
        rationale=rationale,
        conditions=conditions,
        panel_date=panel_date,
    )
    if programme is not None and planned_start_date is None:
        problems.append(Problem("planned_start_date", "is required for the agreed intervention"))
    if programme is None and planned_start_date is not None:
        problems.append(Problem("programme", "choose the intervention that starts on this date"))
    if planned_start_date and planned_start_date < panel_date:
        problems.append(Problem("planned_start_date", "is before the panel meeting"))
    if programme is not None and decision == "charge":
        problems.append(Problem("programme", "a charge goes to court: no panel intervention"))
    raise_problems(problems)

    outcome = None
    if decision != "charge":
        outcome = outcome_record(
            child=referral.child,
            offences=referral.offences.all(),
            outcome_type=decision,
            outcome_date=panel_date,
            yjs_intervention=_yjs_intervention(decision, with_programme=programme is not None),
            requirements=conditions,
            by=by,
            request=request,
        )
    plan_item = None
    if programme is not None:
        plan_item = plan_item_create(
            child=referral.child,
            programme=programme,
            planned_start_date=planned_start_date,
            outcome=outcome,
            notes=f"Agreed by the OOCD panel on {panel_date:%-d %B %Y}",
            by=by,
            request=request,
        )
    referral = versioned_update(
        referral,
        expected_version=referral.version,
        fields={
            "decision": decision,
            "panel_date": panel_date,
            "rationale": rationale,
            "conditions": conditions,
            "outcome": outcome,
            "plan_item": plan_item,
            "decided_by": by,
            "decided_at": timezone.now(),
        },
    )
    audit_record(
        user=by,
        action=Action.UPDATE,
        child=referral.child,
        obj=referral,
        request=request,
        summary=f"OOCD panel decision: {referral.get_decision_display()}",
    )
    return referral


@transaction.atomic
def decision_sign_off(*, referral: OocdReferral, by, request=None) -> OocdReferral:
    referral = OocdReferral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
    if not referral.is_decided:
        raise DecisionRefused("There is no decision to sign off yet.")
    if referral.is_signed_off:
        return referral
    referral = versioned_update(
        referral,
        expected_version=referral.version,
        fields={"signed_off_by": by, "signed_off_at": timezone.now()},
    )
    audit_record(
        user=by,
        action=Action.UPDATE,
        child_id=referral.child_id,
        obj=referral,
        request=request,
        summary=f"Signed off the OOCD panel decision: {referral.get_decision_display()}",
    )
    return referral


@transaction.atomic
def meeting_sign_off(*, meeting: PanelMeeting, by, request=None) -> int:
    """Sign off every decided, not yet signed-off referral on the agenda."""
    pending = meeting.referrals.exclude(decision="").filter(
        signed_off_at__isnull=True, decided_at__isnull=False
    )
    count = 0
    for referral in pending.order_by("pk"):
        decision_sign_off(referral=referral, by=by, request=request)
        count += 1
    return count


@transaction.atomic
def decision_amend(
    *,
    referral: OocdReferral,
    decision: str,
    rationale: str,
    conditions: str = "",
    reason: str,
    by,
    request=None,
) -> OocdReferral:
    """Change a recorded decision. A signed-off decision is never edited in
    place: it is amended with a reason, and the amendment (before and after)
    is kept. The outcome on the child's record follows the new decision."""
    referral = (
        OocdReferral.objects.select_for_update(of=("self",))
        .select_related("child")
        .get(pk=referral.pk)
    )
    if not referral.is_decided:
        raise DecisionRefused("There is no decision to amend yet.")
    problems = []
    if not (reason or "").strip():
        problems.append(Problem("reason", "say why the decision is being amended"))
    problems += _decision_problems(
        referral=referral,
        decision=decision,
        rationale=rationale,
        conditions=conditions,
        panel_date=referral.panel_date,
    )
    if decision == "charge" and referral.outcome_id:
        problems.append(
            Problem(
                "decision",
                "cannot be changed to charge here: the outcome already on the child's record "
                "must first be removed by the case manager",
            )
        )
    raise_problems(problems)

    outcome = referral.outcome
    if decision != "charge":
        if outcome is None:
            outcome = outcome_record(
                child=referral.child,
                offences=referral.offences.all(),
                outcome_type=decision,
                outcome_date=referral.panel_date,
                yjs_intervention=_yjs_intervention(
                    decision, with_programme=referral.plan_item_id is not None
                ),
                requirements=conditions,
                by=by,
                request=request,
            )
        elif outcome.outcome_type != decision or outcome.requirements != conditions:
            # versioned_update writes with UPDATE, so the derived tier is set with the type.
            outcome = versioned_update(
                outcome,
                expected_version=outcome.version,
                fields={
                    "outcome_type": decision,
                    "tier": vocab.TIER_OF[decision],
                    "requirements": conditions,
                },
            )
            audit_record(
                user=by,
                action=Action.UPDATE,
                child=referral.child,
                obj=outcome,
                request=request,
                summary=f"Outcome changed by an amended OOCD decision: {outcome}",
            )
    DecisionAmendment.objects.create(
        referral=referral,
        amended_by=by,
        reason=reason,
        was_signed_off=referral.is_signed_off,
        previous_decision=referral.decision,
        new_decision=decision,
        previous_rationale=referral.rationale,
        new_rationale=rationale,
        previous_conditions=referral.conditions,
        new_conditions=conditions,
    )
    previous = referral.get_decision_display()
    referral = versioned_update(
        referral,
        expected_version=referral.version,
        fields={
            "decision": decision,
            "rationale": rationale,
            "conditions": conditions,
            "outcome": outcome,
        },
    )
    audit_record(
        user=by,
        action=Action.UPDATE,
        child=referral.child,
        obj=referral,
        request=request,
        summary=(
            f"Amended the OOCD panel decision from {previous} to "
            f"{referral.get_decision_display()}: {reason}"
        ),
    )
    return referral


# --- Scrutiny ------------------------------------------------------------------


def scrutiny_eligible(quarter: str):
    """Out-of-court disposals decided in the quarter (a charge is not an
    out-of-court disposal, so it is not scrutinised)."""
    start, end = financial_quarter(quarter)
    return OocdReferral.objects.filter(panel_date__range=(start, end)).exclude(
        decision__in=["", "charge"]
    )


def scrutiny_pick(quarter: str, ids: Iterable[int], size: int) -> list[int]:
    """The sample: a ``random.Random`` seeded by the quarter label, drawing
    from the ids in ascending order, so the same data gives the same sample."""
    ordered = sorted(ids)
    return sorted(random.Random(quarter).sample(ordered, min(size, len(ordered))))


@transaction.atomic
def scrutiny_sample_draw(
    *, quarter: str, size: int | None = None, by, request=None
) -> ScrutinySample:
    """Draw the quarter's sample once; drawing again returns the same sample."""
    financial_quarter(quarter)  # raises ValueError for a bad label
    existing = ScrutinySample.objects.filter(quarter=quarter).first()
    if existing is not None:
        return existing
    if size is None:
        size = getattr(settings, "OOCD_SCRUTINY_SAMPLE_SIZE", DEFAULT_SCRUTINY_SAMPLE_SIZE)
    ids = list(scrutiny_eligible(quarter).values_list("pk", flat=True))
    picked = scrutiny_pick(quarter, ids, size)
    sample = ScrutinySample.objects.create(
        quarter=quarter, seed=quarter, size=size, eligible=len(ids), drawn_by=by
    )
    ScrutinyReview.objects.bulk_create(
        ScrutinyReview(sample=sample, referral_id=pk) for pk in picked
    )
    audit_record(
        user=by,
        action=Action.CREATE,
        obj=sample,
        request=request,
        summary=f"Drew the OOCD scrutiny sample for {quarter}: {len(picked)} of {len(ids)}",
    )
    return sample


@transaction.atomic
def scrutiny_verdict_record(
    *, review: ScrutinyReview, verdict: str, comments: str, by, request=None
) -> ScrutinyReview:
    if verdict not in ("appropriate", "not_appropriate"):
        raise_problems([Problem("verdict", "choose appropriate or not appropriate")])
    review = ScrutinyReview.objects.select_for_update().get(pk=review.pk)
    review.verdict = verdict
    review.comments = comments
    review.reviewed_by = by
    review.reviewed_at = timezone.now()
    review.save()
    audit_record(
        user=by,
        action=Action.UPDATE,
        child_id=review.referral.child_id,
        obj=review,
        request=request,
        summary=f"OOCD scrutiny verdict: {review.get_verdict_display()}",
    )
    return review
