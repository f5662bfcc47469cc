"""Aggregate pages: comparators and population lists, the live caseload
profile and disproportionality."""

from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils import timezone

from cases import vocab
from cases.models import CareStatus, Child, Offence, Outcome, StatusEpisode
from performance import indicators
from performance.catalogue import (
    FIGURES,
    Figure,
)
from performance.models import Comparator, IndicatorRun, Population
from performance.periods import Period, reporting_periods
from yjs.dates import age_on

# --- Comparators and population pages ---------------------------------------------------


def comparator_list() -> list[dict]:
    labels = {f.key: f.label for f in FIGURES}
    return [
        {"comparator": c, "indicator_label": labels.get(c.indicator, c.indicator)}
        for c in Comparator.objects.order_by("indicator", "-period_end", "group")
    ]


def comparator_indicators() -> list[Figure]:
    return list(FIGURES)


def population_values(year: int | None) -> dict[tuple[str, str], int]:
    if year is None:
        return {}
    return {(p.sex, p.ethnicity): p.population for p in Population.objects.filter(year=year)}


def population_table() -> dict:
    """Estimates by year (rows) and sex × ethnicity (columns), with totals."""
    columns = [(sex, eth) for sex, _ in vocab.SEX for eth, _ in vocab.ETHNICITY]
    sex_labels, eth_labels = dict(vocab.SEX), dict(vocab.ETHNICITY)
    by_year: dict[int, dict] = {}
    for p in Population.objects.all():
        by_year.setdefault(p.year, {})[(p.sex, p.ethnicity)] = p.population
    rows = [
        {
            "year": year,
            "cells": [values.get(col) for col in columns],
            "total": sum(values.values()),
        }
        for year, values in sorted(by_year.items(), reverse=True)
    ]
    return {
        "columns": [f"{sex_labels[s]}, {eth_labels[e]}" for s, e in columns],
        "rows": rows,
    }


# --- Caseload profile -------------------------------------------------------------------

PROFILE_CARE = ["child_in_need", "looked_after", "child_protection", "early_help"]
PROFILE_OTHER = ["cse", "cce", "mappa", "neet", "missing"]
TIER_ORDER = ["custody", "community", "first_tier", "pre_court", "diversion", "none"]


def open_outcomes(on: date):
    """Interventions open on ``on``: an outcome with YJS intervention that has
    started and not ended (end_date blank or on/after the day)."""
    return Outcome.objects.filter(yjs_intervention=True, outcome_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )


def _open_on(model, on: date):
    return model.objects.filter(start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )


def _counted(counts: dict, choices, total: int) -> list[dict]:
    from performance.indicators.common import pct

    return [
        {
            "code": code,
            "label": label,
            "count": counts.get(code, 0),
            "pct": pct(counts.get(code, 0), total),
        }
        for code, label in choices
    ]


