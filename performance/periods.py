"""Which periods the dashboard, the snapshots and the board pack report on.

- *Current period* for the kpis figures: the 12 months ending on the last
  complete quarter end (indicators.md, FTE, "Conventional period"). A
  quarter is complete once its last day has passed (quarter end < as_of).
- *Previous period*: the 12 months ending one quarter earlier (the period the
  previous quarterly report showed).
- *Reoffending*: the 12-month aggregated cohort ending on the latest quarter
  end E with ``as_of >= E + 18 months`` (indicators.md, "Conventional
  cohort": the latest complete one).
- *KPI return*: the last complete financial quarter (2024Q1 = April–June).
- *Trend*: eight of each, oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from yjs.dates import add_months, financial_quarter, financial_quarter_of

TREND_QUARTERS = 8
REOFFENDING_FOLLOW_UP_MONTHS = 18  # indicators.md, Proven reoffending, "complete"


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def label(self) -> str:
        """Short label for charts and tables: the quarter the period ends on."""
        return f"{self.end:%b %Y}"

    @property
    def description(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    @property
    def quarter(self) -> str:
        """The financial quarter ending on ``end`` (for KPI return periods)."""
        return financial_quarter_of(self.end)


def quarter_end_on_or_before(day: date) -> date:
    """The last calendar quarter end (31 Mar, 30 Jun, 30 Sep, 31 Dec) <= day."""
    month = ((day.month - 1) // 3) * 3 + 3  # end month of day's quarter
    end = add_months(date(day.year, month, 1), 1) - timedelta(days=1)
    if end > day:
        end = date(day.year, month - 2, 1) - timedelta(days=1)
    return end


def previous_quarter_end(end: date) -> date:
    return add_months(end + timedelta(days=1), -3) - timedelta(days=1)


def last_complete_quarter_end(as_of: date) -> date:
    """The latest quarter end strictly before ``as_of``."""
    return quarter_end_on_or_before(as_of - timedelta(days=1))


def twelve_months_ending(end: date) -> Period:
    return Period(add_months(end + timedelta(days=1), -12), end)


def quarter_ends(last: date, n: int = TREND_QUARTERS) -> list[date]:
    """``n`` quarter ends finishing with ``last``, oldest first."""
    ends = [last]
    for _ in range(n - 1):
        ends.append(previous_quarter_end(ends[-1]))
    return list(reversed(ends))


def reoffending_cohort_end(as_of: date) -> date:
    """indicators.md, "Conventional cohort": the latest quarter end E with
    as_of >= E + 18 months."""
    end = quarter_end_on_or_before(as_of)
    while add_months(end, REOFFENDING_FOLLOW_UP_MONTHS) > as_of:
        end = previous_quarter_end(end)
    return end


def quarter_period(label: str) -> Period:
    start, end = financial_quarter(label)
    return Period(start, end)


@dataclass(frozen=True)
class ReportingPeriods:
    as_of: date
    kpis: list[Period]  # 12-month periods, oldest first; kpis[-1] is the current one
    reoffending: list[Period]  # 12-month aggregated cohorts, oldest first
    quarters: list[Period]  # financial quarters for the KPI return, oldest first

    @property
    def current(self) -> Period:
        return self.kpis[-1]

    @property
    def previous(self) -> Period:
        return self.kpis[-2]

    @property
    def cohort(self) -> Period:
        return self.reoffending[-1]

    @property
    def quarter(self) -> Period:
        return self.quarters[-1]


def reporting_periods(as_of: date, *, trend: int = TREND_QUARTERS) -> ReportingPeriods:
    last = last_complete_quarter_end(as_of)
    cohort = reoffending_cohort_end(as_of)
    return ReportingPeriods(
        as_of=as_of,
        kpis=[twelve_months_ending(e) for e in quarter_ends(last, trend)],
        reoffending=[twelve_months_ending(e) for e in quarter_ends(cohort, trend)],
        quarters=[
            Period(add_months(e + timedelta(days=1), -3), e) for e in quarter_ends(last, trend)
        ],
    )
