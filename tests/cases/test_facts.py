"""The facts the database keeps for the indicators: the first-substantive-outcome
dates (cases migration 0006) and the copies of the child's date of birth on
outcomes and offences (0009). Whatever writes outcomes, offences, their links
or children, the stored values equal a recomputation from scratch, on SQLite
and PostgreSQL."""

import importlib
import random
import threading
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection, transaction
from django.db.models import Min, Q

from cases import vocab
from cases.models import Child, Offence, Outcome, OutcomeOffence
from cases.services import casework, core
from tests.factories import ChildFactory, OffenceFactory, OutcomeFactory
from tests.paths import EXAMPLE

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("cases.migrations.0006_first_substantive_facts")
BORN_ON = importlib.import_module("cases.migrations.0009_child_born_on_copies")


def stored(table: str, column: str = "first_substantive_on") -> dict[int, date | None]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM {table}")  # noqa: S608
        return {
            pk: date.fromisoformat(day) if isinstance(day, str) else day
            for pk, day in cursor.fetchall()
        }


def recomputed_children() -> dict[int, date | None]:
    substantive = Q(outcomes__outcome_type__in=vocab.SUBSTANTIVE)
    return dict(
        Child.objects.annotate(first=Min("outcomes__outcome_date", filter=substantive))
        .order_by()
        .values_list("pk", "first")
    )


def recomputed_offences() -> dict[int, date | None]:
    substantive = Q(outcomes__outcome_type__in=vocab.SUBSTANTIVE)
    return dict(
        Offence.objects.annotate(first=Min("outcomes__outcome_date", filter=substantive))
        .order_by()
        .values_list("pk", "first")
    )


def assert_consistent():
    assert stored("cases_child") == recomputed_children()
    assert stored("cases_offence") == recomputed_offences()
    born_on = dict(Child.objects.values_list("pk", "date_of_birth"))
    for model in (Outcome, Offence):
        expected = {pk: born_on[child] for pk, child in model.objects.values_list("pk", "child")}
        assert stored(model._meta.db_table, "child_born_on") == expected


def test_the_migration_lists_the_substantive_outcome_types():
    assert set(MIGRATION.SUBSTANTIVE) == set(vocab.SUBSTANTIVE)


