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

import re
import warnings
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


_LOWER = re.compile(r'lower\(\s*\(?\s*"?([^"()\s:]+)"?\s*\)?(?:::\w+)?\s*\)', re.IGNORECASE)


def _folded(expressions: Iterable[str]) -> list[str]:
    """``lower(email)`` for every index expression that leads with the lower-cased column:
    the index a case-insensitive lookup (:meth:`SQLConnector.find_casefold`) uses."""
    out = []
    for text in expressions:
        match = _LOWER.search(text)
        if match:
            out.append(f"lower({match.group(1)})")
    return out


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
        self._finds: dict[tuple[str, str, tuple[str, ...], bool], sa.Select[Any]] = {}
        self._types: dict[str, dict[str, type]] = {}
        self._folds: dict[tuple[str, str], bool] = {}

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
        return self._find(table, column, distinct_values(values), columns, fold=False)

    def find_casefold(
        self, table: str, column: str, values: Iterable[Any], *, columns: Sequence[str]
    ) -> list[Row]:
        """Like :meth:`find`, comparing text case-insensitively (e-mail addresses).

        SQLite and PostgreSQL compare ``lower(column)`` with the lower-cased values: an index
        on ``lower(column)`` serves it (``CREATE INDEX ... ON t (lower(email))``; SQLite's
        ``lower`` folds ASCII only). MySQL and MariaDB compare the column as it is when its
        collation is case-insensitive (``*_ci``, the default), so its plain index serves it,
        and ``lower(column)`` otherwise.
        """
        wanted = distinct_values(str(v).lower() for v in values if v is not None)
        fold = not self._compares_without_case(table, column)
        return self._find(table, column, wanted, columns, fold=fold)

    def _find(
        self, table: str, column: str, wanted: list[Any], columns: Sequence[str], *, fold: bool
    ) -> list[Row]:
        if not wanted:
            return []
        query = self._find_statement(table, column, tuple(columns), fold)
        out: list[Row] = []
        with self._connection(f"reading table '{table}' by column '{column}'") as conn:
            for chunk in batched(wanted):
                rows = conn.execute(query, {"values": list(chunk)})
                out += [dict(zip(columns, row, strict=True)) for row in rows]
        return out

    def _find_statement(
        self, table: str, column: str, columns: tuple[str, ...], fold: bool
    ) -> sa.Select[Any]:
        """``SELECT columns FROM table WHERE [lower](column) IN (:values)``, built once."""
        key = (table, column, columns, fold)
        if key not in self._finds:
            t = _table(table, [*columns, column])
            values = sa.bindparam("values", type_=_UNTYPED, expanding=True)
            target: sa.ColumnElement[Any] = sa.func.lower(t.c[column]) if fold else t.c[column]
            self._finds[key] = sa.select(*(t.c[c] for c in columns)).where(target.in_(values))
        return self._finds[key]

    def column_types(self, table: str) -> dict[str, type]:
        """The Python type of each column of ``table`` (``object`` where the database type has
        none), read from the database once: lookups bind values of the column's type."""
        if table not in self._types:
            types: dict[str, type] = {}
            with self._errors(f"reading the columns of table '{table}'"):
                for info in sa.inspect(self._engine).get_columns(table):
                    try:
                        types[info["name"]] = info["type"].python_type
                    except NotImplementedError:
                        types[info["name"]] = object
            if not types:
                raise ConnectorError(f"system '{self.name}': there is no table '{table}'")
            self._types[table] = types
        return self._types[table]

    def _compares_without_case(self, table: str, column: str) -> bool:
        """True when the column's collation already ignores case (MySQL/MariaDB ``*_ci``)."""
        if self._engine.dialect.name not in ("mysql", "mariadb"):
            return False
        if (table, column) not in self._folds:
            query = sa.text(
                "SELECT COLLATION_NAME FROM information_schema.COLUMNS "
                "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :t AND COLUMN_NAME = :c"
            )
            with self._connection(f"reading the collation of '{table}.{column}'") as conn:
                collation = conn.execute(query, {"t": table, "c": column}).scalar()
            self._folds[(table, column)] = str(collation or "").endswith("_ci")
        return self._folds[(table, column)]

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
        key, of every index and of every unique constraint of ``table``; and ``lower(column)``
        where a case-insensitive lookup (:meth:`find_casefold`) can use one (an index on
        ``lower(column)``, or a plain index on a MySQL/MariaDB ``*_ci`` column).

        A SQLite file that does not exist is reported as unreachable instead of being created.
        """
        url = self._engine.url
        file = url.database if url.get_backend_name() == "sqlite" else None
        if file and file != ":memory:" and not Path(file).exists():
            raise ConnectorError(f"system '{self.name}': the database file does not exist")
        with self._errors(f"reading the indexes of table '{table}'"), warnings.catch_warnings():
            # SQLite's expression indexes (lower(email)) are read below, not by the inspector
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
            inspector = sa.inspect(self._engine)
            if not inspector.has_table(table):
                raise ConnectorError(f"system '{self.name}': there is no table '{table}'")
            leading = inspector.get_pk_constraint(table).get("constrained_columns") or []
            firsts: list[str | None] = [leading[0]] if leading else []
            for index in inspector.get_indexes(table):
                firsts += index["column_names"][:1]
                firsts += _folded(str(e) for e in index.get("expressions", [])[:1])
            for unique in inspector.get_unique_constraints(table):
                firsts += unique["column_names"][:1]
            if self._engine.dialect.name == "sqlite":
                firsts += _folded(self._sqlite_index_sql(table))
        # a *_ci column's plain index serves the case-insensitive lookup on MySQL/MariaDB
        plain = [c for c in firsts if c and not c.startswith("lower(")]
        firsts += [f"lower({c})" for c in plain if self._compares_without_case(table, c)]
        return frozenset(c for c in firsts if c)

    def _sqlite_index_sql(self, table: str) -> list[str]:
        query = sa.text("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t")
        with self._connection(f"reading the indexes of table '{table}'") as conn:
            return [str(sql) for (sql,) in conn.execute(query, {"t": table}) if sql]

    def close(self) -> None:
        self._engine.dispose()
