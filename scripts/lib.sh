# Shared by scripts/demo.sh, scripts/test.sh and .ci/run. Source it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else return 1; fi
}

APT_UPDATED=0
apt_install() {
  # apt_install PKG... — installs Debian packages that are missing, when we can.
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || { say "cannot install ${missing[*]}: no apt-get"; return 1; }
  say "installing Debian packages: ${missing[*]}"
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq || return 1; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || return 1
}

python_ok() {
  command -v "${PYTHON:-python3.11}" >/dev/null 2>&1 || PYTHON=python3
  "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' \
    || die "Python 3.11 is needed (found: $("$PYTHON" --version 2>&1))"
}

ensure_venv() {
  # uv installs the locked dependencies into .venv (uv.lock: same versions every time).
  PYTHON="${PYTHON:-python3.11}"
  python_ok
  if ! command -v uv >/dev/null 2>&1; then
    say "installing uv"
    "$PYTHON" -m pip install --quiet --user uv 2>/dev/null || "$PYTHON" -m pip install --quiet uv
    export PATH="$HOME/.local/bin:$PATH"
  fi
  say "installing Python dependencies from uv.lock"
  uv sync --frozen --quiet --python "$PYTHON"
  VENV_PY="$ROOT/.venv/bin/python"
}

ensure_weasyprint_libs() {
  # WeasyPrint needs Pango and HarfBuzz from Debian (stack-notes.md).
  apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    || say "could not install WeasyPrint's libraries; PDFs may fail"
}

pg_reachable() { "$VENV_PY" - "$1" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as error:
    print(f"  {error}".strip(), file=sys.stderr); sys.exit(1)
PY
}

redis_reachable() { "$VENV_PY" - "$1" <<'PY'
import sys, redis
try:
    redis.Redis.from_url(sys.argv[1], socket_connect_timeout=3).ping()
except Exception as error:
    print(f"  {error}".strip(), file=sys.stderr); sys.exit(1)
PY
}

ensure_postgres() {
  local url="postgres://postgres@127.0.0.1:5432/postgres"
  pg_reachable "$url" 2>/dev/null && return 0
  say "PostgreSQL is not answering on 127.0.0.1:5432: starting it"
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    apt_install postgresql || true
  fi
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)"
  if [ -n "$version" ]; then
    # Trust local TCP connections for the postgres user (a throwaway test server).
    local hba="/etc/postgresql/$version/main/pg_hba.conf"
    if [ -w "$hba" ] && ! grep -q "yjs-test" "$hba"; then
      sed -i '1i host all postgres 127.0.0.1/32 trust # yjs-test\nhost all postgres ::1/128 trust # yjs-test' "$hba"
    fi
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
      || as_root pg_ctlcluster "$version" main restart 2>/dev/null || true
  fi
  for _ in $(seq 1 20); do pg_reachable "$url" 2>/dev/null && return 0; sleep 1; done
  pg_reachable "$url" || return 1
}

ensure_redis() {
  local url="redis://127.0.0.1:6379/0"
  redis_reachable "$url" 2>/dev/null && return 0
  say "Redis is not answering on 127.0.0.1:6379: starting it"
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server || true
  if command -v redis-server >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null || true
  fi
  for _ in $(seq 1 10); do redis_reachable "$url" 2>/dev/null && return 0; sleep 1; done
  redis_reachable "$url" || return 1
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  apt_install chromium || return 1
}
