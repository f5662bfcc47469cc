"""The quarterly board pack (domain.md, "What the board pack contains").

``board_pack_request`` records a pack to be generated and queues the Celery
task; ``board_pack_build`` (the task's body) gathers every section's data,
renders the HTML and turns it into a PDF through ``yjs.pdf.html_to_pdf``.

Where the figures come from (architecture.md: every figure in a pack is
computed by the same function that ``kpis`` / ``kpi_return`` print):
- the national indicators and the 2023 KPI headlines: snapshots, i.e. the
  stored output of ``performance.indicators.kpis`` / ``kpi_return``, laid
  out by ``performance.selectors.figure_row`` exactly as the dashboard does;
- the 2023 KPIs by type of order: the engine's ``kpi_return_breakdown`` (the
  same rows as the XLSX/CSV return);
- caseload profile and disproportionality: ``performance.selectors``;
  OOCD panel: ``panels.selectors``; board records: ``governance.selectors``.

Snapshots: a stored snapshot is used when it was computed from data as of the
pack's ``as_of`` under the current rules; otherwise it is recomputed and
stored (when the pack's as-of is not older than the stored one, so a pack
never winds the dashboard back) or computed for this pack alone. The pack
records the stored snapshots it used, its as-of and the rules version.

Small numbers (the pack goes to board members, who never see personal
data): in the *breakdown* tables (caseload profile, OOCD panel decisions in
the quarter, victims, remands, the 2023 KPIs by type of order,
disproportionality by group) a count from 1 to 4 is shown as "<5" and a
percentage of it is withheld, because a child could be identified from it.
The *headline* figures (each national indicator with its counts, and the
2023 KPI "All orders" column) are printed exactly as ``kpis`` / ``kpi_return``
compute them: they are the published statistics.

Immutability: a pack once ``done`` never changes (``board_pack_build``
refuses it); the PDF, its hash and the metadata are written in one
transaction at the end, so a failure leaves status ``failed`` with the error
and no PDF bytes.
"""

from __future__ import annotations

import hashlib
import io
import logging
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from cases import vocab
from performance import indicators, services
from performance.catalogue import FIGURES_BY_KEY, KPI_2023, SNAPSHOT_INDICATOR
from performance.models import BoardPack, BoardPackCommentary, Snapshot
from performance.periods import (
    Period,
    ReportingPeriods,
    quarter_ends,
    quarter_period,
    reoffending_cohort_end,
    twelve_months_ending,
)
from yjs.audit.services import Action, audit_record
from yjs.dates import add_months, financial_quarter, quarter_label
from yjs.queue import QUEUE_DOWN, enqueue_on_commit

logger = logging.getLogger(__name__)

# (key, title): the pack's sections in order; managers write commentary per key.
SECTIONS: list[tuple[str, str]] = [
    ("summary", "Executive summary"),
    ("fte", "First time entrants"),
    ("reoffending", "Proven reoffending"),
    ("custody", "Use of custody"),
    ("serious_violence", "Serious violence"),
    ("oocd", "Out-of-court disposals"),
    ("caseload", "Caseload profile"),
    ("panel", "Out-of-court disposal panel: activity and timeliness"),
    ("victims", "Victims and restorative justice"),
    ("remands", "Remands and custody"),
    ("kpis2023", "The 2023 key performance indicators by type of order"),
    ("disproportionality", "Disproportionality"),
    ("attendance", "Management board attendance (KPI 8)"),
    ("budget", "Budget and staffing"),
    ("actions", "Actions, plan priorities and risks"),
]
SECTION_TITLES = dict(SECTIONS)

# The national indicator sections and the catalogue figures each shows.
NATIONAL_SECTIONS: dict[str, list[str]] = {
    "fte": ["fte_rate_per_100k"],
    "reoffending": ["reoffending_binary_rate_pct", "reoffending_reoffences_per_reoffender"],
    "custody": ["custody_rate_per_1000", "custody_pct_of_court_sentences"],
    "serious_violence": ["serious_violence_rate_per_10k"],
    "oocd": ["oocd_diverted_pct", "oocd_days_to_decision_median"],
}

