"""Writes to the dated parts of a child's record: the episodes that feed the
2023 KPIs (accommodation, ETE, SEND, health needs, care statuses), other
statuses (NEET, missing, CSE, CCE, MAPPA), remands, victims, and the closure
step of an order or intervention.

Every function runs in one transaction, checks the rules in cases.validation,
refuses a stale edit (cases.services.core.versioned_update), writes and
records the audit event. The episode kinds share two functions
(``episode_record`` / ``episode_update``) driven by the ``KINDS`` table, so a
new kind of episode is one entry there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from cases import validation, vocab
from cases.models import (
    AccommodationEpisode,
    CareStatus,
    Child,
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
from cases.services.core import raise_problems, today, versioned_update
from cases.validation import Problem
from yjs.audit.services import Action, audit_record
from yjs.permissions import may_see_victim_contact

# --- Rules used only here ------------------------------------------------------
# (The shared rules are in cases.validation; these cover fields the extract
# does not carry, so the import never needs them.)

MAPPA_CATEGORIES = [("1", "Category 1"), ("2", "Category 2"), ("3", "Category 3")]
MAPPA_LEVELS = [("1", "Level 1"), ("2", "Level 2"), ("3", "Level 3")]


def _codes(values: dict, **choices) -> list[Problem]:
    problems = []
    for name, allowed in choices.items():
        value = values.get(name) or ""
        if value not in vocab.codes(allowed):
            problems.append(Problem(name, "choose one of the options"))
    return problems


def _dates(values: dict, start: str = "start_date", end: str = "end_date") -> list[Problem]:
    problems = []
    if not values.get(start):
        problems.append(Problem(start, "is required"))
    for p in validation.episode_problems(start_date=values.get(start), end_date=values.get(end)):
        problems.append(Problem(end, p.message))
    return problems


def _accommodation_problems(values: dict) -> list[Problem]:
    return _dates(values) + _codes(
        values, accommodation_type=vocab.ACCOMMODATION_TYPE, suitability=vocab.SUITABILITY
    )


def _ete_problems(values: dict) -> list[Problem]:
    problems = _dates(values) + _codes(
        values, provision=vocab.ETE_PROVISION, suitability=vocab.SUITABILITY
    )
    for name in ("hours_offered", "hours_attended"):
        hours = values.get(name)
        # interchange.md, ete.csv: hours a week, 0–60.
        if hours is None or not Decimal(0) <= Decimal(hours) <= Decimal(60):
            problems.append(Problem(name, "must be between 0 and 60 hours a week"))
    problems += validation.ete_problems(
        hours_offered=values.get("hours_offered"), hours_attended=values.get("hours_attended")
    )
    return problems


def _send_problems(values: dict) -> list[Problem]:
    return _dates(values) + _codes(values, plan=vocab.SEND_PLAN)


def _health_problems(values: dict) -> list[Problem]:
    problems = _codes(values, kind=vocab.HEALTH_KIND)
    if not values.get("screened_date"):
        problems.append(Problem("screened_date", "is required"))
    referred, screened = values.get("referred_date"), values.get("screened_date")
    if referred and screened and referred < screened:
        problems.append(Problem("referred_date", "is before the screened date"))
    intervention = values.get("intervention_type") or ""
    if intervention and intervention not in vocab.codes(vocab.HEALTH_INTERVENTION):
        problems.append(Problem("intervention_type", "choose one of the options"))
    problems += validation.health_problems(
        kind=values.get("kind") or "",
        screened_date=screened,
        offered_date=values.get("offered_date"),
        attended_start_date=values.get("attended_start_date"),
        attended_end_date=values.get("attended_end_date"),
        intervention_type=intervention,
    )
    return problems


def _care_problems(values: dict) -> list[Problem]:
    return _dates(values) + _codes(values, status=vocab.CARE_STATUS)


def _status_problems(values: dict) -> list[Problem]:
    problems = _dates(values) + _codes(values, status=vocab.OTHER_STATUS)
    # domain.md, "Statuses": MAPPA is recorded with its category and level.
    if values.get("status") == "mappa" and not (values.get("detail") or "").strip():
        problems.append(Problem("detail", "give the MAPPA category and level"))
    return problems


def _remand_problems(values: dict) -> list[Problem]:
    return _dates(values) + _codes(values, remand_type=vocab.REMAND_TYPE)


def mappa_detail(category: str, level: str) -> str:
    """How MAPPA category and level are stored in StatusEpisode.detail."""
    return f"Category {category}, level {level}" if category and level else ""


# --- Episode kinds -----------------------------------------------------------


def _period(obj) -> str:
    start = getattr(obj, "start_date", None) or getattr(obj, "screened_date", None)
    return f"from {start:%-d %B %Y}" if start else ""


@dataclass(frozen=True)
class Kind:
    """One kind of dated record: its model, words and rules."""

    code: str  # in URLs
    model: type[models.Model]
    name: str  # "accommodation episode": in sentences
    title: str  # "Accommodation": in headings
    fields: tuple[str, ...]
    problems: Callable[[dict], list[Problem]]
    describe: Callable[[models.Model], str]


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in [
        Kind(
            "accommodation",
            AccommodationEpisode,
            "accommodation episode",
            "Accommodation",
            ("accommodation_type", "suitability", "primary_residence", "start_date", "end_date"),
            _accommodation_problems,
            lambda o: f"{o.get_accommodation_type_display()} ({o.get_suitability_display()})",
        ),
        Kind(
            "ete",
            EteEpisode,
            "education, training or employment episode",
            "Education, training and employment",
            (
                "provision",
                "suitability",
                "hours_offered",
                "hours_attended",
                "start_date",
                "end_date",
            ),
            _ete_problems,
            lambda o: f"{o.get_provision_display()} ({o.get_suitability_display()})",
        ),
        Kind(
            "send",
            SendEpisode,
            "special educational needs record",
            "Special educational needs and disabilities",
            ("plan", "start_date", "end_date"),
            _send_problems,
            lambda o: o.get_plan_display(),
        ),
        Kind(
            "health",
            HealthNeed,
            "health need",
            "Health needs",
            (
                "kind",
                "screened_date",
                "referred_date",
                "offered_date",
                "intervention_type",
                "attended_start_date",
                "attended_end_date",
            ),
            _health_problems,
            lambda o: o.get_kind_display(),
        ),
        Kind(
            "care",
            CareStatus,
            "care status",
            "Care statuses",
            ("status", "start_date", "end_date"),
            _care_problems,
            lambda o: o.get_status_display(),
        ),
        Kind(
            "status",
            StatusEpisode,
            "status",
            "Other statuses",
            ("status", "detail", "start_date", "end_date"),
            _status_problems,
            lambda o: " ".join(filter(None, [o.get_status_display(), o.detail])),
        ),
        Kind(
            "remand",
            Remand,
            "remand",
            "Remands",
            ("remand_type", "start_date", "end_date"),
            _remand_problems,
            lambda o: o.get_remand_type_display(),
        ),
    ]
}


def _values(kind: Kind, values: dict) -> dict:
    """Only the kind's fields, with blank text for blank optional codes."""
    cleaned = {name: values.get(name) for name in kind.fields}
    for name in ("detail", "intervention_type"):
        if name in cleaned and cleaned[name] is None:
            cleaned[name] = ""
    if "primary_residence" in cleaned and cleaned["primary_residence"] is None:
        cleaned["primary_residence"] = True  # interchange.md: default Y
    return cleaned


