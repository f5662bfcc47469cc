"""Writes of the performance app: snapshots, indicator runs, comparators and
population estimates. Each runs in one transaction and is audited.

Snapshots (architecture.md, "Snapshots and packs are immutable records"):
a snapshot is computed outside any transaction (it may take a while), then
stored with ``update_or_create`` inside ``transaction.atomic``, so a rerun
for the same (indicator, period) replaces the row, there is never a
duplicate (the model's unique constraint), and a failure or a killed worker
half-way leaves the previous snapshot as it was. A run of many periods
computes them all first and stores them all in one transaction: a run is
wholly applied or not at all, so one run never leaves a mix of as-of dates.
"""

from __future__ import annotations

import csv
import io
import logging
import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from performance import indicators
from performance.catalogue import FIGURES_BY_KEY
from performance.models import Comparator, IndicatorRun, Population, Snapshot
from performance.periods import Period, reporting_periods
from yjs.audit.services import Action, audit_record
from yjs.dates import financial_quarter, financial_quarter_of
from yjs.queue import QUEUE_DOWN, enqueue_on_commit

logger = logging.getLogger(__name__)

INDICATORS = ("kpis", "kpi_return")


# --- Snapshots -----------------------------------------------------------------


def _jsonable(value):
    """The engine's dict as plain JSON (Decimals as numbers, dates as ISO)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, date):
        return value.isoformat()
    return value


def snapshot_compute(*, indicator: str, period_start: date, period_end: date, as_of: date) -> dict:
    """What the engine says for this indicator and period (no database write).

    ``kpis``: ``indicators.kpis`` for the period; ``kpi_return``:
    ``indicators.kpi_return`` for the financial quarter that is the period."""
    if period_end < period_start:
        raise ValueError(f"Period ends ({period_end}) before it starts ({period_start})")
    if indicator == "kpis":
        data = indicators.kpis(start=period_start, end=period_end, as_of=as_of)
    elif indicator == "kpi_return":
        quarter = financial_quarter_of(period_end)
        if financial_quarter(quarter) != (period_start, period_end):
            raise ValueError(f"{period_start}..{period_end} is not a financial quarter")
        data = indicators.kpi_return(quarter=quarter, as_of=as_of)
    else:
        raise ValueError(f"Unknown indicator {indicator!r}")
    return _jsonable(data)


def snapshot_store(
    *,
    indicator: str,
    period_start: date,
    period_end: date,
    as_of: date,
    data: dict,
    rules_version: str | None = None,
) -> Snapshot:
    """Store (or replace) the snapshot of (indicator, period) in one transaction."""
    with transaction.atomic():
        snapshot, _ = Snapshot.objects.update_or_create(
            indicator=indicator,
            period_start=period_start,
            period_end=period_end,
            defaults={
                "as_of": as_of,
                "rules_version": rules_version or indicators.RULES_VERSION,
                "computed_at": timezone.now(),
                "data": data,
            },
        )
    return snapshot


def snapshot_refresh(
    *, indicator: str, period_start: date, period_end: date, as_of: date
) -> Snapshot:
    data = snapshot_compute(
        indicator=indicator, period_start=period_start, period_end=period_end, as_of=as_of
    )
    return snapshot_store(
        indicator=indicator,
        period_start=period_start,
        period_end=period_end,
        as_of=as_of,
        data=data,
    )


Wanted = tuple[str, date, date]  # (indicator, period_start, period_end)


def current_periods(as_of: date) -> list[Wanted]:
    """The snapshots the nightly run keeps fresh (performance.periods): kpis for
    the eight 12-month periods ending on the last complete quarters and the
    eight latest complete reoffending cohorts; the last eight quarters' KPI
    return."""
    periods = reporting_periods(as_of)
    wanted: list[Wanted] = []
    for p in [*periods.kpis, *periods.reoffending]:
        item = ("kpis", p.start, p.end)
        if item not in wanted:
            wanted.append(item)
    wanted += [("kpi_return", p.start, p.end) for p in periods.quarters]
    return wanted


def snapshots_refresh(
    *, periods: list[Wanted], as_of: date, run: IndicatorRun | None = None
) -> list[Snapshot]:
    """Compute every period, then store them all in one transaction."""
    computed = []
    for n, (indicator, start, end) in enumerate(periods, start=1):
        computed.append(
            (
                indicator,
                start,
                end,
                snapshot_compute(
                    indicator=indicator, period_start=start, period_end=end, as_of=as_of
                ),
            )
        )
        if run is not None:
            _run_progress(
                run, percent=int(90 * n / len(periods)), stage=f"Computed {n} of {len(periods)}"
            )
    with transaction.atomic():
        return [
            snapshot_store(
                indicator=indicator, period_start=start, period_end=end, as_of=as_of, data=data
            )
            for indicator, start, end, data in computed
        ]


def snapshot_get_or_compute(*, indicator: str, period: Period, as_of: date) -> Snapshot:
    """The stored snapshot of the period; computed and stored first if there is
    none yet (the dashboard's "computed as needed")."""
    snapshot = Snapshot.objects.filter(
        indicator=indicator, period_start=period.start, period_end=period.end
    ).first()
    if snapshot is None:
        snapshot = snapshot_refresh(
            indicator=indicator, period_start=period.start, period_end=period.end, as_of=as_of
        )
    return snapshot


# --- Indicator runs (nightly and on request) ----------------------------------------


def _run_progress(run: IndicatorRun, *, percent: int, stage: str) -> None:
    IndicatorRun.objects.filter(pk=run.pk).update(progress=percent, stage=stage)


def indicator_run_request(*, user, as_of: date | None = None, request=None) -> IndicatorRun:
    """A manager asks for the snapshots to be recomputed now. The task is
    queued when the transaction commits (eagerly, it runs there and then)."""
    from performance import tasks

    with transaction.atomic():
        run = IndicatorRun.objects.create(trigger="manual", requested_by=user, as_of=as_of)
        audit_record(
            user=user,
            action=Action.GENERATE,
            obj=run,
            request=request,
            summary="Asked for the performance indicators to be recalculated",
        )

        def not_queued(exc: Exception) -> None:
            IndicatorRun.objects.filter(pk=run.pk, status=IndicatorRun.Status.QUEUED).update(
                status=IndicatorRun.Status.FAILED,
                stage="Failed",
                error=QUEUE_DOWN,
                finished_at=timezone.now(),
            )

        enqueue_on_commit(
            tasks.indicators_refresh,
            run_id=run.pk,
            as_of=as_of.isoformat() if as_of else None,
            on_failure=not_queued,
        )
    return run


def indicator_run_execute(
    *,
    run_id: int | None = None,
    as_of: date | None = None,
    periods: list[Wanted] | None = None,
    trigger: str = "nightly",
) -> IndicatorRun:
    """Run (or rerun) an indicator run. Idempotent: running it twice stores the
    same snapshots twice, replacing them. Re-raises a failure after recording
    it on the run, so Celery sees the task fail."""
    if run_id is not None:
        run = IndicatorRun.objects.get(pk=run_id)
    else:
        run = IndicatorRun.objects.create(trigger=trigger)
    as_of = as_of or run.as_of or timezone.localdate()
    wanted = periods if periods is not None else current_periods(as_of)
    IndicatorRun.objects.filter(pk=run.pk).update(
        status=IndicatorRun.Status.RUNNING,
        as_of=as_of,
        started_at=timezone.now(),
        progress=0,
        stage="Starting",
        error="",
    )
    try:
        stored = snapshots_refresh(periods=wanted, as_of=as_of, run=run)
    except Exception as exc:
        logger.exception("Indicator run %s failed", run.pk)
        IndicatorRun.objects.filter(pk=run.pk).update(
            status=IndicatorRun.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
            stage="Failed; the previous figures are unchanged",
        )
        raise
    IndicatorRun.objects.filter(pk=run.pk).update(
        status=IndicatorRun.Status.DONE,
        progress=100,
        stage="Finished",
        snapshots=len(stored),
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    _warm_pages(run)
    return run


def _warm_pages(run: IndicatorRun) -> None:
    """Work out the live aggregate pages that follow the runs, so the first
    manager to open them after the run does not wait. A failure here does not
    fail the run: the page works them out itself."""
    from performance.selectors.pages import disproportionality_page

    try:
        disproportionality_page(as_of=timezone.localdate())
    except Exception:
        logger.exception("Could not warm the disproportionality page after run %s", run.pk)


# --- Comparators ---------------------------------------------------------------------

COMPARATOR_COLUMNS = [
    "indicator",
    "period_start",
    "period_end",
    "group",
    "group_name",
    "value",
    "source",
]


@dataclass
class ComparatorUpload:
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _parse_date(text: str) -> date:
    return date.fromisoformat(text.strip())


def comparators_validate(*, text: str) -> tuple[list[dict], list[str]]:
    """Rows of the comparators CSV, and a message per problem ("Row 3: value:
    ..."). Row numbers count the header as row 1, as a spreadsheet does."""
    problems: list[str] = []
    rows: list[dict] = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in COMPARATOR_COLUMNS if c not in header]
    if missing:
        return [], [f"Row 1: the header is missing {', '.join(missing)}"]
    groups = {g.value for g in Comparator.Group}
    seen: dict[tuple, int] = {}
    for number, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.values()):
            continue
        row_problems = []
        if row["indicator"] not in FIGURES_BY_KEY:
            row_problems.append(f"indicator: {row['indicator']!r} is not a known indicator")
        dates = {}
        for name in ("period_start", "period_end"):
            try:
                dates[name] = _parse_date(row[name])
            except ValueError:
                row_problems.append(f"{name}: {row[name]!r} is not a date like 2024-06-30")
        if len(dates) == 2 and dates["period_end"] < dates["period_start"]:
            row_problems.append("period_end: the period ends before it starts")
        if row["group"] not in groups:
            row_problems.append(
                f"group: {row['group']!r} is not one of {', '.join(sorted(groups))}"
            )
        value = None
        try:
            value = Decimal(row["value"])
            if not value.is_finite():
                raise InvalidOperation
            if value < 0:
                row_problems.append("value: must not be negative")
            elif value >= Decimal("1e10"):
                row_problems.append("value: is too large")
        except InvalidOperation:
            row_problems.append(f"value: {row['value']!r} is not a number")
        if len(row["group_name"]) > 100:
            row_problems.append("group_name: must be 100 characters or fewer")
        if len(row["source"]) > 200:
            row_problems.append("source: must be 200 characters or fewer")
        if not row_problems:
            key = (row["indicator"], dates["period_start"], dates["period_end"], row["group"])
            if key in seen:
                row_problems.append(f"repeats row {seen[key]} (same indicator, period and group)")
            seen[key] = number
        if row_problems:
            problems += [f"Row {number}: {p}" for p in row_problems]
            continue
        rows.append(
            {
                "indicator": row["indicator"],
                "period_start": dates["period_start"],
                "period_end": dates["period_end"],
                "group": row["group"],
                "group_name": row["group_name"],
                "value": value.quantize(Decimal("0.01")),
                "source": row["source"],
            }
        )
    if not rows and not problems:
        problems.append("The file has no rows")
    return rows, problems


