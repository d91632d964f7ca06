"""SQL databases through SQLAlchemy 2 Core: SQLite, PostgreSQL, MySQL/MariaDB, any SQLAlchemy URL.

Nothing is reflected. Each statement is built from ``sa.table()``/``sa.column()`` objects named
after the register, every identifier a ``quoted_name(..., quote=True)``, so the dialect always
quotes it: a table called ``x"; DROP TABLE y; --`` is just a strange name. Values are bound
parameters without a declared type (``NullType``), so the database converts them to the
column's type (the text ``'51'`` matches an integer 51 on PostgreSQL too).

Limits: names are single identifiers (no ``schema.table``: a dot is part of the name); a
reference between columns of different types (integer to text) fails on PostgreSQL, which does
not compare them. The engine hides bound parameters in error messages (``hide_parameters``), and
errors name the system, table and column, never a value.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import quoted_name

from varna.connectors.base import Key, Row, batched, distinct_values
from varna.connectors.urls import safe_url
from varna.errors import ConnectorError

_UNTYPED = sa.types.NullType()
_KEYS_PER_STATEMENT = 100
"""Composite primary keys read per statement (an OR of ANDs)."""


def _name(text: str) -> quoted_name:
    return quoted_name(text, quote=True)


def _table(table: str, columns: Iterable[str]) -> sa.TableClause:
    return sa.table(_name(table), *(sa.column(_name(c)) for c in dict.fromkeys(columns)))


def _bind(value: Any) -> sa.BindParameter[Any]:
    return sa.bindparam(None, value, type_=_UNTYPED, unique=True)


def _key_clause(t: sa.TableClause, key: Key) -> sa.ColumnElement[bool]:
    return sa.and_(*(t.c[col] == _bind(value) for col, value in key.items()))


class SQLConnector:
    """A connector for one SQL database, given its SQLAlchemy URL."""

    def __init__(self, url: str, *, name: str = "sql", kind: str | None = None) -> None:
        self.name = name
        self._where = safe_url(url)
        try:
            self._engine = sa.create_engine(url, hide_parameters=True)
        except (sa.exc.ArgumentError, ImportError) as exc:
            raise ConnectorError(
                f"system '{name}': cannot use the URL {self._where} ({type(exc).__name__}); "
                "check the driver name and the URL syntax"
            ) from exc
        self.kind = kind or self._engine.dialect.name
        self._conn: sa.Connection | None = None
        self._finds: dict[tuple[str, str, tuple[str, ...]], sa.Select[Any]] = {}

    def __repr__(self) -> str:
        return f"SQLConnector({self.name!r}, {self._where!r})"

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._conn is not None:
            raise ConnectorError(f"system '{self.name}': a transaction is already open")
        with self._errors("opening a transaction"), self._engine.begin() as conn:
            self._conn = conn
            try:
                yield
            finally:
                self._conn = None

    @contextmanager
    def _connection(self, what: str) -> Iterator[sa.Connection]:
        with self._errors(what):
            if self._conn is not None:
                yield self._conn
            else:
                with self._engine.begin() as conn:
                    yield conn

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        try:
            yield
        except sa.exc.SQLAlchemyError as exc:
            cause = type(getattr(exc, "orig", None) or exc).__name__
            raise ConnectorError(
                f"system '{self.name}' ({self._where}): {what} failed ({cause}); check that the "
                "register's table and column names exist in the database and that it answers"
            ) from exc

    def find(
        self, table: str, column: str, values: Iterable[Any], *, columns: Sequence[str]
    ) -> list[Row]:
        wanted = distinct_values(values)
        if not wanted:
            return []
        query = self._find_statement(table, column, tuple(columns))
        out: list[Row] = []
        with self._connection(f"reading table '{table}' by column '{column}'") as conn:
            for chunk in batched(wanted):
                rows = conn.execute(query, {"values": list(chunk)})
                out += [dict(zip(columns, row, strict=True)) for row in rows]
        return out

    def _find_statement(self, table: str, column: str, columns: tuple[str, ...]) -> sa.Select[Any]:
        """``SELECT columns FROM table WHERE column IN (:values)``, built once per shape."""
        key = (table, column, columns)
        if key not in self._finds:
            t = _table(table, [*columns, column])
            values = sa.bindparam("values", type_=_UNTYPED, expanding=True)
            self._finds[key] = sa.select(*(t.c[c] for c in columns)).where(t.c[column].in_(values))
        return self._finds[key]

    def read(self, table: str, keys: Sequence[Key], *, columns: Sequence[str]) -> list[Row]:
        if not keys:
            return []
        key_columns = list(keys[0])
        if len(key_columns) == 1:
            col = key_columns[0]
            return self.find(table, col, (k[col] for k in keys), columns=columns)
        t = _table(table, [*columns, *key_columns])
        out: list[Row] = []
        with self._connection(f"reading table '{table}' by primary key") as conn:
            for chunk in batched(keys, _KEYS_PER_STATEMENT):
                where = sa.or_(*(_key_clause(t, k) for k in chunk))
                query = sa.select(*(t.c[c] for c in columns)).where(where)
                out += [dict(zip(columns, row, strict=True)) for row in conn.execute(query)]
        return out

    def update(self, table: str, key: Key, values: Mapping[str, Any]) -> int:
        if not values:
            return 0
        t = _table(table, [*key, *values])
        statement = (
            sa.update(t)
            .where(_key_clause(t, key))
            .values({t.c[c]: _bind(v) for c, v in values.items()})
        )
        with self._connection(f"updating table '{table}'") as conn:
            return int(conn.execute(statement).rowcount)

    def delete(self, table: str, key: Key) -> int:
        t = _table(table, key)
        with self._connection(f"deleting from table '{table}'") as conn:
            return int(conn.execute(sa.delete(t).where(_key_clause(t, key))).rowcount)

    def indexed_columns(self, table: str) -> frozenset[str]:
        """Columns a lookup by equality can use an index for: the first column of the primary
        key, of every index and of every unique constraint of ``table``.

        A SQLite file that does not exist is reported as unreachable instead of being created.
        """
        url = self._engine.url
        file = url.database if url.get_backend_name() == "sqlite" else None
        if file and file != ":memory:" and not Path(file).exists():
            raise ConnectorError(f"system '{self.name}': the database file does not exist")
        with self._errors(f"reading the indexes of table '{table}'"):
            inspector = sa.inspect(self._engine)
            if not inspector.has_table(table):
                raise ConnectorError(f"system '{self.name}': there is no table '{table}'")
            leading = inspector.get_pk_constraint(table).get("constrained_columns") or []
            firsts: list[str | None] = [leading[0]] if leading else []
            for index in inspector.get_indexes(table):
                firsts += index["column_names"][:1]
            for unique in inspector.get_unique_constraints(table):
                firsts += unique["column_names"][:1]
        return frozenset(c for c in firsts if c)

    def close(self) -> None:
        self._engine.dispose()