@transaction.atomic
def episode_record(*, kind: str, child: Child, values: dict, by, request=None) -> models.Model:
    """Record a new episode of ``kind`` (a key of KINDS) for ``child``."""
    spec = KINDS[kind]
    values = _values(spec, values)
    raise_problems(spec.problems(values))
    episode = spec.model.objects.create(child=child, **values)
    audit_record(
        user=by,
        action=Action.CREATE,
        child=child,
        obj=episode,
        request=request,
        summary=f"Recorded {spec.name}: {spec.describe(episode)} {_period(episode)}",
    )
    return episode


@transaction.atomic
def episode_update(
    *, kind: str, episode: models.Model, expected_version: int, values: dict, by, request=None
) -> models.Model:
    """Change an episode; StaleEdit if someone saved it since ``expected_version``."""
    spec = KINDS[kind]
    values = _values(spec, values)
    raise_problems(spec.problems(values))
    episode = versioned_update(episode, expected_version=expected_version, fields=values)
    audit_record(
        user=by,
        action=Action.UPDATE,
        child_id=episode.child_id,
        obj=episode,
        request=request,
        summary=f"Changed {spec.name}: {spec.describe(episode)} {_period(episode)}",
    )
    return episode


# --- Victims -------------------------------------------------------------------

VICTIM_FIELDS = (
    "victim_type",
    "consent_to_contact",
    "contacted_date",
    "views_sought_prior",
    "views",
    "rj_offered",
    "rj_engaged",
    "rj_type",
    "rj_start_date",
    "rj_end_date",
    "progress_requested",
    "progress_provided",
    "support_requested",
    "support_provided",
    "satisfaction",
)
VICTIM_CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email", "contact_address")


