"""The 2023 KPI return's rules pinned with small hand-made cases
(indicators.md, "The 2023 KPIs: the quarterly return")."""

from datetime import date

import pytest

from performance import indicators
from performance.indicators import kpi2023
from tests.performance import indicator_data as make

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 1, 31)
# 2024Q1 = 2024-04-01..2024-06-30.
QUARTER = "2024Q1"
START, END = date(2024, 4, 1), date(2024, 6, 30)


def kpi_return(as_of=AS_OF):
    return indicators.kpi_return(quarter=QUARTER, as_of=as_of)


def order(kid, start=date(2024, 1, 10), end=date(2024, 5, 15), outcome_type="referral_order", **kw):
    return make.outcome(kid, start, outcome_type, end=end, **kw)


# --- The population ---------------------------------------------------------------


def test_financial_quarters():
    result = kpi_return()
    assert (result["start"], result["end"]) == ("2024-04-01", "2024-06-30")
    q4 = indicators.kpi_return(quarter="2024Q4", as_of=AS_OF)
    assert (q4["start"], q4["end"]) == ("2025-01-01", "2025-03-31")
    with pytest.raises(ValueError):
        indicators.kpi_return(quarter="2024Q5", as_of=AS_OF)


def test_orders_ending_in_the_quarter_by_type():
    order(make.child(), outcome_type="community_resolution", yjs=True)
    order(make.child(), outcome_type="outcome_22", yjs=False)  # no YJS intervention: out
    order(make.child(), outcome_type="youth_caution", yjs=True)
    order(make.child(), outcome_type="youth_caution", yjs=False)  # out
    order(make.child(), outcome_type="youth_conditional_caution", yjs=False)  # in regardless
    order(make.child(), outcome_type="referral_order")
    order(make.child(), outcome_type="yro_intensive_supervision")
    order(make.child(), outcome_type="long_term_detention", release=date(2024, 3, 1))
    order(make.child(), outcome_type="fine")  # not a type of order
    order(make.child(), end=date(2024, 7, 1))  # ends after the quarter
    order(make.child(), end=None)  # still running
    order(make.child(date(2006, 1, 1)), start=date(2024, 1, 1))  # 18 on the start
    result = kpi_return()
    assert result["children"] == 6
    assert result["by_type"] == {
        "diversion": 1,
        "youth_caution": 1,
        "youth_conditional_caution": 1,
        "referral_order": 1,
        "yro": 1,
        "custody": 1,
    }


def test_orders_ending_after_as_of_are_not_in_the_population():
    order(make.child(), end=date(2024, 6, 1))
    assert kpi_return(as_of=date(2024, 5, 31))["children"] == 0
    assert kpi_return(as_of=date(2024, 6, 1))["children"] == 1


def test_one_order_per_child_most_serious_type_first():
    kid = make.child()
    order(kid, outcome_type="youth_conditional_caution", start=date(2024, 3, 1))
    order(kid, outcome_type="youth_rehabilitation_order", start=date(2023, 11, 1))
    order(kid, outcome_type="referral_order", start=date(2024, 2, 1))
    frame = kpi2023.selected_orders(kpi2023.quarter_scope(QUARTER, AS_OF))
    assert list(frame["type"]) == ["yro"]
    assert kpi_return()["children"] == 1


def test_one_order_per_child_then_latest_outcome_date():
    kid = make.child()
    order(kid, start=date(2024, 1, 1), source_id="OU-Z")
    later = order(kid, start=date(2024, 2, 1), source_id="OU-A")
    frame = kpi2023.selected_orders(kpi2023.quarter_scope(QUARTER, AS_OF))
    assert list(frame["outcome"]) == [later.pk]


def test_one_order_per_child_then_greatest_outcome_id_as_a_string():
    kid = make.child()
    order(kid, source_id="OU-10")
    nine = order(kid, source_id="OU-9")  # "OU-9" > "OU-10" as strings
    order(kid, source_id="OU-08")
    frame = kpi2023.selected_orders(kpi2023.quarter_scope(QUARTER, AS_OF))
    assert list(frame["outcome"]) == [nine.pk]


