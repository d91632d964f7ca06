"""The job queue's place in Varna's state database: its URL and its schema, made once.

The queue (procrastinate, :mod:`varna.jobs.queue`) keeps its jobs in the PostgreSQL state
database. This module turns the state URL into the libpq form procrastinate connects with, and
creates procrastinate's tables under an advisory lock, so workers starting together create them
once. There is no queue on SQLite.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from varna.errors import StateError

_SCHEMA_LOCK = 0x76726E6A6F62  # "vrnjob": one process creates the queue's tables at a time
_PROBE_TABLE = "procrastinate_jobs"


def is_postgresql(state_url: str) -> bool:
    """Whether the state database at ``state_url`` is PostgreSQL (the only one with a queue)."""
    return sa.make_url(state_url).get_backend_name() == "postgresql"


def libpq_url(state_url: str) -> str:
    """The libpq form of a SQLAlchemy PostgreSQL URL; refuses any other database."""
    url = sa.make_url(state_url)
    if url.get_backend_name() != "postgresql":
        raise StateError(
            "background workers share their queue through PostgreSQL: set VARNA_DATABASE_URL to "
            "postgresql+psycopg://user@host/db, or on SQLite run `varna retention run --execute` "
            "from cron or a systemd timer"
        )
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def create_queue_schema(state_url: str, schema: Callable[[], str]) -> bool:
    """Run ``schema()`` (the queue's DDL) on the state database unless the queue's tables are
    there already; True if it ran. Serialised with an advisory transaction lock."""
    libpq_url(state_url)  # refuse SQLite before connecting
    engine = sa.create_engine(state_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_SCHEMA_LOCK)))
            exists = conn.scalar(
                sa.text("SELECT to_regclass(:table) IS NOT NULL"), {"table": _PROBE_TABLE}
            )
            if exists:
                return False
            ddl = schema()
            cursor = conn.connection.cursor()  # no parameters: the schema's '%' stays literal
            try:
                cursor.execute(ddl)
            except conn.dialect.loaded_dbapi.Error as exc:  # the raw cursor: wrap it as SQLAlchemy
                raise sa.exc.DBAPIError.instance(
                    "the job queue's schema", None, exc, conn.dialect.loaded_dbapi.Error
                ) from exc
            finally:
                cursor.close()
            return True
    except sa.exc.SQLAlchemyError as exc:
        raise StateError(
            f"cannot prepare the job queue in the state database ({type(exc).__name__}); check "
            "that VARNA_DATABASE_URL points at a PostgreSQL database you may create tables in"
        ) from exc
    finally:
        engine.dispose()
