"""Folders of CSV or JSON-lines files: one file per table (``customers.csv``, ``orders.jsonl``).

The register names the folder (``csv:///srv/exports``, ``jsonl://data`` or a plain path; a
relative path is resolved against the register's folder). Files are read on first use. A
transaction changes copies in memory; when it commits, each changed file is written to a
temporary file in the same folder, flushed to disk and renamed over the old one, so a crash
leaves every file either old or new, never half written. Several files changed in one
transaction are replaced one after the other: each file is atomic, the set is not.

CSV files are UTF-8 (a BOM is accepted) with a header row; an empty cell reads as None and None
is written as an empty cell. JSON-lines files hold one object per line. A table name must be a
plain file name: a name with a path separator or ``..`` is refused, so a register cannot make
Varna read or write outside the folder.

Its tables are the folder's files with the format's suffix; a CSV file's columns are its header
(all text), a JSON-lines file's are typed from its values. Each sweep batch (retention) takes an
exclusive lock on ``.varna.lock`` in the folder and reads the files again, so two sweeps in two
processes never delete or count a row twice. The data-subject lookups take no such lock.
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from varna.connectors.base import Row
from varna.connectors.catalog import TableInfo
from varna.connectors.memory import TableStore
from varna.connectors.urls import missing_folder
from varna.errors import ConnectorError

FileFormat = Literal["csv", "jsonl"]


def _safe_file_name(table: str, system: str) -> str:
    if not table or table in (".", "..") or any(ch in table for ch in "/\\\0"):
        raise ConnectorError(
            f"system '{system}': a table of a file system must be a plain file name "
            "(no '/', '\\' or '..')"
        )
    return table


class FilesConnector(TableStore):
    """One folder of ``.csv`` or ``.jsonl`` files, one per table."""

    def __init__(self, folder: Path, *, fmt: FileFormat, name: str = "files") -> None:
        super().__init__(name=name)
        self.kind = fmt
        self.folder = folder
        self._fmt = fmt
        self._headers: dict[str, list[str]] = {}

    def __repr__(self) -> str:
        return f"FilesConnector({self.name!r}, {str(self.folder)!r}, fmt={self._fmt!r})"

    def _check_folder(self) -> None:
        missing = missing_folder(self.name, self.folder, self._fmt)
        if missing is not None:
            raise missing

    def path(self, table: str) -> Path:
        return self.folder / f"{_safe_file_name(table, self.name)}.{self._fmt}"

    def _names(self) -> list[str]:
        self._check_folder()
        return sorted(f.stem for f in self.folder.glob(f"*.{self._fmt}") if f.is_file())

    def _columns(self, table: str, rows: list[Row]) -> list[str]:
        if self._fmt == "csv" and table in self._headers:
            return list(self._headers[table])
        return super()._columns(table, rows)

    def describe(self, tables: Iterable[str] | None = None) -> dict[str, TableInfo]:
        described = super().describe(tables)
        if self._fmt != "csv":
            return described
        # A CSV cell is text whatever it looks like.
        return {
            name: replace(info, columns=tuple(replace(c, type="TEXT") for c in info.columns))
            for name, info in described.items()
        }

    @contextmanager
    def _sweeping(self) -> Iterator[None]:
        self._check_folder()
        with self._lock, (self.folder / ".varna.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                self._tables.clear()  # another process may have changed the files
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _load(self, table: str) -> list[Row]:
        self._check_folder()
        path = self.path(table)
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                if self._fmt == "csv":
                    reader = csv.DictReader(handle)
                    self._headers[table] = list(reader.fieldnames or [])
                    return [{k: (v if v != "" else None) for k, v in r.items()} for r in reader]
                return [
                    _json_row(line, table, n) for n, line in enumerate(handle, 1) if line.strip()
                ]
        except FileNotFoundError:
            raise ConnectorError(
                f"system '{self.name}': no file for table '{table}' in {self.folder}"
            ) from None
        except (OSError, csv.Error, UnicodeDecodeError) as exc:
            raise ConnectorError(
                f"system '{self.name}': cannot read the file of table '{table}' "
                f"({type(exc).__name__})"
            ) from exc

    def _flush(self, tables: Mapping[str, list[Row]]) -> None:
        for table, rows in tables.items():
            self._replace(table, rows)

    def _replace(self, table: str, rows: list[Row]) -> None:
        path = self.path(table)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                if self._fmt == "csv":
                    header = self._headers.get(table) or list(rows[0] if rows else [])
                    writer = csv.DictWriter(handle, fieldnames=header)
                    writer.writeheader()
                    writer.writerows(
                        {k: ("" if v is None else v) for k, v in r.items()} for r in rows
                    )
                else:
                    for row in rows:
                        handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)
        except OSError as exc:
            Path(temp).unlink(missing_ok=True)
            raise ConnectorError(
                f"system '{self.name}': cannot write the file of table '{table}' "
                f"({type(exc).__name__})"
            ) from exc


def _json_row(line: str, table: str, number: int) -> Row:
    try:
        value: Any = json.loads(line)
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        raise ConnectorError(f"table '{table}': line {number} is not a JSON object")
    return value
