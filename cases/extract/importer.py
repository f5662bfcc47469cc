"""Checking and importing a service extract (interchange.md).

``extract_check`` reads every file once and collects every problem across all
files. ``extract_import`` checks, and only when nothing is wrong writes every
file in one transaction (all-or-nothing), in batches from the spool of parsed
records the check pass left on disk, so memory holds only the key indexes and
one batch, never the rows.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.extract.framework import Context, ExtractProblem, KeyIndex, Row, specs
from cases.extract.reader import FILE_COLUMN, CsvFile, ExtractSource

# Keep at most this many problems in memory; the count is always exact.
MAX_PROBLEMS_KEPT = 100_000

Progress = Callable[[int, str], None]


@dataclass
class ExtractReport:
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[ExtractProblem] = field(default_factory=list)
    problem_count: int = 0
    imported: bool = False

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, file: str, row: int, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(ExtractProblem(file, row, column, message))

    def problem_lines(self) -> list[str]:
        return [str(p) for p in self.problems]

    def summary_line(self) -> str:
        n = self.problem_count
        return f"{n} problem{'s' if n != 1 else ''} found: nothing was imported."


class Spool:
    """The check pass's parsed records, pickled to a temporary file in
    batches, so that the write pass need not read and parse the CSV files a
    second time. Memory holds one batch; spooling stops at the first problem
    (nothing will be written then)."""

    def __init__(self, batch_size: int):
        self.batch_size = batch_size
        self.directory = tempfile.TemporaryDirectory(prefix="yjs-extract-")
        self.stopped = False
        self._stream = None
        self._batch: list[dict] = []

    def start(self, name: str) -> None:
        if not self.stopped:
            self._stream = open(Path(self.directory.name) / name, "wb")  # noqa: SIM115

    def add(self, record: dict) -> None:
        if self._stream is None:
            return
        self._batch.append(record)
        if len(self._batch) >= self.batch_size:
            pickle.dump(self._batch, self._stream, protocol=pickle.HIGHEST_PROTOCOL)
            self._batch = []

    def finish(self) -> None:
        if self._stream is not None:
            if self._batch:
                pickle.dump(self._batch, self._stream, protocol=pickle.HIGHEST_PROTOCOL)
            self._stream.close()
        self._stream = None
        self._batch = []

    def stop(self) -> None:
        self.finish()
        self.stopped = True

    def batches(self, name: str) -> Iterator[list[dict]]:
        # Our own file, written a moment ago by this process: safe to unpickle.
        with open(Path(self.directory.name) / name, "rb") as stream:
            while True:
                try:
                    yield pickle.load(stream)  # noqa: S301
                except EOFError:
                    return

    def close(self) -> None:
        self.finish()
        self.directory.cleanup()


class ExtractProblems(Exception):
    def __init__(self, report: ExtractReport):
        self.report = report
        super().__init__(report.summary_line())


def _no_progress(percent: int, stage: str) -> None:
    return None


def _check(
    source: ExtractSource,
    ctx: Context,
    report: ExtractReport,
    progress: Progress,
    spool: Spool | None = None,
) -> None:
    names = source.names()
    registered = specs()
    known = {spec.name for spec in registered}
    for name in sorted(names - known):
        report.add(
            name,
            1,
            FILE_COLUMN,
            "is not a file of the service extract (files are: "
            + ", ".join(spec.name for spec in registered)
            + ")",
        )
    total_bytes = sum(source.size(name) for name in names & known) or 1
    done_bytes = 0
    for spec in registered:
        if spec.name not in names:
            if spec.required:
                report.add(spec.name, 1, FILE_COLUMN, "is a required file but is missing")
            ctx.indexes[spec.name] = KeyIndex(spec.index_fields or ())
            # A missing required file is reported once, not again for every
            # row that refers to it.
            ctx.indexes[spec.name].complete = not spec.required
            continue
        progress(int(50 * done_bytes / total_bytes), f"Checking {spec.name}")
        index = KeyIndex(spec.index_fields or ())
        ctx.indexes[spec.name] = index
        csv_file = CsvFile(source, spec, report.add)
        count = 0
        if spool is not None:
            spool.start(spec.name)
        for line, values in csv_file.rows():
            count += 1
            row = Row(values, line)
            record = spec.parse(row, ctx)
            if spec.id_column and record is not None and record.get("source_id"):
                first = index.add(record["source_id"], line, spec.index_values(record))
                if first is not None:
                    row.problem(
                        spec.id_column, f"{record['source_id']!r} is already used on row {first}"
                    )
            for problem in row.problems:
                if problem.field in csv_file.missing:
                    continue
                report.add(spec.name, line, problem.field, problem.message)
            if spool is not None:
                if report.problem_count:
                    spool.stop()
                else:
                    spool.add(record)
            if count % 20000 == 0:
                progress(
                    int(50 * (done_bytes + csv_file.bytes_read) / total_bytes),
                    f"Checking {spec.name}: {count:,} rows",
                )
        index.complete = csv_file.readable and not csv_file.missing
        if spool is not None:
            if report.problem_count:
                spool.stop()
            spool.finish()
        done_bytes += source.size(spec.name)
        report.counts[spec.name] = count
        ctx.counts[spec.name] = count
        if spec.index_fields is None:
            ctx.indexes[spec.name] = KeyIndex()  # only needed for duplicates


def extract_check(
    source: ExtractSource, *, today: date | None = None, progress: Progress | None = None
) -> ExtractReport:
    """Every problem of the extract, and its rows per file; writes nothing."""
    report = ExtractReport()
    ctx = Context(today=today or timezone.localdate())
    _check(source, ctx, report, progress or _no_progress)
    (progress or _no_progress)(100, "Checked")
    return report


def extract_import(
    source: ExtractSource,
    *,
    by=None,
    today: date | None = None,
    progress: Progress | None = None,
    summary_prefix: str = "Imported a service extract",
) -> ExtractReport:
    """Check, then write every file in one transaction; raises ExtractProblems
    (and writes nothing) when any problem is found."""
    from yjs.audit.services import Action, audit_record

    progress = progress or _no_progress
    report = ExtractReport()
    ctx = Context(
        today=today or timezone.localdate(),
        batch_size=getattr(settings, "YJS_EXTRACT_BATCH_SIZE", 5000),
        user=by,
    )
    spool = Spool(ctx.batch_size)
    try:
        _check(source, ctx, report, progress, spool)
        if not report.ok:
            raise ExtractProblems(report)
        names = source.names()
        total_rows = sum(report.counts.values()) or 1
        written = 0
        with transaction.atomic():
            for spec in specs():
                if spec.name not in names:
                    continue
                progress(50 + int(50 * written / total_rows), f"Importing {spec.name}")
                for batch in spool.batches(spec.name):
                    spec.write(batch, ctx)
                    written += len(batch)
                    progress(
                        50 + int(50 * written / total_rows),
                        f"Importing {spec.name}: {written:,} of {total_rows:,} rows",
                    )
            audit_record(
                user=by,
                action=Action.IMPORT,
                object_type="cases.extract",
                summary=f"{summary_prefix}: "
                + ", ".join(f"{name} {count:,}" for name, count in report.counts.items()),
            )
    finally:
        spool.close()
    report.imported = True
    progress(100, "Imported")
    return report
