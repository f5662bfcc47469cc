"""The 2023 KPIs: the quarterly return (indicators.md, "The 2023 KPIs: the
quarterly return"; domain.md, "The 2023 KPIs").

The population (orders ending in the quarter, one per child) is selected in
the database and then held as one small DataFrame with a row per child and a
column per KPI condition (``child_frame``). Every figure of the return, every
breakdown row and every drill-down list is read from that one frame, so they
cannot disagree.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from django.db.models import Q

from cases import models as cases_models
from cases import vocab
from performance.indicators import national
from performance.indicators.common import ChildBornOn, Scope, aged_10_to_17, pct
from yjs.dates import add_years, age_on, financial_quarter

# indicators.md, "Orders ending (the population)": outcome type → type of order.
TYPE_OF_ORDER = {
    "community_resolution": "diversion",
    "outcome_22": "diversion",
    "youth_caution": "youth_caution",
    "youth_conditional_caution": "youth_conditional_caution",
    "referral_order": "referral_order",
    "youth_rehabilitation_order": "yro",
    "yro_intensive_supervision": "yro",
    "detention_and_training_order": "custody",
    "long_term_detention": "custody",
}
# Least to most serious: "custody > yro > referral_order > youth_conditional_caution
# > youth_caution > diversion".
TYPES_OF_ORDER = [
    "diversion",
    "youth_caution",
    "youth_conditional_caution",
    "referral_order",
    "yro",
    "custody",
]
SERIOUSNESS = {name: rank for rank, name in enumerate(TYPES_OF_ORDER)}
# Diversion and youth cautions are in the population only with a YJS intervention.
NEEDS_YJS_INTERVENTION = ["community_resolution", "outcome_22", "youth_caution"]
OOCD_TYPES = ["diversion", "youth_caution", "youth_conditional_caution"]
CARE_STATUSES = ["looked_after", "child_protection", "child_in_need", "early_help"]
WITH_PLAN = ["ehcp", "sen_support"]
AGE_BANDS = ["10-14", "15-17"]
FULL_TIME_HOURS_SCHOOL_AGE = 25
FULL_TIME_HOURS_ABOVE_SCHOOL_AGE = 16
HEALTH_KINDS = ["mental_health", "substance_misuse"]


# --- Quarter -------------------------------------------------------------------


def quarter_scope(quarter: str, as_of: date) -> Scope:
    """``2024Q1`` → 2024-04-01..2024-06-30 (financial-year quarters)."""
    start, end = financial_quarter(quarter)
    return Scope(start, end, as_of)


# --- School age (indicators.md, KPI 2) ----------------------------------------


def last_friday_of_june(year: int) -> date:
    day = date(year, 6, 30)
    return day - timedelta(days=(day.weekday() - 4) % 7)


def school_leaving_day(date_of_birth: date) -> date:
    """The last day of school age: the last Friday of June of the year in which
    the school year (1 September – 31 August) containing the child's 16th
    birthday ends."""
    sixteenth = add_years(date_of_birth, 16)
    school_year_ends = sixteenth.year + 1 if sixteenth.month >= 9 else sixteenth.year
    return last_friday_of_june(school_year_ends)


def is_school_age(date_of_birth: date, day: date) -> bool:
    return day <= school_leaving_day(date_of_birth)


# --- The population: orders ending, one per child ----------------------------


def orders_ending(scope: Scope):
    """Every outcome row that is an order ending in the quarter (before the
    one-order-per-child selection): end_date in the quarter and <= as_of, a type
    of order, the child aged 10–17 on outcome_date."""
    qs = (
        national.existing_outcomes(scope)
        .filter(scope.children_q())
        .filter(end_date__gte=scope.start, end_date__lte=min(scope.end, scope.as_of))
        .filter(outcome_type__in=list(TYPE_OF_ORDER))
        .exclude(Q(outcome_type__in=NEEDS_YJS_INTERVENTION) & ~Q(yjs_intervention=True))
    )
    return aged_10_to_17(qs, "outcome_date", date_of_birth=ChildBornOn())


_ORDER_COLUMNS = {
    "outcome": "id",
    "outcome_source_id": "source_id",
    "child": "child_id",
    "outcome_type": "outcome_type",
    "start": "outcome_date",
    "end": "end_date",
    "successfully_completed": "successfully_completed",
    "child_source_id": "child__source_id",
    "given_name": "child__given_name",
    "family_name": "child__family_name",
    "date_of_birth": "child__date_of_birth",
    "sex": "child__sex",
    "ethnicity": "child__ethnicity",
}


def selected_orders(scope: Scope) -> pd.DataFrame:
    """One order per child: the most serious type of order, then the latest
    outcome_date, then the greatest outcome_id (string order). Records entered
    in the application have no outcome_id (source_id): they sort below every
    imported id, and among themselves by primary key (the later record wins)."""
    rows = list(orders_ending(scope).order_by().values_list(*_ORDER_COLUMNS.values()))
    frame = pd.DataFrame(rows, columns=list(_ORDER_COLUMNS), dtype=object)
    frame["type"] = frame["outcome_type"].map(TYPE_OF_ORDER)
    frame["_rank"] = frame["type"].map(SERIOUSNESS)
    frame["_has_id"] = frame["outcome_source_id"].notna()
    frame["_id"] = frame["outcome_source_id"].fillna("")
    frame = frame.sort_values(
        ["child", "_rank", "start", "_has_id", "_id", "outcome"],
        ascending=[True, False, False, False, False, False],
        kind="mergesort",
    )
    frame = frame.drop_duplicates("child", keep="first")
    frame = frame.drop(columns=["_rank", "_has_id", "_id"]).reset_index(drop=True)
    frame["age_band"] = [
        "10-14" if age_on(dob, start) <= 14 else "15-17"
        for dob, start in zip(frame["date_of_birth"], frame["start"], strict=True)
    ]
    return frame


# --- Per-child conditions -----------------------------------------------------


def _frame(queryset, columns: dict[str, str], dates: tuple[str, ...] = ()) -> pd.DataFrame:
    rows = list(queryset.order_by().values_list(*columns.values()))
    frame = pd.DataFrame(rows, columns=list(columns), dtype=object)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _open_on(episodes: pd.DataFrame, day: pd.Series) -> pd.Series:
    """interchange.md, Episodes: open on D when start_date <= D and (end_date
    blank or D <= end_date)."""
    return (episodes["start_date"] <= day) & (
        episodes["end_date"].isna() | (day <= episodes["end_date"])
    )


def _per_child(children: pd.DataFrame, flags: pd.DataFrame, how: str = "any") -> pd.Series:
    """Collapse an episode-level boolean frame (with a ``child`` column) to one
    value per population child (False when the child has no rows)."""
    if flags.empty:
        return pd.Series(False, index=children.index)
    grouped = flags.groupby("child")
    result = grouped.any() if how == "any" else grouped.all()
    return children["child"].map(result.iloc[:, 0]).fillna(False).astype(bool)


def _all_suitable_open(children: pd.DataFrame, episodes: pd.DataFrame, day_column: str):
    """At least one episode open on the day and every open one suitable
    (domain.md: where several are open all must be suitable; unknown is not)."""
    merged = episodes.merge(children[["child", day_column]], on="child")
    merged = merged[_open_on(merged, merged[day_column])]
    open_any = _per_child(children, merged[["child"]].assign(v=True))
    all_suitable = _per_child(
        children, merged[["child"]].assign(v=merged["suitability"] == "suitable"), how="all"
    )
    return open_any & all_suitable, merged


def child_frame(scope: Scope) -> pd.DataFrame:
    """One row per child in the population with every KPI condition as a column."""
    children = selected_orders(scope)
    for column in ("start", "end"):
        children[column] = pd.to_datetime(children[column])
    in_population = orders_ending(scope).values("child")
    empty = children.empty

    # KPI 1: accommodation, primary-residence episodes only.
    accommodation = _frame(
        cases_models.AccommodationEpisode.objects.filter(
            child__in=in_population, primary_residence=True
        ),
        {
            "child": "child_id",
            "start_date": "start_date",
            "end_date": "end_date",
            "suitability": "suitability",
        },
        dates=("start_date", "end_date"),
    )
    children["accommodation_suitable_at_start"], _ = _all_suitable_open(
        children, accommodation, "start"
    )
    children["accommodation_suitable_at_end"], _ = _all_suitable_open(
        children, accommodation, "end"
    )

    # KPI 2: ETE; hours offered summed over the episodes open on the end day.
    ete = _frame(
        cases_models.EteEpisode.objects.filter(child__in=in_population),
        {
            "child": "child_id",
            "start_date": "start_date",
            "end_date": "end_date",
            "suitability": "suitability",
            "hours_offered": "hours_offered",
        },
        dates=("start_date", "end_date"),
    )
    children["ete_suitable_at_end"], open_ete = _all_suitable_open(children, ete, "end")
    hours = open_ete.groupby("child")["hours_offered"].sum() if not open_ete.empty else {}
    children["ete_hours_offered_at_end"] = children["child"].map(hours).fillna(0)
    children["school_age_at_end"] = [
        is_school_age(dob, end.date())
        for dob, end in zip(children["date_of_birth"], children["end"], strict=True)
    ]
    threshold = children["school_age_at_end"].map(
        {True: FULL_TIME_HOURS_SCHOOL_AGE, False: FULL_TIME_HOURS_ABOVE_SCHOOL_AGE}
    )
    children["ete_full_time_offered_at_end"] = (
        children["ete_hours_offered_at_end"].astype(float) >= threshold.astype(float)
        if not empty
        else pd.Series(dtype=bool)
    )

    # KPI 3: SEND episodes open on the end day.
    send = _frame(
        cases_models.SendEpisode.objects.filter(child__in=in_population),
        {"child": "child_id", "start_date": "start_date", "end_date": "end_date", "plan": "plan"},
        dates=("start_date", "end_date"),
    )
    send = send.merge(children[["child", "end"]], on="child")
    send = send[_open_on(send, send["end"])]
    children["send_identified"] = _per_child(children, send[["child"]].assign(v=True))
    children["send_with_plan"] = _per_child(
        children, send[["child"]].assign(v=send["plan"].isin(WITH_PLAN))
    )

    # KPIs 4 and 5: need → offered → attended within the order's window.
    health = _frame(
        cases_models.HealthNeed.objects.filter(child__in=in_population),
        {
            "child": "child_id",
            "kind": "kind",
            "screened_date": "screened_date",
            "offered_date": "offered_date",
            "attended_start_date": "attended_start_date",
            "attended_end_date": "attended_end_date",
        },
        dates=("screened_date", "offered_date", "attended_start_date", "attended_end_date"),
    )
    health = health.merge(children[["child", "start", "end"]], on="child")

    def in_window(column):
        return (health[column] >= health["start"]) & (health[column] <= health["end"])

    treatment_before = (health["attended_start_date"] < health["start"]) & (
        health["attended_end_date"].isna() | (health["attended_end_date"] >= health["start"])
    )
    for kind in HEALTH_KINDS:
        rows = health["kind"] == kind

        def any_row(condition, rows=rows):
            return _per_child(children, health.loc[rows, ["child"]].assign(v=condition[rows]))

        need = any_row(treatment_before | in_window("screened_date"))
        offered = need & any_row(treatment_before | in_window("offered_date"))
        attended = offered & any_row(treatment_before | in_window("attended_start_date"))
        children[f"{kind}_need"] = need
        children[f"{kind}_offered"] = offered
        children[f"{kind}_attended"] = attended

    # KPI 6: out-of-court disposals.
    children["oocd_ended"] = children["type"].isin(OOCD_TYPES)
    children["oocd_completed"] = children["oocd_ended"] & (
        children["successfully_completed"] == True  # noqa: E712 (None is not completed)
    )

    # KPI 7: care statuses overlapping the order's window.
    care = _frame(
        cases_models.CareStatus.objects.filter(child__in=in_population),
        {
            "child": "child_id",
            "status": "status",
            "start_date": "start_date",
            "end_date": "end_date",
        },
        dates=("start_date", "end_date"),
    )
    care = care.merge(children[["child", "start", "end"]], on="child")
    care = care[
        (care["start_date"] <= care["end"])
        & (care["end_date"].isna() | (care["end_date"] >= care["start"]))
    ]
    for status in CARE_STATUSES:
        children[f"wider_{status}"] = _per_child(
            children, care[["child"]].assign(v=care["status"] == status)
        )
    children["wider_supported"] = children[[f"wider_{s}" for s in CARE_STATUSES]].any(axis=1)

    for column in children.columns:
        if column.startswith(
            (
                "accommodation_",
                "ete_suitable",
                "ete_full",
                "send_",
                "wider_",
                "oocd_",
                "mental_health_",
                "substance_misuse_",
            )
        ):
            children[column] = children[column].astype(bool)
    children["school_age_at_end"] = children["school_age_at_end"].astype(bool)
    return children


def victim_frame(scope: Scope, children: pd.DataFrame) -> pd.DataFrame:
    """KPI 10: one row per (victim, population child) for the victims linked to
    an offence listed on the child's selected order."""
    orders = orders_ending(scope).values("id")
    links = _frame(
        cases_models.OutcomeOffence.objects.filter(outcome__in=orders),
        {"outcome": "outcome_id", "offence": "offence_id"},
    )
    links = links[links["outcome"].isin(set(children["outcome"]))]
    listed = cases_models.OutcomeOffence.objects.filter(outcome__in=orders).values("offence")
    victim_links = cases_models.Victim.offences.through.objects.filter(offence__in=listed)
    victims = _frame(victim_links, {"victim": "victim_id", "offence": "offence_id"})
    details = _frame(
        cases_models.Victim.objects.filter(id__in=victim_links.values("victim")),
        {
            "victim": "id",
            "victim_source_id": "source_id",
            "consent": "consent_to_contact",
            "contacted_date": "contacted_date",
            "views_sought_prior": "views_sought_prior",
            "rj_engaged": "rj_engaged",
            "progress_requested": "progress_requested",
            "progress_provided": "progress_provided",
            "support_requested": "support_requested",
            "support_provided": "support_provided",
        },
    )
    frame = links.merge(victims, on="offence").merge(children[["outcome", "child"]], on="outcome")
    frame = frame[["victim", "child", "offence"]].merge(details, on="victim")
    yes = {
        column: frame[column] == True  # noqa: E712 (None is not yes)
        for column in (
            "consent",
            "views_sought_prior",
            "rj_engaged",
            "progress_requested",
            "progress_provided",
            "support_requested",
            "support_provided",
        )
    }
    frame["consented"] = yes["consent"]
    frame["engaged"] = yes["consent"] & yes["rj_engaged"]
    frame["views_sought"] = yes["consent"] & yes["views_sought_prior"]
    frame["contacted"] = yes["consent"] & frame["contacted_date"].notna()
    for column in (
        "progress_requested",
        "progress_provided",
        "support_requested",
        "support_provided",
    ):
        frame[column] = yes[column]
    return frame


