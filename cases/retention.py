"""Data retention: a child's record is kept until the *retention date* and is
then anonymised, never deleted (README, "Data retention").

The rule
    retention date = the later of
      - the day the child reaches ``settings.RETENTION_AGE_YEARS`` (default 25), and
      - the last involvement + ``settings.RETENTION_YEARS_AFTER_CLOSURE`` (default 6 years);
    a child is due on and after that date, unless any order, episode, plan item,
    treatment or OOCD referral of the child is still open. Restricted children
    follow the same rule.

    The *last involvement* is the latest date on any record of the child (the
    ``dates`` of every ``Part`` below, and the victim work on the child's
    offences). A child with no dated record at all is kept to the age alone.

Anonymising blanks the names, address, school, first language and every free
text about the child (notes, contact notes, assessment summaries, offence
descriptions, order requirements, the OOCD referral's texts) and the personal
details of victims once every child they are linked to is anonymised. The
structured facts (offences, outcomes, episodes with their dates and types, sex,
ethnicity, locality) stay, so the indicators for past periods do not change.

The date of birth is moved to the 1st of its month only when that changes the
child's age (completed years, yjs.dates.age_on) on none of the child's dated
records, otherwise it is kept. The indicators use the age only on those dates
(aged 10–17 on the outcome, offence or release date; the age band on the
order's start) and the birth year and month (school age), and the caseload
profile on a quarter's last day, which a move to the 1st can never change.

Other apps register the parts of the record they own (``register``; panels
does it from its AppConfig.ready), so cases knows nothing of them.

Idempotent: an anonymised child is recognised by its anonymised names and
skipped, so a second run changes nothing and writes no audit row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone

from cases import vocab
from cases.models import (
    AccommodationEpisode,
    Assessment,
    CareStatus,
    CaseNote,
    Child,
    Contact,
    EteEpisode,
    HealthNeed,
    Offence,
    Outcome,
    PlanItem,
    Remand,
    SendEpisode,
    StatusEpisode,
    Victim,
)
from yjs.audit.services import Action, audit_record
from yjs.dates import add_years, age_on

ANONYMISED_GIVEN_NAME = "Anonymised"
ANONYMISED_FAMILY_NAME = "child"

# The child's own personal fields, and the value each takes when anonymised.
CHILD_BLANKS = {
    "given_name": ANONYMISED_GIVEN_NAME,
    "family_name": ANONYMISED_FAMILY_NAME,
    "preferred_name": "",
    "address": "",
    "school": "",
    "first_language": "",
}
# Victims' personal details (the structured KPI 10 facts stay).
VICTIM_BLANKS = ("views", "contact_name", "contact_phone", "contact_email", "contact_address")
VICTIM_DATES = ("contacted_date", "rj_start_date", "rj_end_date")


def _ended_q(day: date) -> Q:
    """Still open on ``day``: no end date, or ending on or after it."""
    return Q(end_date__isnull=True) | Q(end_date__gte=day)


@dataclass(frozen=True)
class Part:
    """Rows of one model that belong to a child.

    ``child``: the path from the model to the child; ``blank``: free-text
    fields emptied on anonymising; ``dates``: fields that count as involvement;
    ``open``: given the day, the rows that keep the child from being anonymised.
    """

    model: type[models.Model]
    label: str
    child: str = "child"
    blank: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    open: object = None  # Callable[[date], Q] | None
    versioned: bool = True


PARTS: list[Part] = []


def register(*parts: Part) -> None:
    for part in parts:
        if part not in PARTS:
            PARTS.append(part)


_EPISODE_DATES = ("start_date", "end_date")
register(
    Part(Offence, "offences", blank=("description",), dates=("offence_date",)),
    Part(
        Outcome,
        "outcomes",
        blank=("requirements",),
        dates=("outcome_date", "end_date", "release_date"),
        # An order in force ("no further action" is not an order).
        open=lambda day: _ended_q(day) & ~Q(tier=vocab.Tier.NONE),
    ),
    Part(Remand, "remands", dates=_EPISODE_DATES, open=_ended_q),
    Part(AccommodationEpisode, "accommodation episodes", dates=_EPISODE_DATES, open=_ended_q),
    Part(EteEpisode, "ETE episodes", dates=_EPISODE_DATES, open=_ended_q),
    Part(CareStatus, "care statuses", dates=_EPISODE_DATES, open=_ended_q),
    Part(SendEpisode, "SEND episodes", dates=_EPISODE_DATES, open=_ended_q),
    Part(StatusEpisode, "statuses", blank=("detail",), dates=_EPISODE_DATES, open=_ended_q),
    Part(
        HealthNeed,
        "health needs",
        dates=(
            "screened_date",
            "referred_date",
            "offered_date",
            "attended_start_date",
            "attended_end_date",
        ),
        open=lambda day: (
            Q(attended_start_date__isnull=False, attended_end_date__isnull=True)
            | Q(attended_end_date__gte=day)
        ),
    ),
    Part(Assessment, "assessments", blank=("summary",), dates=("assessment_date",)),
    Part(
        PlanItem,
        "plan items",
        blank=("notes",),
        dates=("planned_start_date", "actual_start_date", "end_date"),
        open=lambda day: Q(status__in=["planned", "in_progress"]) | Q(end_date__gte=day),
    ),
    Part(Contact, "contacts", blank=("notes",), dates=("contact_date",)),
    Part(CaseNote, "case notes", blank=("text",), dates=("written_on",)),
)


# --- The report -----------------------------------------------------------------


@dataclass
class ChildRetention:
    child_id: int
    source_id: str | None
    date_of_birth: date
    age_date: date  # the day the child reaches the retention age
    last_involvement: date | None
    retention_date: date
    open_records: list[str] = field(default_factory=list)

    @property
    def due(self) -> bool:
        return not self.open_records

    @property
    def reason(self) -> str:
        age = settings.RETENTION_AGE_YEARS
        years = settings.RETENTION_YEARS_AFTER_CLOSURE
        text = f"aged {age} on {self.age_date}"
        if self.last_involvement is None:
            text += "; no dated record"
        else:
            text += (
                f"; last involvement {self.last_involvement}, + {years} years = "
                f"{add_years(self.last_involvement, years)}"
            )
        text += f"; retention date {self.retention_date} (the later)"
        if self.open_records:
            text += "; kept: open " + ", ".join(self.open_records)
        return text

    def as_dict(self) -> dict:
        return {
            "child": self.child_id,
            "source_id": self.source_id,
            "retention_date": self.retention_date.isoformat(),
            "last_involvement": self.last_involvement and self.last_involvement.isoformat(),
            "open_records": self.open_records,
            "reason": self.reason,
        }


@dataclass
class RetentionReport:
    today: date
    age_years: int
    years_after_closure: int
    due: list[ChildRetention]
    kept: list[ChildRetention]  # past the retention date but with an open record
    already_anonymised: int
    anonymised: list[dict] = field(default_factory=list)  # filled by retention_apply
    dry_run: bool = True

    @property
    def counts(self) -> dict:
        return {
            "due": len(self.due),
            "kept_open": len(self.kept),
            "already_anonymised": self.already_anonymised,
            "anonymised": len(self.anonymised),
        }

    def as_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "dry_run": self.dry_run,
            "rule": {
                "age_years": self.age_years,
                "years_after_closure": self.years_after_closure,
            },
            "counts": self.counts,
            "due": [c.as_dict() for c in self.due],
            "kept_open": [c.as_dict() for c in self.kept],
            "anonymised": self.anonymised,
        }


def anonymised_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}{name}": value for name, value in CHILD_BLANKS.items()})


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _latest(values: Iterable) -> date | None:
    days = [_as_date(v) for v in values if v is not None]
    return max(days) if days else None


def _last_involvement(children: QuerySet[Child]) -> dict[int, date]:
    """The latest involvement date per child: one grouped query per part."""
    latest: dict[int, date] = {}

    def merge(child_id, values):
        day = _latest([*values, latest.get(child_id)])
        if day is not None:
            latest[child_id] = day

    for part in PARTS:
        if not part.dates:
            continue
        rows = (
            part.model.objects.filter(**{f"{part.child}__in": children})
            .order_by()
            .values(part.child)
            .annotate(**{f"_last_{name}": Max(name) for name in part.dates})
        )
        for row in rows:
            merge(row[part.child], [row[f"_last_{name}"] for name in part.dates])
    victims = (
        Victim.objects.filter(offences__child__in=children)
        .order_by()
        .values("offences__child")
        .annotate(**{f"_last_{name}": Max(name) for name in VICTIM_DATES})
    )
    for row in victims:
        merge(row["offences__child"], [row[f"_last_{name}"] for name in VICTIM_DATES])
    return latest


def _open_records(children: QuerySet[Child], today: date) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for part in PARTS:
        if part.open is None:
            continue
        ids = (
            part.model.objects.filter(**{f"{part.child}__in": children})
            .filter(part.open(today))
            .order_by()
            .values_list(part.child, flat=True)
            .distinct()
        )
        for child_id in ids:
            found.setdefault(child_id, []).append(part.label)
    return found


def _assess(children: QuerySet[Child], *, today: date) -> list[ChildRetention]:
    """Every child of ``children`` whose retention date is on or before ``today``."""
    age_years = settings.RETENTION_AGE_YEARS
    years = settings.RETENTION_YEARS_AFTER_CLOSURE
    # Old enough (two days' slack for 29 February birthdays; exact test below).
    children = children.filter(date_of_birth__lte=add_years(today, -age_years) + timedelta(2))
    latest = _last_involvement(children)
    open_records = _open_records(children, today)
    result = []
    for child_id, source_id, dob in children.order_by("pk").values_list(
        "pk", "source_id", "date_of_birth"
    ):
        age_date = add_years(dob, age_years)
        last = latest.get(child_id)
        retention_date = max(age_date, add_years(last, years)) if last else age_date
        if retention_date > today:
            continue
        result.append(
            ChildRetention(
                child_id=child_id,
                source_id=source_id,
                date_of_birth=dob,
                age_date=age_date,
                last_involvement=last,
                retention_date=retention_date,
                open_records=open_records.get(child_id, []),
            )
        )
    return result


def retention_report(*, today: date | None = None) -> RetentionReport:
    """The children due for anonymising on ``today`` (default today) and those
    past their retention date but kept by an open record. Writes nothing."""
    today = today or timezone.localdate()
    candidates = Child.objects.all()
    assessed = _assess(candidates.exclude(anonymised_q()), today=today)
    return RetentionReport(
        today=today,
        age_years=settings.RETENTION_AGE_YEARS,
        years_after_closure=settings.RETENTION_YEARS_AFTER_CLOSURE,
        due=[c for c in assessed if c.due],
        kept=[c for c in assessed if not c.due],
        already_anonymised=candidates.filter(anonymised_q()).count(),
    )


# --- Anonymising -----------------------------------------------------------------


def _child_dates(child_id: int) -> set[date]:
    days: set[date] = set()
    for part in (p for p in PARTS if p.dates):
        for values in part.model.objects.filter(**{part.child: child_id}).values_list(*part.dates):
            days.update(_as_date(v) for v in values if v is not None)
    for values in Victim.objects.filter(offences__child=child_id).values_list(*VICTIM_DATES):
        days.update(v for v in values if v is not None)
    return days


def reduced_date_of_birth(*, date_of_birth: date, dates: Iterable[date]) -> date:
    """The 1st of the birth month if the age on none of ``dates`` changes by it,
    else the date of birth unchanged (module docstring)."""
    first = date_of_birth.replace(day=1)
    if all(age_on(first, day) == age_on(date_of_birth, day) for day in dates):
        return first
    return date_of_birth


def _blank(queryset: QuerySet, fields: Iterable[str], *, versioned: bool) -> int:
    fields = tuple(fields)
    not_blank = Q()
    for name in fields:
        not_blank |= ~Q(**{name: ""})
    changes: dict = dict.fromkeys(fields, "")
    if versioned:
        changes.update(version=F("version") + 1, updated_at=timezone.now())
    return queryset.filter(not_blank).update(**changes)


def child_anonymise(*, child_id: int, today: date, by=None) -> dict | None:
    """Anonymise one child if due on ``today``: in one transaction, the child's
    row locked and the rule checked again under the lock. Returns what was
    done, or None when the child is not (or no longer) due."""
    with transaction.atomic():
        child = Child.objects.select_for_update().filter(pk=child_id).first()
        if child is None or Child.objects.filter(pk=child_id).filter(anonymised_q()).exists():
            return None
        assessed = _assess(Child.objects.filter(pk=child_id), today=today)
        if not assessed or not assessed[0].due:
            return None
        decision = assessed[0]
        new_dob = reduced_date_of_birth(
            date_of_birth=child.date_of_birth, dates=_child_dates(child_id)
        )
        Child.objects.filter(pk=child_id).update(
            **CHILD_BLANKS,
            date_of_birth=new_dob,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        blanked: dict[str, int] = {}
        for part in PARTS:
            if part.blank:
                rows = part.model.objects.filter(**{part.child: child_id})
                count = _blank(rows, part.blank, versioned=part.versioned)
                if count:
                    blanked[part.label] = blanked.get(part.label, 0) + count
        # A victim may be linked to offences of several children: their details
        # go when the last of those children is anonymised.
        others = Child.objects.exclude(pk=child_id).exclude(anonymised_q())
        victims = Victim.objects.filter(offences__child=child_id).exclude(
            offences__child__in=others
        )
        count = _blank(
            Victim.objects.filter(pk__in=list(victims.values_list("pk", flat=True))),
            VICTIM_BLANKS,
            versioned=True,
        )
        if count:
            blanked["victims"] = count
        dob_kept = new_dob == child.date_of_birth and child.date_of_birth.day != 1
        # Append-only, so no date derived from the date of birth (the age date,
        # the retention date) goes into the summary.
        summary = (
            f"Anonymised under the data-retention rule on {today}: aged "
            f"{settings.RETENTION_AGE_YEARS} or over, last involvement "
            f"{settings.RETENTION_YEARS_AFTER_CLOSURE} or more years before, nothing open. "
            "Date of birth "
            + ("kept (moving it would change an age on a record)" if dob_kept else "to the 1st")
            + ". Blanked: "
            + (", ".join(f"{label} {n}" for label, n in blanked.items()) or "names only")
        )
        audit_record(
            user=by,
            action=Action.UPDATE,
            child_id=child_id,
            object_type="cases.child",
            object_id=child_id,
            summary=summary,
        )
        return {
            **decision.as_dict(),
            "date_of_birth": "kept" if dob_kept else "first of the month",
            "blanked": blanked,
        }


def retention_apply(
    *, today: date | None = None, dry_run: bool = False, by=None
) -> RetentionReport:
    """Run the rule: the report, and unless ``dry_run`` every child due
    anonymised (one transaction each, so a failure leaves the others done).
    Running it again changes nothing more."""
    report = retention_report(today=today)
    report.dry_run = dry_run
    if dry_run:
        return report
    for decision in report.due:
        done = child_anonymise(child_id=decision.child_id, today=report.today, by=by)
        if done is not None:
            report.anonymised.append(done)
    return report
