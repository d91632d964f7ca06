"""Appending to and reading the audit log, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise
from typing import Any

import pytest
import sqlalchemy as sa

from varna.audit import AuditLog, NewEvent, pseudonymise
from varna.audit.chain import ChainHasher, canonical_json, format_at, genesis_hash, head_mac
from varna.errors import StateError
from varna.state import StateDB, open_state

KEY = b"test-audit-key-0123456789abcdef!"  # the same key as the ``log`` fixture's
T0 = datetime(2025, 1, 31, 12, 0, tzinfo=UTC)
FILLED = 10
MakeEvents = Callable[..., list[NewEvent]]


def test_append_returns_the_entry_as_written(log: AuditLog) -> None:
    subject = pseudonymise("email", "anna@example.se", key=KEY)
    event = log.append(
        at=T0,
        actor="user:dpo",
        action="dsr.access.executed",
        subject=subject,
        target="crm.customers",
        details={"tables": 3, "rows": 12},
    )
    assert (event.seq, event.at, event.subject, event.details) == (
        1,
        T0,
        subject,
        {"tables": 3, "rows": 12},
    )
    assert event.prev_hash == genesis_hash(KEY)
    expected = ChainHasher(KEY).entry(
        1,
        format_at(T0),
        "user:dpo",
        "dsr.access.executed",
        subject,
        "crm.customers",
        canonical_json({"rows": 12, "tables": 3}),
        genesis_hash(KEY),
    )
    assert event.hash == expected
    assert list(log.iter_events()) == [event]


def test_append_many_chains_and_moves_the_head(log: AuditLog, make_events: MakeEvents) -> None:
    first = log.append_many(make_events(3))
    second = log.append_many(make_events(2, start=3))
    events = first + second
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(events))
    head = log.head()
    assert (head.last_seq, head.last_hash) == (5, events[-1].hash)
    assert head.mac == head_mac(KEY, 5, events[-1].hash)
    assert list(log.iter_events()) == events


def test_append_many_of_nothing_writes_nothing(log: AuditLog) -> None:
    assert log.append_many([]) == []
    assert log.head().last_seq == 0


def test_roundtrip_verifies(filled: AuditLog) -> None:
    report = filled.verify()
    assert (report.ok, report.checked, report.findings) == (True, FILLED, ())
    report.raise_if_broken()


def test_empty_log_verifies(log: AuditLog) -> None:
    assert log.verify().ok
    assert log.verify().checked == 0


@pytest.mark.parametrize("batch", [1, 3, FILLED, 10_000], ids=["b1", "b3", "b-exact", "b10k"])
def test_iter_events_in_batches(filled: AuditLog, batch: int) -> None:
    events = list(filled.iter_events(batch=batch))
    assert [e.seq for e in events] == list(range(1, FILLED + 1))
    assert [e.seq for e in filled.iter_events(after_seq=7, batch=batch)] == [8, 9, 10]


def test_verify_reports_progress(filled: AuditLog) -> None:
    seen: list[int] = []
    assert filled.verify(batch=4, on_progress=seen.append).ok
    assert seen == [4, 8, 10]


def test_times_are_stored_in_utc(state: StateDB) -> None:
    stockholm = timezone(timedelta(hours=1))
    log = AuditLog(state, key=KEY, clock=lambda: datetime(2025, 1, 31, 13, 0, 0, 5, stockholm))
    event = log.append(actor="u:a", action="a.b")
    stored = next(iter(log.iter_events()))
    assert stored.at == event.at == datetime(2025, 1, 31, 12, 0, 0, 5, tzinfo=UTC)
    assert stored.at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("as_of", "recorded"),
    [
        (None, None),
        (T0, None),
        (T0 + timedelta(seconds=59), None),
        (datetime(2030, 1, 1, tzinfo=UTC), "2030-01-01T00:00:00.000000+00:00"),
        (T0 - timedelta(days=3), "2025-01-28T12:00:00.000000+00:00"),
    ],
    ids=["none", "now", "within-a-minute", "future", "past"],
)
def test_entries_carry_the_real_time_and_keep_a_far_as_of(
    log: AuditLog, as_of: datetime | None, recorded: str | None
) -> None:
    event = log.append(at=as_of, actor="job:retention", action="retention.run.executed")
    assert event.at == T0  # the log's clock, never the caller's "as of"
    assert event.details.get("as_of") == recorded
    assert log.verify().ok


def test_a_naive_as_of_is_refused(log: AuditLog) -> None:
    with pytest.raises(StateError, match="naive"):
        log.append(at=datetime(2030, 1, 1), actor="u:a", action="a.b")
    assert log.head().last_seq == 0


def _bad(**change: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"at": T0, "actor": "user:dpo", "action": "dsr.access.executed"}
    return base | change


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (_bad(at=datetime(2025, 1, 31)), "naive"),
        (_bad(actor=""), "actor"),
        (_bad(actor="x" * 201), "actor"),
        (_bad(action="Delete"), "dotted"),
        (_bad(action="dsr"), "dotted"),
        (_bad(subject="anna@example.se"), "not a pseudonym"),
        (_bad(target=""), "target"),
        (_bad(details={"note": "mail anna@example.se"}), "'note'.*e-mail"),
        (_bad(details={"who": {"pnr": "19121212-1212"}}), "'who.pnr'.*personnummer"),
        (_bad(details={"ids": [1, "121212-1212"]}), r"'ids\[1\]'.*personnummer"),
        (_bad(details={"when": datetime(2025, 1, 1)}), "'when'.*datetime"),
        (_bad(details={"x": float("nan")}), "'x'.*finite"),
        (_bad(details=["not", "a", "mapping"]), "mapping"),
    ],
    ids=[
        "naive-time",
        "empty-actor",
        "long-actor",
        "action-not-dotted",
        "action-one-word",
        "subject-in-clear",
        "empty-target",
        "email-in-details",
        "personnummer-nested",
        "personnummer-in-list",
        "datetime-value",
        "nan",
        "details-not-mapping",
    ],
)
def test_append_rejects(log: AuditLog, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(StateError, match=message) as info:
        log.append(**kwargs)
    assert "anna@example.se" not in str(info.value)
    assert "1212-1212" not in str(info.value)
    assert log.head().last_seq == 0


def test_a_bad_event_rejects_the_whole_batch(log: AuditLog, make_events: MakeEvents) -> None:
    events = [*make_events(3), NewEvent(at=T0, actor="u", action="a.b", details={"e": "a@b.se"})]
    with pytest.raises(StateError):
        log.append_many(events)
    assert list(log.iter_events()) == []


def test_short_key_is_refused(state: StateDB) -> None:
    with pytest.raises(StateError, match="at least 16 bytes"):
        AuditLog(state, key=b"short")


def test_unmigrated_database_says_migrate(state_url: str) -> None:
    with open_state(state_url) as bare, pytest.raises(StateError, match="migrat"):
        AuditLog(bare, key=KEY).append(at=T0, actor="u:a", action="a.b")


def test_appends_in_one_transaction_lock_the_head_once_and_the_next_transaction_again(
    log: AuditLog, state: StateDB, make_events: MakeEvents
) -> None:
    """The head a transaction locked and moved serves its later appends (one head read per
    transaction, not per append); a later transaction on the same pooled connection reads the
    head again, so appends made meanwhile by others are chained after, never over."""
    heads: list[str] = []

    def count(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
        if "FROM audit_head" in statement:
            heads.append(statement)

    sa.event.listen(state.engine, "before_cursor_execute", count)
    try:
        with state.write() as tx:
            first = log.append_in(tx, make_events(2))
            second = log.append_in(tx, make_events(1, start=2))
        assert len(heads) == 1
        between = log.append_many(make_events(1, start=3))  # its own transaction
        with state.write() as tx:
            last = log.append_in(tx, make_events(2, start=4))
    finally:
        sa.event.remove(state.engine, "before_cursor_execute", count)
    events = first + second + between + last
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6]
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(events))
    assert len(heads) == 3
    assert log.verify().ok


@pytest.mark.parametrize("append", ["append_in", "append_at_commit"])
def test_a_rolled_back_transaction_leaves_no_head_nor_events_for_the_next(
    log: AuditLog, state: StateDB, make_events: MakeEvents, append: str
) -> None:
    class Abort(Exception):
        pass

    def aborted() -> None:
        with state.write() as tx:
            getattr(log, append)(tx, make_events(2))
            raise Abort

    with pytest.raises(Abort):
        aborted()
    with state.write() as tx:
        getattr(log, append)(tx, make_events(1, start=2))
    assert [e.seq for e in log.iter_events()] == [1]
    assert log.verify().ok


def _statements(state: StateDB) -> tuple[list[str], Callable[[], None]]:
    seen: list[str] = []

    def note(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
        seen.append(statement)

    sa.event.listen(state.engine, "before_cursor_execute", note)
    return seen, lambda: sa.event.remove(state.engine, "before_cursor_execute", note)


def test_events_appended_at_commit_are_written_last_in_the_order_given(
    log: AuditLog, state: StateDB, make_events: MakeEvents
) -> None:
    first, second, third = make_events(2), make_events(1, start=2), make_events(2, start=3)
    seen, stop = _statements(state)
    try:
        with state.write() as tx:
            log.append_at_commit(tx, first)
            assert not [s for s in seen if "audit" in s], "nothing is written before the commit"
            now = log.append_in(tx, second)  # the earlier ones go first
            log.append_at_commit(tx, third)
            tx.execute(sa.text("SELECT 1"))  # the transaction's own work, after them here
            work = len(seen)
    finally:
        stop()
    assert [e.seq for e in now] == [3]
    assert [(e.seq, e.action) for e in log.iter_events()] == [
        (n + 1, e.action) for n, e in enumerate(first + second + third)
    ]
    writes = [n for n, s in enumerate(seen) if "audit_events" in s]
    assert writes[-1] >= work, "the last events are written after the transaction's own work"
    assert len([s for s in seen if "FROM audit_head" in s]) == 1
    assert log.verify().ok


def test_a_bad_event_appended_at_commit_fails_at_once(
    log: AuditLog, state: StateDB, make_events: MakeEvents
) -> None:
    bad = NewEvent(T0, "user:dpo", "dsr.access.executed", "anna@example.se", None, {})

    def appended() -> None:
        with state.write() as tx:
            log.append_at_commit(tx, make_events(1))
            log.append_at_commit(tx, [bad])

    with pytest.raises(StateError, match="subject"):
        appended()
    assert log.head().last_seq == 0


@pytest.mark.postgres
def test_a_transaction_with_events_for_its_commit_does_not_hold_other_writers(
    pg_url: str, make_events: MakeEvents
) -> None:
    """Every audited transaction of every process takes the head in turn: one that appends at
    its commit holds it only from there, so another writer's append goes through meanwhile
    (with the head locked from its first event on, this one would wait for the other forever)."""
    state = open_state(pg_url)
    state.migrate()
    try:
        log = AuditLog(state, key=KEY)
        done: list[list[Any]] = []
        writer = threading.Thread(
            target=lambda: done.append(log.append_many(make_events(1, start=1)))
        )
        with state.write() as tx:
            log.append_at_commit(tx, make_events(1))
            writer.start()  # another connection, its own transaction
            writer.join(timeout=30)
            assert done, "the other writer waited for this transaction's commit"
        writer.join()
        assert [e.seq for e in done[0]] == [1]
        assert [e.seq for e in log.iter_events()] == [1, 2]
        assert log.verify().ok
    finally:
        state.close()
