"""The audit log: append-only, hash-chained and keyed, stored in Varna's state database.

Each entry carries the HMAC of its content and of the previous entry's hash
(:mod:`varna.audit.chain`), so editing, deleting, inserting or reordering entries is detected by
:meth:`AuditLog.verify`, which names the entry. A one-row head record, updated in the same
transaction as every append and MAC'd with the key, also reveals a truncated tail. This is the
evidence behind GDPR Art. 5(2) accountability and the Art. 30 record: what Varna did, when, on
whose behalf, to which system and for which (pseudonymised) data subject.

Several processes may append at once: each append locks the head row (``SELECT ... FOR UPDATE`` on
PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), reads the last seq and hash, writes its entries and
moves the head, so the chain never forks. The rows are read and written by
:class:`varna.state.audit.AuditStore`; this module keeps the chain logic.

Every entry carries the real time at which it was written: the log reads its clock (injected,
``datetime.now(UTC)`` by default) while it holds the head lock, so on one host times never go
backwards along the chain. The ``at`` a caller passes is the "as of" time of the rules it applied
(``--at`` on the command line, a sweep's tick); when it is more than :data:`AS_OF_TOLERANCE` away
from the real time it is kept in ``details["as_of"]``, never as the entry's time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TextIO

from varna.audit.chain import (
    ChainHasher,
    canonical_json,
    check_key,
    format_at,
    genesis_hash,
    head_mac,
    parse_at,
)
from varna.audit.checkpoint import Checkpoint, compare, newest
from varna.audit.export import write_csv, write_jsonl
from varna.audit.guard import check_event
from varna.audit.models import AuditEvent, AuditFinding, AuditHead, NewEvent, VerifyReport
from varna.audit.verifier import ChainVerifier
from varna.errors import StateError
from varna.state import StateDB
from varna.state.audit import AuditStore, HeadRow
from varna.state.database import Transaction, before_commit, held, hold

ExportFormat = Literal["jsonl", "csv"]
Progress = Callable[[int], None]
Clock = Callable[[], datetime]

_PENDING = "varna.audit_pending"  # events of this transaction to be appended at its commit

#: A caller's ``at`` further than this from the real time is recorded as ``details["as_of"]``.
AS_OF_TOLERANCE = timedelta(seconds=60)


def system_clock() -> datetime:
    """The real time, in UTC."""
    return datetime.now(UTC)


def _event(row: Sequence[Any]) -> AuditEvent:
    seq, at, actor, action, subject, target, details, prev_hash, hash_ = row
    return AuditEvent(
        seq, parse_at(at), actor, action, subject, target, json.loads(details), prev_hash, hash_
    )


@dataclass(frozen=True, slots=True)
class _Prepared:
    """An event checked before the write lock: its "as of" time and canonical details."""

    event: NewEvent
    as_of: datetime | None
    details: str

    @classmethod
    def of(cls, event: NewEvent) -> _Prepared:
        details = check_event(
            actor=event.actor,
            action=event.action,
            subject=event.subject,
            target=event.target,
            details=event.details,
        )
        if event.at is not None:
            format_at(event.at)  # refuse a naive time before the lock
        return cls(event, event.at, details)

    def details_at(self, stamp: datetime) -> str:
        """The canonical details, with ``as_of`` when the caller acted as of another time."""
        if self.as_of is None or abs(self.as_of - stamp) <= AS_OF_TOLERANCE:
            return self.details
        full = json.loads(self.details)
        full.setdefault("as_of", format_at(self.as_of))
        return canonical_json(full)


class AuditLog:
    """Append to, read, verify and export the audit log kept in ``state`` under ``key``.

    ``key`` is the audit HMAC key (``Settings.audit_key_bytes()``); losing it makes the log
    unverifiable, and anyone holding it can forge entries, so keep it apart from database backups.
    """

    def __init__(self, state: StateDB, *, key: bytes, clock: Clock = system_clock) -> None:
        self._state = state
        self._store = AuditStore(state)
        self._key = check_key(key)
        self._hasher = ChainHasher(self._key)
        self._clock = clock

    def __repr__(self) -> str:
        return f"AuditLog({self._state.where!r})"

    def append(
        self,
        *,
        actor: str,
        action: str,
        at: datetime | None = None,
        subject: str | None = None,
        target: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> AuditEvent:
        """Append one event (its own transaction) and return it as written; ``at`` is the
        "as of" time the caller acted under (the entry's own time is the real time)."""
        event = NewEvent(at, actor, action, subject, target, details)
        return self.append_many([event])[0]

    def append_many(self, events: Iterable[NewEvent]) -> list[AuditEvent]:
        """Append events in order in one transaction: all are written or none.

        Everything is validated before the write lock is taken. Batches of about 1,000 give the
        best throughput; a single huge batch holds the lock (and memory) for its whole length.
        """
        prepared = [_Prepared.of(event) for event in events]
        if not prepared:
            return []
        with self._state.write("audit append") as conn:
            return self._write(conn, prepared)

    def append_in(self, conn: Transaction, events: Iterable[NewEvent]) -> list[AuditEvent]:
        """Append events inside the caller's transaction on ``conn`` (a connection of this log's
        state database): the events are committed with the state change they record, or not at
        all. The head row stays locked until the caller's transaction ends. Events given to
        :meth:`append_at_commit` earlier in the transaction are appended first, in order."""
        given = [_Prepared.of(event) for event in events]
        if not given:
            return []
        prepared = self._pending(conn) + given
        return self._write(conn, prepared)[len(prepared) - len(given) :]

    def append_at_commit(self, conn: Transaction, events: Iterable[NewEvent]) -> None:
        """Append events inside the caller's transaction on ``conn`` as :meth:`append_in`
        does, but as its last statements, just before it commits: the head, which every
        audited transaction of every process takes in turn, is locked only from there to the
        commit instead of from the first event on. Checked now (a bad event fails the
        caller's transaction before anything is written); kept in the order given, after
        the events appended earlier in the transaction and before any appended later."""
        prepared = [_Prepared.of(event) for event in events]
        if not prepared:
            return
        pending: list[_Prepared] | None = held(conn, _PENDING)
        if pending is None:
            pending = []
            hold(conn, _PENDING, pending)
        pending.extend(prepared)
        before_commit(conn, _PENDING, lambda: self._flush(conn))

    def _pending(self, conn: Transaction) -> list[_Prepared]:
        pending: list[_Prepared] | None = held(conn, _PENDING)
        if not pending:
            return []
        taken = list(pending)
        pending.clear()
        return taken

    def _flush(self, conn: Transaction) -> None:
        prepared = self._pending(conn)
        if prepared:
            self._write(conn, prepared)

    def _write(self, conn: Transaction, prepared: list[_Prepared]) -> list[AuditEvent]:
        head = self._store.lock_head(conn)
        last_seq, last_hash = head.last_seq, head.last_hash or genesis_hash(self._key)
        stamp = self._clock()  # read under the head lock: monotonic along the chain
        rows = self._chain(prepared, last_seq, last_hash, stamp)
        last_seq, last_hash = rows[-1]["seq"], rows[-1]["hash"]
        moved = HeadRow(last_seq, last_hash, head_mac(self._key, last_seq, last_hash))
        self._store.append(conn, rows, head=moved)
        return [
            AuditEvent(
                row["seq"],
                stamp.astimezone(UTC),
                row["actor"],
                row["action"],
                row["subject"],
                row["target"],
                json.loads(row["details"]),
                row["prev_hash"],
                row["hash"],
            )
            for item, row in zip(prepared, rows, strict=True)
        ]

    def _chain(
        self, prepared: list[_Prepared], seq: int, prev: str, stamp: datetime
    ) -> list[dict[str, Any]]:
        entry, rows = self._hasher.entry, []
        at = format_at(stamp)
        for item in prepared:
            seq += 1
            e = item.event
            details = item.details_at(stamp)
            digest = entry(seq, at, e.actor, e.action, e.subject, e.target, details, prev)
            rows.append(
                {
                    "seq": seq,
                    "at": at,
                    "actor": e.actor,
                    "action": e.action,
                    "subject": e.subject,
                    "target": e.target,
                    "details": details,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        return rows

    def head(self) -> AuditHead:
        """The head record (last seq and hash); worth copying somewhere the database is not."""
        with self._state.read("reading the audit head") as conn:
            return self._read_head(conn)

    def _read_head(self, conn: Transaction) -> AuditHead:
        row = self._store.read_head(conn)
        return AuditHead(row.last_seq, row.last_hash, row.mac)

    def checkpoint(self, *, now: datetime) -> Checkpoint:
        """A signed checkpoint of the head as it is now; keep it where the database is not."""
        head = self.head()
        return Checkpoint.sign(self._key, seq=head.last_seq, head_hash=head.last_hash, at=now)

    def check_checkpoints(self, checkpoints: Sequence[Checkpoint]) -> list[AuditFinding]:
        """Findings of the log against the newest checkpoint whose MAC verifies (a reset, a
        rollback to an older copy, a gap behind it) and against checkpoints that do not."""
        found: list[AuditFinding] = []
        best, invalid = newest(list(checkpoints), self._key)
        if invalid:
            found.append(
                AuditFinding(
                    0,
                    "checkpoint_invalid",
                    f"{invalid} checkpoint(s) do not verify under this key: forged, edited, or "
                    "written by another installation",
                )
            )
        if best is None:
            return found
        with self._state.read("checking the audit log against a checkpoint") as conn:
            facts = self._store.checkpoint_facts(conn, best.seq)
        return found + compare(
            best, last_seq=facts.last_seq, stored_hash=facts.stored_hash, entries=facts.entries
        )

    def iter_events(
        self, after_seq: int = 0, batch: int = 10_000, *, prefix: str | None = None
    ) -> Iterator[AuditEvent]:
        """Entries with ``seq > after_seq`` in order, read ``batch`` rows per short transaction;
        with ``prefix``, only those whose action starts with it (filtered by the database)."""
        after = after_seq
        while True:
            with self._state.read("reading audit events") as conn:
                rows = self._store.batch(conn, after=after, size=batch, prefix=prefix)
            if not rows:
                return
            for row in rows:
                yield _event(row)
            after = rows[-1][0]

    def verify(
        self,
        *,
        batch: int = 10_000,
        max_findings: int = 10_000,
        on_progress: Progress | None = None,
        against: Sequence[Checkpoint] = (),
    ) -> VerifyReport:
        """Check every entry and the head in one consistent snapshot; see :mod:`.verifier`.
        With ``against``, also check the log still holds the newest valid checkpoint's entry.

        ``on_progress`` is called with the number of entries checked so far after each batch.
        """
        with self._state.read("verifying the audit log") as conn:
            verifier = ChainVerifier(
                self._key, head=self._read_head(conn), max_findings=max_findings
            )
            after, checked = 0, 0
            while True:
                rows = self._store.batch(conn, after=after, size=batch)
                if not rows:
                    break
                verifier.feed(rows)
                checked += len(rows)
                after = rows[-1][0]
                if on_progress is not None:
                    on_progress(checked)
        report = verifier.finish()
        if not against:
            return report
        extra = self.check_checkpoints(against)
        findings = tuple(sorted([*report.findings, *extra], key=lambda finding: finding.seq))
        return VerifyReport(report.checked, findings, report.omitted, report.key_mismatch)

    def export(
        self,
        stream: TextIO,
        *,
        format: ExportFormat = "jsonl",
        after_seq: int = 0,
        on_progress: Progress | None = None,
    ) -> int:
        """Write entries with ``seq > after_seq`` as JSON lines or CSV; return how many.

        Exports keep ``prev_hash`` and ``hash`` so they can be verified away from the database
        (:func:`varna.audit.export.read_export` + :func:`varna.audit.verifier.verify_rows`).
        For CSV, open the file with ``newline=""``.
        """
        writers = {"jsonl": write_jsonl, "csv": write_csv}
        if format not in writers:
            raise StateError(f"unknown audit export format {format!r}: use 'jsonl' or 'csv'")
        return writers[format](stream, self.iter_events(after_seq), on_progress=on_progress)
