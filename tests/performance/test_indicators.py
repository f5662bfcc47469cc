"""Each counting rule of indicators.md pinned with small hand-made cases."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.models import Child
from performance import indicators
from performance.indicators import common
from performance.indicators.common import Scope
from tests.performance import indicator_data as make
from yjs.dates import add_months, age_on

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 1, 31)
YEAR_2023 = {"start": date(2023, 1, 1), "end": date(2023, 12, 31), "as_of": AS_OF}


def kpis(**period):
    return indicators.kpis(**{**YEAR_2023, **period})


# --- Common rules ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "per", "expected"),
    [
        (1, 8, 1, 0.13),  # 0.125 → 0.13 (half-up, not banker's)
        (3, 8, 1, 0.38),  # 0.375 → 0.38
        (2675, 1000, 1, 2.68),  # 2.675 is 2.67499… as a float; Decimal gives 2.68
        (1, 3, 100, 33.33),
        (2, 3, 100, 66.67),
        (5, 0, 100, None),
        (5, None, 100, None),
        (0, 7, 100, 0.0),
    ],
)
def test_rates_round_half_up_at_the_end(numerator, denominator, per, expected):
    assert common.rate(numerator, denominator, per) == expected


def test_rates_are_floats():
    assert isinstance(common.pct(1, 2), float)


@pytest.mark.parametrize(
    ("dob", "day", "age"),
    [
        (date(2008, 3, 1), date(2026, 3, 1), 18),
        (date(2008, 3, 1), date(2026, 2, 28), 17),
        # Leap-day birthdays: reached on 28 February in common years.
        (date(2008, 2, 29), date(2026, 2, 28), 18),
        (date(2008, 2, 29), date(2026, 2, 27), 17),
        (date(2012, 2, 29), date(2022, 2, 28), 10),
        (date(2012, 2, 29), date(2022, 2, 27), 9),
        (date(2010, 12, 31), date(2020, 12, 31), 10),
        (date(2010, 12, 31), date(2020, 12, 30), 9),
    ],
)
def test_aged_10_to_17_in_the_database_uses_completed_years(dob, day, age):
    kid = make.child(dob)
    assert age_on(dob, day) == age
    kept = common.aged_10_to_17(
        Child.objects.filter(pk=kid.pk), common.date_value(day), date_of_birth="date_of_birth"
    ).exists()
    assert kept == (10 <= age <= 17)


@settings(max_examples=40, deadline=None)
@given(
    dob=st.dates(min_value=date(1996, 1, 1), max_value=date(2016, 12, 31)),
    offset=st.integers(min_value=3000, max_value=7000),
)
def test_aged_10_to_17_agrees_with_age_on(dob, offset):
    day = dob + timedelta(days=offset)
    kid = make.child(dob)
    kept = common.aged_10_to_17(
        Child.objects.filter(pk=kid.pk), common.date_value(day), date_of_birth="date_of_birth"
    ).exists()
    assert kept == (10 <= age_on(dob, day) <= 17)
    kid.delete()


@settings(max_examples=60, deadline=None)
@given(
    day=st.one_of(
        st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
        st.sampled_from([date(2020, 2, 29), date(2021, 1, 31), date(2023, 8, 31)]),
    ),
    months=st.sampled_from([1, 3, 6, 12, 18, 120, 216]),
)
def test_months_later_in_the_database_is_add_months(day, months):
    """Calendar months later, clamped (indicators.md, Common rules)."""
    value = (
        Child.objects.annotate(later=common.MonthsLater(common.date_value(day), months))
        .values_list("later", flat=True)
        .first()
    )
    if value is None:  # no row to evaluate on yet
        make.child()
        value = (
            Child.objects.annotate(later=common.MonthsLater(common.date_value(day), months))
            .values_list("later", flat=True)
            .first()
        )
    if isinstance(value, str):
        value = date.fromisoformat(value)
    assert value == add_months(day, months)


def test_months_later_examples():
    assert add_months(date(2020, 2, 29), 12) == date(2021, 2, 28)
    assert add_months(date(2021, 2, 28), 12) == date(2022, 2, 28)


def test_calendar_quarters():
    assert common.calendar_quarters(date(2024, 1, 1), date(2024, 3, 31)) == [
        (date(2024, 1, 1), date(2024, 3, 31))
    ]
    assert len(common.calendar_quarters(date(2023, 7, 1), date(2024, 6, 30))) == 4
    assert common.calendar_quarters(date(2024, 2, 1), date(2024, 4, 30)) is None
    assert common.calendar_quarters(date(2024, 1, 1), date(2024, 3, 30)) is None


# --- Population ----------------------------------------------------------------------


def test_population_of_the_year_the_period_ends_in():
    make.population(2022, 1000)
    make.population(2023, 2000)
    make.population(2023, 500, sex="F")
    assert kpis()["population"] == 2500


def test_population_falls_back_to_the_latest_earlier_year():
    make.population(2019, 1000)
    make.population(2021, 4000)
    make.population(2025, 9999)
    kid = make.child(date(2008, 1, 15))
    make.outcome(kid, date(2023, 5, 1))
    result = kpis()
    assert result["population"] == 4000
    assert result["fte"] == {"count": 1, "rate_per_100k": 25.0}


def test_no_population_gives_null_rates_but_counts():
    make.population(2024, 1000)  # only later years
    kid = make.child(date(2008, 1, 15))
    make.outcome(kid, date(2023, 5, 1), "detention_and_training_order")
    result = kpis()
    assert result["population"] is None
    assert result["fte"] == {"count": 1, "rate_per_100k": None}
    assert result["custody"]["sentences"] == 1
    assert result["custody"]["rate_per_1000"] is None
    assert result["custody"]["pct_of_court_sentences"] == 100.0


def test_serious_violence_uses_the_year_before():
    make.population(2022, 20_000)
    make.population(2023, 40_000)
    kid = make.child(date(2008, 1, 15))
    make.outcome(
        kid,
        date(2023, 5, 1),
        offences=[make.offence(kid, date(2023, 4, 1), category="robbery", score=5)],
    )
    result = kpis()
    assert result["serious_violence"] == {"offences": 1, "rate_per_10k": 0.5}


def test_serious_violence_population_falls_back_from_the_year_before():
    make.population(2020, 10_000)
    make.population(2023, 40_000)
    kid = make.child(date(2008, 1, 15))
    make.outcome(
        kid,
        date(2023, 5, 1),
        offences=[make.offence(kid, date(2023, 4, 1), category="drugs", score=6)],
    )
    assert kpis()["serious_violence"] == {"offences": 1, "rate_per_10k": 1.0}


def test_group_population_and_children():
    make.population(2023, 1000, sex="M")
    make.population(2023, 3000, sex="F")
    boy, girl = make.child(sex="M"), make.child(sex="F")
    make.outcome(boy, date(2023, 5, 1))
    make.outcome(girl, date(2023, 6, 1))
    make.outcome(make.child(sex="F"), date(2023, 7, 1))
    girls = kpis(sex="F")
    assert girls["population"] == 3000
    assert girls["fte"] == {"count": 2, "rate_per_100k": 66.67}
    assert kpis(sex="M")["fte"]["count"] == 1
    assert kpis()["fte"]["count"] == 3


# --- First time entrants ---------------------------------------------------------------


def test_fte_is_the_earliest_substantive_outcome_ever():
    first = make.child()
    make.outcome(first, date(2023, 3, 1), "youth_caution")
    make.outcome(first, date(2023, 9, 1), "referral_order")
    earlier = make.child()
    make.outcome(earlier, date(2022, 12, 31), "fine")
    make.outcome(earlier, date(2023, 2, 1), "fine")
    assert kpis()["fte"]["count"] == 1


def test_diversion_never_makes_a_child_an_fte():
    diverted = make.child()
    make.outcome(diverted, date(2022, 6, 1), "community_resolution")
    make.outcome(diverted, date(2023, 6, 1), "youth_caution")  # the first substantive one
    only_diverted = make.child()
    make.outcome(only_diverted, date(2023, 6, 1), "outcome_22")
    make.outcome(only_diverted, date(2023, 7, 1), "community_resolution")
    make.outcome(only_diverted, date(2023, 8, 1), "no_further_action")
    assert kpis()["fte"]["count"] == 1
    rows = indicators.records_behind("fte.count", **YEAR_2023)
    assert [row["child_id"] for row in rows] == [diverted.pk]


def test_fte_child_aged_18_on_the_day_does_not_count():
    turns_18 = make.child(date(2005, 6, 1))
    make.outcome(turns_18, date(2023, 6, 1))
    still_17 = make.child(date(2005, 6, 2))
    make.outcome(still_17, date(2023, 6, 1))
    assert kpis()["fte"]["count"] == 1


def test_fte_leap_day_birthday_is_reached_on_28_february():
    eighteen = make.child(date(2004, 2, 29))
    make.outcome(eighteen, date(2022, 2, 28))
    seventeen = make.child(date(2004, 2, 29))
    make.outcome(seventeen, date(2022, 2, 27))
    result = indicators.kpis(start=date(2022, 1, 1), end=date(2022, 12, 31), as_of=AS_OF)
    assert result["fte"]["count"] == 1


def test_fte_two_outcomes_on_the_first_day_count_once():
    kid = make.child()
    make.outcome(kid, date(2023, 6, 1), "fine")
    make.outcome(kid, date(2023, 6, 1), "referral_order")
    assert kpis()["fte"]["count"] == 1
    assert len(indicators.records_behind("fte.count", **YEAR_2023)) == 1


def test_fte_only_outcomes_up_to_as_of_exist():
    kid = make.child()
    make.outcome(kid, date(2023, 6, 1))
    assert kpis(as_of=date(2023, 5, 31))["fte"]["count"] == 0
    assert kpis(as_of=date(2023, 6, 1))["fte"]["count"] == 1


# --- Use of custody --------------------------------------------------------------------


def test_custody_counts_sentences_and_court_sentences():
    make.population(2023, 10_000)
    kid = make.child()
    make.outcome(kid, date(2023, 2, 1), "youth_caution")  # not a court sentence
    make.outcome(kid, date(2023, 3, 1), "fine")
    make.outcome(kid, date(2023, 4, 1), "youth_rehabilitation_order")
    make.outcome(kid, date(2023, 5, 1), "detention_and_training_order")
    make.outcome(make.child(), date(2023, 6, 1), "long_term_detention")
    make.outcome(make.child(date(2005, 1, 1)), date(2023, 6, 1), "long_term_detention")  # 18
    make.outcome(kid, date(2024, 1, 1), "long_term_detention")  # after the period
    assert kpis()["custody"] == {
        "sentences": 2,
        "rate_per_1000": 0.2,
        "court_sentences": 4,
        "pct_of_court_sentences": 50.0,
    }
    assert len(indicators.records_behind("custody.sentences", **YEAR_2023)) == 2
    assert len(indicators.records_behind("custody.court_sentences", **YEAR_2023)) == 4


def test_custody_without_court_sentences_has_null_percentage():
    assert kpis()["custody"] == {
        "sentences": 0,
        "rate_per_1000": None,
        "court_sentences": 0,
        "pct_of_court_sentences": None,
    }


# --- Proven reoffending ------------------------------------------------------------------

Q1_2023 = {"start": date(2023, 1, 1), "end": date(2023, 3, 31), "as_of": AS_OF}


def reoffending(**period):
    return indicators.kpis(**{**Q1_2023, **period})["reoffending"]


def test_reoffending_is_null_unless_whole_quarters():
    assert (
        indicators.kpis(start=date(2023, 1, 15), end=date(2023, 3, 31), as_of=AS_OF)["reoffending"]
        is None
    )
    assert (
        indicators.kpis(start=date(2023, 1, 1), end=date(2023, 3, 30), as_of=AS_OF)["reoffending"]
        is None
    )


def test_an_offence_on_the_index_date_is_not_a_reoffence():
    kid = make.child()
    make.outcome(kid, date(2023, 2, 1))
    same_day = make.offence(kid, date(2023, 2, 1))
    make.outcome(kid, date(2023, 5, 1), offences=[same_day])
    result = reoffending()
    assert (result["cohort"], result["reoffenders"], result["reoffences"]) == (1, 0, 0)


def test_reoffence_window_is_twelve_calendar_months():
    inside, outside = make.child(), make.child()
    make.outcome(inside, date(2023, 2, 1))
    make.outcome(outside, date(2023, 2, 1))
    make.outcome(inside, date(2024, 3, 1), offences=[make.offence(inside, date(2024, 2, 1))])
    make.outcome(outside, date(2024, 3, 1), offences=[make.offence(outside, date(2024, 2, 2))])
    result = reoffending()
    assert (result["cohort"], result["reoffenders"], result["reoffences"]) == (2, 1, 1)


def test_leap_day_index_date_window_ends_on_28_february():
    kid = make.child(date(2006, 1, 1))
    make.outcome(kid, date(2020, 2, 29))
    make.outcome(kid, date(2021, 4, 1), offences=[make.offence(kid, date(2021, 2, 28))])
    make.outcome(kid, date(2021, 4, 1), offences=[make.offence(kid, date(2021, 3, 1))])
    result = indicators.kpis(start=date(2020, 1, 1), end=date(2020, 3, 31), as_of=AS_OF)
    assert result["reoffending"]["reoffences"] == 1


@pytest.mark.parametrize(
    ("proof", "proven"),
    [(date(2024, 8, 1), True), (date(2024, 8, 2), False)],
    ids=["exactly 18 months", "18 months and a day"],
)
def test_proof_by_a_substantive_outcome_within_18_months(proof, proven):
    kid = make.child()
    make.outcome(kid, date(2023, 2, 1))
    make.outcome(kid, proof, offences=[make.offence(kid, date(2023, 6, 1))])
    assert reoffending()["reoffences"] == (1 if proven else 0)


def test_proof_needs_a_substantive_outcome_up_to_as_of():
    kid = make.child()
    make.outcome(kid, date(2023, 2, 1))
    later = make.offence(kid, date(2023, 6, 1))
    make.outcome(kid, date(2023, 7, 1), "community_resolution", offences=[later])
    make.outcome(kid, date(2023, 9, 1), "fine", offences=[later])
    assert reoffending(as_of=date(2023, 8, 31))["reoffences"] == 0
    assert reoffending(as_of=date(2023, 9, 1))["reoffences"] == 1


def test_breach_offences_are_not_reoffences():
    kid = make.child()
    make.outcome(kid, date(2023, 2, 1))
    breach = make.offence(kid, date(2023, 5, 1), category="breach")
    make.outcome(kid, date(2023, 6, 1), "youth_rehabilitation_order", offences=[breach])
    result = reoffending()
    assert (result["cohort"], result["reoffenders"], result["reoffences"]) == (1, 0, 0)


def test_each_offence_counts_once():
    kid = make.child()
    make.outcome(kid, date(2023, 2, 1))
    twice = make.offence(kid, date(2023, 5, 1))
    make.outcome(kid, date(2023, 6, 1), "fine", offences=[twice])
    make.outcome(kid, date(2023, 7, 1), "referral_order", offences=[twice])
    assert reoffending()["reoffences"] == 1


def test_custodial_index_date_is_the_release_date():
    kid = make.child()
    make.outcome(kid, date(2022, 9, 1), "detention_and_training_order", release=date(2023, 2, 1))
    # Between sentence and release: before the index date, not a reoffence.
    make.outcome(kid, date(2023, 4, 1), offences=[make.offence(kid, date(2023, 1, 15))])
    make.outcome(kid, date(2023, 4, 1), offences=[make.offence(kid, date(2023, 2, 2))])
    result = reoffending()
    assert (result["cohort"], result["reoffenders"], result["reoffences"]) == (1, 1, 1)
    cohort = indicators.records_behind("reoffending.cohort", **Q1_2023)
    assert [row["index_date"] for row in cohort] == [date(2023, 2, 1)]


def test_custodial_sentence_in_the_quarter_without_release_is_not_an_index_event():
    kid = make.child()
    make.outcome(kid, date(2023, 2, 1), "detention_and_training_order")
    assert reoffending()["cohort"] == 0


def test_diversion_is_not_an_index_event():
    kid = make.child()
    make.outcome(kid, date(2023, 2, 1), "community_resolution")
    assert reoffending()["cohort"] == 0


def test_index_date_is_the_earliest_event_in_the_quarter():
    kid = make.child()
    make.outcome(kid, date(2023, 1, 10), "youth_caution")
    make.outcome(
        kid, date(2023, 3, 20), "referral_order", offences=[make.offence(kid, date(2023, 3, 1))]
    )
    # 2024-01-15 is within 12 months of the later event only: not a reoffence.
    make.outcome(kid, date(2024, 2, 1), offences=[make.offence(kid, date(2024, 1, 15))])
    result = reoffending()
    # The offence of 2023-03-01 (proven on 2023-03-20) is the one reoffence.
    assert (result["cohort"], result["reoffenders"], result["reoffences"]) == (1, 1, 1)


def test_child_aged_18_on_the_index_date_is_not_in_the_cohort():
    kid = make.child(date(2005, 2, 1))
    make.outcome(kid, date(2023, 2, 1))
    assert reoffending()["cohort"] == 0


def test_quarters_aggregate_and_a_child_may_be_in_several():
    kid = make.child()
    make.outcome(kid, date(2023, 2, 1))
    make.outcome(kid, date(2023, 5, 1))  # Q2 index event, and a Q1 reoffence
    result = indicators.kpis(start=date(2023, 1, 1), end=date(2023, 6, 30), as_of=AS_OF)[
        "reoffending"
    ]
    assert (result["cohort"], result["reoffenders"], result["reoffences"]) == (2, 1, 1)
    assert result["binary_rate_pct"] == 50.0
    assert result["reoffences_per_reoffender"] == 1.0
    assert result["reoffences_per_child"] == 0.5


def test_each_quarter_of_a_year_has_its_own_follow_up():
    """Each quarter's cohort is followed up from its own index dates: a
    reoffence late in the last quarter's follow-up counts, one that late after
    the first quarter's index date does not."""
    early, late = make.child(), make.child()
    make.outcome(early, date(2023, 1, 10))
    make.outcome(late, date(2023, 12, 20))
    for kid in (early, late):
        make.outcome(kid, date(2025, 6, 1), offences=[make.offence(kid, date(2024, 12, 15))])
    year = indicators.kpis(start=date(2023, 1, 1), end=date(2023, 12, 31), as_of=AS_OF)
    result = year["reoffending"]
    assert (result["cohort"], result["reoffenders"], result["reoffences"]) == (2, 1, 1)
    rows = indicators.records_behind(
        "reoffending.reoffences", start=date(2023, 1, 1), end=date(2023, 12, 31), as_of=AS_OF
    )
    assert [row["child_id"] for row in rows] == [late.pk]