def _victim_problems(values: dict, offences: list[Offence], child: Child) -> list[Problem]:
    problems = _codes(values, victim_type=vocab.VICTIM_TYPE)
    if values.get("rj_type") and values["rj_type"] not in vocab.codes(vocab.RJ_TYPE):
        problems.append(Problem("rj_type", "choose one of the options"))
    if not offences:
        problems.append(Problem("offences", "choose at least one offence"))
    if any(o.child_id != child.pk for o in offences):
        problems.append(Problem("offences", "every offence chosen must be this child's"))
    problems += validation.victim_problems(
        consent_to_contact=values.get("consent_to_contact"),
        rj_engaged=values.get("rj_engaged"),
        rj_type=values.get("rj_type") or "",
        progress_requested=values.get("progress_requested"),
        progress_provided=values.get("progress_provided"),
        support_requested=values.get("support_requested"),
        support_provided=values.get("support_provided"),
        satisfaction=values.get("satisfaction"),
    )
    rj_start, rj_end = values.get("rj_start_date"), values.get("rj_end_date")
    if (rj_start or rj_end) and not values.get("rj_engaged"):
        problems.append(Problem("rj_start_date", "RJ dates are only for a victim who engaged"))
    if rj_end and not rj_start:
        problems.append(Problem("rj_end_date", "needs an RJ start date"))
    for p in validation.episode_problems(start_date=rj_start, end_date=rj_end):
        problems.append(Problem("rj_end_date", p.message))
    contacted = values.get("contacted_date")
    if contacted and contacted > today():
        problems.append(Problem("contacted_date", "must not be in the future"))
    return problems


def _victim_values(values: dict, by) -> dict:
    cleaned = {name: values.get(name) for name in VICTIM_FIELDS}
    cleaned["consent_to_contact"] = bool(cleaned["consent_to_contact"])
    cleaned["views"] = cleaned["views"] or ""
    cleaned["rj_type"] = cleaned["rj_type"] or ""
    contact = {name: values[name] for name in VICTIM_CONTACT_FIELDS if name in values}
    if contact and not may_see_victim_contact(by):
        # yjs.permissions.may_see_victim_contact: nobody else may even write them.
        raise PermissionDenied("You may not record victims' contact details")
    cleaned.update({name: value or "" for name, value in contact.items()})
    return cleaned


def _victim_audit(victim: Victim, *, action: str, by, request, summary: str) -> None:
    """One event per child whose offence the victim is linked to, so each
    child's trail shows the change."""
    child_ids = sorted(set(victim.offences.values_list("child_id", flat=True)))
    for child_id in child_ids:
        audit_record(
            user=by, action=action, child_id=child_id, obj=victim, request=request, summary=summary
        )


@transaction.atomic
def victim_record(
    *, child: Child, offences: Iterable[Offence], values: dict, by, request=None
) -> Victim:
    """A victim of some of ``child``'s offences."""
    offences = list(offences)
    cleaned = _victim_values(values, by)
    raise_problems(_victim_problems(cleaned, offences, child))
    victim = Victim.objects.create(**cleaned)
    victim.offences.set(offences)
    _victim_audit(
        victim,
        action=Action.CREATE,
        by=by,
        request=request,
        summary=f"Recorded a victim ({victim.get_victim_type_display().lower()})",
    )
    return victim


