"""Casework writes: the child's details and allocation, offences, outcomes,
assessments, plan items (interventions), contacts, notes to the child and the
programme directory.

Every function runs in one transaction, checks the rules (cases.validation,
plus the casework-only rules below), writes, and records the audit event.
Edits of an existing record go through ``versioned_update`` so a stale form
is refused (StaleEdit) rather than overwriting someone else's save.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Model

from cases import validation, vocab
from cases.models import (
    Assessment,
    CaseNote,
    Child,
    Contact,
    Offence,
    Outcome,
    PlanItem,
    Programme,
)
from cases.services.core import (
    outcome_record_problems,
    plan_item_create,
    raise_problems,
    today,
    versioned_update,
)
from yjs.audit.services import Action, audit_record
from yjs.dates import add_months

Problem = validation.Problem

# domain.md, Assessment: "Reviewed at least every 3 months".
REVIEW_INTERVAL_MONTHS = 3


def _changed(obj: Model, fields: dict) -> list[str]:
    return [name for name, value in fields.items() if getattr(obj, name) != value]


def _update(obj: Model, *, expected_version: int | None, fields: dict, child, by, request, what):
    changed = _changed(obj, fields)
    obj = versioned_update(obj, expected_version=expected_version, fields=fields)
    audit_record(
        user=by,
        action=Action.UPDATE,
        child=child,
        obj=obj,
        request=request,
        summary=f"Changed {what}" + (f": {', '.join(changed)}" if changed else " (no changes)"),
    )
    return obj


def _not_future(name: str, value: date | None) -> list[Problem]:
    if value and value > today():
        return [Problem(name, "must not be in the future")]
    return []


# --- The child ---------------------------------------------------------------

CHILD_FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "locality",
    "address",
    "school",
    "first_language",
)
ALLOCATION_FIELDS = ("allocated_worker", "team", "restricted")


def _child_problems(fields: dict) -> list[Problem]:
    problems = validation.child_problems(date_of_birth=fields.get("date_of_birth"), today=today())
    for name in ("given_name", "family_name"):
        if name in fields and not (fields[name] or "").strip():
            problems.append(Problem(name, "is required"))
    return problems


@transaction.atomic
def child_create(
    *,
    given_name: str,
    family_name: str,
    date_of_birth: date,
    sex: str,
    ethnicity: str,
    preferred_name: str = "",
    locality: str = "",
    address: str = "",
    school: str = "",
    first_language: str = "",
    allocated_worker=None,
    team=None,
    restricted: bool = False,
    by,
    request=None,
) -> Child:
    fields = {
        "given_name": given_name,
        "family_name": family_name,
        "preferred_name": preferred_name,
        "date_of_birth": date_of_birth,
        "sex": sex,
        "ethnicity": ethnicity,
        "locality": locality,
        "address": address,
        "school": school,
        "first_language": first_language,
        "allocated_worker": allocated_worker,
        "team": team,
        "restricted": restricted,
    }
    raise_problems(_child_problems(fields))
    child = Child.objects.create(**fields)
    audit_record(
        user=by,
        action=Action.CREATE,
        child=child,
        obj=child,
        request=request,
        summary="Created the child's record",
    )
    return child


@transaction.atomic
def child_update(
    *, child: Child, expected_version: int | None, by, request=None, **fields
) -> Child:
    """Change the child's details (CHILD_FIELDS; ALLOCATION_FIELDS too for
    those the view lets allocate)."""
    unknown = set(fields) - set(CHILD_FIELDS) - set(ALLOCATION_FIELDS)
    if unknown:
        raise TypeError(f"Not a child's detail: {', '.join(sorted(unknown))}")
    raise_problems(_child_problems(fields))
    return _update(
        child,
        expected_version=expected_version,
        fields=fields,
        child=child,
        by=by,
        request=request,
        what="the child's details",
    )


@transaction.atomic
def child_allocate(
    *, child: Child, expected_version: int | None, allocated_worker, team, by, request=None
) -> Child:
    child = versioned_update(
        child,
        expected_version=expected_version,
        fields={"allocated_worker": allocated_worker, "team": team},
    )
    who = str(allocated_worker) if allocated_worker else "nobody (unallocated)"
    audit_record(
        user=by,
        action=Action.UPDATE,
        child=child,
        obj=child,
        request=request,
        summary=f"Allocated to {who}" + (f", {team}" if team else ""),
    )
    return child


# --- Offences and outcomes (recording them: core.py) -------------------------


@transaction.atomic
def offence_update(
    *,
    offence: Offence,
    expected_version: int | None,
    offence_date: date,
    category: str,
    seriousness_score: int,
    gravity_score: int | None = None,
    description: str = "",
    weapon: bool = False,
    by,
    request=None,
) -> Offence:
    child = offence.child
    raise_problems(
        validation.offence_problems(
            date_of_birth=child.date_of_birth,
            offence_date=offence_date,
            today=today(),
            seriousness_score=seriousness_score,
            gravity_score=gravity_score,
        )
    )
    later_outcomes = offence.outcomes.filter(outcome_date__lt=offence_date)
    if later_outcomes.exists():
        raise_problems(
            [Problem("offence_date", "is after the date of an outcome given for this offence")]
        )
    return _update(
        offence,
        expected_version=expected_version,
        fields={
            "offence_date": offence_date,
            "category": category,
            "seriousness_score": seriousness_score,
            "gravity_score": gravity_score,
            "description": description,
            "weapon": weapon,
        },
        child=child,
        by=by,
        request=request,
        what=f"offence {offence.pk}",
    )


@transaction.atomic
def outcome_update(
    *,
    outcome: Outcome,
    expected_version: int | None,
    offences: Iterable[Offence],
    outcome_type: str,
    outcome_date: date,
    end_date: date | None = None,
    release_date: date | None = None,
    yjs_intervention: bool | None = None,
    successfully_completed: bool | None = None,
    requirements: str = "",
    by,
    request=None,
) -> Outcome:
    child = outcome.child
    offences = list(offences)
    raise_problems(
        outcome_record_problems(
            child=child,
            offences=offences,
            outcome_type=outcome_type,
            outcome_date=outcome_date,
            end_date=end_date,
            release_date=release_date,
            successfully_completed=successfully_completed,
        )
    )
    if yjs_intervention is None:
        yjs_intervention = vocab.yjs_intervention_default(outcome_type)
    old_offences = set(outcome.offences.values_list("pk", flat=True))
    outcome = _update(
        outcome,
        expected_version=expected_version,
        fields={
            "outcome_type": outcome_type,
            # The tier is derived, never typed (interchange.md); update() skips save().
            "tier": vocab.TIER_OF[outcome_type],
            "outcome_date": outcome_date,
            "end_date": end_date,
            "release_date": release_date,
            "yjs_intervention": yjs_intervention,
            "successfully_completed": successfully_completed,
            "requirements": requirements,
        },
        child=child,
        by=by,
        request=request,
        what=f"outcome {outcome.pk}",
    )
    if old_offences != {o.pk for o in offences}:
        outcome.offences.set(offences)
    return outcome


# --- Assessments -------------------------------------------------------------


def review_due_default(assessment_date: date) -> date:
    return add_months(assessment_date, REVIEW_INTERVAL_MONTHS)


def _assessment_problems(*, assessment_date: date, next_review_due: date) -> list[Problem]:
    problems = _not_future("assessment_date", assessment_date)
    if next_review_due and assessment_date and next_review_due < assessment_date:
        problems.append(Problem("next_review_due", "must not be before the assessment date"))
    if (
        next_review_due
        and assessment_date
        and next_review_due > review_due_default(assessment_date)
    ):
        problems.append(
            Problem(
                "next_review_due",
                f"must be within {REVIEW_INTERVAL_MONTHS} months of the assessment "
                f"(by {review_due_default(assessment_date):%-d %B %Y})",
            )
        )
    return problems


def _ratings_problems(fields: dict) -> list[Problem]:
    choices = {
        "likelihood_of_reoffending": vocab.LOW_MEDIUM_HIGH,
        "risk_of_serious_harm": vocab.LOW_TO_VERY_HIGH,
        "safety_and_wellbeing": vocab.LOW_TO_VERY_HIGH,
        "intervention_level": vocab.INTERVENTION_LEVEL,
    }
    return [
        Problem(name, "choose one of the ratings")
        for name, allowed in choices.items()
        if fields[name] not in vocab.codes(allowed)
    ]


@transaction.atomic
def assessment_record(
    *,
    child: Child,
    assessment_date: date,
    likelihood_of_reoffending: str,
    risk_of_serious_harm: str,
    safety_and_wellbeing: str,
    intervention_level: str,
    next_review_due: date | None = None,
    summary: str = "",
    by,
    request=None,
) -> Assessment:
    """An assessment; the next review defaults to 3 months after it."""
    next_review_due = next_review_due or review_due_default(assessment_date)
    fields = {
        "assessment_date": assessment_date,
        "likelihood_of_reoffending": likelihood_of_reoffending,
        "risk_of_serious_harm": risk_of_serious_harm,
        "safety_and_wellbeing": safety_and_wellbeing,
        "intervention_level": intervention_level,
        "next_review_due": next_review_due,
        "summary": summary,
    }
    raise_problems(
        _ratings_problems(fields)
        + _assessment_problems(assessment_date=assessment_date, next_review_due=next_review_due)
    )
    assessment = Assessment.objects.create(child=child, author=by, **fields)
    audit_record(
        user=by,
        action=Action.CREATE,
        child=child,
        obj=assessment,
        request=request,
        summary=f"Recorded an assessment on {assessment_date}, review due {next_review_due}",
    )
    return assessment


@transaction.atomic
def assessment_update(
    *,
    assessment: Assessment,
    expected_version: int | None,
    assessment_date: date,
    likelihood_of_reoffending: str,
    risk_of_serious_harm: str,
    safety_and_wellbeing: str,
    intervention_level: str,
    next_review_due: date | None = None,
    summary: str = "",
    by,
    request=None,
) -> Assessment:
    next_review_due = next_review_due or review_due_default(assessment_date)
    fields = {
        "assessment_date": assessment_date,
        "likelihood_of_reoffending": likelihood_of_reoffending,
        "risk_of_serious_harm": risk_of_serious_harm,
        "safety_and_wellbeing": safety_and_wellbeing,
        "intervention_level": intervention_level,
        "next_review_due": next_review_due,
        "summary": summary,
    }
    raise_problems(
        _ratings_problems(fields)
        + _assessment_problems(assessment_date=assessment_date, next_review_due=next_review_due)
    )
    return _update(
        assessment,
        expected_version=expected_version,
        fields=fields,
        child=assessment.child,
        by=by,
        request=request,
        what=f"assessment {assessment.pk}",
    )


# --- Plan items (interventions) ----------------------------------------------


def _plan_item_problems(*, child: Child, fields: dict) -> list[Problem]:
    problems = _not_future("actual_start_date", fields["actual_start_date"])
    outcome = fields.get("outcome")
    if outcome is not None and outcome.child_id != child.pk:
        problems.append(Problem("outcome", "must be one of this child's outcomes"))
    start = fields["actual_start_date"] or fields["planned_start_date"]
    problems += validation.episode_problems(start_date=start, end_date=fields["end_date"])
    if fields["end_date"] and not fields["actual_start_date"]:
        problems.append(Problem("actual_start_date", "is required once the intervention has ended"))
    if (
        fields["status"] in ("in_progress", "completed", "ended")
        and not fields["actual_start_date"]
    ):
        problems.append(
            Problem("actual_start_date", "is required once the intervention has started")
        )
    if fields["status"] in ("completed", "ended") and not fields["end_date"]:
        problems.append(Problem("end_date", "is required once the intervention has ended"))
    if fields["successfully_completed"] is not None and not fields["end_date"]:
        problems.append(
            Problem("successfully_completed", "can only be recorded once it has an end date")
        )
    if fields["status"] not in vocab.codes(vocab.PLAN_STATUS):
        problems.append(Problem("status", "is not a known status"))
    return problems


@transaction.atomic
def plan_item_record(
    *,
    child: Child,
    programme: Programme,
    planned_start_date: date,
    actual_start_date: date | None = None,
    end_date: date | None = None,
    status: str = "planned",
    successfully_completed: bool | None = None,
    outcome: Outcome | None = None,
    notes: str = "",
    by,
    request=None,
) -> PlanItem:
    """An intervention on the child's plan, possibly already started."""
    fields = {
        "planned_start_date": planned_start_date,
        "actual_start_date": actual_start_date,
        "end_date": end_date,
        "status": status,
        "successfully_completed": successfully_completed,
        "outcome": outcome,
    }
    raise_problems(_plan_item_problems(child=child, fields=fields))
    item = plan_item_create(
        child=child,
        programme=programme,
        planned_start_date=planned_start_date,
        outcome=outcome,
        notes=notes,
        by=by,
        request=request,
    )
    # Same transaction and creation: the start and end are part of the new record.
    PlanItem.objects.filter(pk=item.pk).update(
        actual_start_date=actual_start_date,
        end_date=end_date,
        status=status,
        successfully_completed=successfully_completed,
    )
    item.refresh_from_db()
    return item