def test_complete_flag_is_18_months_after_the_last_quarter_end():
    assert reoffending(as_of=date(2024, 9, 30))["complete"] is True
    assert reoffending(as_of=date(2024, 9, 29))["complete"] is False


def test_empty_cohort_has_null_rates():
    result = reoffending()
    assert result == {
        "cohort": 0,
        "reoffenders": 0,
        "reoffences": 0,
        "binary_rate_pct": None,
        "reoffences_per_reoffender": None,
        "reoffences_per_child": None,
        "complete": True,
    }


def test_records_behind_reoffenders_lists_their_reoffences():
    kid = make.child()
    make.outcome(kid, date(2023, 2, 1))
    first = make.offence(kid, date(2023, 5, 1), source_id="OF-A")
    second = make.offence(kid, date(2023, 6, 1), source_id="OF-B")
    make.outcome(kid, date(2023, 7, 1), offences=[first, second])
    rows = indicators.records_behind("reoffending.reoffenders", **Q1_2023)
    assert len(rows) == 1
    assert rows[0]["child_id"] == kid.pk
    assert rows[0]["reoffences"] == 2
    assert rows[0]["reoffence_ids"] == "OF-A; OF-B"
    assert len(indicators.records_behind("reoffending.reoffences", **Q1_2023)) == 2