@transaction.atomic
def victim_update(
    *,
    victim: Victim,
    child: Child,
    offences: Iterable[Offence],
    expected_version: int,
    values: dict,
    by,
    request=None,
) -> Victim:
    """Change a victim as seen from ``child``'s record: ``offences`` replace the
    victim's links to this child's offences; links to other children's
    offences are kept."""
    offences = list(offences)
    cleaned = _victim_values(values, by)
    raise_problems(_victim_problems(cleaned, offences, child))
    victim = versioned_update(victim, expected_version=expected_version, fields=cleaned)
    others = list(victim.offences.exclude(child=child))
    victim.offences.set(others + offences)
    _victim_audit(
        victim,
        action=Action.UPDATE,
        by=by,
        request=request,
        summary=f"Changed a victim ({victim.get_victim_type_display().lower()})",
    )
    return victim


@transaction.atomic
def victim_link(
    *, victim: Victim, child: Child, offences: Iterable[Offence], by, request=None
) -> Victim:
    """Link a victim already recorded (say for a co-defendant) to some of
    ``child``'s offences too: one victim, several children's offences."""
    offences = list(offences)
    problems = []
    if not offences:
        problems.append(Problem("offences", "choose at least one offence"))
    if any(o.child_id != child.pk for o in offences):
        problems.append(Problem("offences", "every offence chosen must be this child's"))
    raise_problems(problems)
    victim.offences.add(*offences)
    _victim_audit(
        victim,
        action=Action.UPDATE,
        by=by,
        request=request,
        summary=f"Linked a victim to {len(offences)} offence(s) of another child",
    )
    return victim


# --- Closure -------------------------------------------------------------------


@transaction.atomic
def outcome_close(
    *,
    outcome: Outcome,
    expected_version: int,
    end_date: date | None,
    successfully_completed: bool | None,
    by,
    request=None,
) -> Outcome:
    """Record the end of an order (Outcome.end_date) and whether the child
    completed the intervention (KPI 6 counts it for out-of-court disposals)."""
    problems = []
    if not end_date:
        problems.append(Problem("end_date", "is required to close the order"))
    problems += validation.outcome_problems(
        outcome_type=outcome.outcome_type,
        outcome_date=outcome.outcome_date,
        end_date=end_date,
        release_date=outcome.release_date,
        successfully_completed=successfully_completed,
    )
    raise_problems([p for p in problems if p.field in ("end_date", "successfully_completed")])
    outcome = versioned_update(
        outcome,
        expected_version=expected_version,
        fields={"end_date": end_date, "successfully_completed": successfully_completed},
    )
    completed = {True: "completed", False: "not completed", None: "completion not recorded"}
    audit_record(
        user=by,
        action=Action.UPDATE,
        child_id=outcome.child_id,
        obj=outcome,
        request=request,
        summary=f"Closed {outcome}: ended {end_date:%-d %B %Y}, "
        f"{completed[successfully_completed]}",
    )
    return outcome


CLOSING_STATUSES = [s for s in vocab.PLAN_STATUS if s[0] in ("completed", "ended", "cancelled")]


def plan_item_start(item: PlanItem) -> date:
    """An intervention starts when it actually started, else when planned."""
    return item.actual_start_date or item.planned_start_date


@transaction.atomic
def plan_item_close(
    *,
    item: PlanItem,
    expected_version: int,
    end_date: date | None,
    status: str,
    successfully_completed: bool | None,
    by,
    request=None,
) -> PlanItem:
    problems = []
    if not end_date:
        problems.append(Problem("end_date", "is required to close the intervention"))
    elif end_date < plan_item_start(item):
        problems.append(
            Problem("end_date", f"{end_date} is before the start date {plan_item_start(item)}")
        )
    if status not in vocab.codes(CLOSING_STATUSES):
        problems.append(Problem("status", "choose how the intervention ended"))
    if successfully_completed is not None and not end_date:
        problems.append(Problem("successfully_completed", "can only be recorded with an end date"))
    if successfully_completed and status != "completed":
        problems.append(
            Problem(
                "successfully_completed",
                "an intervention that ended early or was cancelled was not completed",
            )
        )
    raise_problems(problems)
    item = versioned_update(
        item,
        expected_version=expected_version,
        fields={
            "end_date": end_date,
            "status": status,
            "successfully_completed": successfully_completed,
        },
    )
    audit_record(
        user=by,
        action=Action.UPDATE,
        child_id=item.child_id,
        obj=item,
        request=request,
        summary=f"Closed {item.programme}: {item.get_status_display().lower()} "
        f"on {end_date:%-d %B %Y}",
    )
    return item
