"""Reads for the dated parts of a child's record, the victims list and the
closure step. The child itself is always fetched with
cases.selectors.child_get (access check and audit) before these are called."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from cases.models import Child, Offence, Outcome, PlanItem, Victim
from cases.services.records import KINDS

VICTIM_FILTERS = [
    ("awaiting_contact", "Awaiting contact"),
    ("consented", "Consented to contact"),
    ("no_consent", "Contacted, no consent"),
    ("rj_offered", "RJ offered, not engaged"),
    ("rj_engaged", "Engaged with RJ"),
]


@dataclass(frozen=True)
class Section:
    kind: str
    title: str
    name: str
    rows: list


def child_record_sections(*, child: Child) -> list[Section]:
    """Every kind of dated record, newest first (one query per kind)."""
    sections = []
    for code, kind in KINDS.items():
        rows = list(kind.model.objects.filter(child=child))
        sections.append(Section(code, kind.title, kind.name, rows))
    return sections


def episode_get(*, kind: str, child: Child, pk: int):
    if kind not in KINDS:
        raise Http404("No such kind of record")
    episode = KINDS[kind].model.objects.filter(child=child, pk=pk).first()
    if episode is None:
        raise Http404("No such record")
    return episode


def child_victims(*, child: Child) -> list[Victim]:
    return list(
        Victim.objects.filter(offences__child=child)
        .distinct()
        .prefetch_related(
            Prefetch("offences", queryset=Offence.objects.filter(child=child), to_attr="mine")
        )
    )


def victim_get(*, child: Child, pk: int) -> Victim:
    """A victim of one of ``child``'s offences (else 404)."""
    victim = Victim.objects.filter(pk=pk, offences__child=child).distinct().first()
    if victim is None:
        raise Http404("No such victim")
    return victim


def child_outcomes(*, child: Child) -> list[Outcome]:
    return list(Outcome.objects.filter(child=child))


def child_plan_items(*, child: Child) -> list[PlanItem]:
    return list(PlanItem.objects.filter(child=child).select_related("programme"))


def outcome_get(*, child: Child, pk: int) -> Outcome:
    outcome = Outcome.objects.filter(child=child, pk=pk).first()
    if outcome is None:
        raise Http404("No such outcome")
    return outcome


def plan_item_get(*, child: Child, pk: int) -> PlanItem:
    item = PlanItem.objects.filter(child=child, pk=pk).select_related("programme").first()
    if item is None:
        raise Http404("No such intervention")
    return item


def rj_status(victim: Victim) -> str:
    if victim.rj_engaged:
        return f"Engaged ({victim.get_rj_type_display().lower()})" if victim.rj_type else "Engaged"
    if victim.rj_offered:
        return "Offered, not engaged"
    if victim.rj_offered is False:
        return "Not offered"
    return "Not recorded"


def victims_for_worker(*, user, status: str = "") -> QuerySet[Victim]:
    """Victims of offences by children ``user`` may open, filtered by
    ``status`` (a code of VICTIM_FILTERS). Each victim carries ``children``:
    the offences it is linked to, with their child, prefetched."""
    visible = Child.objects.visible_to(user)
    victims = Victim.objects.filter(offences__child__in=visible).distinct()
    conditions = {
        "awaiting_contact": Q(contacted_date__isnull=True),
        "consented": Q(consent_to_contact=True),
        "no_consent": Q(contacted_date__isnull=False, consent_to_contact=False),
        "rj_offered": Q(rj_offered=True) & ~Q(rj_engaged=True),
        "rj_engaged": Q(rj_engaged=True),
    }
    if status in conditions:
        victims = victims.filter(conditions[status])
    return victims.prefetch_related(
        Prefetch(
            "offences",
            queryset=Offence.objects.filter(child__in=visible).select_related("child"),
            to_attr="visible_offences",
        )
    ).order_by(F("contacted_date").asc(nulls_first=True), "id")  # awaiting contact first


def victim_label(victim: Victim, *, show_contact: bool) -> str:
    """How a victim is named in a list: by name only for those allowed
    (yjs.permissions.may_see_victim_contact)."""
    if show_contact and victim.contact_name:
        return victim.contact_name
    label = f"{victim.get_victim_type_display()} victim {victim.pk}"
    offences = getattr(victim, "visible_offences", None)
    if offences:
        names = sorted({o.child.full_name for o in offences})
        label += f" (of offences by {', '.join(names)})"
    return label


def victims_to_link(*, user, child: Child) -> QuerySet[Victim]:
    """Victims of other children's offences that ``child``'s offences could
    also be linked to."""
    return victims_for_worker(user=user).exclude(offences__child=child)
