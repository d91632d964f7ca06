"""Fixtures for the audit tests: a migrated state database, a log, and a filled log."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from varna.audit import AuditLog, NewEvent, pseudonymise
from varna.state import StateDB, open_state

KEY = b"test-audit-key-0123456789abcdef!"
T0 = datetime(2025, 1, 31, 12, 0, tzinfo=UTC)
FILLED = 10


def sample_events(count: int, *, start: int = 0) -> list[NewEvent]:
    """Varied events: some without subject or target, nested details, non-ASCII text.

    In a log filled from ``start=0``, entries 3 and 7 have no subject, 4 and 8 no target, and
    entries 1, 2, 5, 6, 9 and 10 have every column set.
    """
    return [
        NewEvent(
            at=T0 + timedelta(seconds=index, microseconds=index),
            actor="job:retention" if index % 2 else "user:dpo",
            action="retention.rows.deleted" if index % 3 else "dsr.access.executed",
            subject=None if index % 4 == 2 else pseudonymise("email", f"p{index}@x.se", key=KEY),
            target=None if index % 4 == 3 else "crm.customers",
            details={"rows": index, "rule": "kunder-7år", "tags": ["a", {"b": index}]},
        )
        for index in range(start, start + count)
    ]


@pytest.fixture
def state(state_url: str) -> Iterator[StateDB]:
    """A migrated state database on SQLite or PostgreSQL."""
    db = open_state(state_url)
    db.migrate()
    yield db
    db.close()


class TickingClock:
    """A fixed clock for the log: ``start``, then one ``step`` later at every reading."""

    def __init__(self, start: datetime = T0, step: timedelta = timedelta(seconds=1)) -> None:
        self.now, self.step = start, step

    def __call__(self) -> datetime:
        now, self.now = self.now, self.now + self.step
        return now


@pytest.fixture
def clock() -> TickingClock:
    """The clock the ``log`` fixture reads: T0, T0 + 1 s, ..."""
    return TickingClock()


@pytest.fixture
def log(state: StateDB, clock: TickingClock) -> AuditLog:
    """An empty audit log on a fixed, ticking clock."""
    return AuditLog(state, key=KEY, clock=clock)


@pytest.fixture
def filled(log: AuditLog) -> AuditLog:
    """An audit log holding entries 1..FILLED."""
    log.append_many(sample_events(FILLED))
    return log


@pytest.fixture
def key() -> bytes:
    """The audit key the ``log`` fixture uses."""
    return KEY


@pytest.fixture
def make_events() -> Callable[..., list[NewEvent]]:
    """``make_events(count, start=0)``: see :func:`sample_events`."""
    return sample_events
