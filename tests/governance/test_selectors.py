"""KPI 8 (board attendance), the actions log and the budget tables."""

from datetime import date
from decimal import Decimal

import pytest

from governance import selectors
from governance.demo import governance_seed
from governance.models import (
    Action,
    Agency,
    Attendance,
    BoardMeeting,
    BoardMember,
    BudgetContribution,
    Sector,
    StaffingCount,
)

pytestmark = pytest.mark.django_db


def member(agency, name, seniority="senior", start=date(2020, 1, 1), **extra):
    return BoardMember.objects.create(
        name=name, role="Lead", agency=agency, seniority=seniority, start_date=start, **extra
    )


@pytest.fixture
def board():
    agencies = {s: Agency.objects.create(name=f"Agency {s}", sector=s) for s in Sector.values}
    seniors = {s: member(a, f"Senior {s}") for s, a in agencies.items()}
    delegates = {
        s: member(a, f"Delegate {s}", "delegated", deputy_for=seniors[s])
        for s, a in agencies.items()
    }
    return agencies, seniors, delegates


def attend(meeting, who, status="attended"):
    Attendance.objects.create(meeting=meeting, member=who, status=status)


def test_meeting_quarter_is_derived_from_its_date():
    assert BoardMeeting.objects.create(date=date(2025, 2, 3)).quarter == "2024Q4"
    assert BoardMeeting.objects.create(date=date(2024, 4, 1)).quarter == "2024Q1"


def test_kpi8_counts_sectors_with_a_senior_partner_present(board):
    _, seniors, delegates = board
    first = BoardMeeting.objects.create(date=date(2024, 5, 20))
    second = BoardMeeting.objects.create(date=date(2024, 6, 24))
    attend(first, seniors[Sector.POLICE])
    attend(first, seniors[Sector.HEALTH], "apologies")
    attend(second, seniors[Sector.HEALTH])  # health senior at the second meeting: counts
    attend(first, seniors[Sector.EDUCATION], "sent_deputy")
    attend(first, delegates[Sector.EDUCATION])  # education only by a delegate
    attend(first, delegates[Sector.PROBATION])  # probation only by a delegate
    attend(first, seniors[Sector.OTHER])  # "other" never counts
    attend(first, seniors[Sector.CHILDRENS_SOCIAL_CARE], "absent")
    # A meeting in another quarter is not counted.
    attend(BoardMeeting.objects.create(date=date(2024, 7, 1)), seniors[Sector.PROBATION])

    result = selectors.board_attendance(quarter="2024Q1")

    assert result["senior_count"] == 2
    assert result["out_of"] == 5
    assert result["senior_sectors"] == [Sector.POLICE, Sector.HEALTH]
    assert result["delegate_only_sectors"] == [Sector.EDUCATION, Sector.PROBATION]
    assert result["not_represented"] == [Sector.CHILDRENS_SOCIAL_CARE]
    assert [m["date"] for m in result["meetings"]] == [first.date, second.date]
    assert result["meetings"][0]["attended"] == 4
    assert result["meetings"][0]["apologies"] == 1
    assert result["meetings"][0]["senior_sectors"] == 1
    assert result["meetings"][1]["senior_sectors"] == 1


def test_kpi8_lists_new_members_of_the_quarter(board):
    agencies, _, _ = board
    member(agencies[Sector.POLICE], "New Inspector", "delegated", start=date(2024, 6, 1))
    result = selectors.board_attendance(quarter="2024Q1")
    assert [m["name"] for m in result["new_members"]] == ["New Inspector"]
    assert result["senior_count"] == 0


def test_overdue_actions_are_marked():
    Action.objects.create(description="Late", owner="Chair", due_date=date(2024, 1, 1))
    Action.objects.create(
        description="Done late", owner="Chair", due_date=date(2024, 1, 1), status="done"
    )
    Action.objects.create(description="Future", owner="Chair", due_date=date(2024, 9, 1))
    items = selectors.actions_list(today=date(2024, 6, 1))
    assert [(i["action"].description, i["overdue"]) for i in items] == [
        ("Late", True),
        ("Future", False),
        ("Done late", False),
    ]
    assert selectors.actions_summary(today=date(2024, 6, 1)) == {
        "open": 2,
        "overdue": 1,
        "done": 1,
    }


def test_budget_and_staffing_tables_total():
    a = Agency.objects.create(name="Council", sector=Sector.CHILDRENS_SOCIAL_CARE)
    b = Agency.objects.create(name="Police", sector=Sector.POLICE)
    BudgetContribution.objects.create(
        financial_year=2024, agency=a, staffing_costs=100, payments_in_kind=20
    )
    BudgetContribution.objects.create(
        financial_year=2024, agency=b, staffing_costs=50, other_delegated_funds=5
    )
    BudgetContribution.objects.create(financial_year=2023, agency=b, staffing_costs=999)
    table = selectors.budget_table(financial_year=2024)
    assert [r["total"] for r in table["rows"]] == [Decimal(120), Decimal(55)]
    assert table["totals"] == {
        "staffing_costs": Decimal(150),
        "payments_in_kind": Decimal(20),
        "other_delegated_funds": Decimal(5),
        "total": Decimal(175),
    }
    StaffingCount.objects.create(
        financial_year=2024, role="practitioner", ethnicity="white", sex="F", headcount=3
    )
    StaffingCount.objects.create(
        financial_year=2024, role="practitioner", ethnicity="black", sex="M", headcount=2
    )
    staff = selectors.staffing_table(financial_year=2024)
    assert staff["rows"][0]["total"] == 5
    assert staff["totals"]["by_sex"] == [2, 3]  # Male, Female (vocab.SEX order)
    assert staff["totals"]["total"] == 5


def test_governance_seed_builds_a_board_with_eight_quarters_of_meetings():
    governance_seed(today=date(2025, 1, 31))
    assert set(Agency.objects.values_list("sector", flat=True)) == set(Sector.values)
    meetings = BoardMeeting.objects.order_by("date")
    assert meetings.count() >= 8
    quarters = set(meetings.values_list("quarter", flat=True))
    assert {"2023Q1", "2024Q1", "2024Q3"} <= quarters
    assert BoardMember.objects.filter(seniority="delegated").exists()
    assert selectors.board_attendance(quarter="2024Q1")["senior_count"] >= 1
    assert selectors.budget_table(financial_year=2024)["totals"]["total"] > 0
    assert selectors.budget_table(financial_year=2023)["rows"]
    assert selectors.staffing_table(financial_year=2024)["totals"]["total"] > 0
    assert selectors.actions_summary(today=date(2025, 1, 31))["open"] > 0
    # Idempotent: a second run changes nothing.
    governance_seed(today=date(2025, 1, 31))
    assert BoardMeeting.objects.count() == meetings.count()
