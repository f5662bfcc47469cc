"""Benchmark: the full ``kpis()`` for a 12-month period on a large service.

Builds (once) or reuses a PostgreSQL database with a synthetic service of
250,000 children and about a million offences and a million outcomes
(yjs.demo.synthetic.write_extract, loaded through ``import_extract``, the
same path as a real extract), then times, in the same run:

- ``performance.indicators.kpis()`` for the 12 months ending on a quarter end
  (every national indicator, reoffending over four quarterly cohorts);
- a bare ``SELECT count(*)`` over outcomes and over offences (the cost of
  merely touching the two big tables once).

Each is run several times after a warm-up; the medians and their ratio are
printed. Targets (benchmarks/README.md): kpis() <= 5 s and <= 3 x count(*).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yjs_bench \\
        .venv/bin/python benchmarks/kpis.py [--runs 7] [--rebuild] [--json]

The database named by DATABASE_URL is created if missing, and is emptied and
rebuilt with --rebuild. Use a database of its own: never the service's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/yjs_bench"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=250_000)
    parser.add_argument(
        "--offences-per-child",
        type=float,
        default=8.0,
        help="generator's mean (children's offences are cut by age): 8 gives about 1M",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--first-year", type=int, default=2015)
    parser.add_argument("--last-year", type=int, default=2025)
    parser.add_argument("--extract", type=Path, help="load this extract folder instead")
    parser.add_argument("--start", type=date.fromisoformat, default=date(2023, 7, 1))
    parser.add_argument("--end", type=date.fromisoformat, default=date(2024, 6, 30))
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 1, 31))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true", help="empty and rebuild the database")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--readme", action="store_true", help="write the figures into benchmarks/README.md"
    )
    return parser.parse_args(argv)


def setup_django():
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yjs.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database():
    """Create the database named by DATABASE_URL if it does not exist."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def build(args, log):
    from django.core.management import call_command

    from cases.models import Child

    call_command("migrate", verbosity=0)
    if Child.objects.exists() and not args.rebuild:
        log("Reusing the existing service in the database.")
        return
    if args.rebuild:
        log("Emptying the database.")
        call_command("flush", interactive=False, verbosity=0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.extract
        if folder is None:
            from yjs.demo.synthetic import write_extract

            folder = Path(tmp) / "extract"
            started = time.perf_counter()
            counts = write_extract(
                folder,
                children=args.children,
                seed=args.seed,
                first_year=args.first_year,
                last_year=args.last_year,
                offences_per_child=args.offences_per_child,
            )
            log(f"Wrote the extract in {time.perf_counter() - started:.0f} s: {counts}")
        started = time.perf_counter()
        call_command("import_extract", str(folder), stdout=open(os.devnull, "w"))  # noqa: SIM115
        log(f"Imported the extract in {time.perf_counter() - started:.0f} s.")


def sizes() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum does on a live service soon after a big import: fresh
        # statistics and a visibility map (without one count(*) and the
        # indicators' index-only scans both read the tables themselves).
        cursor.execute("VACUUM ANALYZE")
        result = {}
        for table in ("cases_child", "cases_offence", "cases_outcome", "cases_outcomeoffence"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed names)
            result[table] = cursor.fetchone()[0]
        return result


def time_count() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_outcome")
        cursor.fetchone()
        cursor.execute("SELECT count(*) FROM cases_offence")
        cursor.fetchone()
    return time.perf_counter() - started


def time_kpis(args) -> tuple[float, dict]:
    from performance import indicators

    started = time.perf_counter()
    result = indicators.kpis(start=args.start, end=args.end, as_of=args.as_of)
    return time.perf_counter() - started, result


BEGIN, END = "<!-- kpis:begin -->", "<!-- kpis:end -->"


def write_readme(figures: dict, times: dict) -> None:
    """Replace this benchmark's block of benchmarks/README.md (between its markers)."""
    import platform

    rows = figures["rows"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    period = figures["period"]
    lines = [
        BEGIN,
        "## kpis",
        "",
        "`benchmarks/kpis.py`: `performance.indicators.kpis()` for the 12 months "
        f"{period['start']} to {period['end']} (as of {period['as_of']}) against a bare "
        "`SELECT count(*)` over outcomes and over offences, in the same run.",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.node()} "
        f"({os.cpu_count()} CPUs, load average {load:.1f} at the end), "
        f"PostgreSQL, {figures['runs']} runs after a warm-up.",
        "",
        "| table | rows |",
        "|---|---:|",
        *(f"| {table} | {count:,} |" for table, count in rows.items()),
        "",
        "| measure | value |",
        "|---|---:|",
        f"| `kpis()` median | {figures['kpis_median_s']:.3f} s |",
        f"| `kpis()` runs | {', '.join(f'{t:.2f}' for t in times['kpis'])} s |",
        f"| `count(*)` outcomes + offences median | {figures['count_median_s']:.3f} s |",
        f"| ratio kpis() / count(*) | {figures['ratio']:.1f}x |",
        f"| target <= 5 s | {'met' if figures['target_seconds_met'] else 'not met'} |",
        f"| target <= 3x count(*) | {'met' if figures['target_ratio_met'] else 'not met'} |",
        END,
    ]
    path = ROOT / "benchmarks" / "README.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    block = "\n".join(lines)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)


def main(argv=None) -> int:
    args = parse_args(argv)
    setup_django()
    ensure_database()

    def log(message):
        print(message, file=sys.stderr, flush=True)

    build(args, log)
    rows = sizes()
    log(f"Rows: {rows}")
    # Warm-up: the first run pays for cold caches and connection set-up.
    time_count()
    time_kpis(args)
    count_times, kpis_times = [], []
    result = None
    for run in range(args.runs):
        count_times.append(time_count())
        seconds, result = time_kpis(args)
        kpis_times.append(seconds)
        log(f"run {run + 1}: count(*) {count_times[-1]:.3f} s, kpis() {seconds:.3f} s")
    count_median = statistics.median(count_times)
    kpis_median = statistics.median(kpis_times)
    figures = {
        "rows": rows,
        "period": {"start": str(args.start), "end": str(args.end), "as_of": str(args.as_of)},
        "runs": args.runs,
        "count_median_s": round(count_median, 3),
        "kpis_median_s": round(kpis_median, 3),
        "ratio": round(kpis_median / count_median, 2),
        "target_seconds_met": kpis_median <= 5.0,
        "target_ratio_met": kpis_median <= 3 * count_median,
        "kpis": result,
    }
    if args.readme:
        write_readme(figures, {"kpis": kpis_times, "count": count_times})
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        print(
            f"kpis() median {kpis_median:.3f} s; count(*) median {count_median:.3f} s; "
            f"ratio {kpis_median / count_median:.2f} "
            f"(targets: <= 5 s {'met' if figures['target_seconds_met'] else 'NOT met'}, "
            f"<= 3x {'met' if figures['target_ratio_met'] else 'NOT met'})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