def caseload_profile(*, on: date | None = None) -> dict:
    """The live caseload profile (domain.md, board pack): children with an open
    intervention on ``on``, by sex, age band, status, type of outcome, and the
    average seriousness of the offences on their open outcomes. Aggregates only."""
    on = on or timezone.localdate()
    outcomes = open_outcomes(on)
    children = Child.objects.filter(Exists(outcomes.filter(child=OuterRef("pk"))))
    total = children.count()
    by_sex = dict(children.order_by().values_list("sex").annotate(n=Count("id")))
    ages: dict[str, int] = {}
    for dob in children.values_list("date_of_birth", flat=True):
        age = age_on(dob, on)
        band = "10-14" if 10 <= age <= 14 else "15-17" if 15 <= age <= 17 else "other"
        ages[band] = ages.get(band, 0) + 1
    # Each child once, by their most serious open outcome (then the latest).
    main: dict[int, tuple] = {}
    for child_id, outcome_type, tier, outcome_date in outcomes.values_list(
        "child_id", "outcome_type", "tier", "outcome_date"
    ):
        key = (-TIER_ORDER.index(tier) if tier in TIER_ORDER else -99, outcome_date)
        if child_id not in main or key > main[child_id][0]:
            main[child_id] = (key, outcome_type)
    by_type: dict[str, int] = {}
    for _, outcome_type in main.values():
        by_type[outcome_type] = by_type.get(outcome_type, 0) + 1
    care = dict(
        _open_on(CareStatus, on)
        .filter(child__in=children)
        .order_by()
        .values_list("status")
        .annotate(n=Count("child", distinct=True))
    )
    other = dict(
        _open_on(StatusEpisode, on)
        .filter(child__in=children)
        .order_by()
        .values_list("status")
        .annotate(n=Count("child", distinct=True))
    )
    looked_after_flag = children.filter(looked_after=True).count()
    statuses = [
        {"code": code, "label": label, "count": care.get(code, 0)}
        for code, label in vocab.CARE_STATUS
        if code in PROFILE_CARE
    ] + [
        {"code": code, "label": label, "count": other.get(code, 0)}
        for code, label in vocab.OTHER_STATUS
        if code in PROFILE_OTHER
    ]
    from performance.indicators.common import pct, round2

    for row in statuses:
        row["pct"] = pct(row["count"], total)
    seriousness = (
        Offence.objects.filter(outcomes__in=outcomes)
        .distinct()
        .aggregate(avg=Avg("seriousness_score"), n=Count("id", distinct=True))
    )
    return {
        "on": on,
        "total": total,
        "by_sex": _counted(by_sex, vocab.SEX, total),
        "by_age": _counted(ages, [*vocab.AGE_BANDS, ("other", "Under 10 or over 17")], total),
        "by_type": [row for row in _counted(by_type, vocab.OUTCOME_TYPE, total) if row["count"]],
        "statuses": statuses,
        "looked_after_flag": looked_after_flag,
        "average_seriousness": round2(seriousness["avg"]),
        "offences": seriousness["n"],
    }


# --- Disproportionality -------------------------------------------------------------------

DISPROPORTIONALITY_FIGURES = [
    ("fte", "First time entrants", ("fte", "count")),
    ("custody", "Custodial sentences", ("custody", "sentences")),
    ("oocd", "Out-of-court panel decisions", None),
]
REFERENCE_ETHNICITY = "white"


LOOKED_AFTER_FIGURES = [
    ("fte.count", "First time entrants", "current"),
    ("custody.sentences", "Custodial sentences", "current"),
    ("oocd.decisions", "Out-of-court panel decisions", "current"),
    ("reoffending.cohort", "Reoffending cohort", "cohort"),
]


def looked_after_share(*, period: Period, cohort: Period, as_of: date) -> list[dict]:
    """The share of the records behind each figure that are of a looked-after
    child: one recorded as looked after on their record, or with a looked-after
    episode overlapping the period (domain.md, Disproportionality). Aggregate:
    counts only."""
    from performance.indicators.common import pct

    result = []
    for figure, label, which in LOOKED_AFTER_FIGURES:
        p = period if which == "current" else cohort
        rows = indicators.records_behind(figure, start=p.start, end=p.end, as_of=as_of)
        ids = [r.get("child_id") for r in rows]
        episode = CareStatus.objects.filter(
            child=OuterRef("pk"), status="looked_after", start_date__lte=p.end
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=p.start))
        looked_after = set(
            Child.objects.filter(pk__in=set(ids))
            .filter(Q(looked_after=True) | Exists(episode))
            .values_list("pk", flat=True)
        )
        n = sum(1 for child_id in ids if child_id in looked_after)
        result.append(
            {
                "label": label,
                "period": p,
                "total": len(ids),
                "looked_after": n,
                "pct": pct(n, len(ids)),
            }
        )
    return result


def _oocd_total(data: dict) -> int:
    return sum(((data.get("oocd") or {}).get("decisions") or {}).values())


DISPROPORTIONALITY_CACHE_SECONDS = 27 * 3600


def _latest_run() -> IndicatorRun | None:
    return (
        IndicatorRun.objects.filter(status=IndicatorRun.Status.DONE, finished_at__isnull=False)
        .order_by("-finished_at", "-pk")
        .only("pk", "finished_at")
        .first()
    )


