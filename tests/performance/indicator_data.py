"""Small hand-made records for the counting-rule tests (synthetic only)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from cases import models as m
from cases import vocab
from performance.models import Population

_numbers = itertools.count(1)


def child(dob: date = date(2008, 1, 15), *, sex: str = "M", ethnicity: str = "white", **extra):
    n = next(_numbers)
    return m.Child.objects.create(
        given_name="Test",
        family_name=f"Child{n}",
        date_of_birth=dob,
        sex=sex,
        ethnicity=ethnicity,
        **extra,
    )


def offence(of, on: date, *, category: str = "theft_and_handling", score: int = 2, **extra):
    return m.Offence.objects.create(
        child=of, offence_date=on, category=category, seriousness_score=score, **extra
    )


def outcome(
    of,
    on: date,
    outcome_type: str = "referral_order",
    *,
    offences=None,
    end: date | None = None,
    release: date | None = None,
    yjs: bool | None = None,
    completed: bool | None = None,
    source_id: str | None = None,
):
    """An outcome of ``of`` dated ``on`` listing ``offences`` (default: one new
    offence committed that day)."""
    row = m.Outcome.objects.create(
        child=of,
        outcome_date=on,
        outcome_type=outcome_type,
        end_date=end,
        release_date=release,
        yjs_intervention=vocab.yjs_intervention_default(outcome_type) if yjs is None else yjs,
        successfully_completed=completed,
        source_id=source_id,
    )
    row.offences.set(offences if offences is not None else [offence(of, on)])
    return row


def population(year: int, total: int, *, sex: str = "M", ethnicity: str = "white"):
    return Population.objects.create(year=year, sex=sex, ethnicity=ethnicity, population=total)


def accommodation(of, start, end=None, *, suitability="suitable", primary=True):
    return m.AccommodationEpisode.objects.create(
        child=of,
        start_date=start,
        end_date=end,
        accommodation_type="with_parents",
        suitability=suitability,
        primary_residence=primary,
    )


def ete(of, start, end=None, *, suitability="suitable", hours=25):
    return m.EteEpisode.objects.create(
        child=of,
        start_date=start,
        end_date=end,
        provision="mainstream_school",
        suitability=suitability,
        hours_offered=Decimal(hours),
        hours_attended=Decimal(0),
    )


def send(of, start, end=None, *, plan="ehcp"):
    return m.SendEpisode.objects.create(child=of, start_date=start, end_date=end, plan=plan)


def care(of, status, start, end=None):
    return m.CareStatus.objects.create(child=of, status=status, start_date=start, end_date=end)


def health(of, kind="mental_health", *, screened, offered=None, attended=None, attended_end=None):
    return m.HealthNeed.objects.create(
        child=of,
        kind=kind,
        screened_date=screened,
        offered_date=offered,
        attended_start_date=attended,
        attended_end_date=attended_end,
        intervention_type=("help" if kind == "mental_health" else "targeted") if offered else "",
    )


def victim(*offences, consent=True, engaged=None, views=None, contacted=None, **flags):
    row = m.Victim.objects.create(
        victim_type="person",
        consent_to_contact=consent,
        rj_engaged=engaged,
        views_sought_prior=views,
        contacted_date=contacted,
        **flags,
    )
    row.offences.set(offences)
    return row
