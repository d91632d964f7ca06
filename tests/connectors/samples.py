"""Public sample databases from ``../shared/data`` loaded into a fresh test database (never
copied into the repository): Northwind on PostgreSQL and MyWind (Northwind for MySQL) on MariaDB.

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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pymysql
import pytest
import sqlalchemy as sa
from pymysql.constants import CLIENT

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
NORTHWIND = SHARED_DATA / "northwind-postgresql" / "northwind.sql"
MYWIND = SHARED_DATA / "mywind"


PG_ADMIN = os.environ.get(
    "VARNA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
MARIADB_ADMIN = os.environ.get("VARNA_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/")


@contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh PostgreSQL or MariaDB database (``kind``), dropped at the end: its URL."""
    admin_url = PG_ADMIN if kind == "postgresql" else MARIADB_ADMIN
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    name = f"varna_test_{uuid.uuid4().hex[:12]}"
    quoted = f'"{name}"' if kind == "postgresql" else f"`{name}`"
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {quoted}"))
    query = {} if kind == "postgresql" else {"charset": "utf8mb4"}
    try:
        yield (
            sa.make_url(admin_url)
            .set(database=name, query=query)
            .render_as_string(hide_password=False)
        )
    finally:
        force = " WITH (FORCE)" if kind == "postgresql" else ""
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {quoted}{force}"))
        admin.dispose()


def _require(*paths: Path) -> None:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        pytest.skip(f"shared sample data absent (a plain clone): {', '.join(missing)}")


def load_northwind(url: str) -> None:
    """Northwind's 14 tables and rows into the empty PostgreSQL database at ``url``."""
    _require(NORTHWIND)
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    raw = engine.raw_connection()
    try:
        raw.cursor().execute(NORTHWIND.read_text(encoding="utf-8"))
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def load_mywind(url: str) -> None:
    """MyWind's schema and rows into the empty MariaDB database at ``url``."""
    schema, data = MYWIND / "northwind.sql", MYWIND / "northwind-data.sql"
    _require(schema, data)
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
