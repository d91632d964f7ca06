"""The connector protocol: the few operations the data-subject engines need from a system.

A connector speaks to one of the organisation's systems (a SQL database, a folder of CSV or
JSON-lines files, the in-memory fake). The engines only ever:

- ``find`` rows whose column is one of a set of values, reading the columns they name;
- ``read`` rows by primary key;
- ``update`` fields of one row by primary key;
- ``delete`` one row by primary key;

inside ``with connector.transaction():``, which the executor opens (one per system) and which
commits when the block ends and rolls back when it raises. Outside a transaction each call runs
in its own short one. Table and column names come from the register and are treated as names,
never as SQL; values are always bound. Errors are :class:`varna.errors.ConnectorError` and name
the system, table and column, never a value (house style 4).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar, runtime_checkable

Row = dict[str, Any]
"""One row: column name -> value, for the columns asked for."""

Key = Mapping[str, Any]
"""A primary key: primary-key column -> value."""

BATCH_SIZE = 500
"""Values per ``IN (...)`` list; keeps every database under its bound-parameter limit."""

T = TypeVar("T")


@runtime_checkable
class Connector(Protocol):
    """One system the register names. Implementations: SQL, files, memory (and plugins)."""

    kind: str
    """The ``kind`` key the register uses for the system (``sqlite``, ``csv``, ``memory``...)."""

    name: str
    """The system's key in the register, for messages."""

    def transaction(self) -> AbstractContextManager[None]:
        """All calls in the block commit together, or none does."""
        ...

    def find(
        self, table: str, column: str, values: Iterable[Any], *, columns: Sequence[str]
    ) -> list[Row]:
        """Rows of ``table`` whose ``column`` is one of ``values`` (None never matches)."""
        ...

    def read(self, table: str, keys: Sequence[Key], *, columns: Sequence[str]) -> list[Row]:
        """Rows of ``table`` with the given primary keys; missing keys are left out."""
        ...

    def update(self, table: str, key: Key, values: Mapping[str, Any]) -> int:
        """Set ``values`` on the row with primary key ``key``; return rows changed (0 or 1)."""
        ...

    def delete(self, table: str, key: Key) -> int:
        """Delete the row with primary key ``key``; return rows deleted (0 or 1)."""
        ...

    def close(self) -> None:
        """Release connections and handles."""
        ...


def batched(items: Sequence[T], size: int = BATCH_SIZE) -> Iterator[Sequence[T]]:
    """``items`` in slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def distinct_values(values: Iterable[Any]) -> list[Any]:
    """The values without None and without repeats, in first-seen order."""
    seen: dict[Any, None] = {}
    for value in values:
        if value is not None:
            seen.setdefault(value, None)
    return list(seen)
