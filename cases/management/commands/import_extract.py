"""``manage.py import_extract DIR``: load a service extract (interchange.md).

All-or-nothing: on any problem, prints every problem as
``file.csv:ROW: column: what is wrong``, then a count, writes nothing and
exits with status 1."""

import sys

from django.core.management.base import BaseCommand, CommandError

from cases.extract.importer import ExtractProblems, extract_import
from cases.extract.reader import DirectorySource


class Command(BaseCommand):
    help = "Import a service extract (a folder of CSV files, see interchange.md)."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="folder holding children.csv, offences.csv...")

    def handle(self, *args, directory, **options):
        try:
            source = DirectorySource(directory)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        try:
            report = extract_import(source, summary_prefix=f"Imported the extract in {directory}")
        except ExtractProblems as problems:
            for line in problems.report.problem_lines():
                self.stderr.write(line)
            kept = len(problems.report.problems)
            if kept < problems.report.problem_count:
                self.stderr.write(f"(only the first {kept:,} problems are listed)")
            self.stderr.write(problems.report.summary_line())
            sys.exit(1)
        for name, count in report.counts.items():
            self.stdout.write(f"{name}: {count} rows")
        total = sum(report.counts.values())
        self.stdout.write(f"Imported {total} rows.")
