"""Shared fixtures for the indicator tests."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.paths import EXAMPLE

EXPECTED = Path(__file__).resolve().parent / "data" / "service-small.expected.json"


@pytest.fixture(scope="module")
def service_small(django_db_setup, django_db_blocker):
    """../shared/examples/service-small imported once per test module through
    the real import command, inside a transaction rolled back afterwards (the
    tests' own transactions nest inside it as savepoints)."""
    if not EXAMPLE.is_dir():
        pytest.skip(f"the example extract is not at {EXAMPLE}")
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_extract", str(EXAMPLE), stdout=StringIO())
        yield EXAMPLE
        transaction.set_rollback(True)
