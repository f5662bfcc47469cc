"""Backup and restore (README, "Backups"): a real ``pg_dump -Fc`` of the test
database restored with ``pg_restore`` into a fresh database gives the same
figures, passes ``migrate --check``, and keeps the audit trail append-only
(the trigger of yjs/audit/migrations/0002 comes back with the dump)."""

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from performance import indicators
from tests.paths import EXAMPLE, ROOT

START, END, AS_OF = date(2023, 7, 1), date(2024, 6, 30), date(2026, 1, 31)
QUARTER = "2023Q1"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


def client_binaries() -> tuple[str, str]:
    """pg_dump and pg_restore, or a skip; on CI (CI=true) their absence fails."""
    found = shutil.which("pg_dump"), shutil.which("pg_restore")
    if all(found):
        return found
    message = "pg_dump and pg_restore (PostgreSQL client tools) are not on PATH"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def libpq_env(db: dict) -> dict:
    env = {**os.environ}
    for key, name in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if db.get(name):
            env[key] = str(db[name])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def connect(db: dict, name: str, **kwargs) -> psycopg.Connection:
    return psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname=name,
        **kwargs,
    )


def manage(*args: str, url: str) -> str:
    """Run manage.py against ``url`` in a child process; its standard output."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "yjs.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture
def restored_name():
    """A fresh database for the restore, dropped afterwards whatever happens."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore need PostgreSQL")
    db = connection.settings_dict
    name = f"{db['NAME']}_restored_{os.getpid()}"
    with connect(db, "postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with connect(db, "postgres", autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def test_dump_restore_gives_the_same_figures(tmp_path, restored_name):
    pg_dump, pg_restore = client_binaries()
    if not EXAMPLE.is_dir():
        pytest.skip(f"the example extract is not at {EXAMPLE}")

    call_command("import_extract", str(EXAMPLE), stdout=StringIO())
    kpis = json.loads(json.dumps(indicators.kpis(start=START, end=END, as_of=AS_OF)))
    kpi_return = json.loads(json.dumps(indicators.kpi_return(quarter=QUARTER, as_of=AS_OF)))
    assert kpis["fte"]["count"] > 0, "the example extract gave no figures"

    db = connection.settings_dict
    env = libpq_env(db)
    dump = tmp_path / "yjs.dump"
    subprocess.run(
        [pg_dump, "-Fc", "--no-owner", "-f", str(dump), db["NAME"]],
        env=env,
        check=True,
        timeout=300,
    )
    subprocess.run(
        [pg_restore, "--no-owner", "--exit-on-error", "-d", restored_name, str(dump)],
        env=env,
        check=True,
        timeout=300,
    )

    url = "postgres://{user}{password}@{host}:{port}/{name}".format(
        user=db["USER"],
        password=f":{db['PASSWORD']}" if db["PASSWORD"] else "",
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        name=restored_name,
    )
    manage("migrate", "--check", url=url)
    restored_kpis = json.loads(
        manage(
            "kpis",
            *("--start", START.isoformat(), "--end", END.isoformat()),
            *("--as-of", AS_OF.isoformat(), "--json"),
            url=url,
        )
    )
    restored_return = json.loads(
        manage("kpi_return", "--quarter", QUARTER, "--as-of", AS_OF.isoformat(), "--json", url=url)
    )
    assert restored_kpis == kpis
    assert restored_return == kpi_return

    # The audit trail is still append-only in the restored database.
    with connect(db, restored_name) as restored:
        assert restored.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] > 0
        for statement in (
            "UPDATE audit_auditevent SET summary = 'changed'",
            "DELETE FROM audit_auditevent",
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="cannot be changed"):
                restored.execute(statement)
            restored.rollback()
