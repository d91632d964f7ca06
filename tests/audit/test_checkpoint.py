"""Signed checkpoints anchor the log: reset, rollback and gaps behind one are found, on SQLite and
PostgreSQL; a checkpoint edited or made under another key is refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from varna.audit import AuditLog
from varna.audit.checkpoint import Checkpoint, checkpoint_key, parse_checkpoint
from varna.state import StateDB
from varna.state.schema import audit_events, audit_head

KEY = b"test-audit-key-0123456789abcdef!"
NOW = datetime(2026, 12, 2, 3, 30, tzinfo=UTC)


def kinds(log: AuditLog, checkpoint: Checkpoint) -> list[tuple[int, str]]:
    return [(f.seq, f.kind) for f in log.verify(against=[checkpoint]).findings]


def run_sql(state: StateDB, statement: sa.Executable) -> None:
    with state.write() as conn:
        conn.execute(statement)


RESET = [
    sa.delete(audit_events),
    sa.update(audit_head).values(last_seq=0, last_hash=None, mac=None),
]


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        ([], []),
        (RESET, [(10, "reset")]),
        (
            [sa.delete(audit_events).where(audit_events.c.seq == 4)],
            [(4, "deleted"), (10, "deleted")],
        ),
        (
            [sa.delete(audit_events).where(audit_events.c.seq > 7)],
            [(8, "truncated"), (10, "rollback")],
        ),
    ],
    ids=["untouched", "reset", "gap", "tail-removed"],
)
def test_the_log_is_checked_against_its_checkpoint(
    filled: AuditLog, state: StateDB, tamper: list[sa.Executable], expected: list[tuple[int, str]]
) -> None:
    checkpoint = filled.checkpoint(now=NOW)
    assert (checkpoint.seq, checkpoint.at) == (10, "2026-12-02T03:30:00.000000+00:00")
    for statement in tamper:
        run_sql(state, statement)
    assert kinds(filled, checkpoint) == expected


def test_a_replaced_log_is_a_rollback(filled: AuditLog, state: StateDB) -> None:
    checkpoint = filled.checkpoint(now=NOW)
    run_sql(state, RESET[0])
    run_sql(state, RESET[1])
    for index in range(12):  # a new, authentic log written over the old one
        filled.append(actor="u:a", action="a.b", details={"n": index})
    assert filled.verify().ok
    assert kinds(filled, checkpoint) == [(10, "rollback")]


@pytest.mark.parametrize(
    "forge",
    [
        lambda c: Checkpoint(c.seq - 1, c.head_hash, c.at, c.mac),
        lambda c: Checkpoint(c.seq, c.head_hash, "2020-01-01T00:00:00.000000+00:00", c.mac),
        lambda c: Checkpoint.sign(
            b"another-key-0123456789abcdef!!", seq=c.seq, head_hash=c.head_hash, at=NOW
        ),
    ],
    ids=["seq-edited", "time-edited", "other-key"],
)
def test_a_forged_checkpoint_is_refused(filled: AuditLog, forge: object) -> None:
    assert callable(forge)
    checkpoint = forge(filled.checkpoint(now=NOW))
    assert kinds(filled, checkpoint) == [(0, "checkpoint_invalid")]


def test_a_checkpoint_round_trips_and_uses_a_derived_key(filled: AuditLog) -> None:
    checkpoint = filled.checkpoint(now=NOW)
    assert parse_checkpoint(checkpoint.to_json(), where="x:1") == checkpoint
    assert checkpoint.valid(KEY)
    assert checkpoint_key(KEY) != KEY
