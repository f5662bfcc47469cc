"""Pages that name children (Cap.DRILL_DOWN): the records behind a figure, the
live reoffending tracker, data completeness; and the KPI return."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from cases.models import Child
from performance import indicators, services
from performance.catalogue import (
    FIGURES,
)
from performance.periods import Period, reporting_periods
from performance.selectors.dashboard import child_url

# --- The records behind a figure ------------------------------------------------------------

CHILD_KEYS = ("child_id", "child")
HIDDEN_COLUMNS = {"child_id", "child", "child_pk", "given_name", "family_name", "child_name"}


def _label(column: str) -> str:
    return column.replace("_", " ").capitalize()


def figure_records(*, user, figure: str, period: Period, as_of: date, request=None) -> dict:
    """The records behind a dashboard figure, from ``indicators.records_behind``
    (the same QuerySet the figure counts). Each row names the child, linked to
    the child's page when the user may open it. The view is audited."""
    from yjs.audit.services import Action, audit_record

    rows = indicators.records_behind(figure, start=period.start, end=period.end, as_of=as_of)
    columns, table = _child_rows(user, rows)
    audit_record(
        user=user,
        action=Action.VIEW,
        object_type="performance.drill_down",
        object_id=figure[:64],
        request=request,
        summary=f"Viewed the records behind {figure} for {period.description}",
    )
    catalogue_figure = next((f for f in FIGURES if f.drill == figure), None)
    return {
        "figure": figure,
        "label": (catalogue_figure.count_label or catalogue_figure.label).capitalize()
        if catalogue_figure
        else _label(figure),
        "period": period,
        "as_of": as_of,
        "columns": columns,
        "rows": table,
    }


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value:%-d %b %Y}"
    return str(value)


def _child_rows(user, rows: list[dict]) -> tuple[list[str], list[dict]]:
    """Rows of the engine (each with ``child_id``) as table rows naming the child."""
    from yjs.permissions import may_open_child

    children = {c.pk: c for c in Child.objects.filter(pk__in={r.get("child_id") for r in rows})}
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in HIDDEN_COLUMNS and not key.endswith("_pk") and key not in columns:
                columns.append(key)
    table = []
    for row in rows:
        child = children.get(row.get("child_id"))
        table.append(
            {
                "child": child,
                "child_url": child_url(child.pk) if child and may_open_child(user, child) else None,
                "cells": [_display(row.get(c)) for c in columns],
            }
        )
    return [_label(c) for c in columns], table


# --- Live reoffending tracker ------------------------------------------------------------


def reoffending_tracker(*, user, as_of: date | None = None, request=None) -> dict:
    """Children whose 12-month follow-up or 18-month proof window is still
    running (indicators.reoffending_tracker). Audited: it names children."""
    from yjs.audit.services import Action, audit_record

    as_of = as_of or timezone.localdate()
    rows = indicators.reoffending_tracker(as_of=as_of)
    columns, table = _child_rows(user, rows)
    audit_record(
        user=user,
        action=Action.VIEW,
        object_type="performance.reoffending_tracker",
        request=request,
        summary=f"Viewed the live reoffending tracker as of {as_of}",
    )
    return {
        "as_of": as_of,
        "columns": columns,
        "rows": table,
        "reoffended": sum(1 for r in rows if r.get("reoffended_so_far")),
    }


# --- The KPI return ---------------------------------------------------------------------------


def default_quarter(as_of: date | None = None) -> str:
    return reporting_periods(as_of or timezone.localdate()).quarter.quarter


