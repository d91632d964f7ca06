"""Row predicates every connector understands: a small tree, compiled to SQL or run in Python.

Retention decides which rows of a table expire; the SQL connectors turn the same tree into a
``WHERE`` clause and the file and memory connectors evaluate it row by row, so a CSV folder gets
the same sweep as a database. Nodes name columns, never hold personal data (``Before`` holds a
cut-off instant, ``Differs`` the register's fixed replacement value).

``NotExcluded`` is a placeholder resolved when the predicate runs: the caller passes the primary
keys to keep at that moment (restricted people, open requests), so a sweep that works in batches
re-reads them for every batch instead of fixing them at the start.

>>> expired = All((Before("created", datetime(2020, 1, 1)), NotExcluded(("id",))))
>>> columns_of(expired)
{'created', 'id'}
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Exclusions = Mapping[str, Collection[tuple[Any, ...]]]
"""table -> primary keys to keep, for one system."""


@dataclass(frozen=True, slots=True)
class Before:
    """``column < moment``; a row without a value (NULL, empty cell) never matches."""

    column: str
    moment: datetime


@dataclass(frozen=True, slots=True)
class IsSet:
    """``column IS NOT NULL``."""

    column: str


@dataclass(frozen=True, slots=True)
class Differs:
    """``column IS NULL OR column <> value``."""

    column: str
    value: Any


@dataclass(frozen=True, slots=True)
class LacksPrefix:
    """``column IS NOT NULL AND column NOT LIKE 'prefix%'``."""

    column: str
    prefix: str


@dataclass(frozen=True, slots=True)
class Unmasked:
    """A value longer than one character whose second or third character is not ``*``."""

    column: str


@dataclass(frozen=True, slots=True)
class InParent:
    """``column IN (SELECT parent_column FROM parent WHERE where)``, in the same system."""

    column: str
    parent: str
    parent_column: str
    where: Predicate


@dataclass(frozen=True, slots=True)
class NotReferenced:
    """No row of ``child`` in the same system refers to the row (``column NOT IN (SELECT
    child_column FROM child WHERE child_column IS NOT NULL AND NOT unless)``), leaving out the
    child rows where ``unless`` holds (rows deleted earlier in the same run)."""

    column: str
    child: str
    child_column: str
    unless: Predicate | None = None


@dataclass(frozen=True, slots=True)
class NotExcluded:
    """The row's primary key is not among the keys to keep for its table at run time."""

    primary_key: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class All:
    """Every part holds (an empty ``All`` always holds)."""

    parts: tuple[Predicate, ...] = ()


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one part holds (an empty ``AnyOf`` holds for every row: nothing to check)."""

    parts: tuple[Predicate, ...] = ()


Predicate = (
    Before
    | IsSet
    | Differs
    | LacksPrefix
    | Unmasked
    | InParent
    | NotReferenced
    | NotExcluded
    | All
    | AnyOf
)

EVERY_ROW = All()


def all_of(*parts: Predicate) -> Predicate:
    """``All`` of the parts, flattening nested ``All`` and dropping ``EVERY_ROW``."""
    flat: list[Predicate] = []
    for part in parts:
        flat += part.parts if isinstance(part, All) else [part]
    return flat[0] if len(flat) == 1 else All(tuple(flat))


def columns_of(predicate: Predicate) -> set[str]:
    """Columns of the predicate's own table that it reads (not those of parent tables)."""
    match predicate:
        case All(parts) | AnyOf(parts):
            return set().union(*(columns_of(p) for p in parts)) if parts else set()
        case NotExcluded(primary_key):
            return set(primary_key)
        case _:
            return {predicate.column}


def has_exclusions(predicate: Predicate) -> bool:
    """Whether the predicate (or a parent's) leaves out excluded rows."""
    match predicate:
        case All(parts) | AnyOf(parts):
            return any(has_exclusions(p) for p in parts)
        case NotExcluded():
            return True
        case InParent(where=where):
            return has_exclusions(where)
        case NotReferenced(unless=unless):
            return unless is not None and has_exclusions(unless)
        case _:
            return False


@dataclass(frozen=True, slots=True)
class Change:
    """What a batch update writes: constant values, and values computed from the old value."""

    fixed: Mapping[str, Any] = field(default_factory=dict)
    computed: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return [*self.fixed, *(c for c in self.computed if c not in self.fixed)]
