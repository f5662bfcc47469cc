"""``manage.py board_pack --quarter 2024Q1 --out pack.pdf [--as-of D]``: generate
the quarter's board pack here and now (as the Generate button does, with the
commentary saved for the quarter), keep it, and write the PDF to a file."""

from __future__ import annotations

from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from performance import board_pack
from performance.management.commands.kpis import parse_date
from performance.models import BoardPack
from yjs.audit.services import Action, audit_record
from yjs.dates import financial_quarter


class Command(BaseCommand):
    help = "Generate the quarterly board pack (PDF) for a financial quarter."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", help="financial quarter, e.g. 2024Q1 (April–June 2024)")
        parser.add_argument("--out", help="where to write the PDF")
        parser.add_argument(
            "--as-of", dest="as_of", help="data cut-off, YYYY-MM-DD (default today)"
        )

    def handle(self, *args, **options):
        quarter, out = options["quarter"], options["out"]
        if not quarter:
            raise CommandError("--quarter is required (a financial quarter like 2024Q1)")
        if not out:
            raise CommandError("--out is required (the PDF file to write)")
        try:
            financial_quarter(quarter)
        except ValueError:
            raise CommandError(
                f"--quarter must be a financial quarter like 2024Q1, not {quarter!r}"
            ) from None
        as_of = (
            parse_date(options["as_of"], "--as-of") if options["as_of"] else timezone.localdate()
        )
        with transaction.atomic():
            pack = BoardPack.objects.create(
                quarter=quarter, as_of=as_of, commentary=board_pack.commentary_for(quarter)
            )
            audit_record(
                user=None,
                action=Action.GENERATE,
                obj=pack,
                summary=f"Board pack for {quarter} generated from the command line",
            )
        pack = board_pack.board_pack_build(pack_id=pack.pk)
        if pack.status != BoardPack.Status.DONE:
            raise CommandError(f"The pack could not be generated: {pack.error}")
        Path(out).write_bytes(bytes(pack.pdf))
        self.stdout.write(
            f"Board pack {quarter} (as of {as_of}): {pack.pages or '?'} pages, "
            f"{pack.build_seconds:.1f} s, written to {out}"
        )
