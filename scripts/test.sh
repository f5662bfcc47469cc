#!/usr/bin/env bash
# README command 2: run the whole test suite — against real PostgreSQL and Redis
# (started or installed here when missing), browser journeys in Debian's
# Chromium, then the database-neutral tests again on the embedded SQLite default.
source "$(dirname "$0")/lib.sh"

ensure_venv
ensure_weasyprint_libs
if ! ensure_chromium; then
  [ "${CI:-}" != true ] || die "Chromium is needed for the browser tests"
  say "Chromium could not be installed: the browser tests will fail"
fi

PG_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/yjs}"
if ! ensure_postgres; then
  die "PostgreSQL is not reachable on 127.0.0.1:5432 (user postgres) and could not be started"
fi
# pg_dump / pg_restore for tests/test_backup_restore.py
if ! command -v pg_dump >/dev/null 2>&1 && ! apt_install postgresql-client; then
  [ "${CI:-}" != true ] || die "pg_dump is needed for the backup and restore test"
  say "pg_dump could not be installed: the backup and restore test is skipped"
fi
if ! ensure_redis; then
  die "Redis is not reachable on 127.0.0.1:6379 and could not be started"
fi

say "ruff"
"$ROOT/.venv/bin/ruff" check .
"$ROOT/.venv/bin/ruff" format --check .

say "tests on PostgreSQL and Redis"
unset CELERY_BROKER_URL REDIS_URL
DATABASE_URL="$PG_URL" "$VENV_PY" -m pytest --create-db -q "$@"

if [ $# -eq 0 ]; then
  say "tests on the embedded default (SQLite, eager tasks), without browser and worker tests"
  env -u DATABASE_URL "$VENV_PY" -m pytest -q -m "not browser and not worker"
fi
