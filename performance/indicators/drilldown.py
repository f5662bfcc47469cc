"""The records behind a figure (architecture.md: every figure can list them).

Each list is read from the same QuerySet, composed query or DataFrame that
the figure counts (national.py, kpi2023.py), so the number of rows is the
figure. Every row names the child: ``child_id`` (primary key),
``child_source_id``, ``given_name``, ``family_name``, then the dates and ids
that put the record there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd

from cases.models import Child, Offence
from performance.indicators import kpi2023, national
from performance.indicators.common import Scope, calendar_quarters
from yjs.dates import add_months, financial_quarter, financial_quarter_of

CHILD_FIELDS = {
    "child_id": "child_id",
    "child_source_id": "child__source_id",
    "given_name": "child__given_name",
    "family_name": "child__family_name",
}


def _with_child_names(rows: list[dict], key: str = "child") -> list[dict]:
    """Put the child's identifiers and name first on rows that carry a child pk."""
    ids = {row[key] for row in rows}
    names = {
        pk: (source_id, given, family)
        for pk, source_id, given, family in Child.objects.filter(pk__in=ids).values_list(
            "pk", "source_id", "given_name", "family_name"
        )
    }
    result = []
    for row in rows:
        source_id, given, family = names.get(row[key], (None, "", ""))
        rest = {k: v for k, v in row.items() if k != key}
        result.append(
            {
                "child_id": row[key],
                "child_source_id": source_id,
                "given_name": given,
                "family_name": family,
                **rest,
            }
        )
    return result


# --- National indicators --------------------------------------------------------


def _fte(scope: Scope) -> list[dict]:
    rows = (
        national.fte_outcomes(scope)
        .order_by("child_id", "outcome_date", "source_id", "id")
        .values(
            *CHILD_FIELDS.values(),
            "outcome_date",
            "outcome_type",
            "id",
            "source_id",
        )
    )
    seen, result = set(), []
    for row in rows:
        # A child with two substantive outcomes on the first day counts once.
        if row["child_id"] in seen:
            continue
        seen.add(row["child_id"])
        result.append(_outcome_row(row))
    return result


def _outcome_row(row: dict) -> dict:
    return {
        "child_id": row["child_id"],
        "child_source_id": row["child__source_id"],
        "given_name": row["child__given_name"],
        "family_name": row["child__family_name"],
        "outcome_pk": row["id"],
        "outcome_id": row["source_id"],
        "outcome_type": row["outcome_type"],
        "outcome_date": row["outcome_date"],
    }


def _outcomes(queryset) -> list[dict]:
    rows = queryset.order_by("outcome_date", "child_id", "id").values(
        *CHILD_FIELDS.values(), "outcome_date", "outcome_type", "id", "source_id"
    )
    return [_outcome_row(row) for row in rows]


def _quarters(scope: Scope):
    return calendar_quarters(scope.start, scope.end)


def _cohort(scope: Scope) -> list[dict]:
    quarters = _quarters(scope)
    if quarters is None:
        return []
    rows = sorted(
        national.reoffending_cohort(scope, quarters),
        key=lambda r: (r["quarter_start"], r["index_date"], r["child"]),
    )
    return _with_child_names(rows)


def _reoffences(scope: Scope) -> list[dict]:
    quarters = _quarters(scope)
    if quarters is None:
        return []
    rows = national.proven_reoffences(scope, quarters)
    offence_ids = dict(
        Offence.objects.filter(pk__in={r["offence"] for r in rows}).values_list("pk", "source_id")
    )
    for row in rows:
        row["offence_id"] = offence_ids.get(row["offence"])
        row["offence_pk"] = row.pop("offence")
    rows.sort(key=lambda r: (r["quarter_start"], r["child"], r["offence_date"], r["offence_pk"]))
    return _with_child_names(rows)


def _reoffenders(scope: Scope) -> list[dict]:
    """One row per child and cohort quarter, with their proven reoffences."""
    grouped: dict[tuple, dict] = {}
    for row in _reoffences(scope):
        key = (row["child_id"], row["quarter_start"])
        entry = grouped.setdefault(
            key,
            {
                **{k: row[k] for k in ("child_id", "child_source_id", "given_name", "family_name")},
                "quarter_start": row["quarter_start"],
                "index_date": row["index_date"],
                "reoffences": 0,
                "reoffence_ids": [],
                "reoffence_dates": [],
            },
        )
        entry["reoffences"] += 1
        entry["reoffence_ids"].append(row["offence_id"] or str(row["offence_pk"]))
        entry["reoffence_dates"].append(row["offence_date"].isoformat())
    for entry in grouped.values():
        entry["reoffence_ids"] = "; ".join(entry["reoffence_ids"])
        entry["reoffence_dates"] = "; ".join(entry["reoffence_dates"])
    return list(grouped.values())


