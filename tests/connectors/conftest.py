"""Fixtures: the same small tables behind every built-in connector kind.

``people`` has a one-column primary key, ``members`` a composite one. SQL tables are created with
SQLAlchemy (quoted names, so the tests can use hostile ones); file and memory tables are plain rows.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.sql import quoted_name

from varna.connectors import Connector, FilesConnector, MemoryConnector, SQLConnector

Rows = Mapping[str, list[dict[str, Any]]]

PEOPLE = [
    {"id": i, "email": f"p{i}@example.se", "name": f"Person {i}", "score": i % 7}
    for i in range(1, 1201)
]
MEMBERS = [
    {"org": org, "person": person, "role": f"r{org}-{person}"}
    for org in (1, 2, 3)
    for person in (1, 2, 3)
]
DATA: dict[str, list[dict[str, Any]]] = {"people": PEOPLE, "members": MEMBERS}


def q(name: str) -> quoted_name:
    return quoted_name(name, quote=True)


def sql_tables(metadata: sa.MetaData, names: Mapping[str, str] | None = None) -> None:
    """``people`` and ``members`` (each name may be replaced through ``names``)."""
    n = {k: k for k in ("people", "id", "email", "name", "score", "members")} | dict(names or {})
    sa.Table(
        q(n["people"]),
        metadata,
        sa.Column(q(n["id"]), sa.Integer, primary_key=True, autoincrement=False),
        sa.Column(q(n["email"]), sa.String(100)),
        sa.Column(q(n["name"]), sa.String(100)),
        sa.Column(q(n["score"]), sa.Integer, nullable=True),
    )
    sa.Table(
        q(n["members"]),
        metadata,
        sa.Column("org", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("person", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("role", sa.String(50)),
    )


def load_sql(url: str, data: Rows, names: Mapping[str, str] | None = None) -> None:
    engine = sa.create_engine(url)
    metadata = sa.MetaData()
    sql_tables(metadata, names)
    metadata.create_all(engine)
    n = dict(names or {})
    with engine.begin() as conn:
        for table, rows in data.items():
            t = metadata.tables[n.get(table, table)]
            conn.execute(sa.insert(t), [{n.get(k, k): v for k, v in r.items()} for r in rows])
    engine.dispose()


def write_files(folder: Path, fmt: str, data: Rows) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in data.items():
        path = folder / f"{table}.{fmt}"
        with path.open("w", encoding="utf-8", newline="") as handle:
            if fmt == "csv":
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
            else:
                handle.writelines(json.dumps(r) + "\n" for r in rows)


KINDS = [
    "memory",
    "csv",
    "jsonl",
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.postgres),
    pytest.param("mariadb", marks=pytest.mark.mariadb),
]

Make = Callable[[Rows], Connector]


@pytest.fixture(params=KINDS)
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Make]:
    """``make(data)``: a connector of each kind holding ``data`` (people, members)."""
    kind: str = request.param
    made: list[Connector] = []

    def _make(data: Rows) -> Connector:
        connector: Connector
        if kind == "memory":
            connector = MemoryConnector(data, name="sys")
        elif kind in ("csv", "jsonl"):
            write_files(tmp_path / kind, kind, data)
            connector = FilesConnector(
                tmp_path / kind, fmt="csv" if kind == "csv" else "jsonl", name="sys"
            )
        else:
            fixture = {"sqlite": "sqlite_url", "postgresql": "pg_url", "mariadb": "mariadb_url"}
            url = str(request.getfixturevalue(fixture[kind]))
            load_sql(url, data)
            connector = SQLConnector(url, name="sys")
        made.append(connector)
        return connector

    yield _make
    for connector in made:
        connector.close()