# --- Figures from the frames --------------------------------------------------


def _n(series) -> int:
    return int(series.sum())


VICTIM_MEASURES = [
    "consented",
    "engaged",
    "views_sought",
    "contacted",
    "progress_requested",
    "progress_provided",
    "support_requested",
    "support_provided",
]


def figures(children: pd.DataFrame, victims: pd.DataFrame) -> dict:
    """The KPIs of indicators.md for a set of population children (all of them
    for the return, one group of them for a breakdown)."""
    total = len(children)
    result: dict = {"children": total}
    counts = children["type"].value_counts()
    result["by_type"] = {name: int(counts.get(name, 0)) for name in TYPES_OF_ORDER}

    at_end = _n(children["accommodation_suitable_at_end"])
    result["accommodation"] = {
        "suitable_at_start": _n(children["accommodation_suitable_at_start"]),
        "suitable_at_end": at_end,
        "pct_suitable_at_end": pct(at_end, total),
    }

    suitable = children["ete_suitable_at_end"]
    school = children["school_age_at_end"]
    result["ete"] = {
        "suitable_at_end": _n(suitable),
        "pct_suitable_at_end": pct(_n(suitable), total),
        "school_age_at_end": _n(school),
        "suitable_school_age_at_end": _n(suitable & school),
        "above_school_age_at_end": _n(~school),
        "suitable_above_school_age_at_end": _n(suitable & ~school),
        "full_time_offered_at_end": _n(children["ete_full_time_offered_at_end"]),
    }

    identified, with_plan = _n(children["send_identified"]), _n(children["send_with_plan"])
    result["send"] = {
        "identified": identified,
        "with_plan": with_plan,
        "pct_with_plan": pct(with_plan, identified),
    }

    for kind in HEALTH_KINDS:
        need = _n(children[f"{kind}_need"])
        offered = _n(children[f"{kind}_offered"])
        attended = _n(children[f"{kind}_attended"])
        result[kind] = {
            "need": need,
            "offered": offered,
            "attended": attended,
            "pct_need": pct(need, total),
            "pct_offered": pct(offered, need),
            "pct_attended": pct(attended, offered),
        }

    ended, completed = _n(children["oocd_ended"]), _n(children["oocd_completed"])
    result["oocd"] = {
        "ended": ended,
        "completed": completed,
        "pct_completed": pct(completed, ended),
    }

    wider = {status: _n(children[f"wider_{status}"]) for status in CARE_STATUSES}
    supported = _n(children["wider_supported"])
    result["wider_services"] = {
        **wider,
        "supported": supported,
        "pct_supported": pct(supported, total),
    }

    mine = victims[victims["child"].isin(set(children["child"]))]
    distinct = mine.drop_duplicates("victim")
    measures = {name: _n(distinct[name]) for name in VICTIM_MEASURES}
    result["victims"] = {
        "victims": len(distinct),
        "consented": measures["consented"],
        "engaged": measures["engaged"],
        "pct_engaged": pct(measures["engaged"], measures["consented"]),
        "views_sought": measures["views_sought"],
        "contacted": measures["contacted"],
        "progress_requested": measures["progress_requested"],
        "progress_provided": measures["progress_provided"],
        "support_requested": measures["support_requested"],
        "support_provided": measures["support_provided"],
    }
    return result


