"""Systems on one PostgreSQL server share its connections while their catalogues are read; each
system still sees its own schema, and its settings never leak to the next one."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from retention.small import REGISTER as SMALL
from varna.connectors import ConnectorPool, SQLConnector
from varna.connectors.pg_sessions import CatalogueSessions, settings
from varna.connectors.schema_check import SystemSchema, read_schemas
from varna.register import parse_register


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ("-csearch_path=app_1", [("search_path", "app_1")]),
        ("-c search_path=app_1", [("search_path", "app_1")]),
        ("--search_path=app_1", [("search_path", "app_1")]),
        (
            "-c search_path=a,b -c statement_timeout=5000",
            [("search_path", "a,b"), ("statement_timeout", "5000")],
        ),
        (r"-c application_name=my\ app", [("application_name", "my app")]),
        ("", []),
        ("--single", None),  # not a setting: the system gets a connection of its own
        ("-c", None),
        ("-S 4096", None),  # a server switch (work_mem), valid but not a -c setting
        ("search_path=a", None),
        ("-c 1x=2", None),
    ],
)
def test_settings_of_libpq_options(options: str, expected: list[tuple[str, str]] | None) -> None:
    assert settings(options) == expected


@pytest.fixture
def schemas(pg_url: str) -> dict[str, str]:
    """Two schemas of one database, each with a table of its own: system -> URL."""
    engine = sa.create_engine(pg_url, poolclass=sa.NullPool)
    with engine.begin() as conn:
        for schema, table in (("app_a", "alpha"), ("app_b", "beta")):
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
            conn.exec_driver_sql(f"CREATE TABLE {schema}.{table} (id integer PRIMARY KEY)")
    engine.dispose()
    return {
        "a": f"{pg_url}?options={quote('-csearch_path=app_a')}",
        "b": f"{pg_url}?options={quote('-csearch_path=app_b')}",
        "plain": pg_url,
        "odd": f"{pg_url}?options={quote('-csearch_path=app_a -S 4096')}",
    }


def _session_facts(sessions: CatalogueSessions, url: str) -> tuple[int, str]:
    connector = SQLConnector(url, name="x")
    engine = sa.create_engine(url)
    try:
        cargs, cparams = engine.dialect.create_connect_args(engine.url)
        with sessions.session(engine.dialect, tuple(cargs), cparams) as raw:
            cursor = raw.cursor()
            cursor.execute("SELECT pg_backend_pid(), current_schema()")
            pid, schema = cursor.fetchone()
    finally:
        engine.dispose()
        connector.close()
    return int(pid), str(schema)


@pytest.mark.postgres
def test_systems_of_one_server_share_a_connection_and_keep_their_own_schema(
    schemas: dict[str, str],
) -> None:
    sessions = CatalogueSessions()
    try:
        a = _session_facts(sessions, schemas["a"])
        b = _session_facts(sessions, schemas["b"])
        plain = _session_facts(sessions, schemas["plain"])
        odd = _session_facts(sessions, schemas["odd"])
    finally:
        sessions.close()
    assert (a[1], b[1], plain[1]) == ("app_a", "app_b", "public")  # nothing leaks
    assert a[0] == b[0] == plain[0]  # one server process for the three
    assert odd[0] != a[0]  # options that are not plain settings: a connection of its own


@pytest.mark.postgres
def test_the_live_check_describes_each_system_in_its_own_schema(
    schemas: dict[str, str], tmp_path: Path
) -> None:
    head = SMALL.split("systems:")[0]
    systems = "".join(
        f"""
  {name}:
    name: {{sv: {name}, en: {name}}}
    kind: postgresql
    connection: {{env: VARNA_{name.upper()}_URL}}
    country: SE
    tables:
      {table}:
        primary_key: [id]
        subjects: [customer]
        activities: [accounts]
        fields: {{}}
"""
        for name, table in (("a", "alpha"), ("b", "beta"))
    )
    register = parse_register(head + "systems:" + systems, source="two.yaml")
    environ = {"VARNA_A_URL": schemas["a"], "VARNA_B_URL": schemas["b"]}
    pool = ConnectorPool(register, base_dir=tmp_path, environ=environ)
    try:
        found = read_schemas(register, pool, workers=1)
    finally:
        pool.close()
    described = {s: sorted(v.names) for s, v in found.items() if isinstance(v, SystemSchema)}
    assert described == {"a": ["alpha"], "b": ["beta"]}
