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
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from varna.connectors.base import Key, Row, distinct_values
from varna.errors import ConnectorError


def same(a: Any, b: Any) -> bool:
    """Equal, or equal as text (``51`` and ``'51'``); None equals nothing."""
    if a is None or b is None:
        return False
    return bool(a == b) or str(a) == str(b)


class TableStore:
    """Rows in memory, per table, with transactions. Subclasses load and flush tables."""

    kind = "memory"

    def __init__(self, *, name: str) -> None:
        self.name = name
        self._tables: dict[str, list[Row]] = {}
        self._pending: dict[str, list[Row]] | None = None
        self._changed: set[str] = set()
        self.operations: list[tuple[str, str]] = []

    # -- hooks --------------------------------------------------------------------------------
    def _load(self, table: str) -> list[Row]:
        raise ConnectorError(f"system '{self.name}': no table '{table}'")

    def _flush(self, tables: Mapping[str, list[Row]]) -> None:
        """Make committed changes durable (nothing to do in memory)."""

    # -- transactions -------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._pending is not None:
            raise ConnectorError(f"system '{self.name}': a transaction is already open")
        self._pending, self._changed = {}, set()
        try:
            yield
            changed = {t: self._pending[t] for t in sorted(self._changed)}
            self._flush(changed)
            self._tables.update(changed)
        finally:
            self._pending, self._changed = None, set()

    def _rows(self, table: str, *, write: bool = False) -> list[Row]:
        if table not in self._tables:
            self._tables[table] = self._load(table)
        if self._pending is None or (not write and table not in self._pending):
            return self._tables[table]  # reads see committed rows until the table is written
        if table not in self._pending:
            self._pending[table] = copy.deepcopy(self._tables[table])
        self._changed.add(table)
        return self._pending[table]

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
