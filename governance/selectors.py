"""Reads of the board's records. The board pack (performance.board_pack) and
the governance pages both call these, so a figure is the same wherever shown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from cases import vocab
from governance.models import (
    STATUTORY_SECTORS,
    Action,
    Agency,
    Attendance,
    BoardMeeting,
    BoardMember,
    BudgetContribution,
    PlanPriority,
    Risk,
    Sector,
    StaffingCount,
    StaffRole,
)
from yjs.dates import financial_quarter

SECTOR_LABELS = dict(Sector.choices)


def board_attendance(*, quarter: str) -> dict:
    """KPI 8, management board attendance (domain.md, "The 2023 KPIs", 8).

    For the financial quarter: the statutory sectors (children's social care,
    education, police, probation, health) represented by a *senior* partner
    who attended at least one board meeting in the quarter, out of 5; the
    sectors represented only by a delegate (a delegated member attended, or a
    senior member sent a deputy, but no senior member attended); attendance
    per meeting; members who joined in the quarter. Members of "other"
    agencies are listed in the per-meeting attendance but never count
    towards the sectors (domain.md: "Other" attendees are excluded)."""
    start, end = financial_quarter(quarter)
    meetings = list(BoardMeeting.objects.filter(quarter=quarter).order_by("date"))
    rows = (
        Attendance.objects.filter(meeting__in=meetings)
        .select_related("member__agency")
        .order_by("meeting__date", "member__name")
    )
    senior: set[str] = set()
    delegate: set[str] = set()
    per_meeting: dict[int, dict] = {
        m.pk: {
            "date": m.date,
            "attended": 0,
            "sent_deputy": 0,
            "apologies": 0,
            "absent": 0,
            "senior_sectors": set(),
        }
        for m in meetings
    }
    for row in rows:
        entry = per_meeting[row.meeting_id]
        entry[row.status] += 1
        sector = row.member.agency.sector
        if sector not in STATUTORY_SECTORS:
            continue
        if row.status == Attendance.Status.ATTENDED:
            if row.member.seniority == BoardMember.Seniority.SENIOR:
                senior.add(sector)
                entry["senior_sectors"].add(sector)
            else:
                delegate.add(sector)
        elif row.status == Attendance.Status.SENT_DEPUTY:
            delegate.add(sector)
    delegate_only = delegate - senior
    ordered = list(STATUTORY_SECTORS)
    new_members = BoardMember.objects.filter(start_date__range=(start, end)).select_related(
        "agency"
    )
    return {
        "quarter": quarter,
        "start": start,
        "end": end,
        "meetings": [
            {
                **entry,
                "senior_sectors": len(entry["senior_sectors"]),
                "present": entry["attended"],
            }
            for entry in per_meeting.values()
        ],
        "senior_sectors": [s for s in ordered if s in senior],
        "senior_count": len(senior),
        "out_of": len(STATUTORY_SECTORS),
        "delegate_only_sectors": [s for s in ordered if s in delegate_only],
        "not_represented": [s for s in ordered if s not in senior and s not in delegate_only],
        "sectors": [
            {
                "code": s,
                "label": SECTOR_LABELS[s],
                "represented": "senior"
                if s in senior
                else ("delegate" if s in delegate_only else "none"),
            }
            for s in ordered
        ],
        "new_members": [
            {"name": m.name, "role": m.role, "agency": m.agency.name, "start_date": m.start_date}
            for m in new_members
        ],
    }


def agencies_list():
    return Agency.objects.annotate(
        member_count=Count("members", filter=Q(members__end_date__isnull=True))
    ).order_by("name")


def members_list(*, on: date | None = None):
    """Members, current on ``on`` when given (else everyone who ever served)."""
    qs = BoardMember.objects.select_related("agency", "deputy_for")
    if on is not None:
        qs = qs.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    return qs.order_by("agency__name", "name")


def meetings_list():
    return BoardMeeting.objects.annotate(
        attended=Count("attendance", filter=Q(attendance__status=Attendance.Status.ATTENDED)),
        recorded=Count("attendance"),
    ).order_by("-date")


def meeting_get(*, pk: int) -> BoardMeeting:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(BoardMeeting, pk=pk)


def meeting_attendance(*, meeting: BoardMeeting) -> list[dict]:
    """Every member current on the meeting's date with their recorded status
    (``None`` when not yet recorded)."""
    recorded = dict(meeting.attendance.values_list("member_id", "status"))
    return [{"member": m, "status": recorded.get(m.pk)} for m in members_list(on=meeting.date)]


def actions_list(*, today: date, include_closed: bool = True) -> list[dict]:
    """The actions log, open ones first by due date; ``overdue`` marks an open
    action past its due date."""
    qs = Action.objects.select_related("meeting")
    if not include_closed:
        qs = qs.filter(status__in=Action.OPEN_STATUSES)
    items = sorted(qs, key=lambda a: (a.status not in Action.OPEN_STATUSES, a.due_date, a.pk))
    return [{"action": a, "overdue": a.is_overdue(today)} for a in items]


def actions_summary(*, today: date) -> dict:
    open_qs = Action.objects.filter(status__in=Action.OPEN_STATUSES)
    return {
        "open": open_qs.count(),
        "overdue": open_qs.filter(due_date__lt=today).count(),
        "done": Action.objects.filter(status=Action.Status.DONE).count(),
    }


def priorities_list():
    return PlanPriority.objects.all()


def risks_list(*, include_closed: bool = False):
    qs = Risk.objects.all()
    return qs if include_closed else qs.filter(closed=False)


def budget_years() -> list[int]:
    years = set(BudgetContribution.objects.values_list("financial_year", flat=True))
    years |= set(StaffingCount.objects.values_list("financial_year", flat=True))
    return sorted(years, reverse=True)


def budget_table(*, financial_year: int) -> dict:
    """Table B5: partner contributions to the pooled budget, per agency, with
    column totals."""
    rows = list(
        BudgetContribution.objects.filter(financial_year=financial_year)
        .select_related("agency")
        .order_by("agency__name")
    )
    zero = Decimal("0.00")
    totals = {
        "staffing_costs": sum((r.staffing_costs for r in rows), zero),
        "payments_in_kind": sum((r.payments_in_kind for r in rows), zero),
        "other_delegated_funds": sum((r.other_delegated_funds for r in rows), zero),
    }
    totals["total"] = sum(totals.values(), zero)
    return {
        "financial_year": financial_year,
        "label": f"April {financial_year} to March {financial_year + 1}",
        "rows": [
            {
                "agency": r.agency.name,
                "sector": r.agency.get_sector_display(),
                "staffing_costs": r.staffing_costs,
                "payments_in_kind": r.payments_in_kind,
                "other_delegated_funds": r.other_delegated_funds,
                "total": r.total,
            }
            for r in rows
        ],
        "totals": totals,
    }


def staffing_table(*, financial_year: int) -> dict:
    """Table B8: staff headcount by role, with columns per ethnicity and sex."""
    counts = StaffingCount.objects.filter(financial_year=financial_year)
    cell: dict[tuple[str, str, str], int] = {
        (c.role, c.ethnicity, c.sex): c.headcount for c in counts
    }
    ethnicities = list(vocab.ETHNICITY)
    sexes = list(vocab.SEX)
    rows = []
    for role, label in StaffRole.choices:
        by_ethnicity = [sum(cell.get((role, e, s), 0) for s, _ in sexes) for e, _ in ethnicities]
        by_sex = [sum(cell.get((role, e, s), 0) for e, _ in ethnicities) for s, _ in sexes]
        total = sum(by_sex)
        if total:
            rows.append(
                {"role": label, "by_ethnicity": by_ethnicity, "by_sex": by_sex, "total": total}
            )
    return {
        "financial_year": financial_year,
        "label": f"April {financial_year} to March {financial_year + 1}",
        "ethnicities": [label for _, label in ethnicities],
        "sexes": [label for _, label in sexes],
        "rows": rows,
        "totals": {
            "by_ethnicity": [
                sum(r["by_ethnicity"][i] for r in rows) for i in range(len(ethnicities))
            ],
            "by_sex": [sum(r["by_sex"][i] for r in rows) for i in range(len(sexes))],
            "total": sum(r["total"] for r in rows),
        },
    }
