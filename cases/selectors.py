"""Reads of children's records. Each returns only what the user may see, and
records the view in the audit trail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from cases import vocab
from cases.models import (
    AccommodationEpisode,
    Assessment,
    CareStatus,
    Child,
    EteEpisode,
    HealthNeed,
    Outcome,
    PlanItem,
    SendEpisode,
    StatusEpisode,
)
from yjs.audit.services import Action, audit_record
from yjs.dates import add_years
from yjs.permissions import may_open_child


def child_get(*, user, pk: int, request=None, audit: bool = True, summary: str = "") -> Child:
    """The child, if ``user`` may open the record (else 404, so ids cannot be
    probed); the view is audited."""
    child = Child.objects.select_related("allocated_worker", "team").filter(pk=pk).first()
    if child is None or not may_open_child(user, child):
        raise Http404("No such child")
    if audit:
        audit_record(
            user=user,
            action=Action.VIEW,
            child=child,
            obj=child,
            request=request,
            summary=summary or "Opened the child's record",
        )
    return child


# --- Caseloads ---------------------------------------------------------------

CASELOAD_SCOPES = {
    "mine": "My caseload",
    "team": "My team",
    "unallocated": "Unallocated",
    "all": "All children",
}

# Flags shown on caseloads: (code, short label, model, status code). Looked
# after also counts the child's own ``looked_after`` flag (set by the import).
CASELOAD_FLAGS = [
    ("looked_after", "Looked after", CareStatus, "looked_after"),
    ("child_protection", "CP", CareStatus, "child_protection"),
    ("child_in_need", "CIN", CareStatus, "child_in_need"),
    ("early_help", "Early help", CareStatus, "early_help"),
    ("neet", "NEET", StatusEpisode, "neet"),
    ("missing", "Missing", StatusEpisode, "missing"),
    ("cse", "CSE", StatusEpisode, "cse"),
    ("cce", "CCE", StatusEpisode, "cce"),
    ("mappa", "MAPPA", StatusEpisode, "mappa"),
]
FLAG_LABELS = {code: label for code, label, _, _ in CASELOAD_FLAGS}


def open_on(day: date) -> Q:
    """interchange.md, Episodes: open on D when start <= D and (no end or D <= end)."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def current_outcomes_q(day: date, prefix: str = "") -> Q:
    """An outcome in force on ``day``: given on or before it and not yet ended.
    "No further action" is not an order."""
    return (
        Q(**{f"{prefix}outcome_date__lte": day})
        & (Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day}))
        & ~Q(**{f"{prefix}tier": vocab.Tier.NONE})
    )


def late_start_q(day: date) -> Q:
    """domain.md, Timeliness: an intervention started after its planned start, or
    whose planned start has passed with no actual start (unless cancelled)."""
    return Q(actual_start_date__gt=F("planned_start_date")) | (
        Q(actual_start_date__isnull=True, planned_start_date__lt=day) & ~Q(status="cancelled")
    )


def caseload_flag_q(code: str, day: date) -> Q:
    """The child has the caseload flag ``code`` open on ``day`` (CASELOAD_FLAGS)."""
    _, _, model, status = next(flag for flag in CASELOAD_FLAGS if flag[0] == code)
    exists = Exists(model.objects.filter(open_on(day), child=OuterRef("pk"), status=status))
    return Q(looked_after=True) | Q(exists) if code == "looked_after" else Q(exists)


# A child's latest assessment, and the order shown when several are current.
LATEST_ASSESSMENT_FIRST = ("-assessment_date", "-id")
LATEST_OUTCOME_FIRST = ("-outcome_date", "-id")


def next_review_due(day: date) -> Subquery:
    """The next review date of the child's latest assessment."""
    latest_assessment = Assessment.objects.filter(child=OuterRef("pk")).order_by(
        *LATEST_ASSESSMENT_FIRST
    )
    return Subquery(latest_assessment.values("next_review_due")[:1])


