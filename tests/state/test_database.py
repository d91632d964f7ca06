"""open_state, StateDB transactions and error wrapping, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from varna.errors import StateError
from varna.state import StateDB, open_state
from varna.state.database import describe_url, fetch_tuples


def test_sqlite_file_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "state.db"
    with open_state(f"sqlite:///{path}") as state:
        state.migrate()
    assert path.exists()


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [("journal_mode", "wal"), ("synchronous", 1), ("foreign_keys", 1)],
    ids=["wal", "synchronous-normal", "foreign-keys"],
)
def test_sqlite_pragmas(sqlite_url: str, pragma: str, expected: object) -> None:
    with open_state(sqlite_url) as state, state.read() as conn:
        assert conn.exec_driver_sql(f"PRAGMA {pragma}").scalar() == expected


def test_sqlite_write_takes_the_lock_up_front(sqlite_url: str) -> None:
    with open_state(sqlite_url) as state:
        state.migrate()
        path = sa.make_url(sqlite_url).database
        assert path is not None
        with state.write():
            other = sqlite3.connect(path, timeout=0, isolation_level=None)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            other.close()


def test_read_sees_one_snapshot(state_url: str) -> None:
    with open_state(state_url) as state, open_state(state_url) as other:
        state.migrate()
        table = sa.table("audit_head", sa.column("last_seq"))
        with state.read() as conn:
            before = conn.execute(sa.select(table.c.last_seq)).scalar_one()
            done = threading.Event()

            def bump() -> None:
                with other.write() as writer:
                    writer.execute(sa.update(table).values(last_seq=42))
                done.set()

            thread = threading.Thread(target=bump)
            thread.start()
            thread.join(timeout=30)
            assert done.is_set()
            assert conn.execute(sa.select(table.c.last_seq)).scalar_one() == before == 0
        with state.read() as conn:
            assert conn.execute(sa.select(table.c.last_seq)).scalar_one() == 42


def test_fetch_tuples_returns_plain_rows(state_url: str) -> None:
    with open_state(state_url) as state:
        state.migrate()
        table = sa.table("audit_head", sa.column("id"), sa.column("last_seq"))
        with state.read() as conn:
            rows = fetch_tuples(conn, sa.select(table.c.id, table.c.last_seq).where(table.c.id > 0))
        assert rows == [(1, 0)]
        assert type(rows[0]) is tuple


def test_error_without_migration_says_how_to_fix(state_url: str) -> None:
    with (
        open_state(state_url) as state,
        pytest.raises(StateError, match=r"StateDB\.migrate"),
        state.read("reading the audit head") as conn,
    ):
        conn.execute(sa.text("select last_seq from audit_head"))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "not a SQLAlchemy URL"),
        ("nosuchdb://host/db", "unsupported URL"),
    ],
    ids=["garbage", "unknown-backend"],
)
def test_bad_urls(url: str, message: str) -> None:
    with pytest.raises(StateError, match=message):
        open_state(url)


def test_unreachable_server_names_host_not_password() -> None:
    state = open_state("postgresql+psycopg://varna:s3cret-pw@127.0.0.1:1/varna?connect_timeout=2")
    with pytest.raises(StateError) as info:
        state.revision()
    message = str(info.value)
    assert "127.0.0.1:1/varna" in message
    assert "s3cret-pw" not in message
    assert "reachable" in message
    state.close()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////var/lib/varna/state.db", "sqlite:/var/lib/varna/state.db"),
        ("sqlite://", "sqlite::memory:"),
        ("postgresql+psycopg://u:pw@db.example:5433/varna", "postgresql://db.example:5433/varna"),
    ],
    ids=["sqlite-file", "sqlite-memory", "postgresql"],
)
def test_describe_url_never_shows_credentials(url: str, expected: str) -> None:
    assert describe_url(sa.make_url(url)) == expected


def test_repr_hides_credentials() -> None:
    state = StateDB(sa.create_engine("postgresql+psycopg://u:pw@db.example/varna"))
    assert "pw" not in repr(state)
    assert state.dialect == "postgresql"
