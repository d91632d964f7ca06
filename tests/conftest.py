"""Shared fixtures: paths to the shared test data, and real throwaway databases.

PostgreSQL and MariaDB tests run against the local servers. When a server does not answer the
test fails, it is never skipped (``scripts/check-services`` says how to start them). Tests of the
shared data skip without it (``shared_data.py``); under CI any skip fails the run (``ci_guard.py``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from shared_data import SHARED_DATA

pytest_plugins = ["pytester", "ci_guard"]

ROOT = Path(__file__).resolve().parent.parent
SHARED = SHARED_DATA.parent
EXAMPLES = ROOT / "examples"

PG_ADMIN_URL = os.environ.get(
    "VARNA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
MARIADB_ADMIN_URL = os.environ.get("VARNA_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/")


def _admin_engine(url: str, server: str) -> sa.Engine:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
    except sa.exc.OperationalError as exc:
        pytest.fail(f"{server} does not answer ({exc.orig!r}); run scripts/check-services")
    return engine


@pytest.fixture(autouse=True)
def own_varna_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets its own Varna home (state, keys, checkpoints) unless it sets one: a test
    never reads or writes a ``.varna`` of the working directory."""
    monkeypatch.setenv("VARNA_HOME", str(tmp_path_factory.mktemp("varna-home")))


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    admin = _admin_engine(PG_ADMIN_URL, "PostgreSQL")
    name = f"varna_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(PG_ADMIN_URL).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def mariadb_url() -> Iterator[str]:
    """A fresh, empty MariaDB database for one test, dropped afterwards."""
    admin = _admin_engine(MARIADB_ADMIN_URL, "MariaDB")
    name = f"varna_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
    url = sa.make_url(MARIADB_ADMIN_URL).set(database=name, query={"charset": "utf8mb4"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS `{name}`"))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database file for one test."""
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def state_url(request: pytest.FixtureRequest) -> str:
    """Varna's own state database: every state test runs on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def demo_company(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[int], Path]:
    """Build the demo company with ``subjects`` people and point Varna at it (register, a home
    for the state and a fixed audit key); returns its folder."""
    from varna.demo.builder import build_demo

    def build(subjects: int) -> Path:
        result = build_demo(tmp_path / "demo", subjects=subjects)
        monkeypatch.setenv("VARNA_HOME", str(tmp_path / "home"))
        monkeypatch.setenv("VARNA_AUDIT_KEY", "test-audit-key-0123456789abcdef")
        monkeypatch.setenv("VARNA_REGISTER", str(result.register_path))
        return result.directory

    return build