def test_one_order_per_child_records_without_source_id_rank_below_and_by_pk():
    kid = make.child()
    imported = order(kid, source_id="OU-1")
    order(kid)
    order(kid)
    frame = kpi2023.selected_orders(kpi2023.quarter_scope(QUARTER, AS_OF))
    assert list(frame["outcome"]) == [imported.pk]
    other = make.child()
    order(other)
    newer = order(other)
    frame = kpi2023.selected_orders(kpi2023.quarter_scope(QUARTER, AS_OF))
    assert newer.pk in set(frame["outcome"])


def test_age_band_is_on_the_orders_start():
    order(make.child(date(2009, 1, 10)), start=date(2024, 1, 10))  # 15 on the start
    order(make.child(date(2009, 1, 11)), start=date(2024, 1, 10))  # 14
    frame = kpi2023.selected_orders(kpi2023.quarter_scope(QUARTER, AS_OF))
    assert sorted(frame["age_band"]) == ["10-14", "15-17"]


# --- KPI 1: accommodation --------------------------------------------------------------


def test_accommodation_all_open_episodes_must_be_suitable():
    fine, mixed, unknown, none, secondary = (make.child() for _ in range(5))
    for kid in (fine, mixed, unknown, none, secondary):
        order(kid)
    make.accommodation(fine, date(2023, 1, 1), date(2024, 5, 15))  # open on the end day
    make.accommodation(mixed, date(2023, 1, 1))
    make.accommodation(mixed, date(2024, 5, 1), suitability="unsuitable")
    make.accommodation(unknown, date(2023, 1, 1), suitability="unknown")  # unknown = unsuitable
    make.accommodation(none, date(2023, 1, 1), date(2024, 5, 14))  # closed the day before
    make.accommodation(secondary, date(2023, 1, 1))
    make.accommodation(secondary, date(2023, 1, 1), suitability="unsuitable", primary=False)
    result = kpi_return()["accommodation"]
    assert result == {"suitable_at_start": 4, "suitable_at_end": 2, "pct_suitable_at_end": 40.0}


# --- KPI 2: ETE -----------------------------------------------------------------------------


def test_school_age_boundary():
    # 16th birthday 2024-08-31: school year 2023/24, which ends in 2024;
    # the last Friday of June 2024 is 28 June.
    assert kpi2023.school_leaving_day(date(2008, 8, 31)) == date(2024, 6, 28)
    # 16th birthday 2024-09-01: school year 2024/25; last Friday of June 2025 is 27 June.
    assert kpi2023.school_leaving_day(date(2008, 9, 1)) == date(2025, 6, 27)
    assert kpi2023.is_school_age(date(2008, 8, 31), date(2024, 6, 28))
    assert not kpi2023.is_school_age(date(2008, 8, 31), date(2024, 6, 29))
    # Leap-day child: 16th birthday on 28 February in a common year.
    assert kpi2023.school_leaving_day(date(2008, 2, 29)) == date(2024, 6, 28)
    assert kpi2023.last_friday_of_june(2023) == date(2023, 6, 30)


def test_ete_suitability_school_age_and_hours():
    # End day 2024-06-28 for everyone; school age until 2024-06-28 for dob 2008-08-31.
    end = date(2024, 6, 28)
    school = make.child(date(2008, 8, 31))
    older = make.child(date(2007, 8, 31))
    part_time_older = make.child(date(2007, 8, 31))
    unknown = make.child(date(2008, 8, 31))
    for kid in (school, older, part_time_older, unknown):
        order(kid, end=end)
    make.ete(school, date(2023, 9, 1), hours=15)
    make.ete(school, date(2024, 1, 1), hours=10)  # 25 hours summed: full time at school age
    make.ete(older, date(2023, 9, 1), hours=16)
    make.ete(part_time_older, date(2023, 9, 1), hours=15)
    make.ete(unknown, date(2023, 9, 1), suitability="unknown", hours=30)
    result = kpi_return()["ete"]
    assert result == {
        "suitable_at_end": 3,
        "pct_suitable_at_end": 75.0,
        "school_age_at_end": 2,
        "suitable_school_age_at_end": 1,
        "above_school_age_at_end": 2,
        "suitable_above_school_age_at_end": 2,
        "full_time_offered_at_end": 3,
    }