@transaction.atomic
def plan_item_update(
    *,
    item: PlanItem,
    expected_version: int | None,
    programme: Programme,
    planned_start_date: date,
    actual_start_date: date | None = None,
    end_date: date | None = None,
    status: str = "planned",
    successfully_completed: bool | None = None,
    outcome: Outcome | None = None,
    notes: str = "",
    by,
    request=None,
) -> PlanItem:
    fields = {
        "programme": programme,
        "planned_start_date": planned_start_date,
        "actual_start_date": actual_start_date,
        "end_date": end_date,
        "status": status,
        "successfully_completed": successfully_completed,
        "outcome": outcome,
        "notes": notes,
    }
    raise_problems(_plan_item_problems(child=item.child, fields=fields))
    return _update(
        item,
        expected_version=expected_version,
        fields=fields,
        child=item.child,
        by=by,
        request=request,
        what=f"intervention {item.pk} ({programme})",
    )


# --- Contacts ----------------------------------------------------------------


def _contact_problems(fields: dict) -> list[Problem]:
    problems = []
    happened = fields["attendance"] in ("attended", "failed_to_attend")
    if happened and fields["contact_date"].date() > today():
        problems.append(Problem("attendance", "cannot be recorded for a contact in the future"))
    if fields["compliance_action"] != "none" and fields["attendance"] != "failed_to_attend":
        problems.append(
            Problem("compliance_action", "a warning or breach follows a failure to attend")
        )
    for name, choices in (
        ("contact_type", vocab.CONTACT_TYPE),
        ("attendance", vocab.ATTENDANCE),
        ("compliance_action", vocab.COMPLIANCE_ACTION),
    ):
        if fields[name] not in vocab.codes(choices):
            problems.append(Problem(name, "is not a known choice"))
    return problems