def kpi_return(quarter: str, as_of: date) -> dict:
    scope = quarter_scope(quarter, as_of)
    children = child_frame(scope)
    victims = victim_frame(scope, children)
    return {
        "quarter": quarter,
        "start": scope.start.isoformat(),
        "end": scope.end.isoformat(),
        "as_of": as_of.isoformat(),
        **figures(children, victims),
        # KPI 9: the national serious violence rule for the quarter.
        "serious_violence": national.serious_violence(scope),
    }


# --- Breakdowns (indicators.md: "every KPI broken down by type of order, and
# ethnicity, sex, age band 10–14 / 15–17 of the child on start") --------------

BREAKDOWN_DIMENSIONS = {
    "type_of_order": ("type", TYPES_OF_ORDER),
    "ethnicity": ("ethnicity", [code for code, _ in vocab.ETHNICITY]),
    "sex": ("sex", [code for code, _ in vocab.SEX]),
    "age_band": ("age_band", AGE_BANDS),
}


def _flatten(result: dict) -> list[tuple[str, str, object]]:
    rows = []
    for kpi, value in result.items():
        if isinstance(value, dict):
            rows.extend((kpi, measure, figure) for measure, figure in value.items())
        else:
            rows.append(("population", kpi, value))
    return rows


def kpi_return_breakdown(quarter: str, as_of: date) -> list[dict]:
    """Long-format rows ``{dimension, group, kpi, measure, value}``: the whole
    return (dimension ``all``) and the same figures for every group of every
    breakdown dimension (every group present, empty groups with zeros and nulls).
    Serious violence is offence-based, not order-based: it appears under ``all``
    only."""
    scope = quarter_scope(quarter, as_of)
    children = child_frame(scope)
    victims = victim_frame(scope, children)
    groups = [("all", "all", children)]
    for dimension, (column, values) in BREAKDOWN_DIMENSIONS.items():
        groups.extend((dimension, value, children[children[column] == value]) for value in values)
    rows = []
    for dimension, group, subset in groups:
        result = figures(subset, victims)
        if dimension == "all":
            result["serious_violence"] = national.serious_violence(scope)
        rows.extend(
            {"dimension": dimension, "group": group, "kpi": kpi, "measure": measure, "value": value}
            for kpi, measure, value in _flatten(result)
        )
    return rows
