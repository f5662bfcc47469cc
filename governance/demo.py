"""A synthetic management board for the demo and the tests: partner agencies
for every sector, senior members and their delegates, quarterly meetings with
attendance, actions, plan priorities, risks, and two years of budget and
staffing. Invented names only; deterministic for a given ``today``."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from cases import vocab
from governance.models import (
    Action,
    Agency,
    Attendance,
    BoardMeeting,
    BoardMember,
    BudgetContribution,
    PlanPriority,
    Rag,
    Risk,
    Sector,
    StaffingCount,
    StaffRole,
)
from yjs.dates import add_months, financial_quarter, financial_quarter_of

# (agency, sector, senior member, senior's role, delegate, delegate's role)
AGENCIES = [
    (
        "Northshire Council Children's Services",
        Sector.CHILDRENS_SOCIAL_CARE,
        ("Morgan Ellery", "Director of Children's Services"),
        ("Priya Castellan", "Head of Children's Social Care"),
    ),
    (
        "Northshire Council Education",
        Sector.EDUCATION,
        ("Dominic Thorne", "Director of Education"),
        ("Hana Bellweather", "Virtual School Head"),
    ),
    (
        "Northshire Constabulary",
        Sector.POLICE,
        ("Ruth Calloway", "Chief Superintendent"),
        ("Idris Penhallow", "Inspector, Youth Diversion"),
    ),
    (
        "Probation Service North Region",
        Sector.PROBATION,
        ("Celia Marchbank", "Head of Probation Delivery Unit"),
        ("Tobias Wren", "Senior Probation Officer"),
    ),
    (
        "Northshire Integrated Care Board",
        Sector.HEALTH,
        ("Amira Soltane", "Director of Nursing"),
        ("Gareth Fenwick", "CAMHS Service Manager"),
    ),
    (
        "Office of the Police and Crime Commissioner",
        Sector.OTHER,
        ("Lena Okonkwo-Hart", "Head of Commissioning"),
        None,
    ),
    ("Youth Justice Board grant", Sector.OTHER, None, None),
]

# Annual contribution per agency: (staffing, in kind, other delegated funds).
BUDGET = {
    "Northshire Council Children's Services": (612_400, 48_000, 95_250),
    "Northshire Council Education": (58_300, 12_500, 0),
    "Northshire Constabulary": (96_750, 8_000, 15_000),
    "Probation Service North Region": (51_200, 0, 5_000),
    "Northshire Integrated Care Board": (88_900, 6_500, 20_000),
    "Office of the Police and Crime Commissioner": (0, 0, 64_000),
    "Youth Justice Board grant": (0, 0, 498_321),
}

STAFFING = {
    StaffRole.STRATEGIC_MANAGER: 2,
    StaffRole.OPERATIONAL_MANAGER: 5,
    StaffRole.PRACTITIONER: 28,
    StaffRole.ADMINISTRATIVE: 6,
    StaffRole.SESSIONAL: 7,
    StaffRole.VOLUNTEER: 14,
}

ACTIONS = [
    ("Report timeliness of intervention start dates to each board", "Head of Service"),
    ("Agree the education data-sharing protocol for children on orders", "Director of Education"),
    ("Present the disproportionality deep dive on Black children's outcomes", "Head of Service"),
    ("Confirm health's CAMHS link worker cover for the summer", "Director of Nursing"),
    ("Review police referral timeliness to the OOCD panel", "Chief Superintendent"),
    ("Circulate the HMIP inspection action plan with owners", "Head of Service"),
    (
        "Bring the accommodation sufficiency report for children leaving custody",
        "Director of Children's Services",
    ),
    ("Recruit two new referral order panel volunteers", "Operations Manager"),
    ("Update the board's terms of reference", "Chair"),
    ("Map speech and language therapy access for children on orders", "CAMHS Service Manager"),
]

PRIORITIES = [
    (
        "Prevention and diversion",
        Rag.GREEN,
        "Diversion scheme embedded; referrals up on last year.",
    ),
    ("Education, training and employment", Rag.AMBER, "Suitable ETE at order end below target."),
    (
        "Reducing reoffending",
        Rag.AMBER,
        "Binary rate stable; a focused cohort review is under way.",
    ),
    (
        "Over-represented children",
        Rag.RED,
        "Disproportionality in custody persists; deep dive due.",
    ),
    (
        "Serious violence and exploitation",
        Rag.GREEN,
        "Joint work with the violence reduction unit.",
    ),
    ("Victims and restorative justice", Rag.GREEN, "Contact within ten working days improved."),
]

RISKS = [
    ("Loss of seconded probation officer time", "medium", "high", "Escalated to probation lead."),
    ("Education data not shared in time for the return", "high", "medium", "Protocol drafted."),
    ("CAMHS waiting times for children on orders", "high", "high", "Link worker funded."),
    ("Volunteer numbers for referral order panels", "low", "medium", "Recruitment campaign."),
]


def _meeting_dates(today: date, quarters: int) -> list[date]:
    """The 20th of the second month of each of the last ``quarters`` quarters
    (the current one included when its meeting has happened)."""
    dates = []
    start, _ = financial_quarter(financial_quarter_of(today))
    for back in range(quarters, -1, -1):
        q_start = add_months(start, -3 * back)
        day = add_months(q_start, 1).replace(day=20)
        if day <= today:
            dates.append(day)
    return dates[-quarters:]


@transaction.atomic
def governance_seed(*, today: date, seed: int = 8, quarters: int = 9) -> None:
    """Build the synthetic board. Does nothing when agencies already exist."""
    if Agency.objects.exists():
        return
    rng = random.Random(seed)
    meetings_on = _meeting_dates(today, quarters)
    first = meetings_on[0] - timedelta(days=400)
    seniors: dict[str, BoardMember] = {}
    delegates: dict[str, BoardMember] = {}
    agencies: dict[str, Agency] = {}
    for name, sector, senior, delegate in AGENCIES:
        agency = Agency.objects.create(name=name, sector=sector)
        agencies[name] = agency
        if senior:
            seniors[sector if sector != Sector.OTHER else name] = BoardMember.objects.create(
                name=senior[0],
                role=senior[1],
                agency=agency,
                seniority=BoardMember.Seniority.SENIOR,
                start_date=first,
            )
        if delegate:
            delegates[sector] = BoardMember.objects.create(
                name=delegate[0],
                role=delegate[1],
                agency=agency,
                seniority=BoardMember.Seniority.DELEGATED,
                deputy_for=seniors[sector],
                start_date=first,
            )
    # A change of police lead part-way through: the old one leaves, a new
    # senior member joins (shown as a new member in that quarter).
    changeover = meetings_on[len(meetings_on) // 2] - timedelta(days=30)
    old_police = seniors[Sector.POLICE]
    old_police.end_date = changeover - timedelta(days=1)
    old_police.save()
    new_police = BoardMember.objects.create(
        name="Marcus Oyelaran",
        role="Chief Superintendent",
        agency=old_police.agency,
        seniority=BoardMember.Seniority.SENIOR,
        start_date=changeover,
    )
    delegates[Sector.POLICE].deputy_for = new_police
    delegates[Sector.POLICE].save()

    for index, day in enumerate(meetings_on):
        meeting = BoardMeeting.objects.create(
            date=day,
            papers="Performance report\nFinance report\nYouth justice plan progress\n"
            "Partnership updates",
        )
        current = [m for m in BoardMember.objects.all() if m.is_member_on(day)]
        statuses: dict[int, str] = {}
        for member in current:
            if member.seniority != BoardMember.Seniority.SENIOR:
                continue
            draw = rng.random()
            # The first meeting has everyone, so the demo always shows 5 of 5 once.
            if index == 0 or draw < 0.7:
                statuses[member.pk] = Attendance.Status.ATTENDED
            elif draw < 0.9 and member.deputies.exists():
                statuses[member.pk] = Attendance.Status.SENT_DEPUTY
                for deputy in member.deputies.all():
                    if deputy.is_member_on(day):
                        statuses[deputy.pk] = Attendance.Status.ATTENDED
            else:
                statuses[member.pk] = Attendance.Status.APOLOGIES
        for member in current:
            statuses.setdefault(member.pk, Attendance.Status.ABSENT)
        Attendance.objects.bulk_create(
            [Attendance(meeting=meeting, member_id=pk, status=s) for pk, s in statuses.items()]
        )

    meetings = list(BoardMeeting.objects.order_by("date"))
    for index, (description, owner) in enumerate(ACTIONS):
        meeting = meetings[min(len(meetings) - 1, len(meetings) - 4 + index // 3)]
        due = meeting.date + timedelta(days=60 + 14 * (index % 4))
        if index % 3 == 0:
            status = Action.Status.DONE
        elif index % 3 == 1:
            status = Action.Status.IN_PROGRESS
        else:
            status = Action.Status.OPEN
        Action.objects.create(
            description=description,
            owner=owner,
            meeting=meeting,
            due_date=due,
            status=status,
            update="Update given at the last meeting." if status != Action.Status.OPEN else "",
        )
    for position, (title, rag, commentary) in enumerate(PRIORITIES):
        PlanPriority.objects.create(
            title=title, rag=rag, commentary=commentary, position=position, lead="Head of Service"
        )
    for description, likelihood, impact, mitigation in RISKS:
        Risk.objects.create(
            description=description,
            likelihood=likelihood,
            impact=impact,
            mitigation=mitigation,
            owner="Head of Service",
        )

    this_year = int(financial_quarter_of(today)[:4])
    ethnicities = [code for code, _ in vocab.ETHNICITY if code != "not_known"]
    for year in (this_year - 1, this_year):
        uplift = Decimal("1.00") if year < this_year else Decimal("1.03")
        for name, (staffing, in_kind, other) in BUDGET.items():
            BudgetContribution.objects.create(
                financial_year=year,
                agency=agencies[name],
                staffing_costs=(Decimal(staffing) * uplift).quantize(Decimal("1")),
                payments_in_kind=Decimal(in_kind),
                other_delegated_funds=Decimal(other),
            )
        cells: dict[tuple[str, str, str], int] = {}
        for role, headcount in STAFFING.items():
            for _ in range(headcount + (1 if year == this_year else 0)):
                key = (
                    role,
                    rng.choices(ethnicities, weights=[10, 8, 6, 70, 6])[0],
                    rng.choices(["F", "M"], weights=[65, 35])[0],
                )
                cells[key] = cells.get(key, 0) + 1
        StaffingCount.objects.bulk_create(
            [
                StaffingCount(financial_year=year, role=r, ethnicity=e, sex=s, headcount=n)
                for (r, e, s), n in cells.items()
            ]
        )
