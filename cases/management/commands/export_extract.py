"""``manage.py export_extract DIR``: write the service extract (interchange.md)
in canonical form; importing it into an empty database and exporting again
gives byte-identical files."""

from django.core.management.base import BaseCommand

from cases.extract.exporter import extract_export


class Command(BaseCommand):
    help = "Export the service extract (CSV files, see interchange.md) into a folder."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="folder to write the CSV files into")

    def handle(self, *args, directory, **options):
        counts = extract_export(directory)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} rows")
        self.stdout.write(f"Exported {sum(counts.values())} rows to {directory}.")
