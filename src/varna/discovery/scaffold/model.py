"""What scaffolding reads from a live system, and the draft register it plans from it.

:class:`Observed` is everything the planner may know: the system's own description of its tables
(:class:`~varna.connectors.catalog.TableInfo`), a few distinct values of its text columns and how
many rows hold a value. :class:`Draft` is the plan: systems, tables, keys, references, identities,
fields with their erasure strategies, anchors, subjects, and why each was chosen. Neither holds a
sampled value: the draft names columns, never what is in them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from varna.connectors.catalog import TableInfo


@dataclass(frozen=True, slots=True)
class Observed:
    """One system as introspected: tables, sampled values and filled-row counts."""

    kind: str
    """The connector kind (``sqlite``, ``postgresql``, ``mysql``, ``csv``...)."""
    tables: Mapping[str, TableInfo]
    samples: Mapping[tuple[str, str], Sequence[object]] = field(default_factory=dict, repr=False)
    """(table, column) -> distinct non-empty values (personal data: kept out of the repr)."""
    filled: Mapping[tuple[str, str], int] = field(default_factory=dict)
    """(table, column) -> rows read where the column holds a value."""
    distinct: Mapping[tuple[str, str], int] = field(default_factory=dict)
    """(table, column) -> distinct values in those rows (the samples are only the first few)."""


@dataclass(frozen=True, slots=True)
class DraftField:
    """A column holding personal data, its category and what erasure does to it."""

    column: str
    category: str
    erasure: str = "null"
    value: str | None = None
    why: str = ""


@dataclass(frozen=True, slots=True)
class DraftIdentity:
    """A column a request can find the person by, with the identity kind."""

    kind: str
    column: str
    why: str


@dataclass(frozen=True, slots=True)
class DraftReference:
    """A link from ``column`` to ``table.target``; ``inferred`` when no foreign key backs it."""

    column: str
    table: str
    target: str
    follow: bool = True
    inferred: bool = False
    why: str = ""


@dataclass(frozen=True, slots=True)
class DraftTable:
    """A table of the draft register."""

    name: str
    primary_key: tuple[str, ...]
    subject: str
    identities: tuple[DraftIdentity, ...] = ()
    references: tuple[DraftReference, ...] = ()
    anchors: tuple[tuple[str, str], ...] = ()
    """(anchor, column)."""
    other_dates: tuple[str, ...] = ()
    """Date columns offered as anchors in a comment."""
    erasure: str = "delete_row"
    erasure_why: str = ""
    fields: tuple[DraftField, ...] = ()
    notes: tuple[str, ...] = ()
    partitions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DraftSubject:
    """A group of data subjects, its activity and the categories its tables hold."""

    key: str
    tables: tuple[str, ...]
    categories: tuple[str, ...]
    special: bool = False


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft register for one system, ready to be written as YAML."""

    system: str
    kind: str
    env: str
    default_url: str | None
    subjects: tuple[DraftSubject, ...]
    tables: tuple[DraftTable, ...]
    left_out: tuple[tuple[str, str], ...] = ()
    """(table, why) for tables and views that are not declared."""

    def table(self, name: str) -> DraftTable:
        return next(t for t in self.tables if t.name == name)