def disproportionality_page(*, as_of: date | None = None) -> dict:
    """The disproportionality figures for the page: worked out once per as-of
    date and indicator run, then read from the cache. They are two sets of
    ``kpis()`` per group (about 9 s on 100,000 children), so, like the
    dashboard's snapshots, they follow the indicator runs (nightly, or
    "Recalculate now"): a finished run gives a new cache key, and the run warms
    it (performance.services.indicator_run_execute)."""
    as_of = as_of or timezone.localdate()
    run = _latest_run()
    key = ":".join(
        (
            "performance:disproportionality",
            indicators.RULES_VERSION,
            str(run.pk if run else 0),
            as_of.isoformat(),
        )
    )
    data = cache.get(key)
    if data is None:
        data = disproportionality(as_of=as_of)
        data["worked_out_at"] = timezone.now()
        cache.set(key, data, DISPROPORTIONALITY_CACHE_SECONDS)
    data["run"] = run
    return data


def disproportionality(*, as_of: date | None = None) -> dict:
    """Rates per 1,000 children of each group and the relative rate index
    (RRI = group rate ÷ white children's rate; domain.md) for FTE, custody and
    OOCD decisions over the current 12-month period, and the proven
    reoffending binary rate of the latest complete cohort. Counts come from
    ``indicators.kpis(..., ethnicity=)`` / ``(..., sex=)``: the same rules,
    restricted to the group's children and population."""
    from performance.catalogue import dig
    from performance.indicators.common import rate

    as_of = as_of or timezone.localdate()
    periods = reporting_periods(as_of)
    period, cohort = periods.current, periods.cohort
    groups = [("ethnicity", code, label) for code, label in vocab.ETHNICITY] + [
        ("sex", code, label) for code, label in vocab.SEX
    ]
    rows = []
    for kind, code, label in groups:
        data = indicators.kpis(start=period.start, end=period.end, as_of=as_of, **{kind: code})
        cohort_data = indicators.kpis(
            start=cohort.start, end=cohort.end, as_of=as_of, **{kind: code}
        )
        pop = data.get("population")
        counts = {
            key: (_oocd_total(data) if path is None else dig(data, path) or 0)
            for key, _, path in DISPROPORTIONALITY_FIGURES
        }
        reoffending = cohort_data.get("reoffending") or {}
        rows.append(
            {
                "kind": kind,
                "code": code,
                "label": label,
                "population": pop,
                "counts": counts,
                "rates": {key: rate(n, pop, 1000) for key, n in counts.items()},
                "reoffending_cohort": reoffending.get("cohort"),
                "reoffenders": reoffending.get("reoffenders"),
                "reoffending_rate": reoffending.get("binary_rate_pct"),
            }
        )
    reference = next(
        (r for r in rows if r["kind"] == "ethnicity" and r["code"] == REFERENCE_ETHNICITY), None
    )

    def rri(n, d, ref_n, ref_d):
        # (n / d) ÷ (ref_n / ref_d) from the counts, rounded once at the end
        # (indicators.md, Common rules).
        if None in (n, d, ref_n, ref_d) or d == 0 or ref_d == 0:
            return None
        return rate(n * ref_d, d * ref_n)

    for row in rows:
        ref = reference or {"counts": {}, "population": None}
        row["rri"] = {
            key: rri(
                row["counts"][key], row["population"], ref["counts"].get(key), ref["population"]
            )
            for key in row["counts"]
        }
        row["rri"]["reoffending"] = rri(
            row["reoffenders"],
            row["reoffending_cohort"],
            ref.get("reoffenders"),
            ref.get("reoffending_cohort"),
        )
        row["cells"] = [
            {
                "count": row["counts"][key],
                "rate": row["rates"][key],
                "rri": row["rri"][key],
            }
            for key, _, _ in DISPROPORTIONALITY_FIGURES
        ]
    return {
        "as_of": as_of,
        "period": period,
        "cohort": cohort,
        "looked_after": looked_after_share(period=period, cohort=cohort, as_of=as_of),
        "figures": [label for _, label, _ in DISPROPORTIONALITY_FIGURES],
        "by_ethnicity": [r for r in rows if r["kind"] == "ethnicity"],
        "by_sex": [r for r in rows if r["kind"] == "sex"],
    }
