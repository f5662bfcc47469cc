"""The indicators engine: the national indicators and the 2023 KPI return.

The one module of counting rules (architecture.md): dashboards, snapshots,
drill-downs, the board pack and the commands all call these functions.
Sections follow ../shared/indicators.md; see common.py, national.py and
kpi2023.py.

``as_of`` follows indicators.md literally: "only outcomes with outcome_date
<= as_of exist". It filters outcomes (and so FTE, custody, index events,
proofs, serious violence and the KPI return's orders, whose end_date must
also be <= as_of); OOCD referrals, episodes and victims are not filtered by
it (the expected values of ../shared/examples are consistent with this).

All figures are computed inside ``common.reading()`` (one transaction; on
PostgreSQL no JIT and more work_mem for it, see benchmarks/README.md).

Public API (others code against it; keep it stable):

- ``RULES_VERSION``: bumped whenever a counting rule changes.
- ``kpis(start=, end=, as_of=, sex=None, ethnicity=None)``: the object the
  ``kpis`` command prints.
- ``kpi_return(quarter=, as_of=)``: the object the ``kpi_return`` command prints.
- ``kpi_return_breakdown(quarter=, as_of=)``: rows ``{dimension, group, kpi,
  measure, value}``: every KPI by type of order, ethnicity, sex and age band.
- ``records_behind(figure, start=, end=, as_of=, quarter=None, sex=None,
  ethnicity=None)``: the rows behind a figure (drilldown.FIGURES lists the names).
- ``reoffending_tracker(as_of=)``: children whose reoffending follow-up or
  proof window is still running.
"""

from __future__ import annotations

from datetime import date

from performance.indicators import kpi2023, national
from performance.indicators.common import Scope, reading
from performance.indicators.drilldown import FIGURES as DRILLDOWN_FIGURES
from performance.indicators.drilldown import records_behind, reoffending_tracker
from yjs.dates import financial_quarter

RULES_VERSION = "2025.1"


def kpis(
    *,
    start: date,
    end: date,
    as_of: date,
    sex: str | None = None,
    ethnicity: str | None = None,
) -> dict:
    """indicators.md, "The kpis command": period, population, fte, custody,
    reoffending (None unless the period is whole calendar quarters),
    serious_violence and oocd. With ``sex`` or ``ethnicity`` the same rules are
    applied to that group's children and that group's population."""
    if end < start:
        raise ValueError("The end of the period is before its start.")
    with reading():
        return national.kpis(Scope(start, end, as_of, sex, ethnicity))


def kpi_return(*, quarter: str, as_of: date) -> dict:
    """indicators.md, "The 2023 KPIs: the quarterly return" for a financial
    quarter such as ``2024Q1`` (April–June 2024). Raises ValueError for a
    label that is not a quarter."""
    financial_quarter(quarter)
    with reading():
        return kpi2023.kpi_return(quarter, as_of)


def kpi_return_breakdown(*, quarter: str, as_of: date) -> list[dict]:
    """Every KPI of the return by type of order, ethnicity, sex and age band
    (10–14 / 15–17 on the order's start), as long-format rows; dimension
    ``all`` repeats the return itself."""
    financial_quarter(quarter)
    with reading():
        return kpi2023.kpi_return_breakdown(quarter, as_of)


__all__ = [
    "DRILLDOWN_FIGURES",
    "RULES_VERSION",
    "Scope",
    "kpi_return",
    "kpi_return_breakdown",
    "kpis",
    "records_behind",
    "reoffending_tracker",
]
