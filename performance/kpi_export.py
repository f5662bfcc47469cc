"""The 2023 KPI return as files: a YJB-style workbook (XLSX) and CSV.

The figures come from performance.indicators (kpi_return and
kpi_return_breakdown); this module only lays them out.

Workbook sheets:
- "Return": the headline return, one row per KPI measure.
- "Breakdown": one row per KPI measure, one column per group (all children,
  each type of order, each ethnicity group, sex, age band).
- "Long": the breakdown in long format (dimension, group, kpi, measure, value).

CSV (in a folder): ``kpi_return_<quarter>.csv`` (the Breakdown table) and
``kpi_return_<quarter>_long.csv`` (the Long table).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from cases import vocab
from performance import indicators

DIMENSION_LABELS = {
    "all": "All children",
    "type_of_order": "Type of order",
    "ethnicity": "Ethnicity",
    "sex": "Sex",
    "age_band": "Age band on the order's start",
}
TYPE_OF_ORDER_LABELS = {
    "diversion": "Diversion with YJS intervention",
    "youth_caution": "Youth caution with YJS intervention",
    "youth_conditional_caution": "Youth conditional caution",
    "referral_order": "Referral order",
    "yro": "Youth rehabilitation order",
    "custody": "Custodial sentence",
}
GROUP_LABELS = {
    "type_of_order": TYPE_OF_ORDER_LABELS,
    "ethnicity": dict(vocab.ETHNICITY),
    "sex": dict(vocab.SEX),
    "age_band": dict(vocab.AGE_BANDS),
    "all": {"all": "All children"},
}


def group_label(dimension: str, group: str) -> str:
    return GROUP_LABELS.get(dimension, {}).get(group, group)


def _columns(rows: list[dict]) -> list[tuple[str, str]]:
    seen: dict[tuple[str, str], None] = {}
    for row in rows:
        seen.setdefault((row["dimension"], row["group"]), None)
    return list(seen)


def breakdown_table(rows: list[dict]) -> tuple[list[str], list[list]]:
    """The wide table: header, then one row per (kpi, measure)."""
    columns = _columns(rows)
    values: dict[tuple[str, str], dict[tuple[str, str], object]] = {}
    for row in rows:
        values.setdefault((row["kpi"], row["measure"]), {})[(row["dimension"], row["group"])] = row[
            "value"
        ]
    header = ["KPI", "Measure"] + [
        group_label(dimension, group)
        if dimension == "all"
        else f"{DIMENSION_LABELS[dimension]}: {group_label(dimension, group)}"
        for dimension, group in columns
    ]
    body = [
        [kpi, measure, *(by_group.get(column) for column in columns)]
        for (kpi, measure), by_group in values.items()
    ]
    return header, body


def summary_table(summary: dict) -> list[list]:
    rows = []
    for key, value in summary.items():
        if isinstance(value, dict):
            rows.extend([key, measure, figure] for measure, figure in value.items())
        else:
            rows.append(["return", key, value])
    return rows


LONG_HEADER = ["dimension", "group", "kpi", "measure", "value"]


def write_xlsx(path, *, quarter: str, as_of: date, summary: dict | None = None) -> Path:
    summary = summary or indicators.kpi_return(quarter=quarter, as_of=as_of)
    rows = indicators.kpi_return_breakdown(quarter=quarter, as_of=as_of)
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet.append([f"2023 KPI return {quarter}: {summary['start']} to {summary['end']}"])
    sheet.append([f"Data as of {as_of.isoformat()}; rules version {indicators.RULES_VERSION}"])
    sheet.append([])
    sheet.append(["KPI", "Measure", "Value"])
    for row in summary_table(summary):
        sheet.append(row)
    sheet["A1"].font = Font(bold=True)

    header, body = breakdown_table(rows)
    wide = book.create_sheet("Breakdown")
    wide.append(header)
    for row in body:
        wide.append(row)
    for cell in wide[1]:
        cell.font = Font(bold=True)
    wide.freeze_panes = "C2"

    long = book.create_sheet("Long")
    long.append(LONG_HEADER)
    for row in rows:
        long.append([row[key] for key in LONG_HEADER])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_csv(directory, *, quarter: str, as_of: date) -> list[Path]:
    rows = indicators.kpi_return_breakdown(quarter=quarter, as_of=as_of)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    wide_path = directory / f"kpi_return_{quarter}.csv"
    long_path = directory / f"kpi_return_{quarter}_long.csv"
    header, body = breakdown_table(rows)
    with wide_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(["" if value is None else value for value in row] for row in body)
    with long_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=LONG_HEADER)
        writer.writeheader()
        writer.writerows(
            {**row, "value": "" if row["value"] is None else row["value"]} for row in rows
        )
    return [wide_path, long_path]