# --- Serious violence -------------------------------------------------------------------


def test_serious_violence_offences():
    kid = make.child(date(2005, 6, 1))
    counted = make.offence(kid, date(2023, 5, 31), category="violence_against_the_person", score=5)
    low = make.offence(kid, date(2023, 5, 1), category="robbery", score=4)
    other = make.offence(kid, date(2023, 5, 1), category="sexual", score=7)
    adult = make.offence(kid, date(2023, 6, 1), category="drugs", score=8)  # aged 18 that day
    make.outcome(kid, date(2023, 7, 1), "fine", offences=[counted, low, other, adult])
    # Already dealt with before the period: its earliest substantive outcome is earlier.
    before = make.offence(kid, date(2022, 11, 1), category="robbery", score=6)
    make.outcome(kid, date(2022, 12, 1), "fine", offences=[before])
    make.outcome(kid, date(2023, 2, 1), "youth_rehabilitation_order", offences=[before])
    # Diverted first, then a substantive outcome in the period: counts (once).
    diverted = make.offence(kid, date(2022, 10, 1), category="robbery", score=6)
    make.outcome(kid, date(2022, 11, 1), "community_resolution", offences=[diverted])
    make.outcome(kid, date(2023, 3, 1), "referral_order", offences=[diverted])
    make.outcome(kid, date(2023, 4, 1), "fine", offences=[diverted])
    assert kpis()["serious_violence"]["offences"] == 2
    rows = indicators.records_behind("serious_violence.offences", **YEAR_2023)
    assert {row["offence_pk"] for row in rows} == {counted.pk, diverted.pk}