def test_the_triggers_are_there():
    """A later migration that rebuilds a table (SQLite does for most
    changes) would drop them: this says so."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    assert names >= set(MIGRATION.TRIGGER_NAMES)
    assert names >= set(BORN_ON.TRIGGER_NAMES[connection.vendor])


def test_a_corrected_date_of_birth_reaches_outcomes_and_offences(make_user):
    child, other = ChildFactory(date_of_birth=date(2008, 2, 29)), ChildFactory()
    offence = OffenceFactory(child=child)
    outcome = OutcomeFactory(child=child, offences=[offence], outcome_date=date(2023, 6, 1))
    assert stored("cases_outcome", "child_born_on")[outcome.pk] == date(2008, 2, 29)
    assert stored("cases_offence", "child_born_on")[offence.pk] == date(2008, 2, 29)

    child.date_of_birth = date(2009, 3, 1)
    child.save()
    assert stored("cases_outcome", "child_born_on")[outcome.pk] == date(2009, 3, 1)
    assert stored("cases_offence", "child_born_on")[offence.pk] == date(2009, 3, 1)
    assert_consistent()

    # Moved to another child (update() and save()), and a copy written by hand.
    Offence.objects.filter(pk=offence.pk).update(child=other)
    outcome.child = other
    outcome.save()
    assert stored("cases_outcome", "child_born_on")[outcome.pk] == other.date_of_birth
    assert stored("cases_offence", "child_born_on")[offence.pk] == other.date_of_birth
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_outcome SET child_born_on = '1990-01-01'")
    assert_consistent()


def test_orm_writes_keep_the_dates():
    child = ChildFactory()
    theft, robbery = OffenceFactory(child=child), OffenceFactory(child=child, category="robbery")
    assert stored("cases_child")[child.pk] is None

    # Diversion is not substantive: no first date yet.
    OutcomeFactory(
        child=child,
        offences=[theft],
        outcome_type="community_resolution",
        outcome_date=date(2023, 2, 1),
    )
    assert stored("cases_child")[child.pk] is None
    assert stored("cases_offence")[theft.pk] is None

    later = OutcomeFactory(child=child, offences=[theft], outcome_date=date(2023, 6, 1))
    assert stored("cases_child")[child.pk] == date(2023, 6, 1)
    assert stored("cases_offence")[theft.pk] == date(2023, 6, 1)
    assert stored("cases_offence")[robbery.pk] is None

    earlier = OutcomeFactory(
        child=child, offences=[robbery], outcome_type="youth_caution", outcome_date=date(2023, 5, 2)
    )
    assert stored("cases_child")[child.pk] == date(2023, 5, 2)
    assert stored("cases_offence")[robbery.pk] == date(2023, 5, 2)

    # A link added and taken away again.
    earlier.offences.add(theft)
    assert stored("cases_offence")[theft.pk] == date(2023, 5, 2)
    earlier.offences.remove(theft)
    assert stored("cases_offence")[theft.pk] == date(2023, 6, 1)

    # Moved, retyped, deleted: full save() as well as update().
    earlier.outcome_date = date(2023, 7, 1)
    earlier.save()
    assert stored("cases_child")[child.pk] == date(2023, 6, 1)
    assert stored("cases_offence")[robbery.pk] == date(2023, 7, 1)
    Outcome.objects.filter(pk=earlier.pk).update(outcome_type="no_further_action")
    assert stored("cases_offence")[robbery.pk] is None
    later.delete()
    assert stored("cases_child")[child.pk] is None
    assert stored("cases_offence")[theft.pk] is None

    # A full save of the child or the offence never writes over the dates.
    OutcomeFactory(child=child, offences=[theft], outcome_date=date(2024, 1, 3))
    child.given_name = "Ava"
    child.save()
    theft.save()
    assert stored("cases_child")[child.pk] == date(2024, 1, 3)
    assert stored("cases_offence")[theft.pk] == date(2024, 1, 3)
    assert_consistent()

    child.delete()
    assert child.pk not in stored("cases_child")


def test_services_keep_the_dates(make_user):
    worker = make_user("practitioner")
    child = ChildFactory(date_of_birth=date(2008, 1, 1))
    first, second = OffenceFactory(child=child), OffenceFactory(child=child)
    outcome = core.outcome_record(
        child=child,
        offences=[first],
        outcome_type="referral_order",
        outcome_date=date(2023, 4, 1),
        by=worker,
    )
    assert stored("cases_child")[child.pk] == date(2023, 4, 1)
    casework.outcome_update(
        outcome=outcome,
        expected_version=outcome.version,
        offences=[second],
        outcome_type="fine",
        outcome_date=date(2023, 3, 15),
        by=worker,
    )
    assert stored("cases_child")[child.pk] == date(2023, 3, 15)
    assert stored("cases_offence")[first.pk] is None
    assert stored("cases_offence")[second.pk] == date(2023, 3, 15)
    assert_consistent()


def test_many_random_changes_stay_consistent():
    rng = random.Random(20261201)
    children = [ChildFactory() for _ in range(4)]
    offences = [OffenceFactory(child=rng.choice(children)) for _ in range(12)]
    types = [code for code, _, _ in vocab._OUTCOMES]
    for _ in range(60):
        action = rng.random()
        outcomes = list(Outcome.objects.all())
        if action < 0.45 or not outcomes:
            child = rng.choice(children)
            own = [o for o in offences if o.child_id == child.pk]
            OutcomeFactory(
                child=child,
                offences=rng.sample(own, k=min(len(own), rng.randint(0, 2))),
                outcome_type=rng.choice(types),
                outcome_date=date(2022, 1, 1) + timedelta(days=rng.randint(0, 900)),
            )
        elif action < 0.7:
            outcome = rng.choice(outcomes)
            Outcome.objects.filter(pk=outcome.pk).update(
                outcome_type=rng.choice(types),
                outcome_date=date(2022, 1, 1) + timedelta(days=rng.randint(0, 900)),
            )
        elif action < 0.85:
            outcome = rng.choice(outcomes)
            own = [o for o in offences if o.child_id == outcome.child_id]
            outcome.offences.set(rng.sample(own, k=min(len(own), rng.randint(0, 3))))
        else:
            rng.choice(outcomes).delete()
        assert_consistent()
    assert OutcomeOffence.objects.exists()


def test_the_import_keeps_the_dates():
    if not EXAMPLE.is_dir():
        pytest.skip(f"the example extract is not at {EXAMPLE}")
    call_command("import_extract", str(EXAMPLE), stdout=StringIO())
    assert Outcome.objects.count() > 100
    assert any(stored("cases_child").values())
    assert_consistent()
    # A re-import (upserts by source_id, links replaced) keeps them too.
    call_command("import_extract", str(EXAMPLE), stdout=StringIO())
    assert_consistent()


@pytest.mark.django_db(transaction=True)
def test_concurrent_outcomes_for_one_child_see_each_other():
    """Two transactions record outcomes for the same child at once: the later
    one waits for the earlier's lock and then sees its committed outcome, so
    the stored date is the earliest of both (not the later transaction's view)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    child = ChildFactory()
    first_inserted = threading.Event()
    errors = []

    def record(day, *, hold=False):
        try:
            with transaction.atomic():
                Outcome.objects.create(child_id=child.pk, outcome_type="fine", outcome_date=day)
                if hold:
                    first_inserted.set()
                    threading.Event().wait(0.5)  # the other transaction starts meanwhile
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    early = threading.Thread(target=record, args=(date(2023, 3, 1),), kwargs={"hold": True})
    early.start()
    first_inserted.wait(5)
    late = threading.Thread(target=record, args=(date(2023, 5, 1),))
    late.start()
    early.join(10)
    late.join(10)
    assert errors == []
    assert stored("cases_child")[child.pk] == date(2023, 3, 1)


@pytest.mark.django_db(transaction=True)
def test_an_outcome_recorded_while_the_date_of_birth_is_corrected_gets_the_new_one():
    """The outcome's trigger waits for the child's row while a correction of
    the date of birth is uncommitted, then copies the corrected date."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    child = ChildFactory(date_of_birth=date(2008, 1, 1))
    corrected = threading.Event()
    errors = []

    def correct():
        try:
            with transaction.atomic():
                Child.objects.filter(pk=child.pk).update(date_of_birth=date(2009, 1, 1))
                corrected.set()
                threading.Event().wait(0.5)  # the outcome is recorded meanwhile
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    def record():
        try:
            Outcome.objects.create(
                child_id=child.pk, outcome_type="fine", outcome_date=date(2023, 3, 1)
            )
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=correct)
    first.start()
    corrected.wait(5)
    second = threading.Thread(target=record)
    second.start()
    first.join(10)
    second.join(10)
    assert errors == []
    assert set(stored("cases_outcome", "child_born_on").values()) == {date(2009, 1, 1)}
