"""The erasure journal's rows in the state database (SQLite and PostgreSQL): written, replaced,
marked with a hook in the same transaction, and removed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from varna.state import open_state
from varna.state.audit import AuditStore, HeadRow
from varna.state.database import Transaction
from varna.state.journal import JournalStore


class Abort(Exception):
    pass


@pytest.fixture
def store(state_url: str) -> Iterator[JournalStore]:
    db = open_state(state_url)
    db.migrate()
    yield JournalStore(db)
    db.close()


def test_an_unknown_request_has_no_entry(store: JournalStore) -> None:
    assert store.read("r-1") is None


@pytest.mark.parametrize(
    ("bodies", "expected"),
    [
        pytest.param(["a"], "a", id="written"),
        pytest.param(["a", "b"], "b", id="replaced"),
    ],
)
def test_write_then_read(store: JournalStore, bodies: list[str], expected: str) -> None:
    for body in bodies:
        store.write("r-1", body)
    assert store.read("r-1") == expected
    assert store.read("r-2") is None


def test_delete_removes_only_that_entry(store: JournalStore) -> None:
    store.write("r-1", "a")
    store.write("r-2", "b")
    store.delete("r-1")
    store.delete("r-3")  # nothing there: no error
    assert (store.read("r-1"), store.read("r-2")) == (None, "b")


@pytest.mark.parametrize(
    ("present", "expected_body"),
    [
        pytest.param(True, "a+", id="entry-changed"),
        pytest.param(False, None, id="no-entry-hook-still-runs"),
    ],
)
def test_update_changes_the_entry_and_runs_the_hook(
    store: JournalStore, present: bool, expected_body: str | None
) -> None:
    if present:
        store.write("r-1", "a")
    seen: list[Transaction] = []
    changed = store.update("r-1", lambda body: body + "+", record=seen.append)
    assert changed is present
    assert store.read("r-1") == expected_body
    assert len(seen) == 1


def _audit_row(seq: int) -> dict[str, object]:
    return {
        "seq": seq,
        "at": "2026-01-02T03:04:05.000000Z",
        "actor": "tester",
        "action": "test.mark",
        "subject": None,
        "target": None,
        "details": "{}",
        "prev_hash": "0" * 64,
        "hash": "1" * 64,
    }


@pytest.mark.parametrize(
    ("fail", "expected_body", "expected_seq"),
    [
        pytest.param(False, "a+", 1, id="both-committed"),
        pytest.param(True, "a", 0, id="both-rolled-back"),
    ],
)
def test_the_mark_and_the_hooks_writes_are_one_transaction(
    store: JournalStore, fail: bool, expected_body: str, expected_seq: int
) -> None:
    store.write("r-1", "a")
    audit = AuditStore(store.state)

    def record(tx: Transaction) -> None:
        audit.lock_head(tx)
        audit.append(tx, [_audit_row(1)], head=HeadRow(1, "1" * 64, "mac"))
        if fail:
            raise Abort

    if fail:
        with pytest.raises(Abort):
            store.update("r-1", lambda body: body + "+", record=record)
    else:
        store.update("r-1", lambda body: body + "+", record=record)
    assert store.read("r-1") == expected_body
    with store.state.read() as tx:
        assert audit.read_head(tx).last_seq == expected_seq
        assert len(audit.batch(tx, after=0, size=10)) == expected_seq
