"""``manage.py retention [--dry-run] [--today D] [--json]``: run the data-retention
rule (cases/retention.py, README "Data retention"). With ``--dry-run`` nothing is
written and the report says who would be anonymised and why."""

from __future__ import annotations

import json
from datetime import date

from django.core.management import BaseCommand, CommandError

from cases.retention import retention_apply


class Command(BaseCommand):
    help = "Anonymise the children whose retention date has passed (see README, Data retention)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="write nothing; print who is due and why"
        )
        parser.add_argument("--today", help="run as on this day, YYYY-MM-DD (default today)")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"--today must be a date like 2024-06-30, not {options['today']!r}"
                ) from None
        report = retention_apply(today=today, dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
            return
        verb = "Would anonymise" if report.dry_run else "Anonymised"
        self.stdout.write(
            f"Data retention on {report.today} (age {report.age_years}, "
            f"{report.years_after_closure} years after the last involvement, the later)"
        )
        for c in report.due:
            self.stdout.write(
                f"  due: child {c.child_id} ({c.source_id or 'no source id'}): {c.reason}"
            )
        for c in report.kept:
            self.stdout.write(
                f"  kept: child {c.child_id} ({c.source_id or 'no source id'}): {c.reason}"
            )
        counts = report.counts
        done = counts["due"] if report.dry_run else counts["anonymised"]
        self.stdout.write(
            f"{verb} {done} children; {counts['kept_open']} kept by an open record; "
            f"{counts['already_anonymised']} already anonymised."
        )
