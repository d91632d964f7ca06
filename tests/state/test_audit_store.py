"""The audit log's rows in the state database (SQLite and PostgreSQL): the head is read, locked
and moved with the entries in the caller's transaction, batches come back in order, and the
facts at a checkpoint's entry are what the table holds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from varna.audit.export import COLUMNS
from varna.errors import StateError
from varna.state import StateDB, open_state
from varna.state.audit import ENTRY_COLUMNS, AuditStore, CheckpointFacts, HeadRow
from varna.state.schema import audit_head


class Abort(Exception):
    pass


@pytest.fixture
def state(state_url: str) -> Iterator[StateDB]:
    db = open_state(state_url)
    db.migrate()
    yield db
    db.close()


def entry(seq: int) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": "2026-01-02T03:04:05.000000Z",
        "actor": "tester",
        "action": "test.step",
        "subject": None,
        "target": f"t{seq}",
        "details": "{}",
        "prev_hash": f"{seq - 1:064x}",
        "hash": f"{seq:064x}",
    }


def write(store: AuditStore, first: int, last: int) -> None:
    with store.state.write() as tx:
        store.lock_head(tx)
        rows = [entry(seq) for seq in range(first, last + 1)]
        store.append(tx, rows, head=HeadRow(last, f"{last:064x}", "mac"))


def test_the_columns_are_the_export_columns() -> None:
    assert ENTRY_COLUMNS == COLUMNS


def test_a_new_state_has_an_empty_head(state: StateDB) -> None:
    store = AuditStore(state)
    with state.read() as tx:
        assert store.read_head(tx) == HeadRow(0, None, None)


def test_append_moves_the_head_with_the_entries(state: StateDB) -> None:
    store = AuditStore(state)
    write(store, 1, 3)
    with state.read() as tx:
        assert store.read_head(tx) == HeadRow(3, f"{3:064x}", "mac")
        rows = store.batch(tx, after=0, size=10)
    assert [row[0] for row in rows] == [1, 2, 3]
    assert rows[0] == tuple(entry(1)[name] for name in ENTRY_COLUMNS)


def test_an_aborted_transaction_leaves_neither_entries_nor_head(state: StateDB) -> None:
    store = AuditStore(state)
    write(store, 1, 2)

    def aborted() -> None:
        with state.write() as tx:
            store.lock_head(tx)
            store.append(tx, [entry(3)], head=HeadRow(3, f"{3:064x}", "mac"))
            raise Abort

    with pytest.raises(Abort):
        aborted()
    with state.read() as tx:
        assert store.read_head(tx).last_seq == 2
        assert [row[0] for row in store.batch(tx, after=0, size=10)] == [1, 2]


@pytest.mark.parametrize(
    ("after", "size", "expected"),
    [
        pytest.param(0, 2, [1, 2], id="first-batch"),
        pytest.param(2, 2, [3, 4], id="next-batch"),
        pytest.param(4, 10, [5], id="short-last-batch"),
        pytest.param(5, 10, [], id="past-the-end"),
    ],
)
def test_batches_are_in_order(state: StateDB, after: int, size: int, expected: list[int]) -> None:
    store = AuditStore(state)
    write(store, 1, 5)
    with state.read() as tx:
        assert [row[0] for row in store.batch(tx, after=after, size=size)] == expected


@pytest.mark.parametrize(
    ("seq", "expected"),
    [
        pytest.param(2, CheckpointFacts(4, f"{2:064x}", 2), id="entry-present"),
        pytest.param(4, CheckpointFacts(4, f"{4:064x}", 4), id="newest-entry"),
        pytest.param(9, CheckpointFacts(4, None, 4), id="entry-beyond-the-log"),
    ],
)
def test_checkpoint_facts(state: StateDB, seq: int, expected: CheckpointFacts) -> None:
    store = AuditStore(state)
    write(store, 1, 4)
    with state.read() as tx:
        assert store.checkpoint_facts(tx, seq) == expected


def test_an_empty_log_has_no_facts(state: StateDB) -> None:
    store = AuditStore(state)
    with state.read() as tx:
        assert store.checkpoint_facts(tx, 1) == CheckpointFacts(0, None, 0)


@pytest.mark.parametrize("locking", [True, False], ids=["lock_head", "read_head"])
def test_a_missing_head_record_is_an_error_that_says_how_to_fix_it(
    state: StateDB, locking: bool
) -> None:
    store = AuditStore(state)
    with state.write() as tx:
        tx.execute(sa.delete(audit_head))
    read = store.lock_head if locking else store.read_head
    with (
        pytest.raises(StateError, match="audit head record is missing; run the state migr"),
        state.write() as tx,
    ):
        read(tx)