TYPE_OF_ORDER_LABELS = {
    "diversion": "Diversion",
    "youth_caution": "Youth caution",
    "youth_conditional_caution": "Youth conditional caution",
    "referral_order": "Referral order",
    "yro": "Youth rehabilitation order",
    "custody": "Custody",
}

# Rows of the 2023 KPIs table: (label, count path, percentage path or None).
KPI_TABLE_ROWS: list[tuple[str, tuple[str, ...], tuple[str, ...] | None]] = [
    ("Children with an order ending", ("children",), None),
    (
        "KPI 1: in suitable accommodation at the end",
        ("accommodation", "suitable_at_end"),
        ("accommodation", "pct_suitable_at_end"),
    ),
    (
        "KPI 2: in suitable ETE at the end",
        ("ete", "suitable_at_end"),
        ("ete", "pct_suitable_at_end"),
    ),
    ("KPI 3: SEND identified", ("send", "identified"), None),
    ("KPI 3: SEND with a formal plan", ("send", "with_plan"), ("send", "pct_with_plan")),
    ("KPI 4: mental health need", ("mental_health", "need"), ("mental_health", "pct_need")),
    (
        "KPI 4: attended mental health support",
        ("mental_health", "attended"),
        ("mental_health", "pct_attended"),
    ),
    (
        "KPI 5: substance misuse need",
        ("substance_misuse", "need"),
        ("substance_misuse", "pct_need"),
    ),
    (
        "KPI 5: attended substance misuse support",
        ("substance_misuse", "attended"),
        ("substance_misuse", "pct_attended"),
    ),
    ("KPI 6: out-of-court disposals ended", ("oocd", "ended"), None),
    ("KPI 6: completed successfully", ("oocd", "completed"), ("oocd", "pct_completed")),
    (
        "KPI 7: linked to wider services",
        ("wider_services", "supported"),
        ("wider_services", "pct_supported"),
    ),
    ("KPI 10: victims who consented to contact", ("victims", "consented"), None),
    (
        "KPI 10: engaged with restorative justice",
        ("victims", "engaged"),
        ("victims", "pct_engaged"),
    ),
]

VICTIM_ROWS = [
    ("Victims linked to orders ending", "victims"),
    ("Consented to contact", "consented"),
    ("Contacted", "contacted"),
    ("Views sought before the decision or plan", "views_sought"),
    ("Engaged with restorative justice", "engaged"),
    ("Asked for progress information", "progress_requested"),
    ("Given progress information", "progress_provided"),
    ("Asked for support information", "support_requested"),
    ("Given support information", "support_provided"),
]


class BoardPackError(Exception):
    """A pack that cannot be generated, with a message for the person who asked."""


# --- Small numbers ---------------------------------------------------------------------


def small(count) -> str:
    """A count for a breakdown table: 1 to 4 shown as "<5" (see module docstring)."""
    if count is None:
        return "–"
    if 1 <= int(count) <= 4:
        return "<5"
    return f"{int(count):,}"


def small_pct(count, percentage) -> str:
    """A percentage beside a suppressed count would reveal it: withheld too."""
    if percentage is None:
        return "–"
    if count is not None and 1 <= int(count) <= 4:
        return "*"
    return f"{float(percentage):.2f}%"


def exact(value, decimals: int = 2, unit: str = "") -> str:
    """A headline figure, as the engine computed it."""
    if value is None:
        return "No figure"
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{float(value):,.{decimals}f}"
    return f"{text}%" if unit == "%" else text


