"""Benchmark: 20 signed-in members of staff at once against gunicorn, 100,000 children.

    .venv/bin/python benchmarks/load_test.py [--users 20] [--run-time 60] [--readme]

1. builds (once) or reuses the PostgreSQL database ``yjs_load`` holding a synthetic
   service of 100,000 children (benchmarks/kpis.py's build: yjs.demo.synthetic and
   ``import_extract``), and, once, an indicator run for the dashboard;
2. makes the load-test staff (team managers, each with a caseload of 30 children)
   through yjs.accounts.services and cases.services, and one session per user;
3. starts gunicorn on 127.0.0.1 with DEBUG=false (collected static files in a
   temporary STATIC_ROOT, plain storage), warms it up (every page twice per
   session, unmeasured), and runs Locust headless for ``--run-time`` seconds:
   benchmarks/load_locustfile.py (caseload, all children, a child's page, the
   performance dashboard, with a pause of 0.5–2 s between a user's requests);
4. prints p50/p95/p99, requests per second and errors per page, and with --readme
   writes them into benchmarks/README.md (section "load_test").

Locust is installed into a virtualenv of its own (``--locust-venv``, made with uv
when missing), never into the project's. Loopback only; bounded by --run-time.
PostgreSQL is taken from BENCH_PG (default postgres://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = "yjs_load"
README = ROOT / "benchmarks" / "README.md"
BEGIN, END = "<!-- load_test:begin -->", "<!-- load_test:end -->"
PAGES = ["caseload (mine)", "caseload (all children)", "child's page", "performance dashboard"]
CASELOAD_SIZE = 30
TARGET_P95_MS = 100  # for the caseload and the child's page


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--run-time", type=int, default=60, help="seconds")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--wait-min", type=float, default=0.5)
    parser.add_argument("--wait-max", type=float, default=2.0)
    parser.add_argument("--locust-venv", type=Path, default=Path("/tmp/yjs-locust-venv"))
    parser.add_argument("--readme", action="store_true", help="write benchmarks/README.md")
    return parser.parse_args(argv)


def django_environment() -> dict:
    """The production settings of the service, on loopback (shared with gunicorn)."""
    return {
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "DJANGO_SETTINGS_MODULE": "yjs.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: no TLS proxy in front here.
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        # Plain static storage: with the hashed, compressed storage collectstatic
        # fails on django-htmx 1.29's hx-sse-2.js (it imports "htmx", a name, not
        # a file). The pages' HTML is the same apart from the file names, and the
        # load test fetches no static files.
        "STATIC_MANIFEST": "false",
    }


def prepare(args, log) -> dict:
    """Build or reuse the service; the load-test staff, their sessions, child ids."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import kpis  # benchmarks/kpis.py: the same build of a synthetic service

    kpis.setup_django()
    kpis.ensure_database()
    build_args = kpis.parse_args(["--children", str(args.children)])
    kpis.build(build_args, log)

    from django.contrib.auth import get_user_model
    from django.test import Client

    from cases.models import Child
    from cases.services.casework import child_allocate
    from performance.models import IndicatorRun
    from performance.tasks import indicators_nightly
    from yjs.accounts.models import Team
    from yjs.accounts.services import staff_create
    from yjs.permissions import Role

    if not IndicatorRun.objects.exists():
        started = time.perf_counter()
        indicators_nightly()
        log(f"Computed the dashboard's figures in {time.perf_counter() - started:.0f} s.")

    team = Team.objects.get_or_create(name="Load test team", defaults={"locality": "Load"})[0]
    User = get_user_model()  # noqa: N806
    staff = []
    for number in range(1, args.users + 1):
        username = f"load_manager_{number}"
        user = User.objects.filter(username=username).first() or staff_create(
            username=username,
            first_name="Load",
            last_name=f"Manager {number}",
            password=secrets.token_urlsafe(24),
            roles=[Role.TEAM_MANAGER.value],
            team=team,
        )
        missing = CASELOAD_SIZE - Child.objects.filter(allocated_worker=user).count()
        if missing > 0:
            for child in Child.objects.filter(allocated_worker__isnull=True).order_by("?")[
                :missing
            ]:
                child_allocate(
                    child=child,
                    expected_version=child.version,
                    allocated_worker=user,
                    team=team,
                    by=user,
                )
        staff.append(user)

    sessions = []
    for user in staff:
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies["sessionid"].value)
    children = list(Child.objects.order_by("?").values_list("pk", flat=True)[:5000])
    return {"sessions": sessions, "children": children}


def ensure_locust(venv: Path, log) -> Path:
    locust = venv / "bin" / "locust"
    if locust.exists():
        return locust
    uv = shutil.which("uv") or str(Path.home() / ".local" / "bin" / "uv")
    log(f"Installing Locust into {venv} (uv).")
    subprocess.run([uv, "venv", "-q", str(venv)], check=True)
    subprocess.run(
        [uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python"), "locust"],
        check=True,
    )
    return locust


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def warm_up(port: int, setup: dict, rounds: int) -> None:
    """Each page a few times per session before measuring: a gunicorn worker's
    first requests import modules and compile templates (seconds, once)."""
    paths = ["/caseload/", "/caseload/all/", "/performance/"]
    for round_ in range(rounds):
        for number, session in enumerate(setup["sessions"]):
            child = setup["children"][(round_ * len(setup["sessions"]) + number) % 5000]
            for path in [*paths, f"/children/{child}/"]:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={session}"}
                )
                with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                    response.read()


