"""The console's users and sessions in the state, on SQLite and PostgreSQL: what serialises
each write (a primary key for names, a conditional update for TOTP steps and failure counts),
tried from several threads at once."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from varna.errors import AccessError
from varna.state import StateDB, open_state
from varna.state.sessions import SessionStore, session_hash
from varna.state.users import UserStore

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
THREADS = 8


@pytest.fixture
def db(state_url: str) -> Iterator[StateDB]:
    state = open_state(state_url)
    state.migrate()
    try:
        yield state
    finally:
        state.close()


def add(users: UserStore, name: str) -> None:
    users.add(
        name=name,
        role="dpo",
        special_categories=False,
        password_hash="$argon2id$test",
        totp_sealed="sealed",
        now=NOW,
    )


def test_one_of_many_parallel_adds_of_a_name_wins(db: StateDB) -> None:
    users = UserStore(db)

    def attempt(_: int) -> bool:
        try:
            add(users, "anna")
        except AccessError:
            return False
        return True

    with ThreadPoolExecutor(THREADS) as pool:
        won = list(pool.map(attempt, range(THREADS)))
    assert won.count(True) == 1
    assert [u.name for u in users.listing()] == ["anna"]


@pytest.mark.parametrize("steps", [[5] * THREADS, [5, 4, 5, 6, 6, 3, 7, 7]], ids=["same", "mixed"])
def test_a_totp_step_is_accepted_once_however_many_race(db: StateDB, steps: list[int]) -> None:
    users = UserStore(db)
    add(users, "anna")
    with ThreadPoolExecutor(THREADS) as pool:
        accepted = list(pool.map(lambda s: users.accept_step("anna", s), steps))
    wins = [s for s, ok in zip(steps, accepted, strict=True) if ok]
    assert len(wins) == len(set(wins))  # no step twice
    user = users.get("anna")
    assert user is not None
    assert user.totp_step == max(steps)


def test_parallel_failures_are_all_counted(db: StateDB) -> None:
    users = UserStore(db)
    add(users, "anna")
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(lambda _: users.record_failure("anna", locked_until=None), range(THREADS)))
    user = users.get("anna")
    assert user is not None
    assert user.failures == THREADS


def test_sessions_keep_only_a_hash_and_disabling_ends_them(db: StateDB) -> None:
    users, sessions = UserStore(db), SessionStore(db)
    add(users, "anna")
    record, session_id = sessions.start("anna", stage="full", now=NOW)
    assert record.id_hash == session_hash(session_id)
    assert session_id not in repr(record)
    assert sessions.get(session_id) == record
    users.disable("anna", now=NOW)
    assert sessions.get(session_id) is None
    with pytest.raises(AccessError, match="no user 'bo'"):
        users.disable("bo", now=NOW)