def test_ete_one_unsuitable_open_episode_spoils_the_rest():
    kid = make.child()
    order(kid)
    make.ete(kid, date(2023, 9, 1))
    make.ete(kid, date(2024, 5, 1), suitability="unsuitable", hours=0)
    assert kpi_return()["ete"]["suitable_at_end"] == 0


# --- KPI 3: SEND -----------------------------------------------------------------------------


def test_send_identified_and_with_plan():
    ehcp, support, no_plan, closed = (make.child() for _ in range(4))
    for kid in (ehcp, support, no_plan, closed):
        order(kid)
    make.send(ehcp, date(2020, 1, 1))
    make.send(support, date(2020, 1, 1), plan="none")
    make.send(support, date(2024, 1, 1), plan="sen_support")
    make.send(no_plan, date(2020, 1, 1), plan="none")
    make.send(closed, date(2020, 1, 1), date(2024, 1, 1))
    assert kpi_return()["send"] == {"identified": 3, "with_plan": 2, "pct_with_plan": 66.67}


# --- KPIs 4 and 5: health ---------------------------------------------------------------------


def test_health_stages():
    # Window: 2024-01-10 .. 2024-05-15.
    screened_only, offered, attended, before, ended_before, other_kind, none = (
        make.child() for _ in range(7)
    )
    for kid in (screened_only, offered, attended, before, ended_before, other_kind, none):
        order(kid)
    make.health(screened_only, screened=date(2024, 2, 1))
    make.health(offered, screened=date(2024, 2, 1), offered=date(2024, 3, 1))
    make.health(
        attended, screened=date(2024, 2, 1), offered=date(2024, 3, 1), attended=date(2024, 5, 15)
    )
    # In treatment before the order: counts at every stage.
    make.health(
        before, screened=date(2023, 1, 1), offered=date(2023, 2, 1), attended=date(2023, 3, 1)
    )
    # Treatment ended the day before the window: not in treatment before.
    make.health(
        ended_before,
        screened=date(2023, 1, 1),
        offered=date(2023, 2, 1),
        attended=date(2023, 3, 1),
        attended_end=date(2024, 1, 9),
    )
    make.health(other_kind, "substance_misuse", screened=date(2024, 2, 1))
    result = kpi_return()
    assert result["mental_health"] == {
        "need": 4,
        "offered": 3,
        "attended": 2,
        "pct_need": 57.14,
        "pct_offered": 75.0,
        "pct_attended": 66.67,
    }
    assert result["substance_misuse"] == {
        "need": 1,
        "offered": 0,
        "attended": 0,
        "pct_need": 14.29,
        "pct_offered": 0.0,
        "pct_attended": None,
    }


# --- KPI 6: OOCD, KPI 7: wider services ------------------------------------------------------


def test_oocd_completion():
    order(make.child(), outcome_type="youth_conditional_caution", completed=True)
    order(make.child(), outcome_type="youth_conditional_caution", completed=False)
    order(make.child(), outcome_type="community_resolution", yjs=True, completed=None)
    order(make.child(), outcome_type="referral_order", completed=True)  # not an OOCD
    assert kpi_return()["oocd"] == {"ended": 3, "completed": 1, "pct_completed": 33.33}


def test_wider_services_overlap_the_window():
    la, cp_cin, before, after = (make.child() for _ in range(4))
    for kid in (la, cp_cin, before, after):
        order(kid)  # window 2024-01-10 .. 2024-05-15
    make.care(la, "looked_after", date(2020, 1, 1))
    make.care(cp_cin, "child_protection", date(2024, 5, 15), date(2024, 6, 1))
    make.care(cp_cin, "child_in_need", date(2023, 1, 1), date(2024, 1, 10))
    make.care(before, "early_help", date(2023, 1, 1), date(2024, 1, 9))
    make.care(after, "early_help", date(2024, 5, 16))
    assert kpi_return()["wider_services"] == {
        "looked_after": 1,
        "child_protection": 1,
        "child_in_need": 1,
        "early_help": 0,
        "supported": 2,
        "pct_supported": 50.0,
    }