def kpi_return_summary(*, quarter: str, as_of: date | None = None) -> dict:
    """The return for the quarter: the stored snapshot when no as-of is asked
    for (computed now if there is none), else computed for that as-of. Both
    are ``indicators.kpi_return``."""
    from performance import kpi_export
    from performance.periods import quarter_period

    period = quarter_period(quarter)
    if as_of is None:
        snapshot = services.snapshot_get_or_compute(
            indicator="kpi_return", period=period, as_of=timezone.localdate()
        )
        data, as_of, computed_at = snapshot.data, snapshot.as_of, snapshot.computed_at
    else:
        data, computed_at = indicators.kpi_return(quarter=quarter, as_of=as_of), None
    return {
        "quarter": quarter,
        "period": period,
        "as_of": as_of,
        "computed_at": computed_at,
        "data": data,
        "table": kpi_export.summary_table(data),
    }


def kpi_return_file(*, quarter: str, as_of: date, fmt: str) -> tuple[bytes, str, str]:
    """The return as a file (kpi_export, the engine's writer): ``xlsx`` (the
    workbook) or ``csv`` (the breakdown table)."""
    import tempfile
    from pathlib import Path

    from performance import kpi_export

    with tempfile.TemporaryDirectory(prefix="kpi-return-") as tmp:
        if fmt == "xlsx":
            path = kpi_export.write_xlsx(
                Path(tmp) / f"kpi_return_{quarter}.xlsx", quarter=quarter, as_of=as_of
            )
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        elif fmt == "csv":
            path = kpi_export.write_csv(Path(tmp), quarter=quarter, as_of=as_of)[0]
            content_type = "text/csv; charset=utf-8"
        else:
            raise ValueError(f"Unknown format {fmt!r}")
        return path.read_bytes(), path.name, content_type


# --- Data completeness -------------------------------------------------------------------------


def data_completeness(*, user, quarter: str, as_of: date | None = None, request=None) -> dict:
    """Children in the quarter's KPI population (orders ending) whose records
    would count against, or drop out of, a KPI because something is missing:
    no primary-residence accommodation episode open at the order's end, no
    ETE episode open at the end, suitability recorded as not known, or
    ethnicity not known (the breakdowns). Unknown counts as unsuitable
    (domain.md, 2023 KPIs), so these are worth fixing before the return."""
    from cases.models import AccommodationEpisode, EteEpisode
    from yjs.audit.services import Action, audit_record

    as_of = as_of or timezone.localdate()
    population = indicators.records_behind("children", quarter=quarter, as_of=as_of)
    ids = [r["child_id"] for r in population]
    accommodation: dict[int, list] = {}
    for e in AccommodationEpisode.objects.filter(child_id__in=ids, primary_residence=True):
        accommodation.setdefault(e.child_id, []).append(e)
    ete: dict[int, list] = {}
    for e in EteEpisode.objects.filter(child_id__in=ids):
        ete.setdefault(e.child_id, []).append(e)
    ethnicity = dict(Child.objects.filter(pk__in=ids).values_list("pk", "ethnicity"))

    def open_on(episodes, day):
        return [
            e for e in episodes if e.start_date <= day and (e.end_date is None or e.end_date >= day)
        ]

    rows = []
    for order in population:
        end = order["end"]
        problems = []
        acc = open_on(accommodation.get(order["child_id"], []), end)
        if not acc:
            problems.append("No accommodation (primary residence) recorded on the order's end date")
        elif any(e.suitability == "unknown" for e in acc):
            problems.append("Accommodation suitability not known at the end")
        edu = open_on(ete.get(order["child_id"], []), end)
        if not edu:
            problems.append("No education, training or employment recorded on the order's end date")
        elif any(e.suitability == "unknown" for e in edu):
            problems.append("ETE suitability not known at the end")
        if ethnicity.get(order["child_id"]) == "not_known":
            problems.append("Ethnicity not known")
        if problems:
            rows.append({**order, "missing": "; ".join(problems)})
    columns, table = _child_rows(user, rows)
    audit_record(
        user=user,
        action=Action.VIEW,
        object_type="performance.data_completeness",
        request=request,
        summary=f"Viewed the data completeness list for {quarter}",
    )
    return {
        "quarter": quarter,
        "as_of": as_of,
        "population": len(population),
        "columns": columns,
        "rows": table,
    }