def read_stats(path: Path) -> dict[str, dict]:
    result = {}
    with open(path, newline="") as stream:
        for row in csv.DictReader(stream):
            result[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
                "rps": float(row["Requests/s"]),
            }
    return result


def run_load(args, env: dict, setup: dict, log) -> dict:
    locust = ensure_locust(args.locust_venv, log)
    with tempfile.TemporaryDirectory(prefix="yjs-load-") as tmp:
        tmp = Path(tmp)
        server_env = {**os.environ, **env, "STATIC_ROOT": str(tmp / "static")}
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=server_env,
            check=True,
        )
        sessions = tmp / "sessions.json"
        sessions.write_text(json.dumps(setup))
        gunicorn = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "yjs.wsgi:application",
                *("--bind", f"127.0.0.1:{args.port}"),
                *("--workers", str(args.workers), "--threads", str(args.threads)),
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=server_env,
            stderr=open(tmp / "gunicorn.log", "w"),  # noqa: SIM115 (closed with the folder)
        )
        try:
            wait_until_up(f"http://127.0.0.1:{args.port}/healthz")
            started = time.perf_counter()
            warm_up(args.port, setup, rounds=2)
            log(f"Warmed up in {time.perf_counter() - started:.0f} s.")
            log(f"Locust: {args.users} users for {args.run_time} s.")
            before = os.getloadavg()
            subprocess.run(
                [
                    str(locust),
                    *("-f", str(ROOT / "benchmarks" / "load_locustfile.py")),
                    "--headless",
                    "--only-summary",
                    *("--users", str(args.users), "--spawn-rate", str(args.users)),
                    *("--run-time", f"{args.run_time}s", "--stop-timeout", "10"),
                    *("--host", f"http://127.0.0.1:{args.port}"),
                    *("--csv", str(tmp / "run")),
                ],
                env={
                    **os.environ,
                    "LOAD_SESSIONS": str(sessions),
                    "LOAD_WAIT_MIN": str(args.wait_min),
                    "LOAD_WAIT_MAX": str(args.wait_max),
                },
                check=False,
                timeout=args.run_time + 120,
            )
            after = os.getloadavg()
        finally:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        stats = read_stats(tmp / "run_stats.csv")
        failures = (tmp / "run_failures.csv").read_text().strip().splitlines()[1:]
        for line in failures:
            log(f"failure: {line}")
        for line in (tmp / "gunicorn.log").read_text().splitlines()[-10:]:
            log(f"gunicorn: {line}")
    stats["_load"] = {"before": before, "after": after}
    return stats


def section(args, stats: dict) -> str:
    load = stats["_load"]
    rows = []
    for name in [*PAGES, "Aggregated"]:
        s = stats.get(name)
        if s is None:
            continue
        rows.append(
            f"| {name} | {s['requests']:,} | {s['errors']} | {s['p50']:.0f} | {s['p95']:.0f} "
            f"| {s['p99']:.0f} | {s['rps']:.1f} |"
        )
    met = all(
        stats[name]["p95"] <= TARGET_P95_MS and stats[name]["errors"] == 0
        for name in ("caseload (mine)", "child's page")
    )
    errors = stats["Aggregated"]["errors"]
    return "\n".join(
        [
            "## load_test",
            "",
            "`benchmarks/load_test.py`: gunicorn "
            f"(`--workers {args.workers} --threads {args.threads}`, DEBUG=false) on 127.0.0.1 "
            f"over `yjs_load` ({args.children:,} children); Locust, {args.users} signed-in "
            f"team managers for {args.run_time} s, {args.wait_min:g}–{args.wait_max:g} s "
            "between a user's requests (weights: caseload 3, all children 1, child 4, "
            "dashboard 1).",
            "",
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
            f"({os.cpu_count()} CPUs; Locust, gunicorn and PostgreSQL on the same machine), "
            f"load average (1, 5, 15 min) {', '.join(f'{x:.2f}' for x in load['before'])} "
            f"before, {', '.join(f'{x:.2f}' for x in load['after'])} after.",
            "",
            "| page | requests | errors | p50 ms | p95 ms | p99 ms | requests/s |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
            f"Target (0 errors, p95 <= {TARGET_P95_MS} ms for the caseload and the child's "
            f"page): **{'met' if met and errors == 0 else 'not met'}**.",
        ]
    )


def write_readme(text: str) -> None:
    current = README.read_text()
    block = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in current:
        current = re.sub(
            re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, current, flags=re.S
        )
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    README.write_text(current)


def main() -> None:
    args = parse_args()

    def log(message: str) -> None:
        print(message, flush=True)

    env = django_environment()
    os.environ.update(env)
    setup = prepare(args, log)
    stats = run_load(args, env, setup, log)
    text = section(args, stats)
    print(text)
    if args.readme:
        write_readme(text)


if __name__ == "__main__":
    main()
