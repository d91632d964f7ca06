"""Several workers appending at once never fork the chain (SQLite and PostgreSQL).

Each worker is a thread with its own engine, as separate processes would have; they start
together behind a barrier and mix single appends with batches.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from varna.audit import AuditLog, NewEvent
from varna.state import open_state

WORKERS = 4
SINGLES = 15
BATCHES = 5
BATCH = 8


def _worker(url: str, key: bytes, number: int, barrier: threading.Barrier) -> None:
    with open_state(url) as state:
        log = AuditLog(state, key=key)
        at = datetime(2025, 1, 31, tzinfo=UTC)
        barrier.wait(timeout=30)
        for index in range(SINGLES):
            log.append(at=at, actor=f"job:w{number}", action="test.single", details={"i": index})
            if index < BATCHES:
                batch = [
                    NewEvent(at + timedelta(microseconds=j), f"job:w{number}", "test.batch")
                    for j in range(BATCH)
                ]
                log.append_many(batch)


@pytest.mark.slow
def test_concurrent_appends_keep_one_chain(state_url: str, log: AuditLog, key: bytes) -> None:
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def run(target: Callable[[], None]) -> Callable[[], None]:
        def guarded() -> None:
            try:
                target()
            except BaseException as exc:
                errors.append(exc)
                barrier.abort()

        return guarded

    threads = [
        threading.Thread(target=run(lambda n=n: _worker(state_url, key, n, barrier)))
        for n in range(WORKERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    total = WORKERS * (SINGLES + BATCHES * BATCH)
    report = log.verify(batch=50)
    assert (report.ok, report.checked) == (True, total)
    events = list(log.iter_events())
    assert [e.seq for e in events] == list(range(1, total + 1))
    assert log.head().last_seq == total
    for number in range(WORKERS):
        mine = [e for e in events if e.actor == f"job:w{number}"]
        singles = [e.details["i"] for e in mine if e.action == "test.single"]
        assert singles == list(range(SINGLES))
        batch_seqs = [e.seq for e in mine if e.action == "test.batch"]
        for start in range(0, len(batch_seqs), BATCH):
            chunk = batch_seqs[start : start + BATCH]
            assert chunk == list(range(chunk[0], chunk[0] + BATCH))  # a batch is never interleaved
