"""Signed checkpoints: the audit chain anchored outside the database it lives in.

A chain verified against itself cannot show that it was reset (events and head emptied), that
the state file was deleted and recreated, or that an older copy was restored: each of those is a
consistent log, only a shorter one. A checkpoint records the head (seq and hash) at a moment and
is kept somewhere else (an append-only file, a mail, a WORM bucket); ``verify --against`` then
requires the log to still contain exactly that entry.

A checkpoint is one JSON line::

    {"v": 1, "seq": 1234, "head_hash": "…", "at": "2026-12-02T03:30:00.000000+00:00",
     "mac": "…"}

``mac`` is HMAC-SHA256 under a key derived from the audit key
(``HMAC(audit_key, "varna-audit-checkpoint-key")``) over ``varna-audit-checkpoint:seq:hash:at``.
HMAC rather than an asymmetric signature: whoever verifies a checkpoint must hold the audit key
anyway to verify the chain it anchors, Varna has exactly one key to keep and rotate, and no new
dependency is needed. The derived key keeps checkpoint MACs from ever being confused with entry
hashes or head MACs. What it does not give: a third party without the key cannot check a
checkpoint, and a key holder can forge one; an installation that needs that should also send
each checkpoint to a party it does not control (see docs/audit.md).
"""

from __future__ import annotations

import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from varna.audit.chain import format_at, parse_at
from varna.audit.models import AuditFinding
from varna.errors import StateError

VERSION = 1
_KEY_MESSAGE = b"varna-audit-checkpoint-key"
_MESSAGE = "varna-audit-checkpoint:{seq}:{hash}:{at}"


def checkpoint_key(audit_key: bytes) -> bytes:
    """The key checkpoints are signed with, derived from the audit key."""
    return hmac.digest(audit_key, _KEY_MESSAGE, "sha256")


def _mac(audit_key: bytes, seq: int, head_hash: str | None, at: str) -> str:
    message = _MESSAGE.format(seq=seq, hash=head_hash or "", at=at).encode()
    return hmac.digest(checkpoint_key(audit_key), message, "sha256").hex()


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The head of the log at ``at``: ``seq`` entries, the last with hash ``head_hash``."""

    seq: int
    head_hash: str | None
    at: str
    mac: str

    @classmethod
    def sign(cls, audit_key: bytes, *, seq: int, head_hash: str | None, at: datetime) -> Checkpoint:
        stamp = format_at(at)
        return cls(seq, head_hash, stamp, _mac(audit_key, seq, head_hash, stamp))

    def valid(self, audit_key: bytes) -> bool:
        """True when the MAC verifies under ``audit_key``."""
        expected = _mac(audit_key, self.seq, self.head_hash, self.at)
        return hmac.compare_digest(expected, self.mac)

    def to_json(self) -> str:
        """The checkpoint as one line of JSON (no newline)."""
        body = {"v": VERSION, "seq": self.seq, "head_hash": self.head_hash, "at": self.at}
        return json.dumps({**body, "mac": self.mac}, separators=(",", ":"))


def parse_checkpoint(text: str, *, where: str) -> Checkpoint:
    """One checkpoint from its JSON line; ``where`` (file:line) names it in errors."""
    try:
        data: Any = json.loads(text)
        if not isinstance(data, dict) or data.get("v") != VERSION:
            raise ValueError("not a version 1 checkpoint")
        seq, head_hash, at, mac = data["seq"], data["head_hash"], data["at"], data["mac"]
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
            raise ValueError("seq is not a count")
        if not (head_hash is None or isinstance(head_hash, str)) or not isinstance(mac, str):
            raise ValueError("head_hash or mac is not text")
        parse_at(at)
    except (ValueError, KeyError, TypeError) as exc:
        raise StateError(
            f"{where}: not an audit checkpoint ({exc}); pass a file written by "
            "`varna audit checkpoint`"
        ) from None
    return Checkpoint(seq, head_hash, str(at), mac)


def read_checkpoints(path: Path) -> list[Checkpoint]:
    """Every checkpoint in a JSON-lines file (blank lines skipped)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise StateError(
            f"{path}: cannot read the checkpoint file ({exc.strerror}); check the path"
        ) from exc
    found = [
        parse_checkpoint(line, where=f"{path}:{number}")
        for number, line in enumerate(lines, start=1)
        if line.strip()
    ]
    if not found:
        raise StateError(f"{path}: holds no checkpoint; write one with `varna audit checkpoint`")
    return found


def append_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    """Append one line to ``path`` (created if missing) and sync it to disk.

    Lines are written with ``O_APPEND`` in one ``write``, so writers on one machine never
    interleave; the file is only ever appended to (make it append-only with ``chattr +a`` or
    keep it on storage that refuses rewrites)."""
    data = (checkpoint.to_json() + "\n").encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise StateError(
            f"{path}: cannot append the audit checkpoint ({exc.strerror}); check "
            "VARNA_CHECKPOINT_FILE and its folder's permissions"
        ) from exc


def newest(checkpoints: list[Checkpoint], audit_key: bytes) -> tuple[Checkpoint | None, int]:
    """The newest checkpoint whose MAC verifies, and how many did not verify."""
    valid = [c for c in checkpoints if c.valid(audit_key)]
    best = max(valid, key=lambda c: (c.seq, c.at), default=None)
    return best, len(checkpoints) - len(valid)


def compare(
    checkpoint: Checkpoint, *, last_seq: int, stored_hash: str | None, entries: int
) -> list[AuditFinding]:
    """What is wrong with a log whose head is at ``last_seq``, whose entry at the checkpoint's
    seq has ``stored_hash`` (``None``: missing) and which holds ``entries`` entries up to it."""
    seq = checkpoint.seq
    if seq == 0:
        return []
    since = f"the checkpoint of {checkpoint.at} recorded {seq} entries"
    if stored_hash is not None:
        if stored_hash == checkpoint.head_hash and entries == seq:
            return []
        if stored_hash == checkpoint.head_hash:
            return [AuditFinding(seq, "deleted", f"{since}, the log holds {entries} up to it")]
        return [
            AuditFinding(
                seq,
                "rollback",
                f"{since}, but entry {seq} is not the one it recorded: the log was replaced by "
                "another or an older copy",
            )
        ]
    if last_seq == 0 and entries == 0:
        return [
            AuditFinding(
                seq,
                "reset",
                f"{since}, the log is empty: its events and head were emptied, or the state "
                "database was deleted or replaced",
            )
        ]
    if last_seq < seq:
        return [
            AuditFinding(
                seq,
                "rollback",
                f"{since}, the log ends at entry {last_seq}: an older copy was restored or its "
                "tail was removed",
            )
        ]
    return [AuditFinding(seq, "deleted", f"{since}; entry {seq} is missing: a gap behind it")]
