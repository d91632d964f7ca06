"""What a system says about itself: tables, columns, keys, references and indexes.

Every connector describes its tables in these terms, so the live-schema check, the index check
and discovery ask one question of every kind of system. Type names are the database's own
(``VARCHAR(40)``, ``timestamp without time zone``); :attr:`Column.family` sorts them into the few
families Varna compares (``integer``, ``number``, ``text``, ``date``, ``datetime``, ``boolean``,
``binary``, ``other``). A file system's columns are all ``text`` (a JSON-lines file's are typed
from the values it holds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class TableKind(StrEnum):
    """What a name in the system's catalogue is."""

    table = "table"
    partitioned = "partitioned"
    part = "partition"
    view = "view"
    materialized_view = "materialized_view"


_FAMILIES = (
    ("boolean", re.compile(r"^(bool|boolean|bit\(1\)|tinyint\(1\))", re.I)),
    ("integer", re.compile(r"^(tiny|small|medium|big)?int(eger)?\d*\b|serial|^long\b", re.I)),
    ("number", re.compile(r"(numeric|decimal|real|double|float|money|number)", re.I)),
    ("datetime", re.compile(r"(timestamp|datetime)", re.I)),
    ("date", re.compile(r"^date", re.I)),
    ("binary", re.compile(r"(blob|bytea|binary|image)", re.I)),
    ("text", re.compile(r"(char|text|clob|string|uuid|json|enum|citext|nvarchar|set)", re.I)),
)


def type_family(type_name: str) -> str:
    """The family of a database type name: ``VARCHAR(40)`` -> ``text``."""
    for family, pattern in _FAMILIES:
        if pattern.search(type_name):
            return family
    return "other"


@dataclass(frozen=True, slots=True)
class Column:
    """One column: name, the database's type name, whether it may be NULL."""

    name: str
    type: str
    nullable: bool = True

    @property
    def family(self) -> str:
        return type_family(self.type)


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """A reference the database enforces: ``columns`` of this table -> ``referred_columns``."""

    name: str | None
    columns: tuple[str, ...]
    referred_table: str
    referred_columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Index:
    """An index (or unique constraint) over ``columns``, in order."""

    name: str | None
    columns: tuple[str, ...]
    unique: bool = False


@dataclass(frozen=True, slots=True)
class TableInfo:
    """One table, view or partition, as the system describes it."""

    name: str
    kind: TableKind = TableKind.table
    columns: tuple[Column, ...] = ()
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    indexes: tuple[Index, ...] = ()
    parent: str | None = None
    """For a partition: the partitioned table it belongs to."""
    reads: tuple[str, ...] = ()
    """For a view: the tables its definition names."""
    partitions: tuple[str, ...] = field(default=())
    """For a partitioned table: its partitions."""

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def leading_columns(self) -> frozenset[str]:
        """Columns a lookup by equality can use an index for: the first column of the primary
        key and of every index and unique constraint."""
        firsts = [self.primary_key[:1], *(i.columns[:1] for i in self.indexes)]
        return frozenset(c for cols in firsts for c in cols)


def view_reads(definition: str, tables: list[str]) -> tuple[str, ...]:
    """The ``tables`` a view definition names (as whole words, quoted or not)."""
    found = []
    for table in tables:
        if re.search(rf"(?<![\w$]){re.escape(table)}(?![\w$])", definition, re.I):
            found.append(table)
    return tuple(found)