# --- KPI 10: victims -----------------------------------------------------------------------


def test_victims_are_distinct_and_linked_to_the_selected_order():
    kid = make.child()
    first, second = make.offence(kid, date(2024, 1, 1)), make.offence(kid, date(2024, 1, 2))
    order(kid, offences=[first, second])
    other_order_offence = make.offence(kid, date(2023, 1, 1))
    make.outcome(kid, date(2023, 6, 1), "fine", offences=[other_order_offence])
    make.victim(first, second, engaged=True, views=True, contacted=date(2024, 1, 5))
    make.victim(first, consent=False, progress_requested=True, progress_provided=True)
    make.victim(other_order_offence)  # not on the order: not counted
    make.victim(second, support_requested=True, support_provided=False)
    result = kpi_return()["victims"]
    assert result == {
        "victims": 3,
        "consented": 2,
        "engaged": 1,
        "pct_engaged": 50.0,
        "views_sought": 1,
        "contacted": 1,
        "progress_requested": 1,
        "progress_provided": 1,
        "support_requested": 1,
        "support_provided": 0,
    }
    rows = indicators.records_behind("victims.victims", quarter=QUARTER, as_of=AS_OF)
    assert len(rows) == 3


# --- The whole return, breakdowns, drill-down ----------------------------------------------


def test_empty_quarter():
    result = kpi_return()
    assert result["children"] == 0
    assert result["accommodation"]["pct_suitable_at_end"] is None
    assert result["victims"]["pct_engaged"] is None
    assert list(result) == [
        "quarter",
        "start",
        "end",
        "as_of",
        "children",
        "by_type",
        "accommodation",
        "ete",
        "send",
        "mental_health",
        "substance_misuse",
        "oocd",
        "wider_services",
        "victims",
        "serious_violence",
    ]


def test_breakdown_groups_add_up_to_the_whole():
    for outcome_type, sex, ethnicity in [
        ("referral_order", "M", "white"),
        ("youth_rehabilitation_order", "F", "black"),
        ("youth_rehabilitation_order", "M", "asian"),
    ]:
        kid = make.child(sex=sex, ethnicity=ethnicity)
        order(kid, outcome_type=outcome_type)
        make.accommodation(kid, date(2020, 1, 1))
    rows = indicators.kpi_return_breakdown(quarter=QUARTER, as_of=AS_OF)

    def value(dimension, group, kpi, measure):
        (found,) = [
            r["value"]
            for r in rows
            if (r["dimension"], r["group"], r["kpi"], r["measure"])
            == (dimension, group, kpi, measure)
        ]
        return found

    assert value("all", "all", "population", "children") == 3
    for dimension, groups in [
        ("type_of_order", kpi2023.TYPES_OF_ORDER),
        ("sex", ["M", "F"]),
        ("age_band", ["10-14", "15-17"]),
    ]:
        assert sum(value(dimension, g, "population", "children") for g in groups) == 3
        assert sum(value(dimension, g, "accommodation", "suitable_at_end") for g in groups) == 3
    assert value("type_of_order", "yro", "population", "children") == 2
    assert value("type_of_order", "custody", "accommodation", "pct_suitable_at_end") is None
    assert value("ethnicity", "black", "population", "children") == 1


def test_records_behind_kpi_return_figures_match_the_counts():
    for n in range(3):
        kid = make.child()
        order(kid)
        if n:
            make.accommodation(kid, date(2020, 1, 1))
    result = kpi_return()
    for figure, expected in [
        ("children", result["children"]),
        ("accommodation.suitable_at_end", result["accommodation"]["suitable_at_end"]),
        ("kpi_return.accommodation.suitable_at_end", 2),
    ]:
        rows = indicators.records_behind(figure, quarter=QUARTER, as_of=AS_OF)
        assert len(rows) == expected
    # The financial quarter can be given as start and end (the dashboard does).
    rows = indicators.records_behind("children", start=START, end=END, as_of=AS_OF)
    assert len(rows) == 3
    assert {"child_id", "child_source_id", "given_name", "family_name", "start", "end"} <= set(
        rows[0]
    )
