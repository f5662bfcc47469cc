"""Writes to the board's records: each in one transaction, each audited.

``*_save`` functions create when ``instance`` is None and update otherwise;
``data`` holds model field values (from a form's ``cleaned_data``)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from governance.models import (
    Action,
    Agency,
    Attendance,
    BoardMeeting,
    BoardMember,
    BudgetContribution,
    PlanPriority,
    Risk,
    StaffingCount,
)
from yjs.audit.services import Action as AuditAction
from yjs.audit.services import audit_record

M = TypeVar("M", bound=models.Model)


def _save(model: type[M], *, instance: M | None, data: dict[str, Any], by, request=None) -> M:
    created = instance is None
    obj = instance if instance is not None else model()
    for name, value in data.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    audit_record(
        user=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=obj,
        summary=f"{model._meta.verbose_name.capitalize()}: {obj}",
        request=request,
    )
    return obj


@transaction.atomic
def agency_save(*, agency: Agency | None = None, data: dict, by, request=None) -> Agency:
    return _save(Agency, instance=agency, data=data, by=by, request=request)


@transaction.atomic
def member_save(*, member: BoardMember | None = None, data: dict, by, request=None) -> BoardMember:
    end, start = data.get("end_date"), data.get("start_date")
    if end and start and end < start:
        raise ValidationError({"end_date": "The end of membership must be after its start"})
    deputy_for = data.get("deputy_for")
    if deputy_for is not None and member is not None and deputy_for.pk == member.pk:
        raise ValidationError({"deputy_for": "A member cannot deputise for themselves"})
    return _save(BoardMember, instance=member, data=data, by=by, request=request)


@transaction.atomic
def meeting_save(
    *, meeting: BoardMeeting | None = None, data: dict, by, request=None
) -> BoardMeeting:
    return _save(BoardMeeting, instance=meeting, data=data, by=by, request=request)


@transaction.atomic
def attendance_record(
    *, meeting: BoardMeeting, statuses: dict[int, str | None], by, request=None
) -> int:
    """Set each member's attendance at ``meeting`` (member id → status; a
    blank status removes the record). Returns the number of records kept."""
    valid = set(Attendance.Status.values)
    members = BoardMember.objects.in_bulk(list(statuses))
    for member_id, status in statuses.items():
        if member_id not in members:
            raise ValidationError("Unknown board member")
        if status and status not in valid:
            raise ValidationError(f"{status!r} is not an attendance status")
        if status:
            Attendance.objects.update_or_create(
                meeting=meeting, member_id=member_id, defaults={"status": status}
            )
        else:
            Attendance.objects.filter(meeting=meeting, member_id=member_id).delete()
    audit_record(
        user=by,
        action=AuditAction.UPDATE,
        obj=meeting,
        summary=f"Attendance recorded for {meeting}",
        request=request,
    )
    return meeting.attendance.count()


@transaction.atomic
def action_save(*, action: Action | None = None, data: dict, by, request=None) -> Action:
    return _save(Action, instance=action, data=data, by=by, request=request)


@transaction.atomic
def priority_save(
    *, priority: PlanPriority | None = None, data: dict, by, request=None
) -> PlanPriority:
    return _save(PlanPriority, instance=priority, data=data, by=by, request=request)


@transaction.atomic
def risk_save(*, risk: Risk | None = None, data: dict, by, request=None) -> Risk:
    return _save(Risk, instance=risk, data=data, by=by, request=request)


@transaction.atomic
def budget_contribution_set(
    *, financial_year: int, agency: Agency, data: dict, by, request=None
) -> BudgetContribution:
    """Create or replace an agency's contribution for a financial year (B5)."""
    existing = BudgetContribution.objects.filter(
        financial_year=financial_year, agency=agency
    ).first()
    return _save(
        BudgetContribution,
        instance=existing,
        data={"financial_year": financial_year, "agency": agency, **data},
        by=by,
        request=request,
    )


@transaction.atomic
def staffing_count_set(
    *, financial_year: int, role: str, ethnicity: str, sex: str, headcount: int, by, request=None
) -> StaffingCount:
    """Create or replace one cell of the staffing table (B8)."""
    existing = StaffingCount.objects.filter(
        financial_year=financial_year, role=role, ethnicity=ethnicity, sex=sex
    ).first()
    return _save(
        StaffingCount,
        instance=existing,
        data={
            "financial_year": financial_year,
            "role": role,
            "ethnicity": ethnicity,
            "sex": sex,
            "headcount": headcount,
        },
        by=by,
        request=request,
    )
