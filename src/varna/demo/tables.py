"""Table and system specifications: DDL, the indexes made after the bulk load, row generators."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from varna.demo.world import Sizes, World

Row = tuple[object, ...]
Batch = tuple[str, list[Row]]
BATCH = 20_000


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One table: its columns (name and SQL type), foreign keys and indexes."""

    name: str
    columns: tuple[tuple[str, str], ...]
    foreign_keys: tuple[str, ...] = ()
    indexes: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()
    folded: tuple[str, ...] = ()
    """Columns looked up case-insensitively (e-mail): indexed on ``lower(column)`` as well."""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    def ddl(self) -> str:
        parts = [f"{name} {kind}" for name, kind in self.columns] + list(self.foreign_keys)
        return f"CREATE TABLE {self.name} ({', '.join(parts)})"

    def insert_sql(self) -> str:
        marks = ", ".join("?" * len(self.columns))
        return f"INSERT INTO {self.name} ({', '.join(self.column_names)}) VALUES ({marks})"

    def index_sql(self) -> list[str]:
        """``CREATE [UNIQUE] INDEX`` statements, run after the rows are in."""
        out = [f"CREATE UNIQUE INDEX ux_{self.name}_{c} ON {self.name} ({c})" for c in self.unique]
        out += [f"CREATE INDEX ix_{self.name}_{c} ON {self.name} ({c})" for c in self.indexes]
        out += [
            f"CREATE INDEX ix_{self.name}_{c}_lower ON {self.name} (lower({c}))"
            for c in self.folded
        ]
        return out


Generator = Callable[[World, random.Random], Iterator[Batch]]


@dataclass(frozen=True, slots=True)
class SystemSpec:
    """One system: a SQLite file ``<name>.db`` with its tables and their rows."""

    name: str
    tables: tuple[TableSpec, ...]
    generate: Generator
    planned: Callable[[Sizes], dict[str, int]]
    """Rows each table is expected to get (exact, or the expectation where it is drawn)."""


def batched(table: str, rows: Iterable[Row]) -> Iterator[Batch]:
    """``rows`` in batches of :data:`BATCH`, tagged with ``table``."""
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        yield table, batch


class Buffer:
    """Rows of several tables generated together (an invoice and its lines), handed out in
    batches: ``add`` returns a full batch to yield, or None."""

    def __init__(self, *tables: str) -> None:
        self._rows: dict[str, list[Row]] = {t: [] for t in tables}

    def add(self, table: str, row: Row) -> Batch | None:
        rows = self._rows[table]
        rows.append(row)
        if len(rows) >= BATCH:
            self._rows[table] = []
            return table, rows
        return None

    def rest(self) -> Iterator[Batch]:
        for table, rows in self._rows.items():
            if rows:
                yield table, rows
        self._rows = {t: [] for t in self._rows}
