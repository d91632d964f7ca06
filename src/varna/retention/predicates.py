"""SQL predicates over a table, built with SQLAlchemy Core and never run here.

Tables are lightweight ``sa.table`` clauses (no reflection): the register names the columns.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, time
from typing import Any

import sqlalchemy as sa

from varna.register.systems import FieldErasure, FieldSpec, Table
from varna.retention.values import HASH_PREFIX


class Instant(sa.types.TypeDecorator[datetime]):
    """A cut-off instant as a bound parameter.

    SQLite keeps dates as text, so the instant is bound as text that compares correctly with
    both ``2023-01-01`` and ``2023-01-01 00:00:00``: a midnight as the date alone, any other
    instant without fractions of a second. Other databases get a real timestamp.
    """

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


def table_clause(name: str, table: Table, *, referenced: Sequence[str] = ()) -> sa.TableClause:
    """A Core table with the columns the register names (keys, anchors, links, fields, and
    the ``referenced`` columns other tables point at)."""
    names = dict.fromkeys(
        [
            *table.primary_key,
            *table.anchors.values(),
            *table.references,
            *table.fields,
            *referenced,
        ]
    )
    return sa.table(name, *(sa.column(n) for n in names))


def before(target: sa.TableClause, column: str, moment: datetime) -> sa.ColumnElement[bool]:
    """``column < moment``: false for NULL, so a row without the date never expires."""
    return target.c[column] < sa.bindparam(None, moment, type_=Instant())


def in_parent(
    child: sa.TableClause,
    column: str,
    parent: sa.TableClause,
    parent_column: str,
    parent_where: sa.ColumnElement[bool],
) -> sa.ColumnElement[bool]:
    """``child.column IN (SELECT parent_column FROM parent WHERE parent_where)``."""
    return child.c[column].in_(sa.select(parent.c[parent_column]).where(parent_where))


def not_excluded(
    target: sa.TableClause, primary_key: Sequence[str], keys: Collection[tuple[Any, ...]]
) -> sa.ColumnElement[bool] | None:
    """Leave out rows whose primary key is in ``keys`` (None when there are none)."""
    if not keys:
        return None
    if len(primary_key) == 1:
        return sa.not_(target.c[primary_key[0]].in_([k[0] for k in keys]))
    return sa.not_(sa.tuple_(*(target.c[c] for c in primary_key)).in_(list(keys)))


def pending(target: sa.TableClause, fields: dict[str, FieldSpec]) -> sa.ColumnElement[bool]:
    """Rows with at least one field not yet erased, so a second sweep finds nothing to do.

    ``null``, ``fixed`` and ``hash`` leave values SQL recognises; ``mask`` leaves the first
    character followed by ``*`` (a second or third character ``*`` is taken as masked). All
    fields of a row are erased in one ``UPDATE``, so these fields mark the row as done for the
    ``generalise`` fields too. A table whose only erased fields are ``generalise`` has no such
    mark: its expired rows are generalised again on every run (the values do not change, but
    they are counted).
    """
    parts: list[sa.ColumnElement[bool]] = []
    for name, spec in fields.items():
        col = target.c[name]
        if spec.erasure is FieldErasure.null:
            parts.append(col.is_not(None))
        elif spec.erasure is FieldErasure.fixed:
            parts.append(sa.or_(col.is_(None), col != spec.value))
        elif spec.erasure is FieldErasure.hash:
            parts.append(sa.and_(col.is_not(None), sa.not_(col.like(f"{HASH_PREFIX}%"))))
        elif spec.erasure is FieldErasure.mask:
            text = sa.cast(col, sa.Text())
            masked = sa.or_(text.like("_*%"), text.like("__*%"))
            parts.append(sa.and_(col.is_not(None), sa.func.length(text) > 1, sa.not_(masked)))
    return sa.or_(*parts) if parts else sa.true()