def css_string(text: str) -> str:
    """Text for a CSS string in the template's @page rules (quoted with ")."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def _dig(data, path):
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


# --- Periods and snapshots -------------------------------------------------------------


def pack_periods(quarter: str, as_of: date, *, kpi_return_quarters: int = 2) -> ReportingPeriods:
    """The periods a pack for ``quarter`` reports (performance.periods, anchored
    on the quarter's end instead of the last complete quarter): the eight
    12-month periods ending on the quarter ends up to this one; the latest
    complete reoffending cohort, not after the quarter (indicators.md,
    "Conventional cohort"), and the seven before it; the quarter itself and
    the one before for the 2023 KPI headlines."""
    end = quarter_period(quarter).end
    ends = quarter_ends(end)
    cohort_end = min(reoffending_cohort_end(as_of), end)
    return ReportingPeriods(
        as_of=as_of,
        kpis=[twelve_months_ending(e) for e in ends],
        reoffending=[twelve_months_ending(e) for e in quarter_ends(cohort_end)],
        quarters=[
            Period(add_months(e + timedelta(days=1), -3), e) for e in ends[-kpi_return_quarters:]
        ],
    )


def _snapshot(indicator: str, period: Period, as_of: date) -> Snapshot:
    stored = Snapshot.objects.filter(
        indicator=indicator, period_start=period.start, period_end=period.end
    ).first()
    if (
        stored is not None
        and stored.as_of == as_of
        and stored.rules_version == indicators.RULES_VERSION
    ):
        return stored
    if stored is None or stored.as_of <= as_of:
        return services.snapshot_refresh(
            indicator=indicator, period_start=period.start, period_end=period.end, as_of=as_of
        )
    # Older as-of than what the dashboard holds: compute for this pack only.
    return Snapshot(
        indicator=indicator,
        period_start=period.start,
        period_end=period.end,
        as_of=as_of,
        rules_version=indicators.RULES_VERSION,
        computed_at=timezone.now(),
        data=services.snapshot_compute(
            indicator=indicator, period_start=period.start, period_end=period.end, as_of=as_of
        ),
    )


def pack_snapshots(periods: ReportingPeriods, *, progress=None) -> dict[tuple, Snapshot]:
    from performance.selectors import periods_for

    wanted = []
    for source, indicator in SNAPSHOT_INDICATOR.items():
        for p in periods_for(source, periods):
            key = (indicator, p.start, p.end)
            if key not in wanted:
                wanted.append(key)
    found = {}
    for n, (indicator, start, end) in enumerate(wanted, start=1):
        found[(indicator, start, end)] = _snapshot(indicator, Period(start, end), periods.as_of)
        if progress:
            progress(5 + int(45 * n / len(wanted)), f"Indicators: {n} of {len(wanted)} periods")
    return found


# --- Sections ------------------------------------------------------------------------------


def _kpis_by_type_of_order(quarter: str, as_of: date) -> dict:
    """The 2023 KPIs for each type of order, from the engine's own breakdown
    (kpi2023.kpi_return_breakdown, as the XLSX/CSV return), reshaped to the
    ``kpi_return`` layout per type."""
    from performance.indicators.kpi2023 import kpi_return_breakdown

    by_type: dict[str, dict] = {}
    for row in kpi_return_breakdown(quarter, as_of):
        if row["dimension"] != "type_of_order":
            continue
        result = by_type.setdefault(row["group"], {})
        if row["kpi"] == "population":
            result[row["measure"]] = row["value"]
        else:
            result.setdefault(row["kpi"], {})[row["measure"]] = row["value"]
    return by_type


def _kpi_table(headline: dict, by_type: dict) -> dict:
    types = list(TYPE_OF_ORDER_LABELS)
    rows = []
    for label, count_path, pct_path in KPI_TABLE_ROWS:
        count = _dig(headline, count_path)
        all_cell = exact(count)
        if pct_path is not None:
            all_cell += f" ({exact(_dig(headline, pct_path), unit='%')})"
        cells = []
        for name in types:
            n = _dig(by_type.get(name, {}), count_path)
            cell = small(n)
            if pct_path is not None and n:
                cell += f" ({small_pct(n, _dig(by_type[name], pct_path))})"
            cells.append(cell)
        rows.append({"label": label, "all": all_cell, "cells": cells})
    return {"types": [TYPE_OF_ORDER_LABELS[t] for t in types], "rows": rows}


def _remands(start: date, end: date) -> dict:
    """Remands starting in the quarter, and children on remand at its end, by
    type (aggregates of the remand records; not a national indicator)."""
    from cases import vocab
    from cases.models import Remand

    started = dict(
        Remand.objects.filter(start_date__range=(start, end))
        .order_by()
        .values_list("remand_type")
        .annotate(n=Count("child", distinct=True))
    )
    open_at_end = dict(
        Remand.objects.filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=end))
        .order_by()
        .values_list("remand_type")
        .annotate(n=Count("child", distinct=True))
    )
    return {
        "rows": [
            {
                "label": label,
                "started": small(started.get(code, 0)),
                "open": small(open_at_end.get(code, 0)),
            }
            for code, label in vocab.REMAND_TYPE
        ]
    }


def _panel(quarter: str, as_of: date) -> dict:
    from panels import selectors as panel_selectors
    from panels import timeliness

    report = panel_selectors.panel_report(quarter=quarter)
    decided = panel_selectors.decided_in(start=report["start"], end=report["end"]).values_list(
        "referral_date", "panel_date"
    )
    late = sum(
        1
        for referral, panel in decided
        if timeliness.is_late(referral, decided_on=panel, today=as_of)
    )
    total = report["total"]
    return {
        "total": total,
        "rows": [
            {
                "label": r["label"],
                "count": small(r["count"]),
                "pct": small_pct(r["count"], r["pct"]),
            }
            for r in report["decision_rows"]
        ],
        "median_days": report["figures"]["days_to_decision_median"],
        "diverted_pct": report["figures"]["diverted_pct"],
        "late": small(late),
        "on_time": small(total - late),
        "threshold": timeliness.threshold(),
    }


def _caseload(on: date) -> dict:
    from performance.selectors import caseload_profile

    profile = caseload_profile(on=on)

    def rows(items):
        return [
            {
                "label": r["label"],
                "count": small(r["count"]),
                "pct": small_pct(r["count"], r["pct"]),
            }
            for r in items
        ]

    return {
        "on": on,
        "total": profile["total"],
        "by_sex": rows(profile["by_sex"]),
        "by_age": rows([r for r in profile["by_age"] if r["code"] != "other" or r["count"]]),
        "by_type": rows(profile["by_type"]),
        "statuses": rows(profile["statuses"]),
        "average_seriousness": profile["average_seriousness"],
    }


def _disproportionality(as_of: date) -> dict:
    from performance.selectors import disproportionality

    data = disproportionality(as_of=as_of)

    def rows(items):
        return [
            {
                "label": r["label"],
                "population": exact(r["population"]) if r["population"] is not None else "–",
                "cells": [
                    {
                        "count": small(c["count"]),
                        "rate": "*" if c["count"] and c["count"] < 5 else exact(c["rate"]),
                        "rri": "*" if c["count"] and c["count"] < 5 else exact(c["rri"]),
                    }
                    for c in r["cells"]
                ],
            }
            for r in items
        ]

    return {
        "period": data["period"],
        "figures": data["figures"],
        "by_ethnicity": rows(data["by_ethnicity"]),
        "by_sex": rows(data["by_sex"]),
    }


@dataclass
class PackContent:
    context: dict
    snapshots: list[Snapshot]


def pack_content(
    *, quarter: str, as_of: date, commentary: dict[str, str], progress=None
) -> PackContent:
    """Everything the pack prints, gathered from the engine, the snapshots and
    the selectors. ``progress(percent, stage)`` is called as it goes."""
    from governance import selectors as board
    from performance import selectors as perf

    progress = progress or (lambda percent, stage: None)
    start, end = financial_quarter(quarter)
    if end >= as_of:
        raise BoardPackError(
            f"The quarter {quarter} ends on {end:%-d %B %Y}: the data must be as of a later "
            "day to report on it."
        )
    periods = pack_periods(quarter, as_of)
    snapshots = pack_snapshots(periods, progress=progress)
    comparators = perf._comparators_by_indicator()

    progress(55, "Drawing the trend charts")
    rows = {}
    for figure in FIGURES_BY_KEY.values():
        rows[figure.key] = perf.figure_row(
            figure,
            periods=periods,
            snapshots=snapshots,
            comparators=comparators,
            can_drill=False,
            with_chart=figure.section != KPI_2023,
        )
    current = snapshots[("kpis", periods.current.start, periods.current.end)].data
    cohort = snapshots[("kpis", periods.cohort.start, periods.cohort.end)].data
    quarter_return = snapshots[("kpi_return", start, end)].data

    progress(65, "The 2023 KPIs by type of order")
    kpi_table = _kpi_table(quarter_return, _kpis_by_type_of_order(quarter, as_of))
    progress(72, "Caseload, panel, victims and remands")
    caseload = _caseload(min(end, as_of))
    panel = _panel(quarter, as_of)
    victims = quarter_return.get("victims") or {}
    progress(78, "Disproportionality")
    disproportion = _disproportionality(as_of)
    progress(85, "Board records")
    attendance = board.board_attendance(quarter=quarter)
    financial_year = start.year
    national = [
        {
            "key": key,
            "title": SECTION_TITLES[key],
            "rows": [rows[k] for k in keys],
            "commentary": commentary.get(key, ""),
        }
        for key, keys in NATIONAL_SECTIONS.items()
    ]
    summary_rows = list(rows.values())
    decision_labels = dict(vocab.OOCD_DECISION)
    context = {
        "service_name": settings.YJS_SERVICE_NAME,
        "css_header": css_string(f"{settings.YJS_SERVICE_NAME}: management board report"),
        "css_footer": css_string(
            f"{quarter_label(quarter)}. Data as of {as_of:%-d %B %Y}. Aggregate figures only."
        ),
        "oocd_decisions": [
            (decision_labels.get(code, code), n)
            for code, n in ((current.get("oocd") or {}).get("decisions") or {}).items()
        ],
        "quarter": quarter,
        "quarter_label": quarter_label(quarter),
        "start": start,
        "end": end,
        "as_of": as_of,
        "generated_on": timezone.localdate(),
        "rules_version": indicators.RULES_VERSION,
        "periods": periods,
        "sections": SECTIONS,
        "commentary": commentary,
        "rag_rule": perf.RAG_RULE,
        "summary_rows": summary_rows,
        "national": national,
        "current": current,
        "cohort": cohort,
        "quarter_return": quarter_return,
        "kpi_table": kpi_table,
        "caseload": caseload,
        "panel": panel,
        "victims": {
            "pct_engaged": exact(victims.get("pct_engaged"), unit="%"),
            "rows": [
                {"label": label, "count": small(victims.get(key))} for label, key in VICTIM_ROWS
            ],
        },
        "remands": _remands(start, end),
        "disproportionality": disproportion,
        "attendance": attendance,
        "budget": board.budget_table(financial_year=financial_year),
        "staffing": board.staffing_table(financial_year=financial_year),
        "actions": board.actions_list(today=as_of, include_closed=False),
        "actions_summary": board.actions_summary(today=as_of),
        "priorities": list(board.priorities_list()),
        "risks": list(board.risks_list()),
    }
    return PackContent(
        context=context, snapshots=[s for s in snapshots.values() if s.pk is not None]
    )


def pack_html(context: dict) -> str:
    return render_to_string("performance/board_pack_document.html", context)


def pack_render(
    *, quarter: str, as_of: date, commentary: dict[str, str], progress=None
) -> tuple[bytes, PackContent]:
    """The pack's PDF bytes (and what went into it); writes nothing but snapshots."""
    progress = progress or (lambda percent, stage: None)
    content = pack_content(quarter=quarter, as_of=as_of, commentary=commentary, progress=progress)
    progress(90, "Laying out the PDF")
    from yjs.pdf import html_to_pdf

    return html_to_pdf(pack_html(content.context)), content


def pdf_page_count(pdf: bytes) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:  # pypdf is a development dependency
        return None
    return len(PdfReader(io.BytesIO(pdf)).pages)


# --- Writes --------------------------------------------------------------------------------


def commentary_for(quarter: str) -> dict[str, str]:
    return dict(BoardPackCommentary.objects.filter(quarter=quarter).values_list("section", "text"))


@transaction.atomic
def commentary_save(*, quarter: str, texts: dict[str, str], by, request=None) -> None:
    """Save the managers' commentary for a quarter's pack, one text per section."""
    financial_quarter(quarter)
    for section, text in texts.items():
        if section not in SECTION_TITLES:
            raise ValueError(f"Unknown section {section!r}")
        BoardPackCommentary.objects.update_or_create(
            quarter=quarter, section=section, defaults={"text": text.strip(), "updated_by": by}
        )
    audit_record(
        user=by,
        action=Action.UPDATE,
        object_type="performance.boardpackcommentary",
        object_id=quarter,
        summary=f"Board pack commentary for {quarter}",
        request=request,
    )


def board_pack_request(*, quarter: str, by, as_of: date | None = None, request=None) -> BoardPack:
    """Record a pack for ``quarter`` with the commentary as it is now, and queue
    its generation once the transaction commits."""
    from performance.board_pack_tasks import board_pack_generate

    financial_quarter(quarter)
    with transaction.atomic():
        pack = BoardPack.objects.create(
            quarter=quarter,
            created_by=by,
            as_of=as_of or timezone.localdate(),
            commentary=commentary_for(quarter),
            stage="Waiting for the report generator",
        )
        audit_record(
            user=by,
            action=Action.GENERATE,
            obj=pack,
            summary=f"Asked for the board pack for {quarter}",
            request=request,
        )

        def not_queued(exc: Exception) -> None:
            BoardPack.objects.filter(pk=pack.pk, status=BoardPack.Status.PENDING).update(
                status=BoardPack.Status.FAILED,
                stage="Failed",
                error=QUEUE_DOWN,
                completed_at=timezone.now(),
            )

        enqueue_on_commit(board_pack_generate, pack.pk, on_failure=not_queued)
    return pack


def _progress(pack_id: int):
    def report(percent: int, stage: str) -> None:
        BoardPack.objects.filter(pk=pack_id, status=BoardPack.Status.RUNNING).update(
            progress=percent, stage=stage[:200]
        )

    return report


def board_pack_build(*, pack_id: int) -> BoardPack:
    """Generate a requested pack. Refuses a pack that is already done (packs
    never change); can be run again after a failure or a lost worker. On
    failure the pack is marked failed with the error and keeps no PDF."""
    started = time.monotonic()
    with transaction.atomic():
        pack = BoardPack.objects.select_for_update().get(pk=pack_id)
        if pack.status == BoardPack.Status.DONE:
            logger.info("Board pack %s is already done; not touched", pack_id)
            return pack
        pack.status = BoardPack.Status.RUNNING
        pack.progress = 1
        pack.stage = "Starting"
        pack.error = ""
        pack.as_of = pack.as_of or timezone.localdate()
        pack.save(update_fields=["status", "progress", "stage", "error", "as_of"])
    try:
        pdf, content = pack_render(
            quarter=pack.quarter,
            as_of=pack.as_of,
            commentary=pack.commentary or {},
            progress=_progress(pack.pk),
        )
        with transaction.atomic():
            locked = BoardPack.objects.select_for_update().get(pk=pack.pk)
            if locked.status == BoardPack.Status.DONE:
                return locked
            locked.pdf = pdf
            locked.sha256 = hashlib.sha256(pdf).hexdigest()
            locked.pages = pdf_page_count(pdf)
            locked.rules_version = content.context["rules_version"]
            locked.status = BoardPack.Status.DONE
            locked.progress = 100
            locked.stage = "Ready"
            locked.completed_at = timezone.now()
            locked.build_seconds = round(time.monotonic() - started, 2)
            locked.save()
            locked.snapshots.set(content.snapshots)
        return locked
    except Exception as exc:
        logger.exception("Board pack %s failed", pack.pk)
        message = str(exc) if isinstance(exc, BoardPackError) else f"{type(exc).__name__}: {exc}"
        BoardPack.objects.filter(pk=pack.pk).exclude(status=BoardPack.Status.DONE).update(
            status=BoardPack.Status.FAILED,
            stage="Failed",
            error=message[:2000],
            pdf=None,
            sha256="",
            pages=None,
            completed_at=timezone.now(),
        )
        return BoardPack.objects.get(pk=pack.pk)
