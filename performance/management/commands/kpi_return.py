"""``manage.py kpi_return --quarter 2024Q1 [--as-of D] --json [--xlsx FILE]
[--csv DIR]`` (indicators.md, "The 2023 KPIs: the quarterly return")."""

from __future__ import annotations

import json
from datetime import date

from django.core.management import BaseCommand, CommandError

from performance import indicators
from performance.management.commands.kpis import parse_date, render_text
from yjs.dates import financial_quarter


class Command(BaseCommand):
    help = "Print (and optionally write as XLSX or CSV) the 2023 KPI return for a quarter."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", help="financial quarter, e.g. 2024Q1 (April–June 2024)")
        parser.add_argument(
            "--as-of", dest="as_of", help="data cut-off, YYYY-MM-DD (default today)"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--xlsx", help="also write the return, broken down, to this .xlsx file")
        parser.add_argument("--csv", help="also write the return, broken down, as CSV files here")

    def handle(self, *args, **options):
        quarter = options["quarter"]
        if not quarter:
            raise CommandError("--quarter is required (a financial quarter like 2024Q1)")
        try:
            financial_quarter(quarter)
        except ValueError:
            raise CommandError(
                f"--quarter must be a financial quarter like 2024Q1, not {quarter!r}"
            ) from None
        as_of = parse_date(options["as_of"], "--as-of") if options["as_of"] else date.today()
        result = indicators.kpi_return(quarter=quarter, as_of=as_of)
        if options["xlsx"] or options["csv"]:
            from performance import kpi_export

            if options["xlsx"]:
                kpi_export.write_xlsx(options["xlsx"], quarter=quarter, as_of=as_of, summary=result)
            if options["csv"]:
                kpi_export.write_csv(options["csv"], quarter=quarter, as_of=as_of)
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(render_text(result))