def _serious_violence(scope: Scope) -> list[dict]:
    rows = (
        national.with_first_outcome_date(national.serious_violence_offences(scope), scope)
        .order_by("first_outcome_date", "child_id", "id")
        .values(
            *CHILD_FIELDS.values(),
            "id",
            "source_id",
            "offence_date",
            "category",
            "seriousness_score",
            "first_outcome_date",
        )
    )
    return [
        {
            "child_id": r["child_id"],
            "child_source_id": r["child__source_id"],
            "given_name": r["child__given_name"],
            "family_name": r["child__family_name"],
            "offence_pk": r["id"],
            "offence_id": r["source_id"],
            "offence_date": r["offence_date"],
            "category": r["category"],
            "seriousness_score": r["seriousness_score"],
            "first_outcome_date": r["first_outcome_date"],
        }
        for r in rows
    ]


def _oocd(scope: Scope, decision: str | None = None) -> list[dict]:
    referrals = national.oocd_referrals(scope)
    if decision:
        referrals = referrals.filter(decision=decision)
    rows = referrals.order_by("panel_date", "id").values(
        *CHILD_FIELDS.values(), "id", "source_id", "referral_date", "panel_date", "decision"
    )
    return [
        {
            "child_id": r["child_id"],
            "child_source_id": r["child__source_id"],
            "given_name": r["child__given_name"],
            "family_name": r["child__family_name"],
            "referral_pk": r["id"],
            "referral_id": r["source_id"],
            "referral_date": r["referral_date"],
            "panel_date": r["panel_date"],
            "days_to_decision": (r["panel_date"] - r["referral_date"]).days,
            "decision": r["decision"],
        }
        for r in rows
    ]


NATIONAL: dict[str, Callable[[Scope], list[dict]]] = {
    "fte.count": _fte,
    "custody.sentences": lambda scope: _outcomes(national.custodial_sentences(scope)),
    "custody.court_sentences": lambda scope: _outcomes(national.court_sentences(scope)),
    "reoffending.cohort": _cohort,
    "reoffending.reoffenders": _reoffenders,
    "reoffending.reoffences": _reoffences,
    "serious_violence.offences": _serious_violence,
    "oocd.decisions": _oocd,
}


# --- The 2023 KPI return -----------------------------------------------------------

# measure → the child_frame condition it counts (kpi2023.figures).
KPI_RETURN_CHILDREN: dict[str, Callable[[pd.DataFrame], pd.Series]] = {
    "children": lambda f: pd.Series(True, index=f.index),
    "accommodation.suitable_at_start": lambda f: f["accommodation_suitable_at_start"],
    "accommodation.suitable_at_end": lambda f: f["accommodation_suitable_at_end"],
    "ete.suitable_at_end": lambda f: f["ete_suitable_at_end"],
    "ete.school_age_at_end": lambda f: f["school_age_at_end"],
    "ete.suitable_school_age_at_end": lambda f: f["ete_suitable_at_end"] & f["school_age_at_end"],
    "ete.above_school_age_at_end": lambda f: ~f["school_age_at_end"],
    "ete.suitable_above_school_age_at_end": (
        lambda f: f["ete_suitable_at_end"] & ~f["school_age_at_end"]
    ),
    "ete.full_time_offered_at_end": lambda f: f["ete_full_time_offered_at_end"],
    "send.identified": lambda f: f["send_identified"],
    "send.with_plan": lambda f: f["send_with_plan"],
    "oocd.ended": lambda f: f["oocd_ended"],
    "oocd.completed": lambda f: f["oocd_completed"],
    "wider_services.supported": lambda f: f["wider_supported"],
}
for _kind in kpi2023.HEALTH_KINDS:
    for _stage in ("need", "offered", "attended"):
        KPI_RETURN_CHILDREN[f"{_kind}.{_stage}"] = lambda f, c=f"{_kind}_{_stage}": f[c]
for _status in kpi2023.CARE_STATUSES:
    KPI_RETURN_CHILDREN[f"wider_services.{_status}"] = lambda f, c=f"wider_{_status}": f[c]
for _type in kpi2023.TYPES_OF_ORDER:
    KPI_RETURN_CHILDREN[f"by_type.{_type}"] = lambda f, t=_type: f["type"] == t

KPI_RETURN_VICTIMS = ["victims", *kpi2023.VICTIM_MEASURES]


def _timestamp_to_date(value):
    return value.date() if isinstance(value, pd.Timestamp) else value


def _kpi_children(scope: Scope, measure: str) -> list[dict]:
    frame = kpi2023.child_frame(scope)
    selected = frame[KPI_RETURN_CHILDREN[measure](frame).astype(bool)].sort_values("child")
    return [
        {
            "child_id": row["child"],
            "child_source_id": row["child_source_id"],
            "given_name": row["given_name"],
            "family_name": row["family_name"],
            "type_of_order": row["type"],
            "outcome_pk": row["outcome"],
            "outcome_id": row["outcome_source_id"],
            "outcome_type": row["outcome_type"],
            "start": _timestamp_to_date(row["start"]),
            "end": _timestamp_to_date(row["end"]),
        }
        for row in selected.to_dict("records")
    ]


