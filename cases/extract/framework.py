"""The service extract framework: what a file of the extract is (``FileSpec``),
the registry every app adds its files to, and the compact key indexes the
import keeps between files (../shared/interchange.md).

Dependencies point one way: ``panels`` and ``performance`` register their
files here from their AppConfig.ready (panels/extract.py,
performance/extract.py); this package never imports them.

A spec is used in three passes:

* *check*: ``parse`` each row (cases.validation parsers and rules), the
  framework records the row's id in the file's ``KeyIndex`` (duplicates are
  problems) with the few attributes later files need (a child's date of
  birth, an offence's child and date...);
* *write*: ``parse`` again and ``write`` the records in batches, upserting
  by ``source_id`` and storing each row's primary key in the index;
* *export*: ``export_rows`` yields the rows of the canonical file.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from cases.validation import Invalid, Problem

# A date attribute kept in an index as its ordinal (0 = not known).
NO_DATE = 0


def ordinal(day: date | None) -> int:
    return day.toordinal() if day else NO_DATE


@dataclass(frozen=True, order=True)
class ExtractProblem:
    """One line of the report: ``file.csv:ROW: column: message``."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: {self.column}: {self.message}"


class KeyIndex:
    """The identifiers of one file with a few integer attributes per row, in
    arrays rather than objects so that a million rows stay small."""

    def __init__(self, fields: Iterable[str] = ()):
        self.slots: dict[str, int] = {}
        self.lines = array("l")
        self.pks = array("q")
        self.attrs: dict[str, array] = {name: array("q") for name in fields}
        # False when the file could not be read whole: references into it
        # are then not reported as missing (the file's own problem says why).
        self.complete = True

    def __len__(self) -> int:
        return len(self.lines)

    def add(self, key: str, line: int, values: dict[str, int]) -> int | None:
        """Record ``key``; returns the line it was first seen on if it is a duplicate."""
        slot = self.slots.get(key)
        if slot is not None:
            return self.lines[slot]
        self.slots[key] = len(self.lines)
        self.lines.append(line)
        self.pks.append(0)
        for name, values_array in self.attrs.items():
            values_array.append(values.get(name, 0))
        return None

    def get(self, key: str) -> int | None:
        return self.slots.get(key)

    def attr(self, slot: int, name: str) -> int:
        return self.attrs[name][slot]

    def pk(self, key: str) -> int:
        return self.pks[self.slots[key]]


class Row:
    """One CSV row being parsed: cells by column name, and the problems found."""

    __slots__ = ("values", "line", "problems")

    def __init__(self, values: dict[str, str], line: int):
        self.values = values
        self.line = line
        self.problems: list[Problem] = []

    def get(self, column: str, parser: Callable[..., Any], *args, **kwargs) -> Any:
        try:
            return parser(self.values.get(column, ""), *args, **kwargs)
        except Invalid as error:
            self.problems.append(Problem(column, str(error)))
            return None

    def raw(self, column: str) -> str:
        return self.values.get(column, "")

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(column, message))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)


@dataclass
class Context:
    """What one run knows: the indexes of the files read so far and the date."""

    today: date
    indexes: dict[str, KeyIndex] = field(default_factory=dict)
    # Rows per file read in the check pass.
    counts: dict[str, int] = field(default_factory=dict)
    # source_id → pk of rows already in the database, per file (write pass).
    existing: dict[str, dict[str, int]] = field(default_factory=dict)
    batch_size: int = 5000
    # Tables found empty when the write pass reached them (no rows to update).
    empty_tables: dict[str, bool] = field(default_factory=dict)
    user: Any = None

    def index(self, file_name: str) -> KeyIndex:
        return self.indexes[file_name]


class FileSpec:
    """One file of the extract. Subclasses set the class attributes and
    implement ``parse``, ``write`` and ``export_rows``."""

    name: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]  # canonical order: interchange.md's table
    required_columns: ClassVar[frozenset[str]]
    required: ClassVar[bool] = False  # the file must be present
    order: ClassVar[int]
    id_column: ClassVar[str | None] = None
    # Attributes kept per row in the index for later files; None: no index kept.
    index_fields: ClassVar[tuple[str, ...] | None] = None
    model: ClassVar[Any] = None

    def parse(self, row: Row, ctx: Context) -> dict | None:
        """The row's typed values (a record) or None; problems go on ``row``."""
        raise NotImplementedError

    def index_values(self, record: dict) -> dict[str, int]:
        return {}

    def write(self, records: list[dict], ctx: Context) -> None:
        raise NotImplementedError

    def export_rows(self) -> Iterator[list[str]]:
        raise NotImplementedError

    def prepare_export(self) -> None:
        """Give rows created in the application a stable identifier (see
        cases.extract.files.assign_source_ids) before exporting."""


_REGISTRY: dict[str, FileSpec] = {}


def register(spec: FileSpec) -> FileSpec:
    """Add a file to the extract (idempotent: the last registration wins)."""
    _REGISTRY[spec.name] = spec
    return spec


def specs() -> list[FileSpec]:
    """Every registered file, in the order the import processes them."""
    # The cases files register themselves when their module is imported.
    from cases.extract import files  # noqa: F401

    return sorted(_REGISTRY.values(), key=lambda spec: spec.order)


def spec_named(name: str) -> FileSpec | None:
    return {spec.name: spec for spec in specs()}.get(name)
