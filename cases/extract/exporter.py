"""Writing a service extract (interchange.md) in canonical form: every
registered file, columns in the order of interchange.md's tables, ISO dates,
Y/N flags, blanks empty, rows in the order they were recorded, CRLF line ends
(RFC 4180). Rows are streamed from the database, never held in memory.

Export → import into an empty database → export gives byte-identical files:
rows keep their relative order (the import inserts in file order) and rows
created in the application are first given a stable ``source_id``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from cases.extract.framework import specs


def extract_export(directory: str | Path, *, by=None) -> dict[str, int]:
    """Write every file of the extract into ``directory``; returns rows per file."""
    from yjs.audit.services import Action, audit_record

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with transaction.atomic():
        registered = specs()
        for spec in registered:
            spec.prepare_export()
        for spec in registered:
            count = 0
            with open(directory / spec.name, "w", encoding="utf-8", newline="") as stream:
                writer = csv.writer(stream, lineterminator="\r\n")
                writer.writerow(spec.columns)
                for row in spec.export_rows():
                    writer.writerow(row)
                    count += 1
            counts[spec.name] = count
        audit_record(
            user=by,
            action=Action.EXPORT,
            object_type="cases.extract",
            summary="Exported the service extract: "
            + ", ".join(f"{name} {count:,}" for name, count in counts.items()),
        )
    return counts