@transaction.atomic
def contact_record(
    *,
    child: Child,
    contact_date: datetime,
    contact_type: str,
    attendance: str,
    compliance_action: str = "none",
    notes: str = "",
    by,
    request=None,
) -> Contact:
    fields = {
        "contact_date": contact_date,
        "contact_type": contact_type,
        "attendance": attendance,
        "compliance_action": compliance_action,
        "notes": notes,
    }
    raise_problems(_contact_problems(fields))
    contact = Contact.objects.create(child=child, recorded_by=by, **fields)
    audit_record(
        user=by,
        action=Action.CREATE,
        child=child,
        obj=contact,
        request=request,
        summary=f"Recorded a contact ({contact.get_contact_type_display()}, "
        f"{contact.get_attendance_display().lower()})",
    )
    return contact


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    expected_version: int | None,
    contact_date: datetime,
    contact_type: str,
    attendance: str,
    compliance_action: str = "none",
    notes: str = "",
    by,
    request=None,
) -> Contact:
    fields = {
        "contact_date": contact_date,
        "contact_type": contact_type,
        "attendance": attendance,
        "compliance_action": compliance_action,
        "notes": notes,
    }
    raise_problems(_contact_problems(fields))
    return _update(
        contact,
        expected_version=expected_version,
        fields=fields,
        child=contact.child,
        by=by,
        request=request,
        what=f"contact {contact.pk}",
    )


