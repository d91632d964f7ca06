"""verify names the entry for every kind of tampering, edited directly with SQL.

Each test fills a log with entries 1..10 (the ``filled`` fixture), tampers with the table the way
someone with database access but without the key could, and checks the exact findings. Verify
reads in batches of 4, so tampering also lands on batch boundaries.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from varna.audit import AuditLog, NewEvent
from varna.audit.models import VerifyReport
from varna.errors import AuditChainBroken
from varna.state import StateDB, open_state
from varna.state.schema import audit_events, audit_head

MakeEvents = Callable[..., list[NewEvent]]
COLUMNS = ("actor", "action", "subject", "target", "details", "at", "hash", "prev_hash")


def findings(report: VerifyReport) -> list[tuple[int, str]]:
    return [(finding.seq, finding.kind) for finding in report.findings]


def row(state: StateDB, seq: int) -> dict[str, Any]:
    with state.read() as conn:
        return dict(
            conn.execute(sa.select(audit_events).where(audit_events.c.seq == seq)).one()._mapping
        )


def update(state: StateDB, at_seq: int, **values: Any) -> None:
    with state.write() as conn:
        conn.execute(sa.update(audit_events).where(audit_events.c.seq == at_seq).values(**values))


def delete(state: StateDB, *seqs: int) -> None:
    with state.write() as conn:
        conn.execute(sa.delete(audit_events).where(audit_events.c.seq.in_(seqs)))


def flip_one_byte(text: str, index: int = -1) -> str:
    """``text`` with one character changed in its lowest bit (one byte for ASCII)."""
    chars = list(text)
    chars[index] = chr(ord(chars[index]) ^ 1)
    return "".join(chars)


@pytest.mark.parametrize("seq", [1, 5, 10], ids=["first", "middle", "last"])
@pytest.mark.parametrize("column", COLUMNS)
def test_one_byte_changed_names_the_entry(
    filled: AuditLog, state: StateDB, column: str, seq: int
) -> None:
    update(state, seq, **{column: flip_one_byte(row(state, seq)[column])})
    report = filled.verify(batch=4)
    assert findings(report) == [(seq, "changed")]
    assert not report.ok
    assert not report.key_mismatch


def test_null_put_in_by_hand_is_a_change(filled: AuditLog, state: StateDB) -> None:
    update(state, 5, subject=None)
    assert findings(filled.verify()) == [(5, "changed")]


@pytest.mark.parametrize(
    ("deleted", "expected"),
    [
        ((5,), [(5, "deleted")]),
        ((1,), [(1, "deleted")]),
        ((4, 5, 6), [(4, "deleted"), (5, "deleted"), (6, "deleted")]),
        ((10,), [(10, "truncated")]),
        ((9, 10), [(9, "truncated")]),
        ((3, 10), [(3, "deleted"), (10, "truncated")]),
        (tuple(range(1, 11)), [(1, "truncated")]),
    ],
    ids=["middle", "first", "three-in-a-row", "last", "last-two", "middle-and-last", "all"],
)
def test_deleted_entries_are_named(
    filled: AuditLog, state: StateDB, deleted: tuple[int, ...], expected: list[tuple[int, str]]
) -> None:
    delete(state, *deleted)
    assert findings(filled.verify(batch=4)) == expected


def test_truncation_message_names_the_missing_range(filled: AuditLog, state: StateDB) -> None:
    delete(state, 9, 10)
    (finding,) = filled.verify().findings
    assert "9..10" in finding.message


def _forged(state: StateDB, seq: int, *, prev_hash: str, like: int = 3) -> None:
    forged = row(state, like) | {"seq": seq, "prev_hash": prev_hash, "hash": "f" * 64}
    with state.write() as conn:
        conn.execute(sa.insert(audit_events).values(**forged))


def test_forged_entry_appended_after_the_head(filled: AuditLog, state: StateDB) -> None:
    _forged(state, 11, prev_hash=row(state, 10)["hash"])
    assert findings(filled.verify(batch=4)) == [(11, "inserted")]


def test_replayed_authentic_entry_after_the_head(filled: AuditLog, state: StateDB) -> None:
    copy = row(state, 3) | {"seq": 11}
    with state.write() as conn:
        conn.execute(sa.insert(audit_events).values(**copy))
    assert findings(filled.verify()) == [(11, "inserted")]


def test_forged_entry_in_place_of_a_deleted_one(filled: AuditLog, state: StateDB) -> None:
    delete(state, 5)
    _forged(state, 5, prev_hash="0" * 64)
    assert findings(filled.verify(batch=4)) == [(5, "inserted")]


@pytest.mark.parametrize(
    ("first", "second"),
    [(3, 7), (4, 5), (1, 10), (8, 9)],
    ids=["apart", "adjacent", "first-and-last", "across-batches"],
)
def test_swapped_entries_are_reordered(
    filled: AuditLog, state: StateDB, first: int, second: int
) -> None:
    one, two = row(state, first), row(state, second)
    update(state, first, **{c: two[c] for c in COLUMNS})
    update(state, second, **{c: one[c] for c in COLUMNS})
    report = filled.verify(batch=4)
    assert findings(report) == [(first, "reordered"), (second, "reordered")]
    assert f"written as seq {second}" in report.findings[0].message


def test_entry_moved_to_a_new_seq(filled: AuditLog, state: StateDB) -> None:
    update(state, 4, seq=11)
    assert findings(filled.verify()) == [(4, "deleted"), (11, "reordered")]


def test_entry_with_rewritten_hash_and_link_is_inserted(filled: AuditLog, state: StateDB) -> None:
    five = row(state, 5)
    update(state, 5, hash=flip_one_byte(five["hash"]), prev_hash=flip_one_byte(five["prev_hash"]))
    assert findings(filled.verify()) == [(5, "inserted")]


def test_splice_of_another_log_under_the_same_key(
    filled: AuditLog, state: StateDB, key: bytes, make_events: MakeEvents, tmp_path: Path
) -> None:
    # entries 6..10 replaced by the authentic entries 6..10 of another log kept with the same key
    with open_state(f"sqlite:///{tmp_path / 'other.db'}") as other_state:
        other_state.migrate()
        AuditLog(other_state, key=key).append_many(make_events(10, start=100))
        with other_state.read() as conn:
            rows = [dict(r._mapping) for r in conn.execute(sa.select(audit_events))][5:]
    delete(state, *range(6, 11))
    with state.write() as conn:
        conn.execute(sa.insert(audit_events), rows)
    assert findings(filled.verify(batch=4)) == [(6, "broken_link"), (10, "broken_link")]


def test_wrong_key_fails_every_entry(state: StateDB, filled: AuditLog) -> None:
    report = AuditLog(state, key=b"another-key-of-32-bytes-length!!").verify(batch=4)
    changed = [seq for seq, kind in findings(report) if kind == "changed"]
    assert changed == list(range(1, 11))
    assert (10, "head_changed") in findings(report)
    assert report.key_mismatch


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ({"last_seq": 9}, [(9, "head_changed"), (10, "inserted")]),
        ({"last_hash": "0" * 64}, [(10, "head_changed")]),
        ({"mac": "0" * 64}, [(10, "head_changed")]),
        (
            {"last_seq": 0, "last_hash": None, "mac": None},
            [(seq, "inserted") for seq in range(1, 11)],
        ),
    ],
    ids=["moved-back", "hash-edited", "mac-edited", "reset-to-empty"],
)
def test_head_tampering(
    filled: AuditLog, state: StateDB, head: dict[str, Any], expected: list[tuple[int, str]]
) -> None:
    with state.write() as conn:
        conn.execute(sa.update(audit_head).values(**head))
    assert findings(filled.verify()) == expected


def test_truncation_hidden_by_moving_the_head_back_is_caught(
    filled: AuditLog, state: StateDB
) -> None:
    delete(state, 10)
    with state.write() as conn:
        conn.execute(sa.update(audit_head).values(last_seq=9, last_hash=row(state, 9)["hash"]))
    assert findings(filled.verify()) == [(9, "head_changed")]


def test_appending_after_tampering_keeps_the_finding(filled: AuditLog, state: StateDB) -> None:
    update(state, 5, actor="user:mallory")
    filled.append(at=datetime(2025, 2, 1, tzinfo=UTC), actor="user:dpo", action="audit.verified")
    report = filled.verify()
    assert findings(report) == [(5, "changed")]
    assert report.checked == 11


def test_max_findings_caps_the_list(state: StateDB, filled: AuditLog) -> None:
    report = AuditLog(state, key=b"another-key-of-32-bytes-length!!").verify(max_findings=3)
    assert len(report.findings) == 3
    assert report.omitted == 8
    assert not report.ok


def test_raise_if_broken_carries_the_findings(filled: AuditLog, state: StateDB) -> None:
    delete(state, 5)
    with pytest.raises(AuditChainBroken) as info:
        filled.verify().raise_if_broken()
    assert info.value.findings == ("seq 5: deleted: this entry is missing from the log",)
