"""Benchmark: import a large synthetic service extract into PostgreSQL.

    .venv/bin/python benchmarks/import_extract.py [--children 250000] [--offences-per-child 12]

1. generates the extract with yjs.demo.synthetic into a temporary folder;
2. creates a fresh database (``yjs_bench_extract``), migrates it, and runs
   ``manage.py import_extract`` in a child process, measuring wall time and
   the child's peak RSS (os.wait4);
3. times a bare PostgreSQL ``COPY`` of the same files into plain text staging
   tables (the floor any import of these bytes pays);
4. writes the figures into benchmarks/README.md (section "import_extract").

PostgreSQL is taken from BENCH_PG (default postgres://postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yjs.settings")

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

from yjs.demo.synthetic import write_extract  # noqa: E402

SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = "yjs_bench_extract"
README = ROOT / "benchmarks" / "README.md"
BEGIN = "<!-- import_extract:begin -->"
END = "<!-- import_extract:end -->"


def recreate_database() -> str:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(DATABASE)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
    return f"{SERVER}/{DATABASE}"


def run_measured(command: list[str], env: dict) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (kB) and output of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{output[-4000:]}")
    return elapsed, usage.ru_maxrss, output


def bare_copy(url: str, directory: Path) -> float:
    """COPY every file as CSV into text staging tables: no parsing, no rules."""
    with psycopg.connect(url) as conn:
        conn.execute("DROP SCHEMA IF EXISTS staging CASCADE")
        conn.execute("CREATE SCHEMA staging")
        start = time.perf_counter()
        for path in sorted(directory.glob("*.csv")):
            with open(path, encoding="utf-8") as stream:
                header = stream.readline().strip().split(",")
            table = sql.Identifier("staging", path.stem)
            conn.execute(
                sql.SQL("CREATE TABLE {} ({})").format(
                    table,
                    sql.SQL(", ").join(
                        sql.SQL("{} text").format(sql.Identifier(c)) for c in header
                    ),
                )
            )
            with (
                conn.cursor() as cursor,
                cursor.copy(
                    sql.SQL("COPY {} FROM STDIN WITH (FORMAT csv, HEADER true)").format(table)
                ) as copy,
                open(path, "rb") as stream,
            ):
                while chunk := stream.read(1 << 20):
                    copy.write(chunk)
        conn.commit()
        elapsed = time.perf_counter() - start
        conn.execute("DROP SCHEMA staging CASCADE")
        conn.commit()
    return elapsed


def write_readme(section: str) -> None:
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    block = f"{BEGIN}\n{section}\n{END}"
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    README.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--children", type=int, default=250_000)
    parser.add_argument(
        "--offences-per-child",
        type=float,
        default=12.0,
        help="mean asked of the generator; ages and dates cap it (12 → about 4 per child)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="yjs-bench-extract-") as tmp:
        directory = Path(tmp)
        start = time.perf_counter()
        counts = write_extract(
            directory,
            children=args.children,
            seed=args.seed,
            first_year=2012,
            last_year=2025,
            offences_per_child=args.offences_per_child,
        )
        generate = time.perf_counter() - start
        rows = sum(counts.values())
        size = sum(p.stat().st_size for p in directory.iterdir())
        print(f"generated {rows:,} rows ({size / 1e6:.0f} MB) in {generate:.1f} s", flush=True)

        url = recreate_database()
        env = {**os.environ, "DATABASE_URL": url}
        python = sys.executable
        run_measured([python, "manage.py", "migrate", "-v0"], env)
        wall, rss_kb, output = run_measured(
            [python, "manage.py", "import_extract", str(directory)], env
        )
        print(output.strip().splitlines()[-1], f"in {wall:.1f} s, peak RSS {rss_kb / 1024:.0f} MB")
        copy_seconds = bare_copy(url, directory)
        print(f"bare COPY of the same files: {copy_seconds:.1f} s", flush=True)

    load = os.getloadavg()
    lines = [
        "## import_extract",
        "",
        "`benchmarks/import_extract.py`: a synthetic extract (yjs.demo.synthetic) imported with",
        "`manage.py import_extract` into a fresh PostgreSQL database (`yjs_bench_extract`).",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({os.cpu_count()} CPUs, load average {load[0]:.1f} at the end), "
        f"Python {platform.python_version()}, "
        f"`--children {args.children} --offences-per-child {args.offences_per_child:g}`.",
        "",
        "| file | rows |",
        "|---|---:|",
        *(f"| {name} | {count:,} |" for name, count in counts.items()),
        f"| **total** | **{rows:,}** ({size / 1e6:.0f} MB of CSV) |",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| generate the extract | {generate:.1f} s |",
        f"| import: wall time (check pass + write pass, one transaction) | {wall:.1f} s |",
        f"| import: rows per second | {rows / wall:,.0f} |",
        f"| import: peak RSS of the process | {rss_kb / 1024:.0f} MB |",
        f"| bare PostgreSQL `COPY` of the same files into text staging tables | "
        f"{copy_seconds:.1f} s ({rows / copy_seconds:,.0f} rows/s) |",
        f"| import time / bare COPY time | {wall / copy_seconds:.1f}× |",
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_readme:
        write_readme(section)


if __name__ == "__main__":
    main()