# --- OOCD panel ------------------------------------------------------------------------


def test_oocd_decisions_median_and_diverted_share():
    from panels.models import OocdReferral

    kid = make.child()
    for referral, panel, decision in [
        (date(2023, 1, 1), date(2023, 1, 11), "community_resolution"),
        (date(2023, 1, 1), date(2023, 1, 21), "youth_caution"),
        (date(2023, 2, 1), date(2023, 2, 16), "outcome_22"),
        (date(2023, 3, 1), date(2023, 3, 12), "charge"),
        (date(2022, 12, 1), date(2022, 12, 31), "charge"),  # panel before the period
    ]:
        OocdReferral.objects.create(
            child=kid, referral_date=referral, panel_date=panel, decision=decision, admission=True
        )
    OocdReferral.objects.create(child=kid, referral_date=date(2023, 3, 1), admission=False)
    assert kpis()["oocd"] == {
        "decisions": {
            "no_further_action": 0,
            "community_resolution": 1,
            "outcome_22": 1,
            "youth_caution": 1,
            "youth_conditional_caution": 0,
            "charge": 1,
        },
        "days_to_decision_median": 13.0,
        "diverted_pct": 50.0,
    }
    assert len(indicators.records_behind("oocd.decisions", **YEAR_2023)) == 4
    assert len(indicators.records_behind("oocd.decisions.charge", **YEAR_2023)) == 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=400), max_size=40))
