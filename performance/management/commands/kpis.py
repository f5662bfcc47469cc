"""``manage.py kpis --start D --end D [--as-of D] --json`` (indicators.md,
"The kpis command")."""

from __future__ import annotations

import json
from datetime import date

from django.core.management import BaseCommand, CommandError

from cases import vocab
from performance import indicators


def parse_date(value: str | None, option: str) -> date:
    if not value:
        raise CommandError(f"{option} is required (a date like 2024-06-30)")
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CommandError(f"{option} must be a date like 2024-06-30, not {value!r}") from None


class Command(BaseCommand):
    help = "Print the national indicators for a period (FTE, custody, reoffending, ...)."

    def add_arguments(self, parser):
        # Not argparse's required=/choices=: a bad argument must give one line
        # on standard error (indicators.md), which CommandError does.
        parser.add_argument("--start", help="first day of the period, YYYY-MM-DD")
        parser.add_argument("--end", help="last day of the period, YYYY-MM-DD")
        parser.add_argument(
            "--as-of", dest="as_of", help="data cut-off, YYYY-MM-DD (default today)"
        )
        parser.add_argument("--sex", help="only children of this sex (M or F)")
        parser.add_argument("--ethnicity", help="only children of this ethnicity group")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        start = parse_date(options["start"], "--start")
        end = parse_date(options["end"], "--end")
        as_of = parse_date(options["as_of"], "--as-of") if options["as_of"] else date.today()
        if end < start:
            raise CommandError(f"--end {end} is before --start {start}")
        if options["sex"] and options["sex"] not in vocab.codes(vocab.SEX):
            raise CommandError(f"--sex must be one of {', '.join(sorted(vocab.codes(vocab.SEX)))}")
        if options["ethnicity"] and options["ethnicity"] not in vocab.codes(vocab.ETHNICITY):
            codes = ", ".join(sorted(vocab.codes(vocab.ETHNICITY)))
            raise CommandError(f"--ethnicity must be one of {codes}")
        result = indicators.kpis(
            start=start,
            end=end,
            as_of=as_of,
            sex=options["sex"],
            ethnicity=options["ethnicity"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(render_text(result))


def render_text(result: dict, prefix: str = "") -> str:
    """A plain listing of every figure, one per line (for people, not programs)."""
    lines = []
    for key, value in result.items():
        if isinstance(value, dict):
            lines.append(render_text(value, f"{prefix}{key}."))
        else:
            lines.append(f"{prefix}{key}: {'not available' if value is None else value}")
    return "\n".join(lines)
