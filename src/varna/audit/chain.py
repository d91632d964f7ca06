"""The cryptographic form of the audit chain: canonical bytes, entry hashes, genesis, head MAC.

Every entry's ``hash`` is::

    HMAC-SHA256(key, canonical_json([seq, at, actor, action, subject, target, details]) + prev_hash)

where ``canonical_json`` is ``json.dumps(..., sort_keys=True, separators=(",", ":"),
ensure_ascii=False, allow_nan=False)`` encoded as UTF-8, ``at`` is ISO-8601 UTC with microseconds
(``2025-01-31T12:00:00.000000+00:00``) and ``prev_hash`` is the previous entry's hash in hex (the
first entry uses :func:`genesis_hash`). An auditor can recompute a chain from an export with these
two lines and the key. Holding the key is what makes a forged entry detectable: without it nobody
can write a row whose hash verifies (GDPR Art. 5(2): the controller must be able to *demonstrate*
what it did).

The same key also makes subject pseudonyms (:mod:`varna.audit.pseudonym`). The messages cannot
collide: chain messages start with ``[``, pseudonym messages with a ``kind`` made of ``[a-z0-9_]``
and a colon, and the genesis and head messages with ``varna-audit-``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from json.encoder import encode_basestring as _string
from typing import Any

from varna.errors import StateError

GENESIS_MESSAGE = b"varna-audit-genesis"
HEAD_MESSAGE = b"varna-audit-head:"
_BLOCK = 64  # SHA-256 block size
_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))

# One reusable encoder: json.dumps with arguments builds a new encoder on every call.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical_json(value: Any) -> str:
    """``value`` as canonical JSON text (sorted keys, no spaces, no NaN)."""
    return _CANONICAL.encode(value)


def format_at(at: datetime) -> str:
    """The stored and hashed form of an event time: ISO-8601 in UTC with microseconds."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise StateError(
            "audit event time is naive: pass a timezone-aware datetime, e.g. datetime.now(UTC)"
        )
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def parse_at(text: str) -> datetime:
    """The inverse of :func:`format_at`."""
    return datetime.fromisoformat(text)


class ChainHasher:
    """HMAC-SHA256 (RFC 2104) under one key, with the padded-key states computed once.

    Same result as ``hmac.digest(key, message, "sha256")``, about twice as fast on short
    messages, which is what lets ``verify`` check hundreds of thousands of entries a second.
    """

    def __init__(self, key: bytes) -> None:
        if len(key) > _BLOCK:
            key = hashlib.sha256(key).digest()
        padded = key.ljust(_BLOCK, b"\0")
        self._inner = hashlib.sha256(padded.translate(_IPAD))
        self._outer = hashlib.sha256(padded.translate(_OPAD))

    def hexdigest(self, message: bytes) -> str:
        """HMAC-SHA256 of ``message`` in hex."""
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()

    def entry(
        self,
        seq: int,
        at: str,
        actor: str,
        action: str,
        subject: str | None,
        target: str | None,
        details: str,
        prev_hash: str,
    ) -> str:
        """The hash of one entry from its stored columns (``details`` is canonical JSON text).

        Builds exactly the bytes of the formula in the module docstring, but string by string
        (``json.encoder.encode_basestring`` is the escaping ``json.dumps`` uses with
        ``ensure_ascii=False``) and with the stored ``details`` text spliced in as it is. Raises
        ``TypeError`` or ``ValueError`` for a column of the wrong type.
        """
        subject_json = "null" if subject is None else _string(subject)
        target_json = "null" if target is None else _string(target)
        message = (
            f"[{seq:d},{_string(at)},{_string(actor)},{_string(action)},{subject_json},"
            f"{target_json},{details}]{prev_hash}"
        )
        return self.hexdigest(message.encode())

    def entries(self, rows: Iterable[Sequence[Any]]) -> list[str]:
        """:meth:`entry` for each stored row ``(seq, at, ..., details, prev_hash, ...)``.

        The loop is :meth:`entry` inlined, for ``verify``. A row whose columns have the wrong
        type (a NULL put in by hand) gets ``""``, which never equals a stored hash.
        """
        inner_copy, outer_copy, string = self._inner.copy, self._outer.copy, _string
        hashes: list[str] = []
        append = hashes.append
        for seq, at, actor, action, subject, target, details, prev_hash, *_ in rows:
            try:
                message = (
                    f"[{seq:d},{string(at)},{string(actor)},{string(action)},"
                    f"{'null' if subject is None else string(subject)},"
                    f"{'null' if target is None else string(target)},{details}]{prev_hash}"
                ).encode()
            except (TypeError, ValueError):
                append("")
                continue
            inner = inner_copy()
            inner.update(message)
            outer = outer_copy()
            outer.update(inner.digest())
            append(outer.hexdigest())
        return hashes


def entry_hash(
    key: bytes,
    seq: int,
    at: str,
    actor: str,
    action: str,
    subject: str | None,
    target: str | None,
    details: str,
    prev_hash: str,
) -> str:
    """The hash of one entry under ``key``; see :meth:`ChainHasher.entry`."""
    return ChainHasher(key).entry(seq, at, actor, action, subject, target, details, prev_hash)


def genesis_hash(key: bytes) -> str:
    """The ``prev_hash`` of entry 1: fixed for a key, so a chain cannot be re-rooted."""
    return hmac.digest(key, GENESIS_MESSAGE, "sha256").hex()


def head_mac(key: bytes, last_seq: int, last_hash: str) -> str:
    """The MAC of the head record: moving the head back after a truncation needs the key."""
    message = HEAD_MESSAGE + f"{last_seq}:{last_hash}".encode()
    return hmac.digest(key, message, "sha256").hex()


def check_key(key: bytes) -> bytes:
    """Refuse keys too short to resist guessing (Settings creates 64 hex characters)."""
    if not isinstance(key, bytes) or len(key) < 16:
        raise StateError(
            "audit key must be at least 16 bytes: use Settings.audit_key_bytes() or set "
            "VARNA_AUDIT_KEY to 32 or more random characters"
        )
    return key
