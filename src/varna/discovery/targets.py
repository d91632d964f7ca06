"""What a scan reads: targets that yield ``(location, text)`` pieces, one unit at a time.

A *target* is one system of the register seen by discovery. It names its *units* (the tables of
a database, the files of a folder) and, for one unit, yields pieces ``(Location, text)``: a value
of a column, or a line or page of a document. The engine scans the text and keeps only the
location, the label and a masked example. A unit is what one job scans when a scan fans out
over workers, so a unit is read by exactly one of them.

Any source of text can be one more target: a mailbox target's units would be its folders and
its pieces ``(Location(system, folder, None), subject + body)`` per message; it only has to
implement :class:`Target`.

Built-in targets:

- :class:`SqlTarget`: every table of a SQL database (SQLite, PostgreSQL, MariaDB/MySQL) through
  :meth:`varna.connectors.sql.SQLConnector.scan_rows`, sampled (default 1,000 rows a table) or
  read in full; every column that holds text or numbers long enough to be an identifier.
- :class:`FolderTarget`: the files of a folder: CSV, JSONL and XLSX as tables (a location per
  column), text, Markdown, PDF and DOCX as documents (a location per file). A CSV or JSONL
  system's table is the file name without its extension, as the register names it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from varna.errors import DiscoveryError

DEFAULT_SAMPLE = 1000
"""Rows read per table (and per tabular file) when a scan samples."""

_TABLE_SUFFIXES = frozenset({".csv", ".jsonl", ".xlsx"})
_DOCUMENT_SUFFIXES = frozenset({".txt", ".md", ".log", ".pdf", ".docx"})
_MIN_DIGITS = 6
"""Integers shorter than this cannot be any identifier discovery looks for."""


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """Where a piece was read: ``system/table/column``, or ``system/file`` for a document."""

    system: str
    table: str
    column: str | None = None

    def __str__(self) -> str:
        parts = [self.system, self.table] + ([self.column] if self.column else [])
        return "/".join(parts)


Piece = tuple[Location, str]


class Target(Protocol):
    """One system as discovery sees it."""

    system: str

    def units(self) -> list[str]:
        """The tables or files to scan, sorted (one job each when a scan fans out)."""
        ...

    def pieces(self, unit: str) -> Iterator[Piece]:
        """The text of one unit, piece by piece (nothing is kept after it is yielded)."""
        ...

    def close(self) -> None:
        """Release connections and handles."""
        ...


def _text(value: Any) -> str | None:
    """A cell as text to scan, or None for what holds no personal data discovery can find."""
    if value is None or isinstance(value, bool | bytes | bytearray | memoryview | float):
        return None
    if isinstance(value, int):
        return str(value) if len(str(abs(value))) >= _MIN_DIGITS else None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return None


class SqlTarget:
    """The tables of a SQL database, sampled or read in full."""

    def __init__(self, connector: Any, *, sample: int | None = DEFAULT_SAMPLE) -> None:
        self.system: str = connector.name
        self._connector = connector
        self._sample = sample
        self._columns: dict[str, list[str]] | None = None

    def _described(self) -> dict[str, list[str]]:
        if self._columns is None:
            from varna.connectors.catalog import TableKind

            tables = self._connector.describe(None)
            self._columns = {
                name: [
                    c.name
                    for c in info.columns
                    if c.family in ("text", "integer", "other", "number")
                ]
                for name, info in tables.items()
                if info.kind in (TableKind.table, TableKind.partitioned)
            }
        return self._columns

    def units(self) -> list[str]:
        return sorted(name for name, cols in self._described().items() if cols)

    def pieces(self, unit: str) -> Iterator[Piece]:
        columns = self._described().get(unit)
        if not columns:
            raise DiscoveryError(f"system '{self.system}': there is no table '{unit}' to scan")
        locations = {c: Location(self.system, unit, c) for c in columns}
        for row in self._connector.scan_rows(unit, columns, sample=self._sample):
            for column, value in row.items():
                text = _text(value)
                if text is not None:
                    yield locations[column], text

    def close(self) -> None:
        self._connector.close()


class MailboxTarget:
    """The folders of a mailbox (Maildir, mbox, IMAP): each message's subject and text (the
    connector's ``text`` column), the first ``sample`` messages of a folder or all of them. A
    location names the folder, never a sender or a subject."""

    def __init__(self, connector: Any, *, sample: int | None = DEFAULT_SAMPLE) -> None:
        self.system: str = connector.name
        self._connector = connector
        self._sample = sample

    def units(self) -> list[str]:
        return sorted(t.name for t in self._connector.list_tables())

    def pieces(self, unit: str) -> Iterator[Piece]:
        if unit not in self.units():
            raise DiscoveryError(f"system '{self.system}': there is no mail folder '{unit}'")
        location = Location(self.system, unit, "text")
        for seen, (_where, text) in enumerate(self._connector.texts([unit])):
            if self._sample is not None and seen >= self._sample:
                return
            if text.strip():
                yield location, text

    def close(self) -> None:
        self._connector.close()


class FolderTarget:
    """The files of a folder (not its subfolders' hidden files): tables and documents."""

    def __init__(
        self,
        system: str,
        folder: Path,
        *,
        sample: int | None = DEFAULT_SAMPLE,
        suffixes: frozenset[str] | None = None,
        tables_by_stem: bool = False,
    ) -> None:
        if not folder.is_dir():
            raise DiscoveryError(
                f"system '{system}': the folder to scan does not exist; check the system's "
                "connection in the register"
            )
        self.system = system
        self._folder = folder
        self._sample = sample
        self._suffixes = suffixes or (_TABLE_SUFFIXES | _DOCUMENT_SUFFIXES)
        self._by_stem = tables_by_stem

    def _files(self) -> dict[str, Path]:
        found: dict[str, Path] = {}
        for path in sorted(self._folder.rglob("*")):
            relative = path.relative_to(self._folder)
            if any(part.startswith(".") for part in relative.parts) or not path.is_file():
                continue
            if path.suffix.lower() not in self._suffixes:
                continue
            name = relative.with_suffix("").as_posix() if self._by_stem else relative.as_posix()
            found[name] = path
        return found

    def units(self) -> list[str]:
        return sorted(self._files())

    def pieces(self, unit: str) -> Iterator[Piece]:
        path = self._files().get(unit)
        if path is None:
            raise DiscoveryError(f"system '{self.system}': there is no file '{unit}' to scan")
        suffix = path.suffix.lower()
        if suffix in _TABLE_SUFFIXES:
            for n, row in enumerate(_table_rows(path, suffix)):
                if self._sample is not None and n >= self._sample:
                    break
                for column, value in row.items():
                    text = _text(value)
                    if text is not None:
                        yield Location(self.system, unit, str(column)), text
            return
        where = Location(self.system, unit)
        for text in document_text(path):
            yield where, text

    def close(self) -> None:
        return None


def _table_rows(path: Path, suffix: str) -> Iterator[Mapping[str, Any]]:
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield from csv.DictReader(handle)
    elif suffix == ".jsonl":
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    if isinstance(record, dict):
                        yield record
    else:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            for sheet in book.worksheets:
                rows = sheet.iter_rows(values_only=True)
                header = next(rows, None)
                if header is None:
                    continue
                names = [
                    str(h) if h is not None else f"column{i + 1}" for i, h in enumerate(header)
                ]
                for values in rows:
                    yield dict(zip(names, values, strict=False))
        finally:
            book.close()


def document_text(path: Path) -> Iterator[str]:
    """The text of a document, a page (PDF), paragraph (DOCX) or line (text) at a time."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from pypdf import PdfReader

        for page in PdfReader(path).pages:
            yield page.extract_text() or ""
    elif suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        for paragraph in document.paragraphs:
            yield paragraph.text
        for table in document.tables:
            for row in table.rows:
                yield "\t".join(cell.text for cell in row.cells)
    else:
        with path.open(encoding="utf-8", errors="replace") as handle:
            yield from handle


FOLDER_KINDS = {"csv": frozenset({".csv"}), "jsonl": frozenset({".jsonl"}), "folder": None}
"""Connector kinds read as folders: the file suffixes each holds (None: every kind known)."""


def open_target(system: str, kind: str, url: str, *, base_dir: Path, sample: int | None) -> Target:
    """The target for one system of the register, by its connector kind."""
    from varna.connectors.registry import default_registry

    if kind in FOLDER_KINDS:
        from varna.connectors.registry import folder_of

        suffixes = FOLDER_KINDS[kind]
        return FolderTarget(
            system,
            folder_of(url, base_dir),
            sample=sample,
            suffixes=suffixes,
            tables_by_stem=suffixes is not None,
        )
    connector = default_registry().factory(kind)(url, name=system, base_dir=base_dir)
    if callable(getattr(connector, "texts", None)):  # a mailbox: its messages' texts
        return MailboxTarget(connector, sample=sample)
    if not callable(getattr(connector, "scan_rows", None)):
        connector.close()
        raise DiscoveryError(
            f"system '{system}': its connector (kind '{kind}') cannot be sampled for discovery "
            "(it has no scan_rows)"
        )
    return SqlTarget(connector, sample=sample)
