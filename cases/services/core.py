"""Writes to a child's record. Every change goes through a function here: it
runs in one transaction, checks the rules (cases.validation), refuses a stale
edit (optimistic locking on ``version``), writes, and records the audit event.

Other apps (panels) create outcomes and plan items only through these.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from cases import validation, vocab
from cases.models import Child, Offence, Outcome, PlanItem, Programme
from yjs.audit.services import Action, audit_record


class StaleEdit(Exception):
    """Someone else saved this record after the form was opened."""

    def __init__(self, obj: Model):
        self.obj = obj
        super().__init__(
            f"Someone else changed this {obj._meta.verbose_name} while you were editing it. "
            "Your changes have not been saved: check the latest version below, then save again."
        )


def raise_problems(problems: list[validation.Problem]) -> None:
    if problems:
        raise ValidationError({p.field: [p.message] for p in problems})


def today() -> date:
    return timezone.localdate()


def versioned_update(obj: Model, *, expected_version: int | None, fields: dict) -> Model:
    """Apply ``fields`` to ``obj`` only if nobody saved it since ``expected_version``.

    One conditional UPDATE (``WHERE id = .. AND version = ..``): of two people
    saving the same version, exactly one succeeds and the other gets StaleEdit.
    """
    model = type(obj)
    if expected_version is None:
        expected_version = obj.version
    updated = model.objects.filter(pk=obj.pk, version=expected_version).update(
        **fields, version=F("version") + 1, updated_at=timezone.now()
    )
    if updated != 1:
        obj.refresh_from_db()
        raise StaleEdit(obj)
    obj.refresh_from_db()
    return obj


@transaction.atomic
def offence_record(
    *,
    child: Child,
    offence_date: date,
    category: str,
    seriousness_score: int,
    gravity_score: int | None = None,
    description: str = "",
    weapon: bool = False,
    by,
    request=None,
) -> Offence:
    raise_problems(
        validation.offence_problems(
            date_of_birth=child.date_of_birth,
            offence_date=offence_date,
            today=today(),
            seriousness_score=seriousness_score,
            gravity_score=gravity_score,
        )
    )
    offence = Offence.objects.create(
        child=child,
        offence_date=offence_date,
        category=category,
        seriousness_score=seriousness_score,
        gravity_score=gravity_score,
        description=description,
        weapon=weapon,
    )
    audit_record(
        user=by,
        action=Action.CREATE,
        child=child,
        obj=offence,
        request=request,
        summary=f"Recorded offence: {offence}",
    )
    return offence


def outcome_record_problems(
    *,
    child: Child,
    offences: list[Offence],
    outcome_type: str,
    outcome_date: date | None,
    end_date: date | None,
    release_date: date | None,
    successfully_completed: bool | None,
) -> list[validation.Problem]:
    """The rules an outcome must meet, whether new or changed."""
    problems = []
    if not offences:
        problems.append(validation.Problem("offences", "choose at least one offence"))
    if any(o.child_id != child.pk for o in offences):
        problems.append(validation.Problem("offences", "every offence must be this child's"))
    if outcome_type not in vocab.TIER_OF:
        problems.append(validation.Problem("outcome_type", "is not a known outcome"))
    problems += validation.outcome_problems(
        outcome_type=outcome_type,
        outcome_date=outcome_date,
        offence_dates=[o.offence_date for o in offences],
        end_date=end_date,
        release_date=release_date,
        successfully_completed=successfully_completed,
        today=today(),
    )
    return problems


@transaction.atomic
def outcome_record(
    *,
    child: Child,
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
    """An outcome for some of the child's offences. ``yjs_intervention``
    defaults as interchange.md says (Y for conditional cautions and sentences)."""
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
    outcome = Outcome.objects.create(
        child=child,
        outcome_type=outcome_type,
        outcome_date=outcome_date,
        end_date=end_date,
        release_date=release_date,
        yjs_intervention=yjs_intervention,
        successfully_completed=successfully_completed,
        requirements=requirements,
    )
    outcome.offences.set(offences)
    audit_record(
        user=by,
        action=Action.CREATE,
        child=child,
        obj=outcome,
        request=request,
        summary=f"Recorded outcome: {outcome}",
    )
    return outcome


@transaction.atomic
def plan_item_create(
    *,
    child: Child,
    programme: Programme,
    planned_start_date: date,
    outcome: Outcome | None = None,
    notes: str = "",
    by,
    request=None,
) -> PlanItem:
    item = PlanItem.objects.create(
        child=child,
        programme=programme,
        outcome=outcome,
        planned_start_date=planned_start_date,
        notes=notes,
    )
    audit_record(
        user=by,
        action=Action.CREATE,
        child=child,
        obj=item,
        request=request,
        summary=f"Added {programme} to the plan, planned start {planned_start_date}",
    )
    return item