def comparators_upload(*, text: str, user, request=None) -> ComparatorUpload:
    """All or nothing: if any row has a problem nothing is saved. A row for an
    (indicator, period, group) already held replaces it."""
    result = ComparatorUpload()
    rows, result.problems = comparators_validate(text=text)
    if result.problems:
        return result
    with transaction.atomic():
        for row in rows:
            _, created = Comparator.objects.update_or_create(
                indicator=row["indicator"],
                period_start=row["period_start"],
                period_end=row["period_end"],
                group=row["group"],
                defaults={k: row[k] for k in ("group_name", "value", "source")},
            )
            if created:
                result.created += 1
            else:
                result.updated += 1
        audit_record(
            user=user,
            action=Action.IMPORT,
            object_type="performance.comparator",
            request=request,
            summary=f"Uploaded comparators: {result.created} added, {result.updated} replaced",
        )
    return result


# --- Population ---------------------------------------------------------------------


def population_set(
    *, year: int, estimates: dict[tuple[str, str], int | None], user, request=None
) -> int:
    """Set the 10–17 estimates of ``year`` by (sex, ethnicity); ``None``
    removes one. Returns the number of estimates held for the year."""
    with transaction.atomic():
        for (sex, ethnicity), value in estimates.items():
            if value is None:
                Population.objects.filter(year=year, sex=sex, ethnicity=ethnicity).delete()
            else:
                Population.objects.update_or_create(
                    year=year, sex=sex, ethnicity=ethnicity, defaults={"population": value}
                )
        audit_record(
            user=user,
            action=Action.UPDATE,
            object_type="performance.population",
            object_id=year,
            request=request,
            summary=f"Set the population estimates for {year}",
        )
        return Population.objects.filter(year=year).count()