def _kpi_victims(scope: Scope, measure: str) -> list[dict]:
    children = kpi2023.child_frame(scope)
    victims = kpi2023.victim_frame(scope, children)
    if measure != "victims":
        victims = victims[victims[measure]]
    victims = victims.sort_values(["victim", "child", "offence"]).drop_duplicates("victim")
    rows = [
        {
            "child": int(row["child"]),
            "victim_pk": int(row["victim"]),
            "victim_id": row["victim_source_id"],
            "offence_pk": int(row["offence"]),
        }
        for row in victims.to_dict("records")
    ]
    return _with_child_names(rows)


def _quarter_for(start: date, end: date | None, quarter: str | None) -> str:
    label = quarter or financial_quarter_of(start)
    first, last = financial_quarter(label)
    if quarter is None and (start != first or (end is not None and end != last)):
        raise ValueError(f"{start}..{end} is not a financial quarter")
    return label


def records_behind(
    figure: str,
    *,
    start: date | None = None,
    end: date | None = None,
    as_of: date,
    quarter: str | None = None,
    sex: str | None = None,
    ethnicity: str | None = None,
) -> list[dict]:
    """The rows behind ``figure``: national figures ("fte.count",
    "custody.sentences", "custody.court_sentences", "reoffending.cohort",
    "reoffending.reoffenders", "reoffending.reoffences",
    "serious_violence.offences", "oocd.decisions" or "oocd.decisions.<value>")
    for the period ``[start, end]``; KPI return figures ("children",
    "accommodation.suitable_at_end", "victims.engaged", ..., optionally prefixed
    "kpi_return.") for ``quarter`` or the financial quarter ``[start, end]``.
    Raises KeyError for an unknown figure."""
    name = figure.removeprefix("kpi_return.")
    if figure in NATIONAL or figure.startswith("oocd.decisions."):
        if start is None or end is None:
            raise ValueError("A national figure needs start and end.")
        scope = Scope(start, end, as_of, sex, ethnicity)
        if figure.startswith("oocd.decisions."):
            return _oocd(scope, figure.removeprefix("oocd.decisions."))
        return NATIONAL[figure](scope)
    if name in KPI_RETURN_CHILDREN or name.removeprefix("victims.") in KPI_RETURN_VICTIMS:
        if start is None and quarter is None:
            raise ValueError("A KPI return figure needs quarter or start.")
        label = _quarter_for(start, end, quarter) if start else quarter
        first, last = financial_quarter(label)
        scope = Scope(first, last, as_of, sex, ethnicity)
        if name in KPI_RETURN_CHILDREN:
            return _kpi_children(scope, name)
        return _kpi_victims(scope, name.removeprefix("victims."))
    raise KeyError(f"No records are listed for the figure {figure!r}")


FIGURES = sorted([*NATIONAL, *KPI_RETURN_CHILDREN, *(f"victims.{m}" for m in KPI_RETURN_VICTIMS)])


# --- The live reoffending tracker ------------------------------------------------


def reoffending_tracker(*, as_of: date) -> list[dict]:
    """Children in the cohorts whose 12-month follow-up or 18-month proof
    window is still running on ``as_of`` (indicators.md, Proven reoffending):
    index date, proven reoffences so far, days left in the follow-up."""
    # The earliest index date still inside its proof window is just after
    # as_of − 18 months; take whole calendar quarters from there to as_of.
    earliest = add_months(as_of, -18) + timedelta(days=1)
    first = date(earliest.year, 3 * ((earliest.month - 1) // 3) + 1, 1)
    last_start = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    last = add_months(last_start, 3) - timedelta(days=1)
    quarters = calendar_quarters(first, last)
    scope = Scope(first, last, as_of)
    reoffences: dict[tuple, list[dict]] = {}
    for row in national.proven_reoffences(scope, quarters):
        reoffences.setdefault((row["child"], row["quarter_start"]), []).append(row)
    rows = []
    for row in national.reoffending_cohort(scope, quarters):
        index_date = row["index_date"]
        proof_ends = add_months(index_date, national.PROOF_MONTHS)
        if index_date > as_of or proof_ends <= as_of:
            continue
        follow_up_ends = add_months(index_date, national.REOFFENCE_MONTHS)
        proven = reoffences.get((row["child"], row["quarter_start"]), [])
        rows.append(
            {
                "child": row["child"],
                "cohort_quarter_start": row["quarter_start"],
                "index_date": index_date,
                "follow_up_ends": follow_up_ends,
                "proof_window_ends": proof_ends,
                "reoffended_so_far": bool(proven),
                "proven_reoffences_so_far": len(proven),
                "days_left_in_follow_up": max(0, (follow_up_ends - as_of).days),
            }
        )
    rows.sort(key=lambda r: (r["index_date"], r["child"]))
    return _with_child_names(rows)
