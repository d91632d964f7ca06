"""Invariants of the scaffold planner on random schemas (hypothesis): the draft always loads,
no NOT NULL column is set to NULL, no erasure deletes a row that rows outside the person's data
still refer to, and every reference joins declared tables of fitting types."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from varna.connectors.catalog import Column, ForeignKey, TableInfo
from varna.discovery.scaffold.model import Observed
from varna.discovery.scaffold.names import compatible
from varna.discovery.scaffold.planner import plan_scaffold
from varna.discovery.scaffold.writer import write_draft
from varna.register import parse_register

TABLE_NAMES = ["customers", "orders", "lines", "employees", "shippers", "notes", "people", "logs"]
COLUMN_NAMES = ["email", "phone", "first_name", "city", "notes", "created_at", "amount", "code"]
TYPES = ["VARCHAR(20)", "VARCHAR(200)", "TEXT", "INTEGER", "DATE", "TIMESTAMP", "BOOLEAN", "BYTEA"]


@st.composite
def schemas(draw: st.DrawFn) -> dict[str, TableInfo]:
    names = draw(st.lists(st.sampled_from(TABLE_NAMES), min_size=1, max_size=6, unique=True))
    out: dict[str, TableInfo] = {}
    for index, name in enumerate(names):
        chosen = draw(st.lists(st.sampled_from(COLUMN_NAMES), max_size=5, unique=True))
        columns = [Column("id", "INTEGER", False)] + [
            Column(c, draw(st.sampled_from(TYPES)), draw(st.booleans())) for c in chosen
        ]
        keys: list[ForeignKey] = []
        for target in names[:index]:
            if draw(st.booleans()):
                column = f"{target}_ref"
                columns.append(Column(column, "INTEGER", draw(st.booleans())))
                keys.append(ForeignKey(None, (column,), target, ("id",)))
        if draw(st.booleans()):  # a key named for a table, without a foreign key
            other = draw(st.sampled_from(names))
            columns.append(Column(f"{other.rstrip('s')}_id", "INTEGER", True))
        out[name] = TableInfo(
            name, columns=tuple(columns), primary_key=("id",), foreign_keys=tuple(keys)
        )
    return out


@settings(max_examples=150, deadline=None)
@given(schemas())
def test_any_schema_gives_a_draft_that_loads_and_that_the_database_accepts(
    tables: dict[str, TableInfo],
) -> None:
    draft = plan_scaffold(Observed("postgresql", tables), system="app", env="VARNA_APP_URL")
    register = parse_register(write_draft(draft), source="draft.yaml")
    declared = {t.name for t in draft.tables}
    assert set(register.systems["app"].tables) == declared
    for table in draft.tables:
        info = tables[table.name]
        for spec in table.fields:
            column = info.column(spec.column)
            assert column is not None
            if not column.nullable:
                assert spec.erasure != "null", (table.name, spec.column)
            if spec.erasure in ("mask", "hash", "fixed"):
                assert column.family == "text", (table.name, spec.column)
        for ref in table.references:
            assert ref.table in declared
            source, target = info.column(ref.column), tables[ref.table].column(ref.target)
            assert source is not None
            assert target is not None
            assert compatible(source.family, target.family)
        if table.erasure == "delete_row":
            for other, other_info in tables.items():
                for key in other_info.foreign_keys:
                    if key.referred_table != table.name or other == table.name:
                        continue
                    followed = [
                        r
                        for t in draft.tables
                        if t.name == other
                        for r in t.references
                        if r.column in key.columns and r.follow
                    ]
                    assert followed, (table.name, other)