def test_median_read_off_counts_is_the_median_of_the_list(values):
    import statistics
    from collections import Counter

    from performance.indicators.national import median_of_counts

    expected = common.round2(statistics.median(values)) if values else None
    assert median_of_counts(Counter(values)) == expected


def test_oocd_without_decisions():
    assert kpis()["oocd"]["days_to_decision_median"] is None
    assert kpis()["oocd"]["diverted_pct"] is None


# --- The whole object ---------------------------------------------------------------------


def test_kpis_object_has_the_contract_keys():
    result = kpis()
    assert list(result) == [
        "period",
        "population",
        "fte",
        "custody",
        "reoffending",
        "serious_violence",
        "oocd",
    ]
    assert result["period"] == {"start": "2023-01-01", "end": "2023-12-31", "as_of": "2026-01-31"}


def test_end_before_start_is_refused():
    with pytest.raises(ValueError):
        indicators.kpis(start=date(2023, 2, 1), end=date(2023, 1, 1), as_of=AS_OF)


def test_unknown_drilldown_figure():
    with pytest.raises(KeyError):
        indicators.records_behind("nonsense", **YEAR_2023)


def test_scope_is_hashable_and_restricts():
    scope = Scope(date(2023, 1, 1), date(2023, 12, 31), AS_OF, sex="F")
    assert hash(scope)
    assert "child__sex" in str(scope.children_q())


