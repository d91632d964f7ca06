"""The audit log's rows in Varna's state database: the entries and the one-row head record.

The chain itself (hashing, verifying, checkpoints) lives in :mod:`varna.audit`; this store only
reads and writes rows. Appends serialise on the head row: :meth:`AuditStore.lock_head` takes it
with ``SELECT ... FOR UPDATE`` on PostgreSQL (on SQLite the caller's ``BEGIN IMMEDIATE`` write
transaction already holds the database's write lock), and the row stays locked until the caller's
transaction ends, so the entries written by :meth:`AuditStore.append` and the head they move to
are committed together with whatever state change they record, or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa

from varna.errors import StateError
from varna.state.database import StateDB, Transaction, fetch_tuples, held, hold
from varna.state.schema import AUDIT_HEAD_ID, audit_events, audit_head

#: The columns of an entry, in the order :meth:`AuditStore.batch` returns them.
ENTRY_COLUMNS = (
    "seq",
    "at",
    "actor",
    "action",
    "subject",
    "target",
    "details",
    "prev_hash",
    "hash",
)
_SELECTED = [audit_events.c[name] for name in ENTRY_COLUMNS]


@dataclass(frozen=True, slots=True)
class HeadRow:
    """The head record as stored: the last entry's seq and hash (``None`` before the first
    entry) and the record's MAC."""

    last_seq: int
    last_hash: str | None
    mac: str | None


@dataclass(frozen=True, slots=True)
class CheckpointFacts:
    """What the log holds at a checkpoint's entry: the newest seq, the stored hash of the
    checkpoint's entry (``None`` if it is gone) and how many entries lie at or before it."""

    last_seq: int
    stored_hash: str | None
    entries: int


def _batch(after: int, size: int, prefix: str | None = None) -> sa.Select[Any]:
    q = sa.select(*_SELECTED).where(audit_events.c.seq > after)
    if prefix is not None:
        q = q.where(audit_events.c.action.startswith(prefix, autoescape=True))
    return q.order_by(audit_events.c.seq).limit(size)


# Built once: every entry of the log passes through these three (a statement built anew costs
# more in SQLAlchemy than SQLite takes to run it).
_HELD_HEAD = "varna.audit_head"  # the head as this transaction locked and last moved it
_LOCK_HEAD = (
    sa.select(audit_head.c.last_seq, audit_head.c.last_hash, audit_head.c.mac)
    .where(audit_head.c.id == AUDIT_HEAD_ID)
    .with_for_update()
)
_INSERT_EVENTS = sa.insert(audit_events)
_MOVE_HEAD = (
    sa.update(audit_head)
    .where(audit_head.c.id == AUDIT_HEAD_ID)
    .values(
        last_seq=sa.bindparam("new_seq"),
        last_hash=sa.bindparam("new_hash"),
        mac=sa.bindparam("new_mac"),
    )
)

_PG_TYPES = {"seq": "bigint", "details": "text"}
_PG_APPEND = sa.text(
    f"WITH appended AS (INSERT INTO {audit_events.name} ({', '.join(ENTRY_COLUMNS)}) "
    f"SELECT {', '.join(ENTRY_COLUMNS)} FROM json_to_recordset(CAST(:entries AS json)) AS e("
    + ", ".join(f"{name} {_PG_TYPES.get(name, 'varchar')}" for name in ENTRY_COLUMNS)
    + f")) UPDATE {audit_head.name} SET last_seq = :new_seq, last_hash = :new_hash, "
    f"mac = :new_mac WHERE id = {AUDIT_HEAD_ID}"
)
"""PostgreSQL: the entries (one JSON array of them: written in C, where arrays of text are
escaped value by value in Python) and the head's move in one statement whose text never
changes, so it is compiled once (a multi-row VALUES is compiled anew for each)."""


class AuditStore:
    """Reads and writes the audit log's rows in ``state``; transactions come from the caller
    (:meth:`StateDB.read` / :meth:`StateDB.write`, or a state store's own transaction)."""

    def __init__(self, state: StateDB) -> None:
        self.state = state

    def __repr__(self) -> str:
        return f"AuditStore({self.state.where!r})"

    def _missing_head(self, fix: str) -> StateError:
        return StateError(
            f"state database {self.state.where}: table audit_head: the audit head record is "
            f"missing; {fix}"
        )

    def lock_head(self, tx: Transaction) -> HeadRow:
        """The head record, locked for writing until ``tx`` ends. Locked and read once per
        transaction: a later append in the same transaction takes the head its last
        :meth:`append` moved (no other writer can move it while the lock is held)."""
        kept = held(tx, _HELD_HEAD)
        if kept is not None:
            return cast(HeadRow, kept)
        row = tx.execute(_LOCK_HEAD).one_or_none()
        if row is None:
            raise self._missing_head("run the state migrations (StateDB.migrate)")
        return HeadRow(row.last_seq, row.last_hash, row.mac)

    def read_head(self, tx: Transaction) -> HeadRow:
        """The head record as ``tx`` sees it, without locking it."""
        row = tx.execute(
            sa.select(audit_head.c.last_seq, audit_head.c.last_hash, audit_head.c.mac).where(
                audit_head.c.id == AUDIT_HEAD_ID
            )
        ).one_or_none()
        if row is None:
            raise self._missing_head(
                "run the state migrations (StateDB.migrate), or restore it from a backup"
            )
        return HeadRow(row.last_seq, row.last_hash, row.mac)

    def append(self, tx: Transaction, rows: Sequence[Mapping[str, Any]], *, head: HeadRow) -> None:
        """Insert ``rows`` (each with every column of :data:`ENTRY_COLUMNS`) and move the head
        record to ``head``; call it only while ``tx`` holds the head (:meth:`lock_head`)."""
        moved = {"new_seq": head.last_seq, "new_hash": head.last_hash, "new_mac": head.mac}
        if rows and tx.dialect.name == "postgresql":
            # one round trip of one statement compiled once: the head stays locked until the
            # commit, and every audited transaction of every process waits for it
            entries = json.dumps([{name: row[name] for name in ENTRY_COLUMNS} for row in rows])
            tx.execute(_PG_APPEND, {"entries": entries, **moved})
        else:
            if rows:
                tx.execute(_INSERT_EVENTS, [dict(row) for row in rows])
            tx.execute(_MOVE_HEAD, moved)
        hold(tx, _HELD_HEAD, head)

    def batch(
        self, tx: Transaction, *, after: int, size: int, prefix: str | None = None
    ) -> list[tuple[Any, ...]]:
        """Up to ``size`` entries with ``seq > after`` in order (only actions starting with
        ``prefix`` when given), as tuples of :data:`ENTRY_COLUMNS` (text and integers as the
        driver returns them)."""
        return fetch_tuples(tx, _batch(after, size, prefix))

    def checkpoint_facts(self, tx: Transaction, seq: int) -> CheckpointFacts:
        """What the log holds now at entry ``seq`` (see :class:`CheckpointFacts`)."""
        events = audit_events.c
        last_seq = tx.scalar(sa.select(sa.func.max(events.seq))) or 0
        stored = tx.scalar(sa.select(events.hash).where(events.seq == seq))
        entries = tx.scalar(
            sa.select(sa.func.count()).select_from(audit_events).where(events.seq <= seq)
        )
        return CheckpointFacts(last_seq, stored, entries or 0)
