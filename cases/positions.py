"""A child's position on a given day: the status records open that day.

Used by the closure step (position at the start and at the end of an order
or intervention) and shown the same way the 2023 KPIs count it (domain.md,
"The 2023 KPIs": where several records are open, all must be suitable;
unknown counts as unsuitable).

An episode is *open on* day D when ``start_date <= D`` and (``end_date`` is
blank or ``D <= end_date``) — interchange.md, "Episodes".
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet

from cases.models import (
    AccommodationEpisode,
    CareStatus,
    Child,
    EteEpisode,
    HealthNeed,
    SendEpisode,
    StatusEpisode,
)
from yjs.dates import add_years

# domain.md, KPI 2: full time is 25+ hours a week at school age, 16+ above it.
SCHOOL_AGE_FULL_TIME = Decimal(25)
ABOVE_SCHOOL_AGE_FULL_TIME = Decimal(16)


def open_on(queryset: QuerySet, day: date) -> QuerySet:
    """Episodes open on ``day`` (interchange.md, "Episodes")."""
    return queryset.filter(start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )


def health_open_on(queryset: QuerySet, day: date) -> QuerySet:
    """A health need runs from screening to the end of attendance (if any)."""
    return queryset.filter(screened_date__lte=day).filter(
        Q(attended_end_date__isnull=True) | Q(attended_end_date__gte=day)
    )


def all_suitable(suitabilities: list[str]) -> bool | None:
    """True if every open record is suitable; False if any is unsuitable or not
    known (unknown counts as unsuitable); None if nothing is recorded."""
    if not suitabilities:
        return None
    return all(s == "suitable" for s in suitabilities)


def school_leaving_date(date_of_birth: date) -> date:
    """domain.md, KPI 2: school age lasts to the last Friday of June of the
    school year (September to August) in which the child turns 16."""
    sixteenth = add_years(date_of_birth, 16)
    year = sixteenth.year if sixteenth.month < 9 else sixteenth.year + 1
    last = date(year, 6, calendar.monthrange(year, 6)[1])
    return last - timedelta(days=(last.weekday() - calendar.FRIDAY) % 7)


def hours_band(hours: Decimal) -> str:
    """domain.md, KPI 2: bands 1–15, 16–24, 25+."""
    if hours <= 0:
        return "None"
    if hours < 16:
        return "1 to 15 hours"
    if hours < 25:
        return "16 to 24 hours"
    return "25 hours or more"


@dataclass(frozen=True)
class Position:
    day: date
    school_age: bool = True
    accommodation: list[AccommodationEpisode] = field(default_factory=list)
    ete: list[EteEpisode] = field(default_factory=list)
    send: list[SendEpisode] = field(default_factory=list)
    care_statuses: list[CareStatus] = field(default_factory=list)
    other_statuses: list[StatusEpisode] = field(default_factory=list)
    health_needs: list[HealthNeed] = field(default_factory=list)

    @property
    def primary_residences(self) -> list[AccommodationEpisode]:
        return [a for a in self.accommodation if a.primary_residence]

    @property
    def accommodation_suitable(self) -> bool | None:
        """KPI 1 counts the primary residence only."""
        return all_suitable([a.suitability for a in self.primary_residences])

    @property
    def ete_suitable(self) -> bool | None:
        return all_suitable([e.suitability for e in self.ete])

    @property
    def ete_hours_offered(self) -> Decimal:
        """KPI 2: hours summed over the open episodes."""
        return sum((e.hours_offered for e in self.ete), Decimal(0))

    @property
    def ete_hours_attended(self) -> Decimal:
        return sum((e.hours_attended for e in self.ete), Decimal(0))

    @property
    def ete_hours_band(self) -> str:
        return hours_band(self.ete_hours_attended)

    @property
    def ete_full_time(self) -> bool:
        threshold = SCHOOL_AGE_FULL_TIME if self.school_age else ABOVE_SCHOOL_AGE_FULL_TIME
        return self.ete_hours_attended >= threshold

    @property
    def send_identified(self) -> bool:
        return bool(self.send)

    @property
    def send_formal_plan(self) -> bool:
        """KPI 3: an EHCP or a SEN support plan."""
        return any(s.plan in ("ehcp", "sen_support") for s in self.send)


def child_position_on(*, child: Child, day: date) -> Position:
    """The records open for ``child`` on ``day``: six small queries."""
    return Position(
        day=day,
        school_age=day <= school_leaving_date(child.date_of_birth),
        accommodation=list(open_on(AccommodationEpisode.objects.filter(child=child), day)),
        ete=list(open_on(EteEpisode.objects.filter(child=child), day)),
        send=list(open_on(SendEpisode.objects.filter(child=child), day)),
        care_statuses=list(open_on(CareStatus.objects.filter(child=child), day)),
        other_statuses=list(open_on(StatusEpisode.objects.filter(child=child), day)),
        health_needs=list(health_open_on(HealthNeed.objects.filter(child=child), day)),
    )
