"""Refused changes become ``ConstraintViolation``: system, table, constraint, the fix; never a
value of the row."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from varna.connectors import SQLConnector
from varna.connectors import predicates as p
from varna.errors import ConnectorError, ConstraintViolation

DDL = [
    "CREATE TABLE parent (id INTEGER PRIMARY KEY, code VARCHAR(20) NOT NULL, "
    "CONSTRAINT uq_parent_code UNIQUE (code))",
    "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER, "
    "CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id))",
    "INSERT INTO parent VALUES (1, 'secret-a'), (2, 'secret-b')",
    "INSERT INTO child VALUES (1, 1)",
]
URLS = [
    pytest.param("pg_url", marks=pytest.mark.postgres),
    pytest.param("mariadb_url", marks=pytest.mark.mariadb),
]


@pytest.fixture(params=URLS)
def connector(request: pytest.FixtureRequest) -> Iterator[SQLConnector]:
    url = str(request.getfixturevalue(request.param))
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for statement in DDL:
            conn.exec_driver_sql(statement)
    engine.dispose()
    made = SQLConnector(url, name="shop")
    yield made
    made.close()


@pytest.mark.parametrize(
    ("operation", "kind", "table", "constraint", "hint"),
    [
        (
            lambda c: c.delete_batch("parent", p.IsSet("code"), primary_key=["id"], limit=5),
            "foreign key",
            "child",
            "fk_child_parent",
            "systems.shop.tables.child.references.parent_id: {table: parent, column: id}",
        ),
        (
            lambda c: c.delete("parent", {"id": 1}),
            "foreign key",
            "child",
            "fk_child_parent",
            "references.parent_id",
        ),
        (
            lambda c: c.update_batch(
                "parent",
                p.IsSet("code"),
                primary_key=["id"],
                change=p.Change(fixed={"code": None}),
                limit=5,
            ),
            "not null",
            None,
            None,
            "may not be NULL",
        ),
        (
            lambda c: c.update_batch(
                "parent",
                p.IsSet("code"),
                primary_key=["id"],
                change=p.Change(fixed={"code": "-"}),
                limit=5,
            ),
            "unique",
            None,
            None,
            "hash strategy",
        ),
    ],
    ids=["fk-batch", "fk-row", "not-null", "unique"],
)
def test_refusals_name_the_constraint(
    connector: SQLConnector,
    operation: object,
    kind: str,
    table: str | None,
    constraint: str | None,
    hint: str,
) -> None:
    with pytest.raises(ConstraintViolation) as info:
        operation(connector)  # type: ignore[operator]
    error = info.value
    assert error.kind == kind
    assert error.system == "shop"
    if table is not None:
        assert (error.table, error.constraint) == (table, constraint)
    assert hint in str(error)
    assert "secret" not in str(error)


def test_other_database_errors_stay_plain_connector_errors(sqlite_url: str) -> None:
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    engine.dispose()
    connector = SQLConnector(sqlite_url, name="shop")
    with pytest.raises(ConnectorError, match=r"system 'shop'.*counting table 'nowhere'") as info:
        connector.count("nowhere")
    assert not isinstance(info.value, ConstraintViolation)
    connector.close()
