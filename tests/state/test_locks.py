"""Per-person locks on PostgreSQL: held while they should be, released when they should be
(also when the connection goes back to the pool), and separate per person."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from varna.state import StateDB, open_state
from varna.state.locks import _EXECUTION_SPACE, execution_lock, lock_key, lock_subjects

pytestmark = pytest.mark.postgres


@pytest.fixture
def state(pg_url: str) -> Iterator[StateDB]:
    db = open_state(pg_url)
    try:
        yield db
    finally:
        db.close()


def _free(url: str, *, key: int, space: int | None = None) -> bool:
    """Whether another session can take the lock right now (and lets it go again)."""
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            if space is None:
                took = conn.scalar(sa.select(sa.func.pg_try_advisory_lock(key)))
                conn.execute(sa.select(sa.func.pg_advisory_unlock_all()))
            else:
                took = conn.scalar(sa.select(sa.func.pg_try_advisory_lock(space, key)))
                conn.execute(sa.select(sa.func.pg_advisory_unlock_all()))
            return bool(took)
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("held", "asked", "free"),
    [("ps_anna", "ps_anna", False), ("ps_anna", "ps_berit", True)],
    ids=["same-person-waits", "other-person-free"],
)
def test_transaction_lock(state: StateDB, pg_url: str, held: str, asked: str, free: bool) -> None:
    with state.write() as conn:
        lock_subjects(conn, [held])
        assert _free(pg_url, key=lock_key(asked)) is free
    assert _free(pg_url, key=lock_key(asked))  # released at commit


@pytest.mark.parametrize(
    ("held", "asked", "free"),
    [("ps_anna", "ps_anna", False), ("ps_anna", "ps_berit", True)],
    ids=["same-person-waits", "other-person-free"],
)
def test_execution_lock(state: StateDB, pg_url: str, held: str, asked: str, free: bool) -> None:
    key = lock_key(asked) & 0x7FFFFFFF
    with execution_lock(state, [held]):
        assert _free(pg_url, key=key, space=_EXECUTION_SPACE) is free
    assert _free(pg_url, key=key, space=_EXECUTION_SPACE)  # released, though the connection
    with state.engine.connect() as conn:  # went back to the pool and is reused here
        held_now = conn.scalar(
            sa.text(
                "SELECT count(*) FROM pg_locks "
                "WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
            )
        )
    assert held_now == 0


def test_execution_lock_releases_on_error(state: StateDB, pg_url: str) -> None:
    key = lock_key("ps_anna") & 0x7FFFFFFF
    with pytest.raises(RuntimeError), execution_lock(state, ["ps_anna"]):
        raise RuntimeError("the right failed")
    assert _free(pg_url, key=key, space=_EXECUTION_SPACE)
