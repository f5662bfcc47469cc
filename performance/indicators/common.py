"""Rules shared by every indicator (indicators.md, "Common rules").

Periods, the 10–17 population with its fallback, half-up rounding at the end,
and the calendar rules (age in completed years, "N months later") written as
database expressions so that the counting happens in SQL and gives the same
answer on SQLite and PostgreSQL.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import DateField, Expression, F, Func, Q, Sum, Value
from django.db.models.lookups import GreaterThanOrEqual, LessThan

from performance.models import Population
from yjs.dates import add_months

MIN_AGE = 10
MAX_AGE = 17

_CENT = Decimal("0.01")


# --- Periods -----------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a figure is computed over: the period ``[start, end]``, the data
    cut-off ``as_of`` and optionally one group of children (for
    disproportionality: the same rules restricted to one sex or ethnicity)."""

    start: date
    end: date
    as_of: date
    sex: str | None = None
    ethnicity: str | None = None

    def children_q(self, prefix: str = "child__") -> Q:
        """The group restriction on a query whose child is reached by ``prefix``."""
        q = Q()
        if self.sex:
            q &= Q(**{f"{prefix}sex": self.sex})
        if self.ethnicity:
            q &= Q(**{f"{prefix}ethnicity": self.ethnicity})
        return q

    def with_period(self, start: date, end: date) -> Scope:
        return Scope(start, end, self.as_of, self.sex, self.ethnicity)


def calendar_quarters(start: date, end: date) -> list[tuple[date, date]] | None:
    """The calendar quarters making up ``[start, end]``, or None when the period
    is not a whole number of them (indicators.md, Proven reoffending)."""
    if start.day != 1 or start.month not in (1, 4, 7, 10):
        return None
    next_day = end + timedelta(days=1)
    if next_day.day != 1 or next_day.month not in (1, 4, 7, 10) or next_day <= start:
        return None
    quarters = []
    qs = start
    while qs <= end:
        qe = add_months(qs, 3) - timedelta(days=1)
        quarters.append((qs, qe))
        qs = qe + timedelta(days=1)
    return quarters


@contextmanager
def reading():
    """Run an indicator computation's queries in one transaction. On
    PostgreSQL, for that transaction only: no JIT compilation (on a large
    service the cost estimates trigger JIT, whose compilation took longer than
    the queries themselves) and room for the hash joins and aggregates to stay
    in memory (the default 4 MB spilled them to disk). benchmarks/README.md."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


# --- Population --------------------------------------------------------------


def population(scope: Scope, *, year: int) -> int | None:
    """The 10–17 population of ``year``; if that year is missing, of the
    latest earlier year present (indicators.md, Common rules). Restricted to
    the scope's group when it has one. None when there is no such year."""
    rows = Population.objects.filter(year__lte=year)
    if scope.sex:
        rows = rows.filter(sex=scope.sex)
    if scope.ethnicity:
        rows = rows.filter(ethnicity=scope.ethnicity)
    latest = rows.order_by("-year").values_list("year", flat=True).first()
    if latest is None:
        return None
    return rows.filter(year=latest).aggregate(total=Sum("population"))["total"] or 0


# --- Rounding ----------------------------------------------------------------


def rate(numerator, denominator, per: int = 1) -> float | None:
    """``numerator / denominator × per`` rounded half-up to 2 decimal places,
    only here at the end (indicators.md, Common rules). A zero or missing
    denominator gives None (null in JSON)."""
    if denominator is None or numerator is None or denominator == 0:
        return None
    value = Decimal(numerator) * Decimal(per) / Decimal(denominator)
    return float(value.quantize(_CENT, rounding=ROUND_HALF_UP))


def pct(numerator, denominator) -> float | None:
    return rate(numerator, denominator, 100)


def round2(value) -> float | None:
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP))


# --- Calendar rules as database expressions ----------------------------------


def _expr(field):
    return F(field) if isinstance(field, str) else field


class MonthsLater(Func):
    """``yjs.dates.add_months(expression, months)`` computed in the database:
    calendar months later, clamped to the end of the month (12 months after
    2020-02-29 is 2021-02-28; 1 month after 2021-01-31 is 2021-02-28).

    PostgreSQL's date + interval clamps the same way. SQLite's date() rolls an
    overflow into the next month instead (2021-03-01), so there a day of the
    month that changed means "clamp": the last day of the target month."""

    output_field = DateField()

    def __init__(self, expression, months: int):
        self.months = int(months)
        super().__init__(_expr(expression))

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(({sql}) + INTERVAL '{self.months} months' AS date)", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        n = self.months
        later = f"date({sql}, '+{n} months')"
        return (
            f"CASE WHEN strftime('%%d', {later}) <> strftime('%%d', {sql}) "
            f"THEN date({sql}, 'start of month', '+{n + 1} months', '-1 day') "
            f"ELSE {later} END",
            [*params, *params, *params, *params],
        )


class OwnColumn(Expression):
    """A column of the query's own table that the models do not declare: one
    the database keeps by triggers (cases migrations 0006 and 0009), so that no
    save() writes over it."""

    output_field = DateField()
    column = ""

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        quoted = compiler.quote_name_unless_alias(alias)
        return f"{quoted}.{connection.ops.quote_name(self.column)}", []


class DerivedDate(OwnColumn):
    """``first_substantive_on`` of cases_child or cases_offence: the date of the
    earliest substantive outcome of the child / listing the offence (cases
    migration 0006, triggers on outcomes and their offence links).

    It ignores ``as_of``: the earliest of the outcomes dated on or before as_of
    is this date when this date is on or before as_of, and there is none
    otherwise, so every rule reading it also requires it to be <= as_of."""

    column = "first_substantive_on"


class ChildBornOn(OwnColumn):
    """``child_born_on`` of cases_outcome or cases_offence: the child's date of
    birth, copied onto the record (cases migration 0009), so that "aged 10–17
    on the record's date" is read from the record's index without joining the
    children."""

    column = "child_born_on"


def date_value(day: date):
    """A date as a database expression."""
    return Value(day, output_field=DateField())


def aged_10_to_17(queryset, day, *, date_of_birth: str = "child__date_of_birth"):
    """Keep rows whose child is aged 10–17 inclusive on ``day`` (indicators.md,
    Common rules). Age is completed years (yjs.dates.age_on), so "aged 10 to 17
    on D" is "10th birthday <= D < 18th birthday", the birthdays clamped like
    add_months (a 29 February birthday falls on 28 February in common years)."""
    on, dob = _expr(day), _expr(date_of_birth)
    return queryset.filter(
        GreaterThanOrEqual(on, MonthsLater(dob, 12 * MIN_AGE)),
        LessThan(on, MonthsLater(dob, 12 * (MAX_AGE + 1))),
    )
