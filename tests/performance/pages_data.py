"""Synthetic data for the performance pages' tests: a handful of children with
outcomes inside today's reporting periods (performance.periods), and a
population. Never real people."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from performance.models import Comparator, Population
from performance.periods import reporting_periods
from tests.factories import ChildFactory, OffenceFactory, OutcomeFactory


def seed(*, as_of: date | None = None) -> dict:
    as_of = as_of or timezone.localdate()
    periods = reporting_periods(as_of)
    current, previous = periods.current, periods.previous
    for year in range(current.end.year - 3, current.end.year + 1):
        for sex in ("M", "F"):
            Population.objects.update_or_create(
                year=year, sex=sex, ethnicity="white", defaults={"population": 4000}
            )
            Population.objects.update_or_create(
                year=year, sex=sex, ethnicity="black", defaults={"population": 1000}
            )
    mid = current.start + timedelta(days=40)
    born = date(mid.year - 14, 1, 15)
    fte_children = []
    for n in range(3):
        child = ChildFactory(
            date_of_birth=born, ethnicity="white" if n else "black", family_name=f"Fte{n}"
        )
        OutcomeFactory(
            child=child, outcome_date=mid + timedelta(days=n), outcome_type="referral_order"
        )
        fte_children.append(child)
    # One first time entrant in the previous period only (a quarter before the current one).
    early = ChildFactory(date_of_birth=born, family_name="Earlier")
    OutcomeFactory(
        child=early, outcome_date=previous.start + timedelta(days=5), outcome_type="youth_caution"
    )
    # A custodial sentence in the current period for a child who entered earlier.
    custody_child = ChildFactory(date_of_birth=born, family_name="Custody")
    OutcomeFactory(
        child=custody_child, outcome_date=previous.start - timedelta(days=200), outcome_type="fine"
    )
    OutcomeFactory(
        child=custody_child,
        outcome_date=mid + timedelta(days=10),
        outcome_type="detention_and_training_order",
        offences=[
            OffenceFactory(
                child=custody_child,
                offence_date=mid,
                category="robbery",
                seriousness_score=6,
            )
        ],
    )
    return {
        "as_of": as_of,
        "periods": periods,
        "fte_children": fte_children,
        "custody_child": custody_child,
    }


def england_comparator(*, indicator: str, period, value) -> Comparator:
    return Comparator.objects.create(
        indicator=indicator,
        period_start=period.start,
        period_end=period.end,
        group="england",
        group_name="England",
        value=value,
        source="Synthetic test figure",
    )
