"""The consent ledger (GDPR Art. 7(1): the controller must be able to demonstrate consent).

Every grant and withdrawal is one *event*: one row per purpose, all with the event's id, the
keyed pseudonym of the person (or of the browser's random device id for banner consent), the
hash of the notice the person saw and the policy version, the vendors, the channel, the time
and the sequence number of the audit entry written in the same transaction (the proof, chained
with every other entry of the log). Rows are only inserted, never updated: the state of consent
at any past time is the newest row at or before that time.

Writes are serialised by the state's write transaction (and the audit head lock taken by the
``record`` callback); the ``seq`` primary key orders events written at the same instant.

A check is the organisation's systems' hot path, so each process keeps the newest entry it read
per (person, purpose) for as long as the ledger provably has not changed
(:mod:`varna.state.changes`: any commit on SQLite; on PostgreSQL every write sends ``NOTIFY
varna_consents``). A kept entry answers checks at or after the time it was read for, and only
when no entry of that person and purpose was dated later than that time (an entry written
with a future time is never kept past).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from varna.errors import StateError
from varna.state.changes import KeptReads, kept_reads
from varna.state.database import StateDB
from varna.state.rows import chunks, utc_iso
from varna.state.schema import consent_records

NOTIFY_CHANNEL = "varna_consents"
"""PostgreSQL channel on which every write to the ledger is announced to every process."""
_KEPT = 100_000
"""(person, purpose) entries a process keeps at most; a full store is emptied."""

RecordProof = Callable[[sa.Connection, str], int]
"""Called inside the write transaction with the event id; appends the audit entry and returns
its sequence number."""


@dataclass(frozen=True, slots=True)
class ConsentChoice:
    """One purpose of an event: given (``True``) or withdrawn/refused (``False``)."""

    purpose: str
    granted: bool


@dataclass(frozen=True, slots=True)
class ConsentEntry:
    """A ledger row as read back: what was chosen, when, on which notice, with which proof."""

    seq: int
    event: str
    subject: str
    subject_kind: str
    purpose: str
    granted: bool
    notice: str
    policy_version: str | None
    vendors: tuple[str, ...]
    channel: str
    at: datetime
    actor: str
    audit_seq: int

    def as_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready data (the subject is a pseudonym, never an identity)."""
        return {
            "event": self.event,
            "purpose": self.purpose,
            "granted": self.granted,
            "notice": self.notice,
            "policy_version": self.policy_version,
            "vendors": list(self.vendors),
            "channel": self.channel,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "audit_seq": self.audit_seq,
        }


_COLUMNS = [
    consent_records.c.seq,
    consent_records.c.event,
    consent_records.c.subject,
    consent_records.c.subject_kind,
    consent_records.c.purpose,
    consent_records.c.granted,
    consent_records.c.notice,
    consent_records.c.policy_version,
    consent_records.c.vendors,
    consent_records.c.channel,
    consent_records.c.at,
    consent_records.c.actor,
    consent_records.c.audit_seq,
]


_c = consent_records.c
#: Built once (a check is the hot path): every row of some subjects and purposes, oldest first
#: (a person's rows are few; those after the time asked for say whether the answer may be kept).
_LATEST = (
    sa.select(*_COLUMNS)
    .where(_c.subject.in_(sa.bindparam("subjects", expanding=True)))
    .where(_c.purpose.in_(sa.bindparam("purposes", expanding=True)))
    .order_by(_c.at, _c.seq)
)


def _entry(row: Sequence[Any]) -> ConsentEntry:
    seq, event, subject, kind, purpose, granted, notice, version, vendors, channel = row[:10]
    at, actor, audit_seq = row[10:]
    return ConsentEntry(
        int(seq),
        event,
        subject,
        kind,
        purpose,
        bool(granted),
        notice,
        version,
        tuple(json.loads(vendors)),
        channel,
        datetime.fromisoformat(at),
        actor,
        int(audit_seq),
    )


def new_event_id() -> str:
    """A random event id (the API returns it; it names no one)."""
    return "ce_" + secrets.token_urlsafe(18)


