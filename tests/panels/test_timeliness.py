"""Working days to the panel's decision (domain.md, "Timeliness"): weekends and
the bank holidays of England and Wales do not count."""

from datetime import date

import pytest

from panels import timeliness


def test_a_weekend_does_not_count():
    friday, monday = date(2024, 3, 8), date(2024, 3, 11)
    assert timeliness.working_days_between(friday, monday) == 1
    assert timeliness.working_days_between(friday, date(2024, 3, 10)) == 0
    assert timeliness.add_working_days(friday, 1) == monday


def test_nothing_is_waited_before_the_referral():
    assert timeliness.working_days_between(date(2024, 3, 8), date(2024, 3, 8)) == 0
    assert timeliness.working_days_between(date(2024, 3, 8), date(2024, 3, 1)) == 0


def test_ten_working_days_from_an_ordinary_monday_is_two_weeks_later():
    assert timeliness.decision_due(date(2024, 6, 3)) == date(2024, 6, 17)


def test_referral_on_the_friday_before_easter_skips_good_friday_and_easter_monday():
    # Friday 11 April 2025; Good Friday 18 April and Easter Monday 21 April are bank holidays.
    referral = date(2025, 4, 11)
    assert timeliness.decision_due(referral) == date(2025, 4, 29)
    assert timeliness.working_days_between(referral, date(2025, 4, 22)) == 5


def test_referral_on_good_friday():
    # Good Friday 29 March 2024; Easter Monday 1 April 2024.
    assert not timeliness.is_working_day(date(2024, 3, 29))
    assert not timeliness.is_working_day(date(2024, 4, 1))
    assert timeliness.decision_due(date(2024, 3, 29)) == date(2024, 4, 15)


def test_christmas_and_new_year():
    # Monday 23 December 2024: 25, 26 December and 1 January are bank holidays.
    assert timeliness.decision_due(date(2024, 12, 23)) == date(2025, 1, 9)
    assert timeliness.working_days_between(date(2024, 12, 23), date(2024, 12, 27)) == 2


def test_christmas_on_a_weekend_gives_substitute_days():
    # Christmas Day 2021 was a Saturday: Monday 27 and Tuesday 28 were bank holidays,
    # and New Year's Day (Saturday) was observed on Monday 3 January 2022.
    assert not timeliness.is_working_day(date(2021, 12, 27))
    assert not timeliness.is_working_day(date(2021, 12, 28))
    assert not timeliness.is_working_day(date(2022, 1, 3))
    assert timeliness.working_days_between(date(2021, 12, 24), date(2022, 1, 4)) == 4


def test_late_means_decided_or_still_waiting_after_the_due_date():
    referral = date(2024, 6, 3)  # due 17 June
    assert not timeliness.is_late(referral, decided_on=date(2024, 6, 17), today=date(2024, 9, 1))
    assert timeliness.is_late(referral, decided_on=date(2024, 6, 18), today=date(2024, 6, 18))
    assert not timeliness.is_late(referral, decided_on=None, today=date(2024, 6, 17))
    assert timeliness.is_late(referral, decided_on=None, today=date(2024, 6, 18))


@pytest.mark.parametrize("days, due", [(5, date(2024, 6, 10)), (15, date(2024, 6, 24))])
def test_the_threshold_is_a_setting(settings, days, due):
    settings.OOCD_DECISION_WORKING_DAYS = days
    assert timeliness.decision_due(date(2024, 6, 3)) == due


def test_counting_agrees_with_going_day_by_day():
    from datetime import timedelta

    start = date(2019, 12, 20)
    for span in range(0, 800, 7):
        for extra in range(7):
            end = start + timedelta(days=span + extra)
            slow = sum(
                1
                for n in range(1, (end - start).days + 1)
                if timeliness.is_working_day(start + timedelta(days=n))
            )
            assert timeliness.working_days_between(start, end) == slow, end
