"""The panel report's figures (indicators.md, "Out of court disposals panel")."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import CareStatus, Child
from panels.models import OocdReferral
from panels.selectors import oocd_breakdown, oocd_figures, pct
from tests.factories import ChildFactory
from tests.paths import EXAMPLES


def decided(*, decision, referral_date, panel_date, child=None):
    return OocdReferral.objects.create(
        child=child or ChildFactory(),
        referral_date=referral_date,
        admission=True,
        panel_date=panel_date,
        decision=decision,
    )


@pytest.mark.django_db
def test_oocd_figures_agree_with_the_example_extract(client, make_user):
    call_command("import_extract", str(EXAMPLES / "service-small"), stdout=StringIO())
    expected = json.loads((EXAMPLES / "service-small.expected.json").read_text())
    assert expected["kpis"]
    for kpis in expected["kpis"]:
        period = kpis["period"]
        figures = oocd_figures(
            start=date.fromisoformat(period["start"]), end=date.fromisoformat(period["end"])
        )
        assert figures == kpis["oocd"], period

    # The breakdowns add up to the same decisions.
    start, end = date(2023, 7, 1), date(2024, 6, 30)
    total = sum(oocd_figures(start=start, end=end)["decisions"].values())
    for rows in oocd_breakdown(start=start, end=end).values():
        assert sum(row["total"] for row in rows) == total

    # A board member reads the aggregate report, and no child's name is on it.
    client.force_login(make_user("board_member"))
    response = client.get(reverse("panels:report") + "?quarter=2023Q2")
    assert response.status_code == 200
    page = response.content.decode()
    assert "2023Q2" in page
    names = Child.objects.values_list("given_name", "family_name")[:200]
    assert not any(f"{given} {family}" in page for given, family in names)


@pytest.mark.django_db
def test_every_decision_value_is_present_and_an_empty_period_has_no_median():
    figures = oocd_figures(start=date(2024, 4, 1), end=date(2024, 6, 30))
    assert figures == {
        "decisions": {
            "no_further_action": 0,
            "community_resolution": 0,
            "outcome_22": 0,
            "youth_caution": 0,
            "youth_conditional_caution": 0,
            "charge": 0,
        },
        "days_to_decision_median": None,
        "diverted_pct": None,
    }


@pytest.mark.django_db
def test_median_in_calendar_days_and_the_period_is_by_panel_date():
    day = date(2024, 5, 31)
    decided(decision="outcome_22", referral_date=day - timedelta(days=10), panel_date=day)
    decided(decision="charge", referral_date=day - timedelta(days=15), panel_date=day)
    decided(decision="youth_caution", referral_date=day - timedelta(days=3), panel_date=day)
    decided(
        decision="community_resolution",
        referral_date=day - timedelta(days=40),
        panel_date=day - timedelta(days=1),
    )
    # Referred in the period, decided after it: not counted.
    decided(decision="charge", referral_date=date(2024, 6, 20), panel_date=date(2024, 7, 1))
    # Awaiting a decision: not counted.
    OocdReferral.objects.create(
        child=ChildFactory(), referral_date=date(2024, 5, 1), admission=False
    )
    figures = oocd_figures(start=date(2024, 4, 1), end=date(2024, 6, 30))
    assert figures["decisions"]["charge"] == 1
    assert sum(figures["decisions"].values()) == 4
    assert figures["days_to_decision_median"] == 12.5  # of 3, 10, 15, 39
    assert figures["diverted_pct"] == 50.0


def test_percentages_round_half_up():
    assert pct(1, 800) == 0.13  # 0.125: banker's rounding would give 0.12
    assert pct(2, 3) == 66.67
    assert pct(1, 0) is None


@pytest.mark.django_db
def test_breakdown_by_ethnicity_sex_and_looked_after_on_the_day():
    day = date(2024, 5, 31)
    looked_after = ChildFactory(sex="F", ethnicity="black")
    CareStatus.objects.create(
        child=looked_after, status="looked_after", start_date=date(2024, 1, 1)
    )
    left_care = ChildFactory(sex="M", ethnicity="white")
    CareStatus.objects.create(
        child=left_care,
        status="looked_after",
        start_date=date(2023, 1, 1),
        end_date=date(2024, 5, 30),
    )
    decided(
        child=looked_after, decision="outcome_22", referral_date=date(2024, 5, 1), panel_date=day
    )
    decided(child=left_care, decision="charge", referral_date=date(2024, 5, 1), panel_date=day)
    decided(
        child=ChildFactory(sex="M", ethnicity="asian"),
        decision="youth_caution",
        referral_date=date(2024, 5, 1),
        panel_date=day,
    )
    breakdown = oocd_breakdown(start=date(2024, 4, 1), end=date(2024, 6, 30))
    by_status = {row["code"]: row for row in breakdown["looked_after"]}
    assert by_status[True]["total"] == 1 and by_status[True]["diverted_pct"] == 100.0
    assert by_status[False]["total"] == 2 and by_status[False]["pct_of_all"] == 66.67
    by_ethnicity = {row["code"]: row for row in breakdown["ethnicity"]}
    assert by_ethnicity["black"]["by_decision"]["outcome_22"] == 1
    assert by_ethnicity["asian"]["total"] == 1 and by_ethnicity["asian"]["diverted_pct"] == 0.0
    assert by_ethnicity["other"]["total"] == 0 and by_ethnicity["other"]["diverted_pct"] is None
    assert {row["code"]: row["total"] for row in breakdown["sex"]} == {"M": 2, "F": 1}


@pytest.mark.django_db
def test_the_figures_take_a_fixed_number_of_queries():
    day = date(2024, 5, 31)
    counts = []
    for extra in (2, 20):
        for _ in range(extra):
            decided(decision="outcome_22", referral_date=date(2024, 5, 1), panel_date=day)
        with CaptureQueriesContext(connection) as queries:
            oocd_figures(start=date(2024, 4, 1), end=date(2024, 6, 30))
            oocd_breakdown(start=date(2024, 4, 1), end=date(2024, 6, 30))
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6


@pytest.mark.django_db
def test_decisions_on_time_count_working_days():
    from panels.selectors import oocd_timeliness

    # Referred Friday 11 April 2025: due 29 April (Easter bank holidays skipped).
    decided(decision="outcome_22", referral_date=date(2025, 4, 11), panel_date=date(2025, 4, 29))
    decided(decision="charge", referral_date=date(2025, 4, 11), panel_date=date(2025, 4, 30))
    figures = oocd_timeliness(start=date(2025, 4, 1), end=date(2025, 6, 30))
    assert figures == {"threshold": 10, "decisions": 2, "on_time": 1, "on_time_pct": 50.0}
