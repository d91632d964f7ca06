"""PostgreSQL's catalogue read in four queries on one connection, for the live-schema check.

The SQLAlchemy inspector issues a dozen queries per schema and compiles each in Python; on a
register of 200 systems that is most of ``register check``. These queries read ``pg_class``,
``pg_attribute``, ``pg_constraint`` and ``pg_index`` of the connection's ``current_schema()``
directly and return the same :class:`TableInfo` objects. Type names are ``format_type``'s
(``character varying(40)``, ``timestamp without time zone``). The queries run on a plain
driver connection (:func:`read_catalogue` takes a function that runs one), which spares the
round trips SQLAlchemy makes to set up its first connection: a third of the time per system.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from varna.connectors.catalog import Column, ForeignKey, Index, TableInfo, TableKind, view_reads

_KINDS = {
    "r": TableKind.table,
    "p": TableKind.partitioned,
    "v": TableKind.view,
    "m": TableKind.materialized_view,
}

RELATIONS = """
    SELECT c.relname, c.relkind, c.relispartition, parent.relname,
           CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
    LEFT JOIN pg_class parent ON parent.oid = i.inhparent
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm')
    """
COLUMNS = """
    SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm')
      AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum
    """
CONSTRAINTS = """
    SELECT c.relname, con.conname, con.contype,
           ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, pos)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num
                 ORDER BY k.pos),
           ref.relname,
           ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(num, pos)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num
                 ORDER BY k.pos)
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_class ref ON ref.oid = con.confrelid
    WHERE n.nspname = current_schema() AND con.contype IN ('p', 'f', 'u')
    ORDER BY c.relname, con.conname
    """
INDEXES = """
    SELECT t.relname, ic.relname, ix.indisunique,
           ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(num, pos)
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.num
                 ORDER BY k.pos),
           CASE WHEN ix.indkey[0] = 0 THEN pg_get_indexdef(ix.indexrelid, 1, true) END
    FROM pg_index ix
    JOIN pg_class t ON t.oid = ix.indrelid
    JOIN pg_class ic ON ic.oid = ix.indexrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = current_schema() AND NOT ix.indisprimary
    ORDER BY t.relname, ic.relname
    """


#: Every query :func:`read_catalogue` runs, for a driver that sends them in one round trip.
CATALOGUE_QUERIES = (RELATIONS, COLUMNS, CONSTRAINTS, INDEXES)

Run = Callable[[str], Sequence[Sequence[Any]]]
"""Runs one query without parameters and returns its rows."""
Fold = Callable[[Iterable[str]], list[str]]
"""Names an expression index by what it serves (``lower(email)``), or drops it."""


def read_catalogue(run: Run, *, fold: Fold = lambda _: []) -> dict[str, TableInfo]:
    """Every table, partitioned table, partition, view and materialised view of the
    connection's current schema, described. An index that leads with an expression is kept
    when ``fold`` names it (the case-insensitive lookups' ``lower(column)``)."""
    relations = list(run(RELATIONS))
    names = sorted(str(r[0]) for r in relations)
    columns: dict[str, list[Column]] = defaultdict(list)
    for table, name, type_name, nullable in run(COLUMNS):
        columns[table].append(Column(name, type_name, bool(nullable)))
    pks: dict[str, tuple[str, ...]] = {}
    fks: dict[str, list[ForeignKey]] = defaultdict(list)
    indexes: dict[str, list[Index]] = defaultdict(list)
    for table, name, kind, cols, referred, refcols in run(CONSTRAINTS):
        if kind == "p":
            pks[table] = tuple(cols)
        elif kind == "f":
            fks[table].append(ForeignKey(name, tuple(cols), str(referred), tuple(refcols)))
        else:
            indexes[table].append(Index(name, tuple(cols), True))
    for table, name, unique, cols, expression in run(INDEXES):
        if expression:  # an expression leads: no column, perhaps lower(column)
            cols = fold([str(expression)])[:1]
        if cols:
            indexes[table].append(Index(name, tuple(cols), bool(unique)))
    parents: dict[str, str] = {str(r[0]): str(r[3]) for r in relations if r[2] and r[3]}
    out: dict[str, TableInfo] = {}
    for name, relkind, _, _parent, definition in relations:
        kind = TableKind.part if name in parents else _KINDS[relkind]
        reads: tuple[str, ...] = ()
        if definition:
            reads = tuple(t for t in view_reads(str(definition), names) if t != name)
        out[name] = TableInfo(
            name,
            kind,
            columns=tuple(columns.get(name, ())),
            primary_key=pks.get(name, ()),
            foreign_keys=tuple(fks.get(name, ())),
            indexes=_unique(indexes.get(name, [])),
            parent=parents.get(name),
            reads=reads,
            partitions=tuple(sorted(c for c, p in parents.items() if p == name)),
        )
    return dict(sorted(out.items()))


def _unique(indexes: list[Index]) -> tuple[Index, ...]:
    """A unique constraint is also an index of the same name: list it once."""
    seen: dict[Any, Index] = {}
    for index in indexes:
        seen.setdefault(index.name or id(index), index)
    return tuple(seen.values())