def _caseload_annotation(name: str, day: date):
    if name == "next_review_due":
        return next_review_due(day)
    if name == "current_order_type":
        current = (
            Outcome.objects.filter(child=OuterRef("pk"))
            .filter(current_outcomes_q(day))
            .order_by(*LATEST_OUTCOME_FIRST)
        )
        return Subquery(current.values("outcome_type")[:1])
    if name == "late_starts":
        late = (
            PlanItem.objects.filter(child=OuterRef("pk"))
            .filter(late_start_q(day))
            .order_by()
            .values("child")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(late, output_field=IntegerField()), Value(0))
    code = name.removeprefix("flag_")
    return ExpressionWrapper(caseload_flag_q(code, day), output_field=BooleanField())


CASELOAD_ANNOTATIONS = (
    "next_review_due",
    "current_order_type",
    "late_starts",
    *(f"flag_{code}" for code, _, _, _ in CASELOAD_FLAGS),
)


def caseload_annotate(
    qs: QuerySet[Child], *, day: date, only: tuple[str, ...] = CASELOAD_ANNOTATIONS
) -> QuerySet[Child]:
    """Everything a caseload row shows (or the ``only`` named columns, to sort
    by one), in the one query (no per-child queries)."""
    return qs.annotate(**{name: _caseload_annotation(name, day) for name in only})


def caseload_rows(children: list[Child], *, day: date) -> list[Child]:
    """Sets on ``children`` (a page of the caseload) the columns caseload_annotate
    adds, with one small query per kind of record over their ids. Annotating the
    whole caseload made Django copy eleven subqueries at each filter, sort and
    page step, and building them cost more than running these
    (benchmarks/README.md, "Profile of the slowest page")."""
    ids = [child.pk for child in children]
    if not ids:
        return children
    flags: dict[int, set[str]] = {child.pk: set() for child in children}
    for model in (CareStatus, StatusEpisode):
        codes = {status: code for code, _, m, status in CASELOAD_FLAGS if m is model}
        for child_id, status in model.objects.filter(
            open_on(day), child_id__in=ids, status__in=codes
        ).values_list("child_id", "status"):
            flags[child_id].add(codes[status])
    review: dict[int, date] = {}
    for child_id, due in (
        Assessment.objects.filter(child_id__in=ids)
        .order_by("child_id", *LATEST_ASSESSMENT_FIRST)
        .values_list("child_id", "next_review_due")
    ):
        review.setdefault(child_id, due)
    order: dict[int, str] = {}
    for child_id, outcome_type in (
        Outcome.objects.filter(current_outcomes_q(day), child_id__in=ids)
        .order_by("child_id", *LATEST_OUTCOME_FIRST)
        .values_list("child_id", "outcome_type")
    ):
        order.setdefault(child_id, outcome_type)
    late = dict(
        PlanItem.objects.filter(late_start_q(day), child_id__in=ids)
        .order_by()
        .values("child_id")
        .annotate(n=Count("pk"))
        .values_list("child_id", "n")
    )
    for child in children:
        child.next_review_due = review.get(child.pk)
        child.current_order_type = order.get(child.pk)
        child.late_starts = late.get(child.pk, 0)
        for code, _, _, _ in CASELOAD_FLAGS:
            on = code in flags[child.pk] or (code == "looked_after" and child.looked_after)
            setattr(child, f"flag_{code}", on)
    return children


def caseload_children(*, user, scope: str) -> QuerySet[Child]:
    """The children on a caseload that ``user`` may open; the table's columns are
    added by caseload_rows (the page shown) or caseload_annotate (the export)."""
    qs = Child.objects.visible_to(user).select_related("allocated_worker", "team")
    if scope == "mine":
        qs = qs.filter(allocated_worker=user)
    elif scope == "team":
        qs = qs.filter(team_id=user.team_id) if user.team_id else qs.none()
    elif scope == "unallocated":
        qs = qs.filter(allocated_worker__isnull=True)
    elif scope != "all":
        raise Http404("No such caseload")
    return qs


