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

Beyond those, two capabilities every built-in connector has (and a plugin may add):

- :class:`Introspection`: list tables (and views, partitioned tables, partitions), describe
  them (columns with type and nullability, primary key, foreign keys, indexes) and sample a
  column's values; the live-schema check, the index check and discovery use it;
- :class:`Sweeping`: count, list keys, delete or update the rows where a predicate
  (:mod:`varna.connectors.predicates`) holds, a batch at a time, each batch committed on its
  own; retention uses it.

:func:`introspection` and :func:`sweeping` return the capability or say which system lacks it.
Connectors are safe to use from several threads: no transaction is kept on a shared object.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from varna.errors import ConnectorError

if TYPE_CHECKING:
    from varna.connectors.catalog import TableInfo
    from varna.connectors.predicates import Change, Exclusions, Predicate

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


@runtime_checkable
class Introspection(Protocol):
    """A system that can describe itself."""

    name: str
    supports_indexes: bool
    """False for systems without indexes (files, memory): the index check skips them."""

    def list_tables(self) -> list[TableInfo]:
        """Every table, partitioned table, partition, view and materialised view, by name."""
        ...

    def describe(self, tables: Iterable[str] | None = None) -> dict[str, TableInfo]:
        """Columns, keys, foreign keys and indexes of ``tables`` (all when None) that exist."""
        ...

    def sample(self, table: str, column: str, *, limit: int = 20) -> list[Any]:
        """Up to ``limit`` distinct values of ``column`` (personal data: never log them)."""
        ...


@runtime_checkable
class Sweeping(Protocol):
    """A system whose rows can be counted, deleted and updated by predicate, in batches."""

    name: str

    def count(
        self, table: str, where: Predicate | None = None, *, exclusions: Exclusions | None = None
    ) -> int:
        """Rows of ``table`` where ``where`` holds (all rows when None)."""
        ...

    def keys(
        self,
        table: str,
        where: Predicate,
        *,
        primary_key: Sequence[str],
        limit: int,
        exclusions: Exclusions | None = None,
    ) -> list[tuple[Any, ...]]:
        """The first ``limit`` primary keys, in key order, of rows where ``where`` holds."""
        ...

    def delete_batch(
        self,
        table: str,
        where: Predicate,
        *,
        primary_key: Sequence[str],
        limit: int,
        exclusions: Exclusions | None = None,
    ) -> int:
        """Delete up to ``limit`` matching rows in one committed transaction; rows deleted."""
        ...

    def update_batch(
        self,
        table: str,
        where: Predicate,
        *,
        primary_key: Sequence[str],
        change: Change,
        limit: int,
        after: tuple[Any, ...] | None = None,
        exclusions: Exclusions | None = None,
    ) -> tuple[int, tuple[Any, ...] | None]:
        """Change up to ``limit`` matching rows whose key comes after ``after``, in one
        committed transaction; (rows changed, last key read or None when none was left)."""
        ...


def introspection(connector: object) -> Introspection:
    """``connector`` as an :class:`Introspection`, or an error naming the system."""
    if isinstance(connector, Introspection):
        return connector
    name = getattr(connector, "name", "?")
    raise ConnectorError(
        f"system '{name}': its connector cannot describe the system's tables (a plugin without "
        "list_tables/describe/sample)"
    )


def sweeping(connector: object) -> Sweeping:
    """``connector`` as a :class:`Sweeping`, or an error naming the system."""
    if isinstance(connector, Sweeping):
        return connector
    name = getattr(connector, "name", "?")
    raise ConnectorError(
        f"system '{name}': its connector cannot delete or update rows by predicate, so "
        "retention cannot sweep it (a plugin without count/keys/delete_batch/update_batch)"
    )


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