# --- Notes to the child ------------------------------------------------------


def _note_problems(*, written_on: date, text: str) -> list[Problem]:
    problems = _not_future("written_on", written_on)
    if not (text or "").strip():
        problems.append(Problem("text", "is required"))
    return problems


@transaction.atomic
def case_note_write(*, child: Child, written_on: date, text: str, by, request=None) -> CaseNote:
    raise_problems(_note_problems(written_on=written_on, text=text))
    note = CaseNote.objects.create(child=child, written_on=written_on, text=text, author=by)
    audit_record(
        user=by,
        action=Action.CREATE,
        child=child,
        obj=note,
        request=request,
        summary=f"Wrote a note to the child on {written_on}",
    )
    return note


@transaction.atomic
def case_note_update(
    *, note: CaseNote, expected_version: int | None, written_on: date, text: str, by, request=None
) -> CaseNote:
    raise_problems(_note_problems(written_on=written_on, text=text))
    return _update(
        note,
        expected_version=expected_version,
        fields={"written_on": written_on, "text": text},
        child=note.child,
        by=by,
        request=request,
        what=f"note {note.pk}",
    )


# --- The programme directory -------------------------------------------------


def _programme_problems(*, name: str, exclude_pk: int | None = None) -> list[Problem]:
    if not (name or "").strip():
        return [Problem("name", "is required")]
    clash = Programme.objects.filter(name__iexact=name.strip())
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        return [Problem("name", "is already in the directory")]
    return []


@transaction.atomic
def programme_create(
    *, name: str, category: str, description: str = "", active: bool = True, by, request=None
) -> Programme:
    raise_problems(_programme_problems(name=name))
    programme = Programme.objects.create(
        name=name.strip(), category=category, description=description, active=active
    )
    audit_record(
        user=by,
        action=Action.CREATE,
        obj=programme,
        request=request,
        summary=f"Added programme {programme}",
    )
    return programme


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    name: str,
    category: str,
    description: str = "",
    active: bool = True,
    by,
    request=None,
) -> Programme:
    raise_problems(_programme_problems(name=name, exclude_pk=programme.pk))
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    programme.name = name.strip()
    programme.category = category
    programme.description = description
    programme.active = active
    programme.save()
    audit_record(
        user=by,
        action=Action.UPDATE,
        obj=programme,
        request=request,
        summary=f"Changed programme {programme}",
    )
    return programme