class ConsentStore:
    """The consent ledger in Varna's state database."""

    def __init__(self, state: StateDB) -> None:
        self._state = state

    def __repr__(self) -> str:
        return f"ConsentStore({self._state.where!r})"

    def record(
        self,
        subjects: Sequence[str],
        choices: Sequence[ConsentChoice],
        *,
        subject_kind: str,
        notice: str,
        policy_version: str | None,
        vendors: Sequence[str],
        channel: str,
        at: datetime,
        actor: str,
        proof: RecordProof,
    ) -> str:
        """Write one event (every subject pseudonym x every choice) and its audit entry in one
        transaction; returns the event id."""
        if not subjects or not choices:
            raise StateError("a consent event needs a subject and at least one purpose")
        event = new_event_id()
        stamp = utc_iso(at)
        listed = json.dumps(sorted(set(vendors)))
        with self._state.write("recording consent") as conn:
            audit_seq = proof(conn, event)
            rows = [
                {
                    "event": event,
                    "subject": subject,
                    "subject_kind": subject_kind,
                    "purpose": choice.purpose,
                    "granted": choice.granted,
                    "notice": notice,
                    "policy_version": policy_version,
                    "vendors": listed,
                    "channel": channel,
                    "at": stamp,
                    "actor": actor[:200],
                    "audit_seq": audit_seq,
                }
                for subject in dict.fromkeys(subjects)
                for choice in choices
            ]
            conn.execute(sa.insert(consent_records), rows)
            if self._state.dialect == "postgresql":  # delivered at commit to every process
                conn.execute(sa.select(sa.func.pg_notify(NOTIFY_CHANNEL, "")))
        self._kept().changed()  # after the commit: this process knows at once
        return event

    def _kept(self) -> KeptReads:
        return kept_reads(self._state, NOTIFY_CHANNEL, size=_KEPT)

    def kept_latest(
        self, subjects: Sequence[str], purpose: str, *, at: datetime
    ) -> tuple[bool, ConsentEntry | None]:
        """``(True, entry or None)`` when the newest entry of ``purpose`` for ``subjects`` at
        ``at`` is known without reading the ledger (see the module docstring); else ``(False,
        None)`` and :meth:`latest` must read. Never blocks on the database: an event loop may
        call it."""
        kept = self._kept()
        known, value = kept.get((frozenset(subjects), purpose), kept.now())
        if not known or at < value[0]:
            return False, None
        entry: ConsentEntry | None = value[1]
        return True, entry

    def latest(
        self, subjects: Sequence[str], purposes: Sequence[str], *, at: datetime
    ) -> dict[str, ConsentEntry]:
        """purpose -> the newest entry for any of ``subjects`` at or before ``at`` (purposes
        never chosen are absent)."""
        out: dict[str, ConsentEntry] = {}
        if not subjects or not purposes:
            return out
        params = {
            "subjects": list(dict.fromkeys(subjects)),
            "purposes": list(dict.fromkeys(purposes)),
        }
        stamp = utc_iso(at)
        kept = self._kept()
        marker = kept.now()  # before the read: a write during it makes what is kept stale
        later: set[str] = set()
        with self._state.read("reading the consent ledger") as conn:
            for row in conn.execute(_LATEST, params):
                if row.at > stamp:  # ascending: every later row is after ``at`` too
                    later.add(row.purpose)
                    continue
                entry = _entry(tuple(row))
                out[entry.purpose] = entry  # ascending: the last one wins
        people = frozenset(params["subjects"])
        for purpose in params["purposes"]:
            if purpose not in later:
                kept.put((people, purpose), marker, (at, out.get(purpose)))
        return out

    def latest_many(
        self, subjects: Sequence[str], purpose: str, *, at: datetime
    ) -> dict[str, ConsentEntry]:
        """subject -> its newest entry for ``purpose`` at or before ``at`` (a batch check)."""
        out: dict[str, ConsentEntry] = {}
        c = consent_records.c
        with self._state.read("reading the consent ledger") as conn:
            for chunk in chunks(subjects):
                q = (
                    sa.select(*_COLUMNS)
                    .where(c.subject.in_(chunk), c.purpose == purpose, c.at <= utc_iso(at))
                    .order_by(c.at, c.seq)
                )
                for row in conn.execute(q):
                    entry = _entry(tuple(row))
                    out[entry.subject] = entry
        return out

    def history(self, subjects: Sequence[str], *, until: datetime) -> list[ConsentEntry]:
        """Every entry of ``subjects`` up to ``until``, oldest first (the proof for a regulator);
        one entry per event and purpose, however many pseudonyms the event was written under."""
        if not subjects:
            return []
        c = consent_records.c
        q = (
            sa.select(*_COLUMNS)
            .where(c.subject.in_(list(dict.fromkeys(subjects))), c.at <= utc_iso(until))
            .order_by(c.at, c.seq)
        )
        seen: set[tuple[str, str]] = set()
        out: list[ConsentEntry] = []
        with self._state.read("reading the consent ledger") as conn:
            for row in conn.execute(q):
                entry = _entry(tuple(row))
                if (entry.event, entry.purpose) not in seen:
                    seen.add((entry.event, entry.purpose))
                    out.append(entry)
        return out

    def event(self, event: str) -> list[ConsentEntry]:
        """The entries of one event (one per purpose and pseudonym), in write order."""
        q = sa.select(*_COLUMNS).where(consent_records.c.event == event)
        with self._state.read("reading the consent ledger") as conn:
            return [_entry(tuple(r)) for r in conn.execute(q.order_by(consent_records.c.seq))]

    def count(self) -> int:
        with self._state.read("counting the consent ledger") as conn:
            q = sa.select(sa.func.count(sa.distinct(consent_records.c.event)))
            return int(conn.scalar(q) or 0)
