"""The in-memory fake connector, shipped for tests and docs (like httpx's ``MockTransport``).

>>> from varna.connectors.memory import MemoryConnector
>>> crm = MemoryConnector({"customers": [{"id": 1, "email": "a@example.se"}]}, name="crm")
>>> crm.find("customers", "email", ["a@example.se"], columns=["id"])
[{'id': 1}]

:class:`TableStore` holds the row logic the file connectors share: tables are lists of dicts,
loaded on first use; a transaction works on copies and hands the changed tables to ``_flush``
only when it commits. Values match when equal or when their text is equal (CSV holds text, the
register's identities are text). ``operations`` records what was done, as (operation, table)
pairs without values, so tests can assert on it.

Safe to share between threads: the open transaction lives in a thread-local slot and one
transaction runs at a time per store (a lock held from its start to its commit). The store
describes its tables from their rows (columns typed from the values; no keys, references or
indexes) and sweeps rows by predicate (:mod:`varna.connectors.matcher`), each batch one
transaction.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from varna.connectors import predicates as p
from varna.connectors.base import Key, Row, distinct_values
from varna.connectors.catalog import Column, TableInfo
from varna.connectors.matcher import Matcher
from varna.errors import ConnectorError


def same(a: Any, b: Any) -> bool:
    """Equal, or equal as text (``51`` and ``'51'``); None equals nothing."""
    if a is None or b is None:
        return False
    return bool(a == b) or str(a) == str(b)


class TableStore:
    """Rows in memory, per table, with transactions. Subclasses load and flush tables."""

    kind = "memory"
    supports_indexes = False

    def __init__(self, *, name: str) -> None:
        self.name = name
        self._tables: dict[str, list[Row]] = {}
        self._local = threading.local()
        self._lock = threading.RLock()
        self.operations: list[tuple[str, str]] = []

    @property
    def _pending(self) -> dict[str, list[Row]] | None:
        pending: dict[str, list[Row]] | None = getattr(self._local, "pending", None)
        return pending

    @property
    def _changed(self) -> set[str]:
        changed: set[str] = getattr(self._local, "changed", set())
        return changed

    # -- hooks --------------------------------------------------------------------------------
    def _load(self, table: str) -> list[Row]:
        raise ConnectorError(f"system '{self.name}': no table '{table}'")

    def _flush(self, tables: Mapping[str, list[Row]]) -> None:
        """Make committed changes durable (nothing to do in memory)."""

    # -- transactions -------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        pending = self._pending
        if pending is not None:
            raise ConnectorError(f"system '{self.name}': a transaction is already open")
        with self._lock:
            self._local.pending, self._local.changed = {}, set()
            try:
                yield
                pending = self._pending or {}
                changed = {t: pending[t] for t in sorted(self._changed)}
                self._flush(changed)
                self._tables.update(changed)
            finally:
                self._local.pending, self._local.changed = None, set()

    def _rows(self, table: str, *, write: bool = False) -> list[Row]:
        if table not in self._tables:
            self._tables[table] = self._load(table)
        pending = self._pending
        if pending is None or (not write and table not in pending):
            return self._tables[table]  # reads see committed rows until the table is written
        if table not in pending:
            pending[table] = copy.deepcopy(self._tables[table])
        self._changed.add(table)
        return pending[table]

    def _write(self, op: str, table: str, key: Key, values: Mapping[str, Any] | None) -> int:
        if self._pending is None:  # a write outside a transaction is its own transaction
            with self.transaction():
                return self._write(op, table, key, values)
        rows = self._rows(table, write=True)
        self.operations.append((op, table))
        hits = [i for i, row in enumerate(rows) if _matches(row, key)]
        if op == "delete":
            for i in reversed(hits):
                del rows[i]
        else:
            for i in hits:
                missing = [c for c in values or {} if c not in rows[i]]
                if missing:
                    raise ConnectorError(
                        f"system '{self.name}': table '{table}' has no column '{missing[0]}'"
                    )
                rows[i].update(values or {})
        return len(hits)

    # -- operations ---------------------------------------------------------------------------
    def find(
        self, table: str, column: str, values: Iterable[Any], *, columns: Sequence[str]
    ) -> list[Row]:
        wanted = {str(v) for v in distinct_values(values)}
        self.operations.append(("find", table))
        rows = self._rows(table)
        if rows:
            _project(rows[0], [column], self.name, table)
        return [
            _project(row, columns, self.name, table)
            for row in rows
            if row.get(column) is not None and str(row[column]) in wanted
        ]

    def read(self, table: str, keys: Sequence[Key], *, columns: Sequence[str]) -> list[Row]:
        self.operations.append(("read", table))
        return [
            _project(row, columns, self.name, table)
            for row in self._rows(table)
            if any(_matches(row, key) for key in keys)
        ]

    def update(self, table: str, key: Key, values: Mapping[str, Any]) -> int:
        return self._write("update", table, key, values) if values else 0

    def delete(self, table: str, key: Key) -> int:
        return self._write("delete", table, key, None)

    def close(self) -> None:
        """Nothing to release."""

    # -- introspection ------------------------------------------------------------------------
    def _names(self) -> list[str]:
        """The tables the store holds (a file store lists its folder)."""
        return sorted(self._tables)

    def list_tables(self) -> list[TableInfo]:
        """Every table, by name."""
        return [TableInfo(name) for name in self._names()]

    def _columns(self, table: str, rows: list[Row]) -> list[str]:
        return list(dict.fromkeys(c for row in rows for c in row))

    def describe(self, tables: Iterable[str] | None = None) -> dict[str, TableInfo]:
        """Columns of ``tables`` (all when None) typed from their values; no keys or indexes."""
        names = set(self._names())
        out: dict[str, TableInfo] = {}
        for table in self._names() if tables is None else tables:
            if table not in names:
                continue
            rows = self._rows(table)
            columns = tuple(
                Column(
                    c,
                    _type_of([r.get(c) for r in rows]),
                    any(r.get(c) is None for r in rows),
                )
                for c in self._columns(table, rows)
            )
            out[table] = TableInfo(table, columns=columns)
        return out

    def sample_rows(self, table: str, columns: Sequence[str], *, limit: int = 200) -> list[Row]:
        """Up to ``limit`` rows of ``columns`` (register scaffold reads each table once)."""
        rows = self._rows(table)
        if rows:
            _project(rows[0], list(columns), self.name, table)
        return [{c: row.get(c) for c in columns} for row in rows[:limit]]

    def sample(self, table: str, column: str, *, limit: int = 20) -> list[Any]:
        """Up to ``limit`` distinct non-empty values of ``column`` (for discovery)."""
        rows = self._rows(table)
        if rows:
            _project(rows[0], [column], self.name, table)
        return distinct_values(row.get(column) for row in rows)[:limit]

    # -- sweeping by predicate ----------------------------------------------------------------
    @contextmanager
    def _sweeping(self) -> Iterator[None]:
        """Around each batch: the store's lock (a file store also locks its folder and reads
        the files again, so sweeps in several processes see each other's batches)."""
        with self._lock:
            yield

    def _matching(
        self, table: str, where: p.Predicate | None, exclusions: p.Exclusions | None
    ) -> list[int]:
        rows = self._rows(table)
        if rows and where is not None:
            _project(rows[0], sorted(p.columns_of(where)), self.name, table)
        matcher = Matcher(self._rows, exclusions or {})
        if where is None:
            return list(range(len(rows)))
        return [i for i, row in enumerate(rows) if matcher.matches(table, row, where)]

    def count(
        self,
        table: str,
        where: p.Predicate | None = None,
        *,
        exclusions: p.Exclusions | None = None,
    ) -> int:
        """Rows of ``table`` where ``where`` holds (all rows when None)."""
        with self._sweeping():
            return len(self._matching(table, where, exclusions))

    def keys(
        self,
        table: str,
        where: p.Predicate,
        *,
        primary_key: Sequence[str],
        limit: int,
        exclusions: p.Exclusions | None = None,
    ) -> list[tuple[Any, ...]]:
        """The first ``limit`` primary keys (in key order) of rows where ``where`` holds."""
        with self._sweeping():
            rows = self._rows(table)
            found = [
                tuple(rows[i].get(c) for c in primary_key)
                for i in self._matching(table, where, exclusions)
            ]
        return sorted(found, key=_order)[:limit]

    def delete_batch(
        self,
        table: str,
        where: p.Predicate,
        *,
        primary_key: Sequence[str],
        limit: int,
        exclusions: p.Exclusions | None = None,
    ) -> int:
        """Delete up to ``limit`` rows where ``where`` holds, in one committed transaction."""
        with self._sweeping(), self.transaction():
            found = self._matching(table, where, exclusions)
            current = self._rows(table)
            # In key order, as ``keys`` lists them; deleted from the end so indexes hold.
            found.sort(key=lambda i: _order(tuple(current[i].get(c) for c in primary_key)))
            hits = sorted(found[:limit])
            if not hits:
                return 0
            rows = self._rows(table, write=True)
            self.operations.append(("delete", table))
            for i in reversed(hits):
                del rows[i]
        return len(hits)

    def update_batch(
        self,
        table: str,
        where: p.Predicate,
        *,
        primary_key: Sequence[str],
        change: p.Change,
        limit: int,
        after: tuple[Any, ...] | None = None,
        exclusions: p.Exclusions | None = None,
    ) -> tuple[int, tuple[Any, ...] | None]:
        """Change up to ``limit`` rows where ``where`` holds and whose key comes after
        ``after`` (in key order), in one committed transaction; (rows changed, last key)."""
        with self._sweeping(), self.transaction():
            rows = self._rows(table)
            if rows:
                _project(rows[0], change.columns, self.name, table)
            picked = sorted(
                (
                    (tuple(rows[i].get(c) for c in primary_key), i)
                    for i in self._matching(table, where, exclusions)
                ),
                key=lambda item: _order(item[0]),
            )
            if after is not None:
                picked = [item for item in picked if _order(item[0]) > _order(after)]
            picked = picked[:limit]
            if not picked:
                return 0, None
            rows = self._rows(table, write=True)
            self.operations.append(("update", table))
            for _, i in picked:
                row = rows[i]
                new = dict(change.fixed)
                new.update({c: fn(row.get(c)) for c, fn in change.computed.items()})
                row.update(new)
        return len(picked), picked[-1][0]


