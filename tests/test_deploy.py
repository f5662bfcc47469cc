"""Production settings: `check --deploy` is clean, headers are sent, and the
settings refuse to start insecurely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "production-like-secret-key-for-tests-only-0123456789",
    "ALLOWED_HOSTS": "yjs.example.org",
    "DATABASE_URL": "sqlite:////tmp/yjs-deploy-check.sqlite3",
}


def run_manage(*args, env_extra=None):
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_static_files_collect_with_hashed_names(tmp_path):
    """What the Dockerfile runs: collectstatic with the manifest storage, which
    fails on any file a stylesheet or script refers to that is not there."""
    import json

    env = {**PRODUCTION_ENV, "STATIC_ROOT": str(tmp_path)}
    result = run_manage("collectstatic", "--noinput", env_extra=env)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in (
        "govuk/govuk-frontend.min.css",
        "govuk/assets/images/govuk-crest.svg",
        "yjs/htmx.min.js",
        "yjs/app.mjs",
    ):
        assert name in manifest, name
        assert (tmp_path / manifest[name]).is_file()
    assert not any(name.startswith("django_htmx/") for name in manifest)


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env_extra=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_security_headers_on_every_response(client, db):
    response = client.get("/sign-in/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_forms_need_a_csrf_token(db, make_user):
    from django.test import Client

    make_user("practitioner", username="csrf")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/sign-in/", {"username": "csrf", "password": "whatever-123"})
    assert response.status_code == 403


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_to_change_the_audit_trail(make_user):
    from django.db import DatabaseError, transaction

    from yjs.audit.models import AuditEvent

    user = make_user("practitioner")
    event = AuditEvent.objects.create(user=user, username=user.username, action="view")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
