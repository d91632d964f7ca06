"""The erasure journal in the state database (SQLite and PostgreSQL): a crash after the first
system is finished by a re-run through a second journal object, as another worker would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from varna.connectors import MemoryConnector
from varna.dsr.executor import erase
from varna.dsr.identity import Identity
from varna.dsr.journal import StateErasureJournal
from varna.state import StateDB, open_state
from varna.state.schema import erasure_journal

from .shop import NOW, shop_connectors, shop_register

KEY = b"k" * 32
ANNA = [Identity("email", "anna@example.se")]


class Crash(Exception):
    pass


@pytest.fixture
def state(state_url: str) -> Iterator[StateDB]:
    db = open_state(state_url)
    db.migrate()
    yield db
    db.close()


def bodies(state: StateDB) -> list[str]:
    with state.read() as conn:
        return list(conn.scalars(sa.select(erasure_journal.c.body)))


def snapshot(connectors: dict[str, MemoryConnector]) -> dict[str, object]:
    return {k: c.snapshot() for k, c in connectors.items()}


def test_a_crashed_erasure_is_finished_by_another_worker(state: StateDB) -> None:
    connectors = shop_connectors()

    def crash(system: str) -> None:
        raise Crash(system)

    with pytest.raises(Crash):
        erase(
            shop_register(),
            ANNA,
            connectors,
            now=NOW,
            hash_key=KEY,
            journal=StateErasureJournal(state),
            execute=True,
            on_system_done=crash,
        )
    (body,) = bodies(state)
    assert '"done": ["crm"]' in body
    assert "anna@example.se" not in body

    other = StateErasureJournal(state)  # a second process, same database
    outcome = erase(
        shop_register(), ANNA, connectors, now=NOW, hash_key=KEY, journal=other, execute=True
    )
    assert outcome.resumed is not None
    assert [r.skipped for r in outcome.receipts][:3] == [True, False, False]
    clean = shop_connectors()
    erase(shop_register(), ANNA, clean, now=NOW, hash_key=KEY, execute=True)
    assert snapshot(connectors) == snapshot(clean)
    assert bodies(state) == []
