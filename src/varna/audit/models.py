"""The audit log's values: events to write, events written, and what ``verify`` reports.

The audit log is Varna's evidence for GDPR Art. 5(2) accountability ("the controller shall be
responsible for, and be able to demonstrate compliance") and backs the Art. 30 record of
processing with what was actually done. It must not become a second copy of the personal data it
is about: the person is named only by a keyed pseudonym (``subject``) and ``details`` holds
counts, identifiers of systems and rules, never names, e-mail addresses or identity numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from varna.errors import AuditChainBroken

FindingKind = Literal[
    "changed",
    "deleted",
    "inserted",
    "reordered",
    "broken_link",
    "truncated",
    "head_changed",
    "time_backwards",
    "unfinished",
    "reset",
    "rollback",
    "checkpoint_invalid",
]


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event to append; the log gives it ``seq``, its time, ``prev_hash`` and ``hash``.

    ``at`` is the "as of" time the caller acted under (``None``: now). The entry's own time is
    always the real time at which it was written; an ``at`` far from it is kept in
    ``details["as_of"]`` (see :mod:`varna.audit.log`).
    ``details`` must be JSON-serialisable and must never hold personal data: ``append`` rejects
    values that look like an e-mail address or a personnummer.
    """

    at: datetime | None
    actor: str
    action: str
    subject: str | None = None
    target: str | None = None
    details: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One entry of the audit log, as written.

    Attributes:
        seq: position in the log, 1, 2, 3, ... without gaps.
        at: when it was written (the real time, read by the log), timezone-aware UTC.
        actor: who acted, e.g. ``"user:dpo"`` or ``"job:retention"``.
        action: dotted verb phrase, e.g. ``"dsr.access.executed"``.
        subject: keyed pseudonym of the data subject (``ps_...``), never a clear identity.
        target: what was acted on, e.g. ``"crm.customers"``.
        details: JSON data about the action; never personal data.
        prev_hash: the previous entry's hash (the genesis hash for entry 1).
        hash: HMAC-SHA256 over this entry and ``prev_hash``.
    """

    seq: int
    at: datetime
    actor: str
    action: str
    subject: str | None
    target: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class AuditHead:
    """The head record: the newest entry's seq and hash, MAC'd with the key (``None`` if none)."""

    last_seq: int
    last_hash: str | None
    mac: str | None


@dataclass(frozen=True, slots=True)
class AuditFinding:
    """One problem ``verify`` found, naming the entry (``seq``) it concerns.

    Kinds:
        changed: the entry's stored columns no longer match its hash.
        deleted: the entry is missing from the middle of the log.
        inserted: an entry the key holder never wrote (forged, duplicated, or beyond the head).
        reordered: an authentic entry stored at another seq than the one it was written as.
        broken_link: an authentic entry whose predecessor is not the one it was chained to.
        truncated: the log ends before the head record's last entry.
        head_changed: the head record's MAC does not verify.
        time_backwards: the entry is dated earlier than its predecessor.
        unfinished: an intent to change an organisation's system with no outcome after it.
        reset: the log holds fewer entries than a checkpoint recorded (emptied or replaced).
        rollback: the entry a checkpoint recorded is not in the log (an older copy restored).
        checkpoint_invalid: a checkpoint whose signature does not verify under the key.
    """

    seq: int
    kind: FindingKind
    message: str

    def __str__(self) -> str:
        return f"seq {self.seq}: {self.kind}: {self.message}"


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The result of ``verify``: how many entries were checked and what was found.

    ``findings`` keeps at most ``max_findings`` entries (sorted by seq); ``omitted`` counts the
    rest. ``key_mismatch`` is true when not a single entry verifies, which almost always means
    the key is not the one the log was written with.
    """

    checked: int
    findings: tuple[AuditFinding, ...] = field(default_factory=tuple)
    omitted: int = 0
    key_mismatch: bool = False

    @property
    def ok(self) -> bool:
        """True when nothing was found."""
        return not self.findings and not self.omitted

    def raise_if_broken(self) -> None:
        """Raise :class:`~varna.errors.AuditChainBroken` carrying the findings unless ``ok``."""
        if not self.ok:
            lines = [str(finding) for finding in self.findings]
            if self.omitted:
                lines.append(f"... and {self.omitted} more finding(s)")
            raise AuditChainBroken(lines)
