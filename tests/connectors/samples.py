"""The one place that loads public sample databases from the shared data into fresh test
databases (never copied into the repository), and reads SQL ground truth from them.

- :func:`database`: a fresh, empty PostgreSQL or MariaDB database, dropped at the end (the
  ``pg_url`` and ``mariadb_url`` fixtures use it too); a server that does not answer fails the
  test, never skips it.
- :func:`loaded`: a fresh database of a kind (``sqlite``, ``postgresql``, ``mariadb``) holding a
  sample (``chinook``, ``fides``, ``northwind``, ``mywind``); :data:`KINDS` says where each
  sample exists.
- :func:`keys`: table -> the primary keys (as text) each SQL query returns, the ground truth
  the acceptance tests compare Varna's answers with.

The loaders:

- Chinook (``dsr/chinook.py``): the SQLite script, or the MySQL script on MariaDB and, translated
  mechanically, on PostgreSQL; the same names everywhere.
- Fides' example (``dsr/fides.py``): its PostgreSQL script, made portable for SQLite and MariaDB.
- Northwind (``northwind-postgresql/northwind.sql``): a plain dump without ``COPY`` or psql
  meta-commands, run as one simple-protocol script.
- MyWind (``mywind/northwind.sql`` then ``northwind-data.sql``): the scripts name the schema
  ``northwind``; every such name is replaced by the test database's, so parallel tests never
  share a schema. Run with multi-statement execution, as the mysql client would.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pymysql
import pytest
import sqlalchemy as sa
from pymysql.constants import CLIENT

from dsr.chinook import load_chinook
from dsr.fides import load_fides_sample
from shared_data import shared_data

PG_ADMIN = os.environ.get(
    "VARNA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
MARIADB_ADMIN = os.environ.get("VARNA_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/")
_SERVERS = {"postgresql": ("PostgreSQL", PG_ADMIN), "mariadb": ("MariaDB", MARIADB_ADMIN)}

Keys = dict[str, set[tuple[str, ...]]]


def _admin(kind: str) -> sa.Engine:
    server, url = _SERVERS[kind]
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
    except sa.exc.OperationalError as exc:
        engine.dispose()
        pytest.fail(f"{server} does not answer ({exc.orig!r}); run scripts/check-services")
    return engine


@contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh PostgreSQL or MariaDB database (``kind``), dropped at the end: its URL."""
    admin = _admin(kind)
    name = f"varna_test_{uuid.uuid4().hex[:12]}"
    postgres = kind == "postgresql"
    quoted = f'"{name}"' if postgres else f"`{name}`"
    charset = "" if postgres else " CHARACTER SET utf8mb4"
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {quoted}{charset}"))
    query = {} if postgres else {"charset": "utf8mb4"}
    try:
        yield (
            sa.make_url(_SERVERS[kind][1])
            .set(database=name, query=query)
            .render_as_string(hide_password=False)
        )
    finally:
        force = " WITH (FORCE)" if postgres else ""
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {quoted}{force}"))
        admin.dispose()


def load_northwind(url: str) -> None:
    """Northwind's 14 tables and rows into the empty PostgreSQL database at ``url``."""
    script = shared_data("northwind-postgresql", "northwind.sql")
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    raw = engine.raw_connection()
    try:
        raw.cursor().execute(script.read_text(encoding="utf-8"))
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def load_mywind(url: str) -> None:
    """MyWind's schema and rows into the empty MariaDB database at ``url``."""
    schema = shared_data("mywind", "northwind.sql")
    data = shared_data("mywind", "northwind-data.sql")
    parsed = sa.make_url(url)
    name = str(parsed.database)
    script = "\n".join(p.read_text(encoding="utf-8") for p in (schema, data))
    script = re.sub(r"DROP SCHEMA IF EXISTS `northwind`\s*;", "", script)
    script = re.sub(r"CREATE SCHEMA IF NOT EXISTS `northwind`[^;]*;", "", script)
    script = script.replace("`northwind`", f"`{name}`")
    conn = pymysql.connect(
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 3306,
        user=parsed.username or "root",
        password=parsed.password or "",
        database=name,
        charset="utf8mb4",
        client_flag=CLIENT.MULTI_STATEMENTS,
    )
    try:
        with conn.cursor() as cursor:
            cursor.execute(script)
            while cursor.nextset():
                pass
        conn.commit()
    finally:
        conn.close()


LOADERS: dict[str, Callable[[str], None]] = {
    "chinook": load_chinook,
    "fides": load_fides_sample,
    "northwind": load_northwind,
    "mywind": load_mywind,
}
KINDS = {
    "chinook": ("sqlite", "postgresql", "mariadb"),
    "fides": ("sqlite", "postgresql", "mariadb"),
    "northwind": ("postgresql",),
    "mywind": ("mariadb",),
}
"""Where each sample exists (the databases its scripts load into)."""


def marked(*names: str) -> list[Any]:
    """Test parameters for kinds of database, those on a server marked with it."""
    marks = {"postgresql": pytest.mark.postgres, "mariadb": pytest.mark.mariadb}
    return [pytest.param(kind, marks=marks[kind]) if kind in marks else kind for kind in names]


def kinds(sample: str) -> list[Any]:
    """Test parameters for each kind of database ``sample`` exists on."""
    return marked(*KINDS[sample])


DATABASES = marked("sqlite", "postgresql", "mariadb")
"""Every kind of SQL database, as test parameters."""


@contextmanager
def loaded(sample: str, kind: str, folder: Path) -> Iterator[str]:
    """A fresh ``kind`` database holding ``sample`` (a SQLite file goes in ``folder``): its
    URL; dropped at the end."""
    if kind not in KINDS[sample]:
        raise ValueError(f"sample {sample} exists on {', '.join(KINDS[sample])}, not {kind}")
    if kind == "sqlite":
        path = folder / f"{sample}-{uuid.uuid4().hex[:8]}.db"
        url = f"sqlite:///{path}"
        LOADERS[sample](url)
        yield url
        return
    with database(kind) as url:
        LOADERS[sample](url)
        yield url


def keys(url: str, queries: dict[str, str], **params: Any) -> Keys:
    """table -> primary keys (as text) each query returns, with ``params`` bound."""
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            return {
                table: {tuple(str(v) for v in row) for row in conn.execute(sa.text(sql), params)}
                for table, sql in queries.items()
            }
    finally:
        engine.dispose()
