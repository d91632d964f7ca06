"""The shared rate-limit windows: one atomic count per request under many writers, a new window
starting at one, ended windows swept; SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from varna.state import StateDB, open_state
from varna.state.rate import RateCounter
from varna.state.schema import rate_windows


@pytest.fixture
def db(state_url: str) -> Iterator[StateDB]:
    state = open_state(state_url)
    state.migrate()
    try:
        yield state
    finally:
        state.close()


def rows(db: StateDB) -> list[tuple[str, int, int]]:
    with db.read("reading the windows") as conn:
        q = sa.select(rate_windows).order_by(rate_windows.c.window, rate_windows.c.key)
        return [(r.key, r.window, r.hits) for r in conn.execute(q)]


def test_counts_per_key_and_window_and_sweeps_ended_windows(db: StateDB) -> None:
    counter = RateCounter(db)
    assert [counter.hit("a" * 64, 7) for _ in range(3)] == [1, 2, 3]
    assert counter.hit("b" * 64, 7) == 1
    assert counter.hit("a" * 64, 8) == 1  # a new window starts at one, and sweeps window 7
    assert rows(db) == [("a" * 64, 8, 1)]


def test_many_writers_lose_no_count(db: StateDB) -> None:
    counter = RateCounter(db)
    with ThreadPoolExecutor(8) as pool:
        seen = list(pool.map(lambda _: counter.hit("c" * 64, 3), range(80)))
    assert sorted(seen) == list(range(1, 81))
