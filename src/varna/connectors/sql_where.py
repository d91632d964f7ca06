"""Row predicates (:mod:`varna.connectors.predicates`) as SQLAlchemy Core ``WHERE`` clauses.

Tables are ``sa.table`` clauses carrying only the columns the predicate reads; every name is
quoted, every value bound. Cut-off instants compare with both kinds of date SQLite stores as
text (``2023-01-01`` and ``2023-01-01 00:00:00``); other databases get a real timestamp.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import quoted_name

from varna.connectors import predicates as p


class Instant(sa.types.TypeDecorator[datetime]):
    """A cut-off instant as a bound parameter: text on SQLite (the date alone at midnight, else
    without fractions of a second), a timestamp elsewhere."""

    impl = sa.DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String())
        return dialect.type_descriptor(sa.DateTime())

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        if value.time() == time():
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")


def name(text: str) -> quoted_name:
    return quoted_name(text, quote=True)


def table_clause(table: str, columns: Iterable[str]) -> sa.TableClause:
    return sa.table(name(table), *(sa.column(name(c)) for c in dict.fromkeys(columns)))


def key_expr(t: sa.TableClause, primary_key: tuple[str, ...]) -> sa.ColumnElement[Any]:
    keys = [t.c[c] for c in primary_key]
    return keys[0] if len(keys) == 1 else sa.tuple_(*keys)


def keys_in(
    t: sa.TableClause, primary_key: tuple[str, ...], keys: Iterable[tuple[Any, ...]]
) -> sa.ColumnElement[bool]:
    listed = list(keys)
    if len(primary_key) == 1:
        return t.c[primary_key[0]].in_([k[0] for k in listed])
    return key_expr(t, primary_key).in_(listed)


def before_columns(predicate: p.Predicate, table: str) -> set[tuple[str, str]]:
    """(table, column) of every ``Before`` in the predicate, parents included."""
    match predicate:
        case p.Before(column=column):
            return {(table, column)}
        case p.All(parts) | p.AnyOf(parts):
            return set().union(*(before_columns(q, table) for q in parts)) if parts else set()
        case p.InParent(parent=parent, where=inner):
            return before_columns(inner, parent)
        case p.NotReferenced(child=child, unless=inner) if inner is not None:
            return before_columns(inner, child)
        case _:
            return set()


class Compiler:
    """Compiles predicates over one system, with the exclusions of the moment.

    ``text_dates`` are (table, column) pairs holding dates as text: they are cast to a
    timestamp before the comparison (PostgreSQL compares no text with a timestamp; MariaDB
    would compare the text).
    """

    def __init__(
        self, exclusions: p.Exclusions, *, text_dates: frozenset[tuple[str, str]] = frozenset()
    ) -> None:
        self.exclusions = exclusions
        self.text_dates = text_dates

    def where(
        self, t: sa.TableClause, table: str, predicate: p.Predicate
    ) -> sa.ColumnElement[bool]:
        match predicate:
            case p.Before(column, moment):
                col: sa.ColumnElement[Any] = t.c[column]
                if (table, column) in self.text_dates:
                    col = sa.cast(col, sa.DateTime())
                return col < sa.bindparam(None, moment, type_=Instant())
            case p.IsSet(column):
                return t.c[column].is_not(None)
            case p.Differs(column, value):
                return sa.or_(t.c[column].is_(None), t.c[column] != value)
            case p.LacksPrefix(column, prefix):
                value = t.c[column]
                return sa.and_(value.is_not(None), sa.not_(value.like(f"{prefix}%")))
            case p.Unmasked(column):
                text: sa.ColumnElement[Any] = sa.cast(t.c[column], sa.Text())
                masked = sa.or_(text.like("_*%"), text.like("__*%"))
                return sa.and_(t.c[column].is_not(None), sa.func.length(text) > 1, sa.not_(masked))
            case p.InParent(column, parent, parent_column, inner):
                pt = table_clause(parent, [parent_column, *p.columns_of(inner)])
                chosen = sa.select(pt.c[parent_column]).where(self.where(pt, parent, inner))
                return t.c[column].in_(chosen)
            case p.NotReferenced(column, child, child_column, unless):
                inner_columns = p.columns_of(unless) if unless is not None else set()
                ct = table_clause(child, [child_column, *inner_columns])
                staying = sa.select(ct.c[child_column]).where(ct.c[child_column].is_not(None))
                if unless is not None:
                    staying = staying.where(sa.not_(self.where(ct, child, unless)))
                return t.c[column].not_in(staying)
            case p.NotExcluded(primary_key):
                kept = self.exclusions.get(table, ())
                return sa.not_(keys_in(t, primary_key, kept)) if kept else sa.true()
            case p.All(parts):
                return sa.and_(sa.true(), *(self.where(t, table, q) for q in parts))
            case p.AnyOf(parts):
                if not parts:
                    return sa.true()
                return sa.or_(*(self.where(t, table, q) for q in parts))
        raise TypeError(f"not a predicate: {type(predicate).__name__}")
