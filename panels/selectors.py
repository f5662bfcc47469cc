"""Reads of the OOCD panel: pages' lists, one referral with its context, and
the panel report's figures (indicators.md, "Out of court disposals panel")."""

from __future__ import annotations

import statistics
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404

from cases import vocab
from cases.models import CareStatus, Child, Offence, Outcome, Programme, Victim
from panels import timeliness
from panels.models import OocdReferral, PanelMeeting, ScrutinySample
from yjs.audit.services import Action, audit_record
from yjs.dates import financial_quarter, financial_quarter_of
from yjs.permissions import may_open_child

DECISIONS = [code for code, _ in vocab.OOCD_DECISION]


# --- The panel report's figures ------------------------------------------------


class DaysBetween(Func):
    """``end - start`` in calendar days, computed by the database."""

    output_field = IntegerField()

    def __init__(self, end, start):
        super().__init__(end, start)

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL: date - date is integer days
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


class Median(Aggregate):
    """PostgreSQL's ordered-set aggregate ``percentile_cont(0.5)``."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def pct(numerator: int, denominator: int) -> float | None:
    """Percentage rounded half-up to 2 decimal places, ``None`` when the
    denominator is 0 (indicators.md, "Common rules")."""
    if not denominator:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def decided_in(*, start: date, end: date) -> QuerySet[OocdReferral]:
    """Referrals with panel_date in [start, end] (indicators.md: the unit of the panel figures)."""
    return OocdReferral.objects.filter(panel_date__range=(start, end)).exclude(decision="")


def _median_days(referrals: QuerySet[OocdReferral]) -> float | None:
    days = DaysBetween(F("panel_date"), F("referral_date"))
    if connection.vendor == "postgresql":
        median = referrals.aggregate(median=Median(days))["median"]
        return None if median is None else float(median)
    # SQLite has no percentile aggregate: one query for the day counts.
    values = list(referrals.annotate(days=days).values_list("days", flat=True))
    return float(statistics.median(values)) if values else None


def oocd_figures(*, start: date, end: date) -> dict:
    """The ``oocd`` block of ``manage.py kpis`` (indicators.md, "Out of court
    disposals panel"): for referrals with panel_date in the period, the count
    per decision value (every value present, 0 when none), the median of
    panel_date − referral_date in calendar days (``None`` when none), and
    NFA, community resolution and Outcome 22 as a percentage of all decisions."""
    referrals = decided_in(start=start, end=end)
    counts = dict(referrals.values_list("decision").annotate(n=Count("pk")).order_by())
    decisions = {code: counts.get(code, 0) for code in DECISIONS}
    total = sum(decisions.values())
    diverted = sum(decisions[code] for code in vocab.DIVERTED_DECISIONS)
    return {
        "decisions": decisions,
        "days_to_decision_median": _median_days(referrals),
        "diverted_pct": pct(diverted, total),
    }


def _looked_after_on_panel_date():
    """Looked after on the day of the decision: a looked_after care status
    open on panel_date (interchange.md, "Episodes": open on day D)."""
    return Exists(
        CareStatus.objects.filter(
            child=OuterRef("child"),
            status="looked_after",
            start_date__lte=OuterRef("panel_date"),
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("panel_date")))
    )


def oocd_breakdown(*, start: date, end: date) -> dict[str, list[dict]]:
    """Decisions in the period by the child's ethnicity, sex and looked-after
    status on the panel date: for each group, decisions by type, the group's
    share of all decisions and the percentage diverted. Counts only."""
    referrals = decided_in(start=start, end=end).annotate(
        looked_after=_looked_after_on_panel_date()
    )
    total = referrals.count()
    groupings = {
        "ethnicity": ("child__ethnicity", vocab.ETHNICITY),
        "sex": ("child__sex", vocab.SEX),
        "looked_after": ("looked_after", [(True, "Looked after"), (False, "Not looked after")]),
    }
    result = {}
    for name, (field, groups) in groupings.items():
        cells: dict = {}
        for group, decision, n in (
            referrals.values_list(field, "decision").annotate(n=Count("pk")).order_by()
        ):
            cells[(group, decision)] = n
        rows = []
        for code, label in groups:
            by_decision = {d: cells.get((code, d), 0) for d in DECISIONS}
            group_total = sum(by_decision.values())
            diverted = sum(by_decision[d] for d in vocab.DIVERTED_DECISIONS)
            rows.append(
                {
                    "code": code,
                    "label": label,
                    "by_decision": by_decision,
                    "decision_counts": [by_decision[d] for d in DECISIONS],
                    "total": group_total,
                    "pct_of_all": pct(group_total, total),
                    "diverted": diverted,
                    "diverted_pct": pct(diverted, group_total),
                }
            )
        result[name] = rows
    return result


def oocd_timeliness(*, start: date, end: date) -> dict:
    """Decisions in the period made within settings.OOCD_DECISION_WORKING_DAYS
    working days of the referral (domain.md, "Timeliness"). Not a national
    indicator: working days need the bank-holiday calendar, so the day counts
    are made in Python over one query's (referral_date, panel_date) pairs."""
    pairs = decided_in(start=start, end=end).values_list("referral_date", "panel_date")
    total = on_time = 0
    for referral_date, panel_date in pairs:
        total += 1
        on_time += not timeliness.is_late(referral_date, decided_on=panel_date, today=panel_date)
    return {
        "threshold": timeliness.threshold(),
        "decisions": total,
        "on_time": on_time,
        "on_time_pct": pct(on_time, total),
    }


def report_quarters() -> list[str]:
    """Financial quarters from the first to the last panel decision, newest first."""
    from django.db.models import Max, Min

    bounds = OocdReferral.objects.exclude(decision="").aggregate(
        first=Min("panel_date"), last=Max("panel_date")
    )
    if not bounds["first"]:
        return []
    labels = []
    label = financial_quarter_of(bounds["last"])
    first = financial_quarter_of(bounds["first"])
    while True:
        labels.append(label)
        if label == first:
            return labels
        start, _ = financial_quarter(label)
        label = financial_quarter_of(date.fromordinal(start.toordinal() - 1))


def panel_report(*, quarter: str) -> dict:
    start, end = financial_quarter(quarter)
    figures = oocd_figures(start=start, end=end)
    labels = dict(vocab.OOCD_DECISION)
    total = sum(figures["decisions"].values())
    return {
        "quarter": quarter,
        "start": start,
        "end": end,
        "figures": figures,
        "total": total,
        "decision_rows": [
            {"code": code, "label": labels[code], "count": n, "pct": pct(n, total)}
            for code, n in figures["decisions"].items()
        ],
        "decision_labels": [labels[code] for code in DECISIONS],
        "breakdown": oocd_breakdown(start=start, end=end),
        "timeliness": oocd_timeliness(start=start, end=end),
    }


# --- Pages -----------------------------------------------------------------------


def _visible(user) -> QuerySet[OocdReferral]:
    return OocdReferral.objects.filter(child__in=Child.objects.visible_to(user))


def with_timeliness(referrals, *, today: date):
    """Attach the days waited and whether the decision is (or was) late."""
    referrals = list(referrals)
    for referral in referrals:
        decided_on = referral.panel_date if referral.decision else None
        until = decided_on or today
        referral.days_waiting = (until - referral.referral_date).days
        referral.working_days_waiting = timeliness.working_days_between(
            referral.referral_date, until
        )
        referral.decision_due = timeliness.decision_due(referral.referral_date)
        referral.late = timeliness.is_late(
            referral.referral_date, decided_on=decided_on, today=today
        )
    return referrals


def referrals_awaiting(*, user, today: date) -> list[OocdReferral]:
    referrals = (
        _visible(user)
        .filter(decision="")
        .select_related("child", "meeting")
        .order_by("referral_date", "pk")
    )
    return with_timeliness(referrals, today=today)


def referrals_list(*, user, status: str = "awaiting") -> QuerySet[OocdReferral]:
    referrals = _visible(user).select_related("child", "meeting")
    if status == "decided":
        return referrals.exclude(decision="").order_by("-panel_date", "-pk")
    return referrals.filter(decision="").order_by("referral_date", "pk")


def meetings_upcoming(*, today: date) -> QuerySet[PanelMeeting]:
    return (
        PanelMeeting.objects.filter(meeting_date__gte=today)
        .select_related("chair")
        .annotate(
            referral_count=Count("referrals"),
            decided_count=Count("referrals", filter=~Q(referrals__decision="")),
        )
        .order_by("meeting_date", "pk")
    )


def meetings_recent(*, today: date, limit: int = 5) -> QuerySet[PanelMeeting]:
    return (
        PanelMeeting.objects.filter(meeting_date__lt=today)
        .select_related("chair")
        .annotate(
            referral_count=Count("referrals"),
            decided_count=Count("referrals", filter=~Q(referrals__decision="")),
        )
        .order_by("-meeting_date", "-pk")[:limit]
    )


def _referral_context_prefetch(queryset):
    """Everything a referral's panel view shows, in a fixed number of queries."""
    return queryset.select_related(
        "child", "meeting", "outcome", "decided_by", "signed_off_by", "plan_item__programme"
    ).prefetch_related(
        Prefetch("offences", queryset=Offence.objects.order_by("offence_date", "pk")),
        Prefetch(
            "offences__victims",
            queryset=Victim.objects.order_by("pk"),
        ),
        Prefetch("child__offences", queryset=Offence.objects.order_by("-offence_date", "-pk")),
        Prefetch(
            "child__outcomes",
            queryset=Outcome.objects.order_by("-outcome_date", "-pk"),
        ),
        Prefetch(
            "child__oocd_referrals",
            queryset=OocdReferral.objects.order_by("-referral_date", "-pk"),
        ),
        "amendments__amended_by",
    )


def attach_context(referral: OocdReferral) -> OocdReferral:
    """The child's previous history and the victims, from the prefetched rows:
    offences, outcomes and referrals other than this referral's own."""
    own_offences = {o.pk for o in referral.offences.all()}
    referral.history_offences = [
        o for o in referral.child.offences.all() if o.pk not in own_offences
    ]
    referral.history_outcomes = [
        o for o in referral.child.outcomes.all() if o.pk != referral.outcome_id
    ]
    referral.history_referrals = [
        r for r in referral.child.oocd_referrals.all() if r.pk != referral.pk
    ]
    victims = {}
    for offence in referral.offences.all():
        for victim in offence.victims.all():
            victims.setdefault(victim.pk, victim)
    referral.victim_list = list(victims.values())
    return referral


def referral_get(*, user, pk: int, request=None, audit: bool = True) -> OocdReferral:
    """One referral with its context, if the user may open the child's record
    (else 404); the view is audited."""
    referral = _referral_context_prefetch(OocdReferral.objects.filter(pk=pk)).first()
    if referral is None or not may_open_child(user, referral.child):
        raise Http404("No such referral")
    if audit:
        audit_record(
            user=user,
            action=Action.VIEW,
            child=referral.child,
            obj=referral,
            request=request,
            summary="Opened the OOCD referral",
        )
    return attach_context(referral)


def meeting_get(*, pk: int) -> PanelMeeting:
    meeting = (
        PanelMeeting.objects.select_related("chair").prefetch_related("attendees").filter(pk=pk)
    ).first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def agenda(*, meeting: PanelMeeting, user, today: date, request=None) -> list[OocdReferral]:
    """The meeting's agenda: its referrals with their context, each child's
    view audited (the chair reads every child's history and victims' views)."""
    referrals = _referral_context_prefetch(
        meeting.referrals.filter(child__in=Child.objects.visible_to(user)).order_by(
            "referral_date", "pk"
        )
    )
    referrals = with_timeliness(referrals, today=today)
    for referral in referrals:
        attach_context(referral)
        audit_record(
            user=user,
            action=Action.VIEW,
            child=referral.child,
            obj=referral,
            request=request,
            summary=f"Read the referral on the agenda of the {meeting}",
        )
    return referrals


def agenda_candidates(*, user) -> QuerySet[OocdReferral]:
    """Referrals awaiting a decision and not on any meeting's agenda."""
    return (
        _visible(user)
        .filter(decision="", meeting__isnull=True)
        .select_related("child")
        .order_by("referral_date", "pk")
    )


def child_history(*, child: Child) -> dict:
    """A child's earlier offences, outcomes and referrals, shown when a new
    referral is recorded."""
    return {
        "offences": list(child.offences.order_by("-offence_date", "-pk")),
        "outcomes": list(child.outcomes.order_by("-outcome_date", "-pk")),
        "referrals": list(child.oocd_referrals.order_by("-referral_date", "-pk")),
    }


def programmes_active() -> list[Programme]:
    return list(Programme.objects.filter(active=True).order_by("name"))


def scrutiny_samples() -> QuerySet[ScrutinySample]:
    return ScrutinySample.objects.annotate(
        reviewed=Count("reviews", filter=~Q(reviews__verdict="")),
        picked=Count("reviews"),
    ).order_by("-quarter")


def scrutiny_sample_get(*, quarter: str) -> ScrutinySample | None:
    return (
        ScrutinySample.objects.filter(quarter=quarter)
        .prefetch_related(
            "reviews__referral__child", "reviews__referral__offences", "reviews__reviewed_by"
        )
        .first()
    )
