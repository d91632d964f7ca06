"""Verify an audit chain: a pure pass over stored rows in ``seq`` order, naming every bad entry.

Rules, applied to each row ``r`` after its predecessor ``p`` (the previous row in ``seq`` order):

* **own hash**: recomputing ``r``'s hash from its columns and ``prev_hash`` must give its stored
  hash. **link**: ``r.prev_hash`` must equal ``p``'s stored or recomputed hash (the genesis hash
  for entry 1). Accepting either of ``p``'s hashes pins a one-column edit on ``p`` alone.
* a gap in ``seq`` is **deleted**, once per missing seq; the broken link after it is not counted
  again. A row above the head record's last seq is **inserted**.
* own hash fails, link holds: **changed** (a column of that row was edited).
* own hash and link both fail: **changed** when the next row still links to its stored hash (only
  its ``prev_hash`` was edited), otherwise **inserted** (the chain does not pass through it).
* own hash holds, link fails, predecessor unflagged: **broken_link**.
* afterwards, every row whose own hash failed is tried at the seqs of the other bad or missing
  rows; if it verifies at seq ``t`` it is an authentic entry moved from ``t``: **reordered**.
* the log ending before the head record's last seq is **truncated**; a head whose MAC fails is
  **head_changed**.

Two findings are about what the entries say rather than whether they are authentic:

* an authentic entry dated earlier than the authentic entry before it is **time_backwards**
  (entries carry the real time read under the append lock, so a clock was set back, or two hosts'
  clocks disagree).
* an *intent* (an action ending in ``.intent`` with ``details["intent"]``, written before a change
  in an organisation's system) that no later entry completes (``details["completes"]`` naming the
  same intent) is **unfinished**: the change may be half done; rerunning the operation completes
  it and writes the outcome.

Verification is what lets the controller demonstrate the log is the one it wrote (GDPR Art. 5(2)).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from varna.audit.chain import ChainHasher, genesis_hash, head_mac
from varna.audit.models import AuditFinding, AuditHead, FindingKind, VerifyReport

#: Stored columns in table order: seq, at, actor, action, subject, target, details, prev, hash.
Row = Sequence[Any]

REORDER_LIMIT = 1_000  # at most this many bad rows are tried at other seqs (quadratic work)


class ChainVerifier:
    """Feed it batches of rows in ``seq`` order, then call :meth:`finish` for the report."""

    def __init__(self, key: bytes, *, head: AuditHead | None, max_findings: int = 10_000) -> None:
        self._key = key
        self._hasher = ChainHasher(key)
        self._head = head
        self._limit = head.last_seq if head is not None else None
        self._max = max_findings
        self._findings: list[AuditFinding] = []
        self._omitted = 0
        self._checked = 0
        self._failed = 0
        self._last_seq = 0
        self._last_stored = self._last_recomputed = genesis_hash(key)
        self._last_flagged = False
        self._pending: Row | None = None
        self._last_at = ""
        self._open: dict[str, tuple[int, str]] = {}  # intent id -> (seq, target)
        self._notes: list[AuditFinding] = []
        self._suspects: dict[int, Row] = {}
        self._candidates: set[int] = set()
        self._finding_at: dict[int, int] = {}
        self._head_ok = head is not None and (
            head.mac == head_mac(key, head.last_seq, head.last_hash or "")
            or (head.last_seq, head.last_hash, head.mac) == (0, None, None)
        )
        if head is not None and not self._head_ok:
            self._add(head.last_seq, "head_changed", "the head record's MAC does not verify")

    def feed(self, rows: Sequence[Row]) -> None:
        """Check one batch; rows must continue the ``seq`` order of the previous batch."""
        limit = self._limit if self._limit is not None else float("inf")
        last_seq, last_stored = self._last_seq, self._last_stored
        last_recomputed, last_flagged = self._last_recomputed, self._last_flagged
        pending = self._pending is not None
        checked = 0
        last_at = self._last_at
        for row, recomputed in zip(rows, self._hasher.entries(rows), strict=True):
            checked += 1
            seq, at, details, prev, stored = row[0], row[1], row[6], row[7], row[8]
            if recomputed == stored:  # only authentic times count: an edited one is "changed"
                if at < last_at:
                    self._note(seq, "time_backwards", f"dated {at}, before the entry before it")
                last_at = at
            if isinstance(details, str) and ('"intent":' in details or '"completes":' in details):
                self._track_intent(row)
            if (
                recomputed == stored
                and prev == last_stored
                and seq == last_seq + 1
                and seq <= limit
                and not pending
            ):
                last_seq, last_stored, last_recomputed, last_flagged = seq, stored, stored, False
                continue
            self._last_seq, self._last_stored = last_seq, last_stored
            self._last_recomputed, self._last_flagged = last_recomputed, last_flagged
            self._irregular(row, recomputed)
            last_seq, last_stored = self._last_seq, self._last_stored
            last_recomputed, last_flagged = self._last_recomputed, self._last_flagged
            pending = self._pending is not None
        self._last_seq, self._last_stored = last_seq, last_stored
        self._last_recomputed, self._last_flagged = last_recomputed, last_flagged
        self._last_at = last_at
        self._checked += checked

    def _note(self, seq: int, kind: FindingKind, message: str) -> None:
        if len(self._findings) + len(self._notes) >= self._max:
            self._omitted += 1
            return
        self._notes.append(AuditFinding(seq, kind, message))

    def _track_intent(self, row: Row) -> None:
        seq, action, target, details = row[0], row[3], row[5], row[6]
        try:
            parsed = json.loads(details)
        except ValueError:
            return  # a mangled entry: its own hash check reports it
        if not isinstance(parsed, dict):
            return
        intent, completes = parsed.get("intent"), parsed.get("completes")
        if isinstance(action, str) and action.endswith(".intent") and isinstance(intent, str):
            self._open.setdefault(intent, (seq, target or "?"))
        if isinstance(completes, str):
            self._open.pop(completes, None)

    def _report_unfinished(self) -> None:
        for seq, target in sorted(self._open.values()):
            self._note(
                seq,
                "unfinished",
                f"intent to change {target} has no outcome: the change may be half done; "
                "rerun the operation to complete it",
            )

    def _add(self, seq: int, kind: FindingKind, message: str) -> None:
        if len(self._findings) >= self._max:
            self._omitted += 1
            return
        self._finding_at[seq] = len(self._findings)
        self._findings.append(AuditFinding(seq, kind, message))

    def _resolve_pending(self, next_prev: str | None) -> None:
        row = self._pending
        if row is None:
            return
        self._pending = None
        if next_prev == row[8]:
            self._add(row[0], "changed", "its prev_hash was edited: it no longer links back")
        else:
            self._add(row[0], "inserted", "neither its hash nor its links verify: not written here")

    def _irregular(self, row: Row, recomputed: str) -> None:
        seq, prev, stored = row[0], row[7], row[8]
        own_ok = recomputed == stored
        self._failed += not own_ok
        if seq <= self._last_seq:
            self._add(seq, "inserted", "this seq appears more than once")
            return
        gap = seq > self._last_seq + 1
        self._resolve_pending(None if gap else prev)
        if gap:
            self._deleted(self._last_seq + 1, seq)
        link_ok = prev in (self._last_stored, self._last_recomputed)
        flagged = True
        if not own_ok and len(self._suspects) <= REORDER_LIMIT:
            self._suspects[seq] = tuple(row)
        if self._limit is not None and seq > self._limit:
            self._add(seq, "inserted", f"it lies beyond the head record's last seq {self._limit}")
        elif own_ok:
            flagged = not (link_ok or gap or self._last_flagged)
            if flagged:
                self._add(
                    seq, "broken_link", f"authentic, but seq {seq - 1} is not its predecessor"
                )
        elif link_ok or gap:
            self._add(seq, "changed", "its stored columns do not match its hash")
        else:
            self._pending = row
        self._last_seq, self._last_stored = seq, stored
        self._last_recomputed, self._last_flagged = recomputed, flagged

    def _deleted(self, first: int, end: int) -> None:
        count = end - first
        room = max(0, self._max - len(self._findings))
        for missing in range(first, first + min(count, room)):
            self._add(missing, "deleted", "this entry is missing from the log")
        self._omitted += count - min(count, room)
        self._candidates.update(range(first, min(end, first + REORDER_LIMIT)))

    def _resolve_reordered(self) -> None:
        if (
            not self._suspects
            or len(self._suspects) > REORDER_LIMIT
            or self._failed == self._checked
        ):
            return
        candidates = self._candidates | set(self._suspects)
        for seq, row in self._suspects.items():
            for origin in candidates - {seq}:
                try:
                    moved = self._hasher.entry(origin, *row[1:8]) == row[8]
                except (TypeError, ValueError):
                    break
                if moved:
                    index = self._finding_at.get(seq)
                    if index is not None:
                        message = f"authentic entry written as seq {origin}, stored at seq {seq}"
                        self._findings[index] = AuditFinding(seq, "reordered", message)
                    break

    def _check_tail(self, head: AuditHead) -> None:
        last_seq = self._last_seq
        at_head = (last_seq, self._last_stored) == (head.last_seq, head.last_hash)
        self._resolve_pending(self._last_stored if at_head else None)
        if last_seq < head.last_seq:
            first = last_seq + 1
            self._add(
                first,
                "truncated",
                f"the log ends at seq {last_seq} but the head record says {head.last_seq}: "
                f"entries {first}..{head.last_seq} are missing",
            )
            self._candidates.update(range(first, min(head.last_seq, first + REORDER_LIMIT) + 1))
        elif (
            self._head_ok and last_seq == head.last_seq > 0 and not (at_head or self._last_flagged)
        ):
            message = "authentic, but not the entry the head record was written for"
            self._add(last_seq, "broken_link", message)

    def finish(self) -> VerifyReport:
        """End of the rows: check the tail against the head and build the report."""
        if self._head is None:
            self._resolve_pending(self._last_stored)
        else:
            self._check_tail(self._head)
        self._resolve_reordered()
        self._report_unfinished()
        return VerifyReport(
            checked=self._checked,
            findings=tuple(
                sorted([*self._findings, *self._notes], key=lambda finding: finding.seq)
            ),
            omitted=self._omitted,
            key_mismatch=self._checked > 0 and self._failed == self._checked,
        )


def verify_rows(
    rows: Iterable[Row], *, key: bytes, head: AuditHead | None, max_findings: int = 10_000
) -> VerifyReport:
    """Verify stored rows (in ``seq`` order) in one call; see the module docstring for the rules."""
    verifier = ChainVerifier(key, head=head, max_findings=max_findings)
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == 10_000:
            verifier.feed(batch)
            batch = []
    verifier.feed(batch)
    return verifier.finish()
