"""Calendar arithmetic used across the service (indicators.md, "Common rules")."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """Calendar months later, clamped to the month's end: 12 months after
    2020-02-29 is 2021-02-28."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def age_on(date_of_birth: date, day: date) -> int:
    """Completed years since date of birth on ``day`` (a 29 February birthday
    is reached on 28 February in common years)."""
    years = day.year - date_of_birth.year
    if day < add_years(date_of_birth, years):
        years -= 1
    return years


_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


def financial_quarter(label: str) -> tuple[date, date]:
    """``2024Q1`` is April–June 2024; ``2024Q4`` is January–March 2025."""
    match = _QUARTER.match(label or "")
    if not match:
        raise ValueError(f"{label!r} is not a quarter like 2024Q1")
    year, q = int(match.group(1)), int(match.group(2))
    start = add_months(date(year, 4, 1), 3 * (q - 1))
    end = add_months(start, 3) - timedelta(days=1)
    return start, end


def financial_quarter_of(day: date) -> str:
    fy = day.year if day.month >= 4 else day.year - 1
    q = ((day.month - 4) % 12) // 3 + 1
    return f"{fy}Q{q}"


def quarter_label(label: str) -> str:
    """``2024Q1`` → ``April to June 2024``."""
    start, end = financial_quarter(label)
    return f"{start:%B} to {end:%B %Y}"
