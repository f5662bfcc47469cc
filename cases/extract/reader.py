"""Reading the extract's files: where they come from (a folder or an uploaded
zip) and streaming their rows with physical line numbers (interchange.md,
"General rules": UTF-8 with an optional BOM, RFC 4180, one header row)."""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from cases.extract.framework import FileSpec

# A field of the extract is never longer than a long description.
csv.field_size_limit(1_000_000)

FILE_COLUMN = "file"


class ExtractSource:
    """A set of named CSV files."""

    def names(self) -> set[str]:
        raise NotImplementedError

    def size(self, name: str) -> int:
        raise NotImplementedError

    @contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        raise NotImplementedError
        yield


class DirectorySource(ExtractSource):
    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise FileNotFoundError(f"{self.directory} is not a folder")

    def names(self) -> set[str]:
        return {p.name for p in self.directory.iterdir() if p.is_file() and _is_csv(p.name)}

    def size(self, name: str) -> int:
        return (self.directory / name).stat().st_size

    @contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        with open(self.directory / name, "rb") as stream:
            yield stream


class UnsafeZip(ValueError):
    """An upload that is not a zip of the extract's CSV files, or could be a zip bomb."""


class ZipSource(ExtractSource):
    """The CSV files of a zip: all at the top level or all in one folder.

    Zip-bomb safe: the declared sizes are checked before anything is read
    (total and per-member compression ratio), and Python's zipfile never
    reads a member past its declared size."""

    def __init__(
        self,
        path: str | Path | BinaryIO,
        *,
        max_total_bytes: int = 4 * 1024**3,
        max_ratio: int = 200,
    ):
        # A path, or an open file (the upload form checks before storing).
        self.path = Path(path) if isinstance(path, str | Path) else path
        try:
            archive = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as error:
            raise UnsafeZip("The file is not a zip file.") from error
        with archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
        folders = set()
        self._members: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in members:
            name = PurePosixPath(info.filename)
            if name.name.startswith(".") or name.parts[0] == "__MACOSX":
                continue  # hidden files some archivers add
            if info.filename.startswith("/") or ".." in name.parts or "\\" in info.filename:
                raise UnsafeZip(f"The zip holds a file with an unsafe name: {info.filename}")
            if len(name.parts) > 2:
                raise UnsafeZip(
                    "The CSV files must be at the top of the zip or in one folder, "
                    f"not in sub-folders ({info.filename})."
                )
            if not _is_csv(name.name):
                raise UnsafeZip(f"The zip may hold only .csv files, not {info.filename}.")
            if info.flag_bits & 0x1:
                raise UnsafeZip("The zip is encrypted: upload it without a password.")
            folders.add(name.parts[0] if len(name.parts) == 2 else "")
            if name.name in self._members:
                raise UnsafeZip(f"The zip holds {name.name} twice.")
            total += info.file_size
            if info.compress_size and info.file_size / info.compress_size > max_ratio:
                raise UnsafeZip(f"{name.name} is compressed too much to be a real CSV file.")
            self._members[name.name] = info
        if len(folders) > 1:
            raise UnsafeZip("The CSV files must all be in the same folder of the zip.")
        if total > max_total_bytes:
            raise UnsafeZip("The files in the zip are too large to import in one go.")
        if not self._members:
            raise UnsafeZip("The zip holds no CSV files.")

    def names(self) -> set[str]:
        return set(self._members)

    def size(self, name: str) -> int:
        return self._members[name].file_size

    @contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        with zipfile.ZipFile(self.path) as archive, archive.open(self._members[name]) as stream:
            yield stream


def _is_csv(name: str) -> bool:
    return name.lower().endswith(".csv") and not name.startswith(".")


class CsvFile:
    """Streams one file's rows as ``(line, {column: value})``.

    Header problems (unknown, missing required, repeated columns) and an
    encoding problem are reported through ``report``; ``missing`` holds the
    required columns the header lacks so that per-row "is required" problems
    for them are not repeated on every line. ``bytes_read`` feeds progress."""

    def __init__(self, source: ExtractSource, spec: FileSpec, report: Callable[..., None]):
        self.source = source
        self.spec = spec
        self.report = report
        self.missing: set[str] = set()
        self.header_ok = True
        self.readable = True  # False after an encoding problem
        self.bytes_read = 0

    def _lines(self, stream: BinaryIO) -> Iterator[str]:
        decode_failed = False
        first = True
        for number, raw in enumerate(stream, start=1):
            self.bytes_read += len(raw)
            if first:
                first = False
                if raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as error:
                if not decode_failed:
                    decode_failed = True
                    self.readable = False
                    self.report(
                        self.spec.name,
                        number,
                        FILE_COLUMN,
                        f"is not valid UTF-8 text (byte 0x{raw[error.start]:02x} on this line): "
                        "save the file as UTF-8 and try again",
                    )
                yield raw.decode("utf-8", errors="replace")

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        name = self.spec.name
        with self.source.open(name) as stream:
            reader = csv.reader(self._lines(stream), strict=True)
            try:
                header = next(reader)
            except StopIteration:
                self.header_ok = False
                self.missing = set(self.spec.required_columns)
                self.report(name, 1, FILE_COLUMN, "is empty: the first line must be the header")
                return
            except csv.Error as error:
                self.header_ok = False
                self.report(name, 1, FILE_COLUMN, f"the header cannot be read ({error})")
                return
            self._check_header(header)
            width = len(header)
            line = reader.line_num
            while True:
                start = line + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    self.report(name, reader.line_num, "row", f"is not valid CSV ({error})")
                    self.readable = False
                    return
                line = reader.line_num
                if not cells or (len(cells) == 1 and not cells[0].strip() and width > 1):
                    continue  # blank line
                if len(cells) != width:
                    self.report(
                        name,
                        start,
                        "row",
                        f"has {len(cells)} values but the header has {width} columns",
                    )
                    continue
                yield start, dict(zip(header, cells, strict=True))

    def _check_header(self, header: list[str]) -> None:
        name = self.spec.name
        known = set(self.spec.columns)
        seen = set()
        for column in header:
            if column in seen:
                self.header_ok = False
                self.report(name, 1, column, "is a column name used twice in the header")
            seen.add(column)
            if column not in known:
                self.header_ok = False
                shown = column if column.strip() else repr(column)
                self.report(
                    name,
                    1,
                    shown,
                    f"is not a column of {name} (columns are: {', '.join(self.spec.columns)})",
                )
        for column in self.spec.columns:
            if column in self.spec.required_columns and column not in seen:
                self.header_ok = False
                self.missing.add(column)
                self.report(name, 1, column, "is a required column but is missing from the header")
