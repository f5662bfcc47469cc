"""Fixtures for the OOCD panel's tests: synthetic children, referrals, meetings."""

from datetime import date, timedelta

import pytest

from cases.models import Programme, Victim
from cases.services import today
from panels import services
from panels.models import OocdReferral
from tests.factories import ChildFactory, OffenceFactory
from yjs.permissions import Role


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; these tests are not about passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def chair(make_user):
    return make_user(Role.PANEL_CHAIR, username="chair", first_name="Casey", last_name="Chair")


@pytest.fixture
def programme(db):
    return Programme.objects.create(name="Knife crime awareness", category="knife_crime")


@pytest.fixture
def make_referral(db):
    def make(*, admission=True, referral_date=None, child=None, meeting=None, victim_views=""):
        day = referral_date or today() - timedelta(days=7)
        child = child or ChildFactory(date_of_birth=date(2010, 1, 15))
        offence = OffenceFactory(child=child, offence_date=day - timedelta(days=2))
        referral = OocdReferral.objects.create(
            child=child,
            referral_date=day,
            admission=admission,
            police_reference=f"PR/{child.pk}",
            arresting_force="Synthetic Constabulary",
            gravity_score=2,
            reason="Synthetic test referral",
            meeting=meeting,
        )
        referral.offences.set([offence])
        if victim_views:
            victim = Victim.objects.create(
                victim_type="person", consent_to_contact=True, views=victim_views
            )
            victim.offences.set([offence])
        return referral

    return make


@pytest.fixture
def meeting(chair):
    return services.meeting_create(
        meeting_date=today(),
        chair=chair,
        attendees=[{"name": "PC Test", "agency": "police", "role": ""}],
        by=chair,
    )