def child_localities() -> list[str]:
    """The localities children live in, sorted, for the caseload filter.

    ``SELECT DISTINCT`` reads every child (40 ms at 100,000 children, on every
    caseload page; PostgreSQL 15 has no skip scan). This walks the locality
    index instead, one probe per locality (benchmarks/README.md, "Profile of the
    slowest page")."""
    table = connection.ops.quote_name(Child._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE loc(locality) AS (
                SELECT MIN(locality) FROM {table} WHERE locality > ''
                UNION ALL
                SELECT (SELECT MIN(c.locality) FROM {table} c WHERE c.locality > loc.locality)
                FROM loc WHERE loc.locality IS NOT NULL
            )
            SELECT locality FROM loc WHERE locality IS NOT NULL
            """  # noqa: S608 (the table name is the model's)
        )
        return [row[0] for row in cursor.fetchall()]


def age_band_range(band: str, *, day: date) -> tuple[date, date]:
    """Dates of birth (exclusive lower, inclusive upper) of children whose age on
    ``day`` is in the band ("10-14", "15-17")."""
    low, high = (int(part) for part in band.split("-"))
    return add_years(day, -(high + 1)), add_years(day, -low)


# --- The child's page --------------------------------------------------------


@dataclass
class TimelineEntry:
    when: date
    kind: str  # offence, outcome, assessment, plan_item, contact, note, remand
    title: str
    obj: Any
    at: datetime | None = None
    details: list[str] = field(default_factory=list)
    close_url: str = ""  # set by the view where the records pages offer a closure step

    @property
    def sort_key(self):
        at = self.at or datetime.combine(self.when, time.min)
        return (self.when, timezone.make_naive(at) if timezone.is_aware(at) else at)


@dataclass
class ChildRecord:
    child: Child
    day: date
    current_orders: list[Outcome]
    latest_assessment: Assessment | None
    statuses: list[tuple[str, str]]  # (label, detail) open today
    late_plan_items: list[PlanItem]
    timeline: list[TimelineEntry]

    @property
    def review_overdue(self) -> bool:
        a = self.latest_assessment
        return bool(a and a.next_review_due < self.day)


def child_record(*, child: Child, day: date | None = None) -> ChildRecord:
    """The child's page: summary as of ``day`` and the timeline, newest first.
    A fixed number of queries, whatever the number of events."""
    day = day or timezone.localdate()
    offences = list(child.offences.all())
    # Whether each is in force today, and which plan items started late, come
    # with the records themselves (the same rules as the caseload's, no extra query).
    outcomes = list(
        child.outcomes.prefetch_related("offences").annotate(
            is_current=ExpressionWrapper(current_outcomes_q(day), output_field=BooleanField())
        )
    )
    assessments = list(child.assessments.select_related("author"))
    plan_items = list(
        child.plan_items.select_related("programme", "outcome").annotate(
            is_late=ExpressionWrapper(late_start_q(day), output_field=BooleanField())
        )
    )
    contacts = list(child.contacts.select_related("recorded_by"))
    notes = list(child.notes.select_related("author"))
    remands = list(child.remands.all())

    statuses: list[tuple[str, str]] = []
    if child.looked_after:
        statuses.append(("Looked after", "Recorded on the child's details"))
    for status in CareStatus.objects.filter(open_on(day), child=child):
        statuses.append((status.get_status_display(), f"Since {status.start_date:%-d %B %Y}"))
    for status in StatusEpisode.objects.filter(open_on(day), child=child):
        detail = f"Since {status.start_date:%-d %B %Y}"
        statuses.append((status.get_status_display(), f"{status.detail} {detail}".strip()))
    for acc in AccommodationEpisode.objects.filter(open_on(day), child=child):
        statuses.append(
            (
                "Accommodation",
                f"{acc.get_accommodation_type_display()} ({acc.get_suitability_display().lower()})",
            )
        )
    for ete in EteEpisode.objects.filter(open_on(day), child=child):
        statuses.append(
            (
                "Education, training or employment",
                f"{ete.get_provision_display()}: {ete.hours_attended:g} of "
                f"{ete.hours_offered:g} hours a week ({ete.get_suitability_display().lower()})",
            )
        )
    for send in SendEpisode.objects.filter(open_on(day), child=child):
        statuses.append(("Special educational needs", send.get_plan_display()))
    for need in HealthNeed.objects.filter(
        Q(attended_end_date__isnull=True) | Q(attended_end_date__gte=day),
        child=child,
        screened_date__lte=day,
    ):
        statuses.append(
            (
                need.get_kind_display(),
                f"Screened {need.screened_date:%-d %B %Y}"
                + (f"; {need.get_intervention_type_display()}" if need.intervention_type else ""),
            )
        )

    for remand in remands:
        if remand.start_date <= day and (remand.end_date is None or day <= remand.end_date):
            since = f"since {remand.start_date:%-d %B %Y}"
            statuses.append(("Remanded", f"{remand.get_remand_type_display()} {since}"))

    timeline: list[TimelineEntry] = []
    for o in offences:
        timeline.append(
            TimelineEntry(
                o.offence_date,
                "offence",
                f"Offence: {o.get_category_display()}",
                o,
                details=[
                    f"Seriousness {o.seriousness_score}"
                    + (f", gravity {o.gravity_score}" if o.gravity_score else "")
                    + (", weapon involved" if o.weapon else ""),
                    o.description,
                ],
            )
        )
    for o in outcomes:
        ends = f"ends {o.end_date:%-d %B %Y}" if o.end_date else "no end date yet"
        timeline.append(
            TimelineEntry(
                o.outcome_date,
                "outcome",
                f"Outcome: {o.get_outcome_type_display()}",
                o,
                details=[
                    f"{o.get_tier_display()}; {ends}",
                    "For: " + "; ".join(str(off) for off in o.offences.all()),
                    o.requirements,
                ],
            )
        )
    for a in assessments:
        timeline.append(
            TimelineEntry(
                a.assessment_date,
                "assessment",
                "Assessment",
                a,
                details=[
                    f"Likelihood of reoffending {a.get_likelihood_of_reoffending_display()}, "
                    f"risk of serious harm {a.get_risk_of_serious_harm_display()}, "
                    f"safety and wellbeing {a.get_safety_and_wellbeing_display()}, "
                    f"{a.get_intervention_level_display().lower()} intervention level",
                    f"Review due {a.next_review_due:%-d %B %Y}",
                    a.summary,
                ],
            )
        )
    for p in plan_items:
        started = (
            f"started {p.actual_start_date:%-d %B %Y}" if p.actual_start_date else "not started"
        )
        timeline.append(
            TimelineEntry(
                p.actual_start_date or p.planned_start_date,
                "plan_item",
                f"Intervention: {p.programme}",
                p,
                details=[
                    f"Planned start {p.planned_start_date:%-d %B %Y}, {started}; "
                    f"{p.get_status_display().lower()}",
                    p.notes,
                ],
            )
        )
    for c in contacts:
        local = timezone.localtime(c.contact_date)
        action = (
            f"; {c.get_compliance_action_display().lower()}"
            if c.compliance_action != "none"
            else ""
        )
        timeline.append(
            TimelineEntry(
                local.date(),
                "contact",
                f"Contact: {c.get_contact_type_display()}",
                c,
                at=local,
                details=[f"{c.get_attendance_display()}{action}", c.notes],
            )
        )
    for n in notes:
        timeline.append(
            TimelineEntry(n.written_on, "note", "Note to the child", n, details=[n.text])
        )
    for r in remands:
        timeline.append(
            TimelineEntry(
                r.start_date,
                "remand",
                f"Remand: {r.get_remand_type_display()}",
                r,
                details=[f"Ended {r.end_date:%-d %B %Y}" if r.end_date else "Still remanded"],
            )
        )
    for entry in timeline:
        entry.details = [d for d in entry.details if d]
    timeline.sort(key=lambda e: e.sort_key, reverse=True)

    return ChildRecord(
        child=child,
        day=day,
        current_orders=[o for o in outcomes if o.is_current],
        latest_assessment=assessments[0] if assessments else None,
        statuses=statuses,
        late_plan_items=[p for p in plan_items if p.is_late],
        timeline=timeline,
    )
