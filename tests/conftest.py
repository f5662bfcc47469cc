"""Fixtures shared by every test: staff in each role, signed-in clients."""

import os

import pytest

from yjs.accounts.models import Team
from yjs.accounts.services import staff_create
from yjs.permissions import Role

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run beside one unless told (tests only, never in the service).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Synthetic-test-password-2024"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about hashing use MD5.
    (tests/test_foundation.py checks the real setting.)"""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (pages cache aggregate figures)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def team(db):
    return Team.objects.get_or_create(name="North team", defaults={"locality": "North"})[0]


@pytest.fixture
def make_user(db, team):
    counter = {"n": 0}

    def make(*roles: Role | str, username: str | None = None, team=team, **extra):
        counter["n"] += 1
        name = username or f"{'_'.join(str(r) for r in roles) or 'norole'}{counter['n']}"
        return staff_create(
            username=name,
            first_name=extra.pop("first_name", "Sam"),
            last_name=extra.pop("last_name", f"Tester{counter['n']}"),
            password=PASSWORD,
            roles=[str(r) for r in roles],
            team=team,
            **extra,
        )

    return make


@pytest.fixture
def users(make_user):
    """One member of staff per role, keyed by role name."""
    return {role.value: make_user(role, username=role.value) for role in Role}


@pytest.fixture
def client_as(client, users):
    """``client_as("practitioner")`` → a test client signed in with that role."""

    def sign_in(role: str):
        client.force_login(users[role])
        return client

    return sign_in
