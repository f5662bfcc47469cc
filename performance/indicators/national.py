"""The national indicators, one section per section of indicators.md.

Every rule is written as a function returning the QuerySet of the records
that qualify (children's outcomes, offences, referrals); the figure is a
count or aggregate of that QuerySet, and the drill-down (drilldown.py) lists
the same QuerySet. The counting happens in the database.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date

from django.db import connection, transaction
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
)

from cases import vocab
from cases.models import Child, Offence, Outcome
from panels.models import OocdReferral
from performance.indicators.common import (
    ChildBornOn,
    DerivedDate,
    MonthsLater,
    Scope,
    aged_10_to_17,
    calendar_quarters,
    pct,
    population,
    rate,
    round2,
)
from yjs.dates import add_months

SUBSTANTIVE = sorted(vocab.SUBSTANTIVE)
COURT_TIERS = sorted(str(t) for t in vocab.COURT_TIERS)
CUSTODY = str(vocab.Tier.CUSTODY)
# indicators.md, Proven reoffending, step 1: non-custodial index events.
INDEX_TIERS = [str(vocab.Tier.PRE_COURT), str(vocab.Tier.FIRST_TIER), str(vocab.Tier.COMMUNITY)]
SERIOUS_VIOLENCE_CATEGORIES = ["violence_against_the_person", "robbery", "drugs"]
SERIOUS_VIOLENCE_MIN_SCORE = 5
BREACH = "breach"
OOCD_DECISIONS = [code for code, _ in vocab.OOCD_DECISION]
DIVERTED = sorted(vocab.DIVERTED_DECISIONS)
# indicators.md, Proven reoffending, step 3.
REOFFENCE_MONTHS = 12
PROOF_MONTHS = 18


def existing_outcomes(scope: Scope):
    """indicators.md, Common rules: only outcomes with outcome_date <= as_of exist."""
    return Outcome.objects.filter(outcome_date__lte=scope.as_of)


# --- First time entrants (indicators.md, "First time entrants (FTE)") --------


def fte_children(scope: Scope):
    """The first time entrants: children whose earliest substantive outcome
    ever (common.DerivedDate, on or before as_of) is dated in the period, the
    child aged 10–17 on it. Diversion and no further action are not
    substantive, so they never make a child an FTE."""
    qs = (
        Child.objects.alias(first_on=DerivedDate())
        .filter(scope.children_q(prefix=""))
        .filter(first_on__gte=scope.start, first_on__lte=min(scope.end, scope.as_of))
    )
    return aged_10_to_17(qs, "first_on", date_of_birth="date_of_birth")


def fte_outcomes(scope: Scope):
    """Each first time entrant's earliest substantive outcome (for listing the
    records behind the figure). A child with two substantive outcomes on that
    first day appears twice here but counts once."""
    first = fte_children(scope).filter(pk=OuterRef("child"), first_on=OuterRef("outcome_date"))
    return existing_outcomes(scope).filter(outcome_type__in=SUBSTANTIVE).filter(Exists(first))


def fte(scope: Scope, pop: int | None) -> dict:
    count = fte_children(scope).count()
    return {"count": count, "rate_per_100k": rate(count, pop, 100_000)}


# --- Use of custody (indicators.md, "Use of custody") ------------------------


def court_sentences(scope: Scope):
    """Court sentences (tiers first_tier, community, custody) in the period,
    the child aged 10–17 that day (common.ChildBornOn: the date of birth copied
    onto the outcome)."""
    qs = existing_outcomes(scope).filter(
        scope.children_q(),
        tier__in=COURT_TIERS,
        outcome_date__gte=scope.start,
        outcome_date__lte=scope.end,
    )
    return aged_10_to_17(qs, "outcome_date", date_of_birth=ChildBornOn())


def custodial_sentences(scope: Scope):
    return court_sentences(scope).filter(tier=CUSTODY)


def custody(scope: Scope, pop: int | None) -> dict:
    counts = court_sentences(scope).aggregate(
        # Counting a column of the covering index (cases migration 0009), not
        # the id, lets PostgreSQL answer from the index alone.
        court=Count("tier"),
        custodial=Count("tier", filter=Q(tier=CUSTODY)),
    )
    sentences, court = counts["custodial"], counts["court"]
    return {
        "sentences": sentences,
        "rate_per_1000": rate(sentences, pop, 1000),
        "court_sentences": court,
        "pct_of_court_sentences": pct(sentences, court),
    }


# --- Proven reoffending (indicators.md, "Proven reoffending") ----------------
#
# Each quarter of the period is its own cohort (steps 1-4) and the period's
# figures are sums of the quarters' figures, so every statement below is a
# UNION ALL of one independent part per quarter. On PostgreSQL the parts can
# run at the same time in parallel workers (a Parallel Append): on the
# benchmark's 250,000 children, 76 ms for a year's four cohorts against 125 ms
# for one pass over them all (benchmarks/README.md).
#
# The per-child window (index date < offence date <= index date + 12 months,
# proof <= index date + 18 months) joins two ORM-built queries on a per-row
# value, which the ORM cannot express without repeating subqueries per row.
# So the two queries are compiled by the ORM (for whichever database is in
# use) and joined in small SQL statements (_per_quarter).


def index_events(scope: Scope, quarter: tuple[date, date]):
    """Step 1 for one quarter: substantive outcomes of tier pre_court,
    first_tier or community dated in the quarter (index date = outcome_date)
    and custodial outcomes released in it (index date = release_date), the
    child aged 10–17 on the index date. One row per event as
    ``{child, index_date, reoffence_limit, proof_limit}``, the limits being
    step 3's.

    The two kinds are read separately (each from its own covering index, cases
    migration 0009) and put together with UNION ALL; a custodial outcome is
    never of the other tiers, so no event is read twice."""
    first, last = quarter
    outcomes = existing_outcomes(scope).filter(scope.children_q())
    sentenced = outcomes.filter(
        tier__in=INDEX_TIERS, outcome_date__gte=first, outcome_date__lte=last
    ).annotate(index_date=F("outcome_date"))
    released = outcomes.filter(
        tier=CUSTODY, release_date__gte=first, release_date__lte=last
    ).annotate(index_date=F("release_date"))
    return _index_event_rows(sentenced).union(_index_event_rows(released), all=True)


def _index_event_rows(events):
    events = aged_10_to_17(events, "index_date", date_of_birth=ChildBornOn())
    return (
        events.annotate(
            # Step 3's window: index date + 12 months, and the proof limit + 18 months.
            reoffence_limit=MonthsLater("index_date", REOFFENCE_MONTHS),
            proof_limit=MonthsLater("index_date", PROOF_MONTHS),
        )
        .order_by()
        .values("child", "index_date", "reoffence_limit", "proof_limit")
    )


def reoffence_candidates(scope: Scope, quarter: tuple[date, date]):
    """Step 3 before the per-child window, for one quarter's cohort: offences
    other than breach, dated after the quarter's start and no later than 12
    months after its end, listed on a substantive outcome dated on or before
    as_of; one row per offence ("each offence counts once") as
    ``{id, child_id, offence_date, proven_on}``, ``proven_on`` being the
    earliest such outcome_date (common.DerivedDate).

    A proof later than the last possible proof limit (18 months after the
    quarter's end) cannot count, so those offences are left out here."""
    first, last = quarter
    return (
        Offence.objects.alias(first_on=DerivedDate())
        .filter(
            offence_date__gt=first,
            offence_date__lte=add_months(last, REOFFENCE_MONTHS),
            first_on__lte=min(scope.as_of, add_months(last, PROOF_MONTHS)),
        )
        .exclude(category=BREACH)
        .filter(scope.children_q())
        .order_by()
        .values("id", "child_id", "offence_date")
        .annotate(proven_on=F("first_on"))
    )


# Step 2: a quarter's cohort is each child's earliest index event in it.
# add_months is monotonic, so the limits of the earliest event are the
# smallest limits of the child's events in the quarter (MIN).
_COHORT = """(
    SELECT child, MIN(index_date) AS index_date,
           MIN(reoffence_limit) AS reoffence_limit, MIN(proof_limit) AS proof_limit
    FROM ({events}) events GROUP BY child
)"""

# Step 3: a candidate offence inside the cohort child's window.
_WINDOW = """candidates.child_id = cohort.child
    AND candidates.offence_date > cohort.index_date
    AND candidates.offence_date <= cohort.reoffence_limit
    AND candidates.proven_on <= cohort.proof_limit"""


def _per_quarter(scope: Scope, quarters, select: str) -> tuple[str, list]:
    """``select`` for each quarter, put together with UNION ALL. In it
    ``{number}`` is the quarter's position in the period (0 for the first),
    ``{cohort}`` the quarter's cohort (step 2: child, index_date and the
    limits), ``{candidates}`` its reoffence candidates and ``{window}`` step
    3's join condition between the two. Each of cohort and candidates is used
    at most once, the cohort first (the order of the parameters)."""
    assert select.count("{cohort}") == 1 and select.count("{candidates}") <= 1
    uses_candidates = "{candidates}" in select
    if uses_candidates:
        assert select.index("{cohort}") < select.index("{candidates}")
    parts, params = [], []
    for number, quarter in enumerate(quarters):
        events_sql, events_params = _compile(index_events(scope, quarter))
        candidates_sql, candidates_params = (
            _compile(reoffence_candidates(scope, quarter)) if uses_candidates else ("", [])
        )
        part = select.format(
            number=number,
            cohort=_COHORT.format(events=events_sql),
            candidates=f"({candidates_sql})",
            window=_WINDOW,
        )
        # SQLite takes no parentheses around the members of a UNION.
        parts.append(f"SELECT * FROM ({part}) quarter_{number}")  # noqa: S608 (ORM-compiled SQL)
        params += events_params + candidates_params
    return "\nUNION ALL\n".join(parts), params


def _compile(queryset) -> tuple[str, list]:
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, list(params)


def _fetch(sql: str, params: list) -> list[tuple]:
    """Run one reoffending statement. On PostgreSQL without nested loops: the
    planner cannot estimate the age rule (a date compared with the date of
    birth plus years), guesses a cohort at about 1% of its size, and then
    looks each cohort child's offences up one by one (230 ms on the
    benchmark's 250,000 children, against 76 ms hashed). Only this statement
    is affected."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with transaction.atomic():
                cursor.execute("SET LOCAL enable_nestloop = off")
                cursor.execute(sql, params)
                rows = cursor.fetchall()
                cursor.execute("SET LOCAL enable_nestloop = on")
                return rows
        cursor.execute(sql, params)
        return cursor.fetchall()


def reoffending_by_quarter(scope: Scope, quarters) -> list[dict]:
    """Step 4 per quarter: cohort, reoffenders, reoffences. Each cohort child
    with the number of their proven reoffences (0 for none: a left join),
    then counted. (Counting the candidates' child_id, never null in a match,
    rather than their id lets PostgreSQL read them from the covering index
    alone.)"""
    sql, params = _per_quarter(
        scope,
        quarters,
        """
        SELECT {number} AS cohort_quarter, COUNT(*) AS cohort,
               SUM(CASE WHEN reoffences > 0 THEN 1 ELSE 0 END) AS reoffenders,
               SUM(reoffences) AS reoffences
        FROM (
            SELECT cohort.child, COUNT(candidates.child_id) AS reoffences
            FROM {cohort} cohort LEFT JOIN {candidates} candidates ON {window}
            GROUP BY cohort.child
        ) per_child
        """,
    )
    counts = dict.fromkeys(range(len(quarters)), (0, 0, 0))
    for number, *row in _fetch(sql, params):
        counts[number] = tuple(int(value or 0) for value in row)
    return [
        {
            "quarter_start": first,
            "quarter_end": last,
            "cohort": counts[number][0],
            "reoffenders": counts[number][1],
            "reoffences": counts[number][2],
        }
        for number, (first, last) in enumerate(quarters)
    ]


def reoffending_cohort(scope: Scope, quarters) -> list[dict]:
    """Step 2 listed: one row per child and quarter with the index date."""
    sql, params = _per_quarter(
        scope, quarters, "SELECT cohort.child, {number}, cohort.index_date FROM {cohort} cohort"
    )
    return [
        {"child": child, "quarter_start": quarters[q][0], "index_date": _as_date(index_date)}
        for child, q, index_date in _fetch(sql, params)
    ]


def proven_reoffences(scope: Scope, quarters) -> list[dict]:
    """Step 3 listed: one row per proven reoffence with its cohort and dates."""
    sql, params = _per_quarter(
        scope,
        quarters,
        """
        SELECT cohort.child, {number}, cohort.index_date, candidates.id,
               candidates.offence_date, candidates.proven_on
        FROM {cohort} cohort JOIN {candidates} candidates ON {window}
        """,
    )
    return [
        {
            "child": child,
            "quarter_start": quarters[q][0],
            "index_date": _as_date(index_date),
            "offence": offence,
            "offence_date": _as_date(offence_date),
            "proven_on": _as_date(proven_on),
        }
        for child, q, index_date, offence, offence_date, proven_on in _fetch(sql, params)
    ]


def _as_date(value) -> date:
    """SQLite hands back dates computed in raw SQL as text."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def reoffending(scope: Scope) -> dict | None:
    """Aggregated quarterly cohorts; None when the period is not whole quarters."""
    quarters = calendar_quarters(scope.start, scope.end)
    if quarters is None:
        return None
    per_quarter = reoffending_by_quarter(scope, quarters)
    cohort_size = sum(row["cohort"] for row in per_quarter)
    reoffenders = sum(row["reoffenders"] for row in per_quarter)
    reoffences = sum(row["reoffences"] for row in per_quarter)
    return {
        "cohort": cohort_size,
        "reoffenders": reoffenders,
        "reoffences": reoffences,
        "binary_rate_pct": pct(reoffenders, cohort_size),
        "reoffences_per_reoffender": rate(reoffences, reoffenders),
        "reoffences_per_child": rate(reoffences, cohort_size),
        "complete": scope.as_of >= add_months(quarters[-1][1], PROOF_MONTHS),
    }


# --- Serious violence (indicators.md, "Serious violence (2023 KPI 9)") -------


def serious_violence_offences(scope: Scope):
    """Offences of category violence against the person, robbery or drugs with
    seriousness 5 or more, whose earliest substantive outcome
    (common.DerivedDate, on or before as_of) is dated in the period, the child
    aged 10–17 on the offence date; each offence once."""
    qs = (
        Offence.objects.alias(first_on=DerivedDate())
        .filter(
            scope.children_q(),
            category__in=SERIOUS_VIOLENCE_CATEGORIES,
            seriousness_score__gte=SERIOUS_VIOLENCE_MIN_SCORE,
        )
        .filter(first_on__gte=scope.start, first_on__lte=min(scope.end, scope.as_of))
    )
    return aged_10_to_17(qs, "offence_date", date_of_birth=ChildBornOn())


def with_first_outcome_date(offences, scope: Scope):
    """Annotate ``first_outcome_date``: the earliest substantive outcome listing
    the offence (for listing the records behind the figure)."""
    return offences.annotate(first_outcome_date=DerivedDate())


def serious_violence(scope: Scope) -> dict:
    """Rate per 10,000 of the population of the year BEFORE the period's end year."""
    offences = serious_violence_offences(scope).count()
    pop = population(scope, year=scope.end.year - 1)
    return {"offences": offences, "rate_per_10k": rate(offences, pop, 10_000)}


# --- Out of court disposals panel (indicators.md, same heading) --------------


def oocd_referrals(scope: Scope):
    """Referrals with panel_date in the period."""
    return OocdReferral.objects.filter(
        scope.children_q(), panel_date__gte=scope.start, panel_date__lte=scope.end
    )


def oocd(scope: Scope) -> dict:
    """Counts per decision and the median days from referral to panel, from one
    pass over the period's referrals: the database counts them per decision and
    per number of days (a few hundred rows), and the median is read off those
    counts (median_of_counts)."""
    rows = (
        oocd_referrals(scope)
        .order_by()
        .annotate(days=ExpressionWrapper(F("panel_date") - F("referral_date"), DurationField()))
        .values("decision", "days")
        .annotate(n=Count("decision"))  # a column of the covering index, not the id
    )
    decisions = dict.fromkeys(OOCD_DECISIONS, 0)
    days: Counter[int] = Counter()
    for row in rows:
        decisions[row["decision"]] = decisions.get(row["decision"], 0) + row["n"]
        days[row["days"].days] += row["n"]
    total = sum(decisions.values())
    diverted = sum(decisions.get(code, 0) for code in DIVERTED)
    return {
        "decisions": decisions,
        "days_to_decision_median": median_of_counts(days),
        "diverted_pct": pct(diverted, total),
    }


def median_of_counts(counts: Counter[int]) -> float | None:
    """The median of a list given as ``{value: how many times}``: the middle
    value (odd length) or the mean of the middle two (even length)."""
    total = sum(counts.values())
    if not total:
        return None
    wanted = {(total - 1) // 2, total // 2}  # 0-based positions in sorted order
    middle, seen = [], 0
    for value in sorted(counts):
        following = seen + counts[value]
        middle += [value] * sum(1 for position in wanted if seen <= position < following)
        seen = following
    return round2(statistics.mean(middle))


# --- The kpis command (indicators.md, "The kpis command") ---------------------


def kpis(scope: Scope) -> dict:
    pop = population(scope, year=scope.end.year)
    return {
        "period": {
            "start": scope.start.isoformat(),
            "end": scope.end.isoformat(),
            "as_of": scope.as_of.isoformat(),
        },
        "population": pop,
        "fte": fte(scope, pop),
        "custody": custody(scope, pop),
        "reoffending": reoffending(scope),
        "serious_violence": serious_violence(scope),
        "oocd": oocd(scope),
    }
