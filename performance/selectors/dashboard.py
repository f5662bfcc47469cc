"""The dashboard: every figure of the catalogue with the previous period, the
change, comparators, RAG and the eight-quarter trend, from snapshots computed
as needed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cases import vocab
from performance import charts, services
from performance.catalogue import (
    FIGURES,
    HIGHER,
    KPI_RETURN,
    LOWER,
    REOFFENDING,
    SNAPSHOT_INDICATOR,
    Figure,
    dig,
)
from performance.models import Comparator, IndicatorRun, Snapshot
from performance.periods import Period, ReportingPeriods, reporting_periods

# --- RAG ------------------------------------------------------------------------

# The RAG rule, stated once (the dashboard and the board pack print it):
RAG_RULE = (
    "Green: as good as or better than the England figure for the same period. "
    "Amber: worse, but by no more than 5% of the England figure. "
    "Red: worse by more than 5%. "
    "Grey: no England figure, no figure of our own, or no agreed direction of good."
)
AMBER_TOLERANCE = 0.05

RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red", "grey": "Grey"}


def rag_status(value, england, good: str | None) -> str:
    """Green / amber / red / grey (RAG_RULE)."""
    if value is None or england is None or good not in (LOWER, HIGHER):
        return "grey"
    value, england = float(value), float(england)
    worse_by = value - england if good == LOWER else england - value
    if worse_by <= 0:
        return "green"
    if england != 0 and worse_by <= AMBER_TOLERANCE * abs(england):
        return "amber"
    return "red"


# --- Formatting -----------------------------------------------------------------


def format_value(value, unit: str = "", decimals: int = 2) -> str:
    if value is None:
        return "No figure"
    text = f"{float(value):,.{decimals}f}"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip()


def change_text(this, previous, good: str | None, unit: str = "", decimals: int = 2) -> str:
    if this is None or previous is None:
        return "No comparison"
    diff = round(float(this) - float(previous), decimals)
    if diff == 0:
        return "No change"
    direction = "Up" if diff > 0 else "Down"
    amount = format_value(abs(diff), "percentage points" if unit == "%" else unit, decimals)
    verdict = ""
    if good in (LOWER, HIGHER):
        better = (diff < 0) if good == LOWER else (diff > 0)
        verdict = " (better)" if better else " (worse)"
    return f"{direction} {amount}{verdict}"


# --- Snapshots as needed ----------------------------------------------------------


def periods_for(source: str, periods: ReportingPeriods) -> list[Period]:
    if source == REOFFENDING:
        return periods.reoffending
    if source == KPI_RETURN:
        return periods.quarters
    return periods.kpis


def snapshots_for(periods: ReportingPeriods, *, as_of: date) -> dict[tuple, Snapshot]:
    """Snapshots of every period the dashboard shows, keyed by (indicator,
    start, end); a missing one is computed and stored now."""
    wanted = {
        (SNAPSHOT_INDICATOR[source], p.start, p.end)
        for source in SNAPSHOT_INDICATOR
        for p in periods_for(source, periods)
    }
    query = Q()
    for indicator, start, end in wanted:
        query |= Q(indicator=indicator, period_start=start, period_end=end)
    found = {(s.indicator, s.period_start, s.period_end): s for s in Snapshot.objects.filter(query)}
    for indicator, start, end in sorted(wanted - set(found)):
        found[(indicator, start, end)] = services.snapshot_get_or_compute(
            indicator=indicator, period=Period(start, end), as_of=as_of
        )
    return found


# --- Comparators -----------------------------------------------------------------


@dataclass
class ComparatorFigure:
    group: str
    group_label: str
    group_name: str
    value: float
    period: Period
    source: str
    exact: bool

    unit: str = ""
    decimals: int = 2

    @property
    def display_name(self) -> str:
        if self.group_name and self.group_name != self.group_label:
            return f"{self.group_label}: {self.group_name}"
        return self.group_label

    @property
    def display(self) -> str:
        return format_value(self.value, self.unit, self.decimals)


def _comparators_by_indicator() -> dict[str, list[Comparator]]:
    result: dict[str, list[Comparator]] = {}
    for c in Comparator.objects.order_by("indicator", "-period_end", "group"):
        result.setdefault(c.indicator, []).append(c)
    return result


def comparators_for(rows: list[Comparator], period: Period) -> list[ComparatorFigure]:
    """The comparators for exactly this period; else, per group, the latest
    published for a period ending on or before it (published figures lag)."""
    labels = dict(Comparator.Group.choices)
    chosen: dict[str, Comparator] = {}
    for c in rows:  # newest first
        if c.period_end > period.end:
            continue
        exact = c.period_start == period.start and c.period_end == period.end
        current = chosen.get(c.group)
        if current is None or (
            exact
            and not (current.period_start == period.start and current.period_end == period.end)
        ):
            chosen[c.group] = c
    order = [g.value for g in Comparator.Group]
    return [
        ComparatorFigure(
            group=c.group,
            group_label=labels.get(c.group, c.group),
            group_name=c.group_name,
            value=float(c.value),
            period=Period(c.period_start, c.period_end),
            source=c.source,
            exact=c.period_start == period.start and c.period_end == period.end,
        )
        for c in sorted(chosen.values(), key=lambda c: order.index(c.group))
    ]


def _england(comparators: list[ComparatorFigure]) -> ComparatorFigure | None:
    for group in (Comparator.Group.ENGLAND, Comparator.Group.ENGLAND_AND_WALES):
        for c in comparators:
            if c.group == group:
                return c
    return None


# --- The dashboard ------------------------------------------------------------------


@dataclass
class TrendPoint:
    period: Period
    value: float | None
    display: str
    england: float | None = None
    england_display: str = ""


@dataclass
class FigureRow:
    figure: Figure
    period: Period
    previous_period: Period
    value: float | None
    previous: float | None
    display: str
    previous_display: str
    change: str
    count: int | None
    comparators: list[ComparatorFigure]
    england: ComparatorFigure | None
    rag: str
    trend: list[TrendPoint]
    chart_svg: str
    snapshot: Snapshot
    drill_url: str | None = None
    note: str = ""
    breakdown: list[dict] = field(default_factory=list)

    @property
    def rag_label(self) -> str:
        return RAG_LABELS[self.rag]


@dataclass
class Dashboard:
    as_of: date
    periods: ReportingPeriods
    sections: list[tuple[str, list[FigureRow]]]
    snapshot_as_of: date | None
    computed_at: object
    rules_version: str
    latest_run: IndicatorRun | None
    rag_rule: str = RAG_RULE
    rows: list[FigureRow] = field(default_factory=list)


def drill_url(figure_name: str, period: Period, as_of: date) -> str:
    query = urlencode(
        {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "as_of": as_of.isoformat(),
        }
    )
    return f"{reverse('performance:drill', kwargs={'figure': figure_name})}?{query}"


def chart_for(figure: Figure, trend: list[TrendPoint]) -> str:
    """The trend chart, cached by its inputs (drawing takes ~50 ms)."""
    points = [(p.period.label, p.value) for p in trend]
    england = [(p.period.label, p.england) for p in trend]
    key_source = json.dumps([figure.key, figure.label, figure.good, points, england], default=str)
    key = "perf-chart-" + hashlib.sha256(key_source.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = charts.trend_chart_svg(
            points,
            title=figure.label,
            good_direction=figure.good,
            comparator=england if any(v is not None for _, v in england) else None,
            comparator_label="England",
        )
        cache.set(key, svg, 24 * 3600)
    return svg


def figure_row(
    figure: Figure,
    *,
    periods: ReportingPeriods,
    snapshots: dict[tuple, Snapshot],
    comparators: dict[str, list[Comparator]],
    can_drill: bool,
    with_chart: bool = True,
) -> FigureRow:
    indicator = SNAPSHOT_INDICATOR[figure.source]
    trend_periods = periods_for(figure.source, periods)
    rows = comparators.get(figure.key, [])
    trend = []
    for p in trend_periods:
        data = snapshots[(indicator, p.start, p.end)].data
        value = figure.value(data)
        exact = [c for c in comparators_for(rows, p) if c.exact]
        england = _england(exact)
        trend.append(
            TrendPoint(
                period=p,
                value=value,
                display=format_value(value, figure.unit, figure.decimals),
                england=england.value if england else None,
                england_display=format_value(england.value, figure.unit, figure.decimals)
                if england
                else "",
            )
        )
    period, previous_period = trend_periods[-1], trend_periods[-2]
    snapshot = snapshots[(indicator, period.start, period.end)]
    this, previous = trend[-1].value, trend[-2].value
    comps = comparators_for(rows, period)
    for c in comps:
        c.unit, c.decimals = figure.unit, figure.decimals
    england = _england(comps)
    note = ""
    if figure.source == REOFFENDING:
        complete = (snapshot.data.get("reoffending") or {}).get("complete")
        note = f"Cohort of children with an index event from {period.description}" + (
            "" if complete else "; later outcomes may still raise these figures"
        )
    url = None
    if can_drill and figure.drill:
        url = drill_url(figure.drill, period, snapshot.as_of)
    return FigureRow(
        figure=figure,
        period=period,
        previous_period=previous_period,
        value=this,
        previous=previous,
        display=format_value(this, figure.unit, figure.decimals),
        previous_display=format_value(previous, figure.unit, figure.decimals),
        change=change_text(this, previous, figure.good, figure.unit, figure.decimals),
        count=figure.count(snapshot.data),
        comparators=comps,
        england=england,
        rag=rag_status(this, england.value if england else None, figure.good),
        trend=trend,
        chart_svg=chart_for(figure, trend) if with_chart else "",
        snapshot=snapshot,
        drill_url=url,
        note=note,
        breakdown=_breakdown(figure, snapshot, period, can_drill),
    )


def _breakdown(figure: Figure, snapshot: Snapshot, period: Period, can_drill: bool) -> list[dict]:
    """Counts per value (e.g. each OOCD decision), from the same snapshot."""
    if not figure.breakdown_path:
        return []
    labels = dict(vocab.OOCD_DECISION) if figure.breakdown_path[0] == "oocd" else {}
    counts = dig(snapshot.data, figure.breakdown_path) or {}
    return [
        {
            "label": labels.get(value, value),
            "count": count,
            "url": drill_url(f"{figure.drill}.{value}", period, snapshot.as_of)
            if can_drill and figure.drill
            else None,
        }
        for value, count in counts.items()
    ]


def dashboard(
    *, as_of: date | None = None, can_drill: bool = False, with_charts: bool = True
) -> Dashboard:
    """Every figure of the catalogue for the current reporting periods
    (performance.periods): this period, the previous one, the change,
    comparators, RAG and the eight-quarter trend."""
    as_of = as_of or timezone.localdate()
    periods = reporting_periods(as_of)
    snapshots = snapshots_for(periods, as_of=as_of)
    comparators = _comparators_by_indicator()
    rows = [
        figure_row(
            f,
            periods=periods,
            snapshots=snapshots,
            comparators=comparators,
            can_drill=can_drill,
            with_chart=with_charts,
        )
        for f in FIGURES
    ]
    sections: list[tuple[str, list[FigureRow]]] = []
    for row in rows:
        if not sections or sections[-1][0] != row.figure.section:
            sections.append((row.figure.section, []))
        sections[-1][1].append(row)
    current = snapshots[("kpis", periods.current.start, periods.current.end)]
    return Dashboard(
        as_of=as_of,
        periods=periods,
        sections=sections,
        rows=rows,
        snapshot_as_of=current.as_of,
        computed_at=current.computed_at,
        rules_version=current.rules_version,
        latest_run=latest_run(),
    )


def latest_run() -> IndicatorRun | None:
    return IndicatorRun.objects.select_related("requested_by").first()


def run_in_progress(run: IndicatorRun | None) -> bool:
    """Queued or running, and not older than the task time limit (a worker that
    was killed leaves its run "running"; after the limit we stop saying so)."""
    if run is None or run.status not in (IndicatorRun.Status.QUEUED, IndicatorRun.Status.RUNNING):
        return False
    limit = timedelta(seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", 3600))
    return timezone.now() - run.created_at < limit


# --- Drill-down ----------------------------------------------------------------------


def child_url(child_id) -> str | None:
    """The child's page, if the casework app has one."""
    try:
        return reverse("cases:child", kwargs={"pk": child_id})
    except NoReverseMatch:
        return None
