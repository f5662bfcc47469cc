"""How long a referral waits for the panel's decision, in working days.

domain.md, "Timeliness": the decision is commonly expected within 10 working
days of the police referral. The threshold is settings.OOCD_DECISION_WORKING_DAYS.
Working days are Monday to Friday except the bank holidays of England and
Wales (the `holidays` package, GB subdivision ENG: Wales shares England's
bank holidays).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings

DEFAULT_THRESHOLD = 10


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start):
    a referral on a Friday decided on the next Monday waited 1 working day.
    Arithmetic on whole weeks, so a referral waiting for years costs no more."""
    if end <= start:
        return 0
    full_weeks, remainder = divmod((end - start).days, 7)
    weekdays = full_weeks * 5 + sum(
        1 for i in range(1, remainder + 1) if (start.weekday() + i) % 7 < 5
    )
    bank_holidays = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in _bank_holidays(year)
        if start < day <= end and day.weekday() < 5
    )
    return weekdays - bank_holidays


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start``."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def threshold() -> int:
    return int(getattr(settings, "OOCD_DECISION_WORKING_DAYS", DEFAULT_THRESHOLD))


def decision_due(referral_date: date) -> date:
    """The last day on which a decision is on time."""
    return add_working_days(referral_date, threshold())


def is_late(referral_date: date, *, decided_on: date | None, today: date) -> bool:
    """Decided (or, while awaiting, still waiting today) after the due date."""
    return (decided_on or today) > decision_due(referral_date)
