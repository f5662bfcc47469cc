"""The kpis and kpi_return commands: JSON on standard output, one-line errors,
and the XLSX / CSV return."""

import csv
import json
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from performance import indicators
from tests.performance import indicator_data as make

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_kpis_prints_one_json_object():
    kid = make.child()
    make.outcome(kid, date(2023, 5, 1))
    printed = run(
        "kpis", "--start", "2023-01-01", "--end", "2023-12-31", "--as-of", "2025-01-31", "--json"
    )
    assert json.loads(printed) == indicators.kpis(
        start=date(2023, 1, 1), end=date(2023, 12, 31), as_of=date(2025, 1, 31)
    )
    assert printed.strip().count("\n") == 0


def test_kpis_as_of_defaults_to_today():
    printed = run("kpis", "--start", "2023-01-01", "--end", "2023-12-31", "--json")
    assert json.loads(printed)["period"]["as_of"] == date.today().isoformat()


def test_kpis_for_a_group():
    make.outcome(make.child(sex="F"), date(2023, 5, 1))
    make.outcome(make.child(sex="M"), date(2023, 5, 1))
    printed = run("kpis", "--start", "2023-01-01", "--end", "2023-12-31", "--sex", "F", "--json")
    assert json.loads(printed)["fte"]["count"] == 1


def test_kpis_without_json_lists_the_figures():
    printed = run("kpis", "--start", "2023-01-01", "--end", "2023-12-31")
    assert "fte.count: 0" in printed
    assert "reoffending.binary_rate_pct: not available" in printed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2023-02-01", "--end", "2023-01-31"], "before"),
        (["--start", "2023-02-30", "--end", "2023-03-31"], "--start"),
        (["--start", "yesterday", "--end", "2023-03-31"], "--start"),
        (["--start", "2023-01-01", "--end", "2023-03-31", "--as-of", "soon"], "--as-of"),
        (["--end", "2023-03-31"], "--start"),
        (["--start", "2023-01-01"], "--end"),
        (["--start", "2023-01-01", "--end", "2023-03-31", "--sex", "X"], "--sex"),
    ],
)
def test_kpis_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("kpis", *args, "--json", stdout=StringIO())


def test_kpi_return_prints_one_json_object():
    make.outcome(make.child(), date(2024, 1, 10), end=date(2024, 5, 1))
    printed = run("kpi_return", "--quarter", "2024Q1", "--as-of", "2025-01-31", "--json")
    assert json.loads(printed) == indicators.kpi_return(quarter="2024Q1", as_of=date(2025, 1, 31))
    assert json.loads(printed)["children"] == 1


@pytest.mark.parametrize("quarter", ["2024Q5", "2024-Q1", "Q1", ""])
def test_kpi_return_bad_quarter(quarter):
    with pytest.raises(CommandError, match="quarter"):
        call_command("kpi_return", "--quarter", quarter, "--json", stdout=StringIO())


def test_kpi_return_writes_xlsx_and_csv(tmp_path):
    kid = make.child(sex="F", ethnicity="mixed")
    make.outcome(kid, date(2024, 1, 10), "youth_rehabilitation_order", end=date(2024, 5, 1))
    make.accommodation(kid, date(2020, 1, 1))
    workbook = tmp_path / "return.xlsx"
    folder = tmp_path / "csv"
    run(
        "kpi_return",
        "--quarter",
        "2024Q1",
        "--as-of",
        "2025-01-31",
        "--json",
        "--xlsx",
        str(workbook),
        "--csv",
        str(folder),
    )
    book = load_workbook(workbook)
    assert book.sheetnames == ["Return", "Breakdown", "Long"]
    breakdown = list(book["Breakdown"].values)
    header = breakdown[0]
    assert header[:3] == ("KPI", "Measure", "All children")
    assert "Type of order: Youth rehabilitation order" in header
    assert "Sex: Female" in header
    assert "Age band on the order's start: 15 to 17" in header
    children = next(row for row in breakdown if row[:2] == ("population", "children"))
    assert children[2] == 1
    assert children[header.index("Type of order: Youth rehabilitation order")] == 1
    assert children[header.index("Sex: Male")] == 0
    suitable = next(row for row in breakdown if row[:2] == ("accommodation", "pct_suitable_at_end"))
    assert suitable[2] == 100.0
    assert suitable[header.index("Sex: Male")] is None

    wide = folder / "kpi_return_2024Q1.csv"
    long = folder / "kpi_return_2024Q1_long.csv"
    with wide.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(header)
    with long.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {
        "dimension": "type_of_order",
        "group": "yro",
        "kpi": "population",
        "measure": "children",
        "value": "1",
    } in rows


def test_command_line_errors_are_one_line_on_stderr():
    """Through the real command line: non-zero exit, one line on stderr (the
    arguments are refused before any query, so the subprocess's database is
    never read)."""
    manage = Path(settings.BASE_DIR) / "manage.py"
    done = subprocess.run(
        [
            sys.executable,
            str(manage),
            "kpis",
            "--start",
            "2023-02-01",
            "--end",
            "2023-01-01",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    done = subprocess.run(
        [sys.executable, str(manage), "kpi_return", "--quarter", "2024Q9", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1