def _order(key: tuple[Any, ...]) -> tuple[tuple[int, Any], ...]:
    """A sort key for primary keys that never compares a number with text."""
    return tuple((0, v) if isinstance(v, int | float) else (1, str(v)) for v in key)


_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "BOOLEAN"),
    (int, "INTEGER"),
    (float, "REAL"),
    (datetime, "DATETIME"),
    (date, "DATE"),
    (bytes, "BLOB"),
)


def _type_of(values: list[Any]) -> str:
    """The type name every non-None value fits (``TEXT`` when mixed or text)."""
    found = {
        next((n for t, n in _TYPES if isinstance(v, t)), "TEXT") for v in values if v is not None
    }
    return found.pop() if len(found) == 1 else "TEXT"


def _matches(row: Row, key: Key) -> bool:
    return all(same(row.get(col), value) for col, value in key.items())


def _project(row: Row, columns: Sequence[str], system: str, table: str) -> Row:
    missing = [c for c in columns if c not in row]
    if missing:
        raise ConnectorError(f"system '{system}': table '{table}' has no column '{missing[0]}'")
    return {c: row[c] for c in columns}


class MemoryConnector(TableStore):
    """Tables held in a dict: ``MemoryConnector({"customers": [{"id": 1, ...}]})``."""

    def __init__(self, tables: Mapping[str, list[Row]] | None = None, *, name: str = "memory"):
        super().__init__(name=name)
        self._tables = {t: [dict(r) for r in rows] for t, rows in (tables or {}).items()}

    def __repr__(self) -> str:
        return f"MemoryConnector({self.name!r}, tables={sorted(self._tables)})"

    def snapshot(self) -> dict[str, list[Row]]:
        """A deep copy of every committed table."""
        return copy.deepcopy(self._tables)
