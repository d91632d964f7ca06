"""A register with hostile table and column names cannot inject SQL: names are always quoted
identifiers and values always bound parameters."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from varna.connectors import SQLConnector

from .conftest import DATA, load_sql

HOSTILE_NAMES = [
    pytest.param(
        {"people": 'x"; DROP TABLE victim; --', "email": 'e"mail; DROP TABLE victim;--'},
        id="double-quotes",
    ),
    pytest.param(
        {"people": "p'); DROP TABLE victim; --", "name": "na'me; DELETE FROM victim"},
        id="single-quotes",
    ),
    pytest.param({"people": "a`b`; DROP TABLE victim; --", "score": "sc`ore`) --"}, id="backticks"),
    pytest.param({"people": "people]; DROP TABLE victim", "id": "id [x]"}, id="brackets"),
]
HOSTILE_VALUES = ["' OR '1'='1", '"; DROP TABLE victim; --', "p1@example.se' --"]

DATABASES = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.postgres),
    pytest.param("mariadb", marks=pytest.mark.mariadb),
]


@pytest.fixture(params=DATABASES)
def url(request: pytest.FixtureRequest) -> str:
    fixture = {"sqlite": "sqlite_url", "postgresql": "pg_url", "mariadb": "mariadb_url"}
    url = str(request.getfixturevalue(fixture[request.param]))
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE victim (id INTEGER PRIMARY KEY)"))
        conn.execute(sa.text("INSERT INTO victim (id) VALUES (1)"))
    engine.dispose()
    return url


def victim_rows(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM victim")).scalar_one()
    engine.dispose()
    return int(count)


@pytest.mark.parametrize("names", HOSTILE_NAMES)
def test_hostile_names_are_only_names(url: str, names: dict[str, str]) -> None:
    load_sql(url, {"people": DATA["people"][:10]}, names)
    n = {k: names.get(k, k) for k in ("people", "id", "email", "name", "score")}
    connector = SQLConnector(url, name="crm")
    columns = [n["id"], n["email"], n["name"], n["score"]]
    try:
        found = connector.find(n["people"], n["email"], ["p3@example.se"], columns=columns)
        assert [str(r[n["id"]]) for r in found] == ["3"]
        with connector.transaction():
            assert connector.update(n["people"], {n["id"]: 3}, {n["name"]: "-", n["score"]: None})
            assert connector.delete(n["people"], {n["id"]: 4}) == 1
        row = connector.read(n["people"], [{n["id"]: 3}], columns=[n["name"], n["score"]])
        assert row == [{n["name"]: "-", n["score"]: None}]
        assert connector.read(n["people"], [{n["id"]: 4}], columns=[n["id"]]) == []
    finally:
        connector.close()
    assert victim_rows(url) == 1


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_values_are_only_values(url: str, value: str) -> None:
    load_sql(url, {"people": DATA["people"][:10]})
    connector = SQLConnector(url, name="crm")
    try:
        assert connector.find("people", "email", [value], columns=["id"]) == []
        assert connector.update("people", {"id": 2}, {"name": value}) == 1
        assert connector.find("people", "name", [value], columns=["id"]) == [{"id": 2}]
    finally:
        connector.close()
    assert victim_rows(url) == 1
