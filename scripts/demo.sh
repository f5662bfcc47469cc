#!/usr/bin/env bash
# README command 1: set up and run the service with synthetic demo data on the
# embedded default (SQLite file, Celery tasks run eagerly) at http://127.0.0.1:8000
source "$(dirname "$0")/lib.sh"

ensure_venv
ensure_weasyprint_libs
unset DATABASE_URL CELERY_BROKER_URL REDIS_URL
say "preparing the database (db.sqlite3)"
"$VENV_PY" manage.py migrate --noinput >/dev/null
if [ "${YJS_RESEED:-0}" = 1 ] || ! "$VENV_PY" manage.py seed_demo --check >/dev/null 2>&1; then
  say "building the synthetic demo service (a minute or two the first time)"
  "$VENV_PY" manage.py seed_demo --reset
fi
"$VENV_PY" manage.py seed_demo --sign-ins
say "serving on http://127.0.0.1:8000 (Ctrl-C to stop)"
exec "$VENV_PY" manage.py runserver 127.0.0.1:8000
