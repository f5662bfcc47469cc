"""The foundation: settings, sign-in, roles, audit."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from yjs.audit.models import AuditEvent
from yjs.permissions import ROLE_CAPABILITIES, Cap, Role, has_capability


def test_healthz_needs_no_sign_in(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_every_page_needs_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_with_password_is_audited(client, make_user):
    user = make_user(Role.PRACTITIONER, username="pat")
    response = client.post(reverse("login"), {"username": "pat", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(user=user, action="sign_in").count() == 1


def test_passwords_are_hashed_with_argon2(make_user, settings):
    from yjs import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = make_user(Role.PRACTITIONER)
    assert user.password.startswith("argon2")


def test_repeated_failed_sign_ins_lock_the_account(client, make_user, settings):
    make_user(Role.PRACTITIONER, username="lockme")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "lockme", "password": "wrong-password-x"})
    response = client.post(reverse("login"), {"username": "lockme", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Your account is locked" in response.content
    assert AuditEvent.objects.filter(action="sign_in_failed").count() >= settings.AXES_FAILURE_LIMIT


def test_sessions_expire_after_inactivity(client, make_user, settings):
    """Each use pushes the session's end SESSION_COOKIE_AGE ahead (at most once
    every SESSION_TOUCH_SECONDS); a session left idle that long is over."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from yjs.middleware import TOUCHED

    assert 0 < settings.SESSION_COOKIE_AGE <= 60 * 60
    assert 0 < settings.SESSION_TOUCH_SECONDS <= 5 * 60
    client.force_login(make_user("practitioner"))
    key = client.session.session_key

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    assert client.get("/").status_code == 200
    first = expiry()
    # Used again within the touch interval: no write.
    assert client.get("/").status_code == 200
    assert expiry() == first
    # Used after the interval: the end moves a full idle period ahead of now.
    session = client.session
    session[TOUCHED] = session[TOUCHED] - settings.SESSION_TOUCH_SECONDS - 1
    session.save()
    before = timezone.now()
    assert client.get("/").status_code == 200
    assert expiry() >= before + timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE - 1)
    # Left idle past its end: signed out, sent to the sign-in page.
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_board_members_hold_no_personal_data_capability():
    from yjs.permissions import PERSONAL_DATA_CAPABILITIES

    assert not ROLE_CAPABILITIES[Role.BOARD_MEMBER] & PERSONAL_DATA_CAPABILITIES
    assert not ROLE_CAPABILITIES[Role.ADMINISTRATOR] & PERSONAL_DATA_CAPABILITIES


def test_capabilities_come_from_every_role_held(make_user):
    user = make_user(Role.BOARD_MEMBER, Role.PANEL_CHAIR)
    assert has_capability(user, Cap.SIGN_OFF_DECISIONS)
    assert has_capability(user, Cap.VIEW_BOARD_PACKS)
    assert not has_capability(user, Cap.EDIT_CHILDREN)


def test_audit_events_cannot_be_changed(make_user):
    user = make_user(Role.PRACTITIONER)
    event = AuditEvent.objects.create(user=user, username=user.username, action="view")
    with pytest.raises(RuntimeError):
        event.summary = "edited"
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
