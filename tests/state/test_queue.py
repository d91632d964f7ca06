"""The job queue's place in the state database: the libpq URL, and its schema made once under a
lock (PostgreSQL), refused on SQLite."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from varna.errors import StateError
from varna.state.queue import create_queue_schema, is_postgresql, libpq_url

SCHEMA = "CREATE TABLE procrastinate_jobs (id integer primary key, note text DEFAULT '100%')"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            "postgresql+psycopg://u:p%40w@db.example:5433/varna",
            "postgresql://u:p%40w@db.example:5433/varna",
            id="psycopg-driver-dropped-password-kept",
        ),
        pytest.param("postgresql://u@h/d", "postgresql://u@h/d", id="already-libpq"),
    ],
)
def test_libpq_url(url: str, expected: str) -> None:
    assert is_postgresql(url)
    assert libpq_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [pytest.param("sqlite:///state.db", id="sqlite"), pytest.param("mysql://u@h/d", id="mysql")],
)
def test_other_databases_have_no_queue(url: str) -> None:
    assert not is_postgresql(url)
    with pytest.raises(StateError, match="share their queue through PostgreSQL"):
        libpq_url(url)
    with pytest.raises(StateError, match="share their queue through PostgreSQL"):
        create_queue_schema(url, lambda: SCHEMA)


@pytest.mark.postgres
def test_the_schema_is_made_once(pg_url: str) -> None:
    calls: list[int] = []

    def schema() -> str:
        calls.append(1)
        return SCHEMA

    assert create_queue_schema(pg_url, schema) is True
    assert create_queue_schema(pg_url, schema) is False
    assert len(calls) == 1
    engine = sa.create_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert (
                conn.scalar(
                    sa.text(
                        "SELECT column_default FROM information_schema.columns "
                        "WHERE table_name = 'procrastinate_jobs' AND column_name = 'note'"
                    )
                )
                == "'100%'::text"
            )
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_failing_schema_is_a_state_error(pg_url: str) -> None:
    with pytest.raises(StateError, match="cannot prepare the job queue"):
        create_queue_schema(pg_url, lambda: "CREATE TABLE broken (")