# --- The live reoffending tracker ---------------------------------------------------------


def test_tracker_lists_children_whose_windows_are_still_running():
    as_of = date(2024, 3, 31)
    old = make.child()
    make.outcome(old, date(2022, 9, 1))  # proof window ended 2024-03-01
    running = make.child()
    make.outcome(running, date(2023, 5, 10))
    make.outcome(running, date(2023, 8, 1), offences=[make.offence(running, date(2023, 7, 1))])
    recent = make.child()
    make.outcome(recent, date(2024, 3, 1))
    rows = indicators.reoffending_tracker(as_of=as_of)
    by_child = {row["child_id"]: row for row in rows}
    assert old.pk not in by_child
    # The running child is in two cohorts: 2023 Q2 (index 10 May) and Q3 (1 August).
    first = next(
        r for r in rows if r["child_id"] == running.pk and r["index_date"] == date(2023, 5, 10)
    )
    assert first["follow_up_ends"] == date(2024, 5, 10)
    assert first["proof_window_ends"] == date(2024, 11, 10)
    assert first["reoffended_so_far"] is True
    assert first["proven_reoffences_so_far"] == 1
    assert first["days_left_in_follow_up"] == 40
    latest = by_child[recent.pk]
    assert latest["reoffended_so_far"] is False
    assert latest["days_left_in_follow_up"] == (date(2025, 3, 1) - as_of).days
    assert {"child_source_id", "given_name", "family_name"} <= set(latest)
