"""API keys and idempotency keys in Varna's state.

A key is ``vk_<id>_<secret>``: the id finds the row, only SHA-256 of the whole key is stored (the
secret has 256 bits, so a fast hash is enough; there is nothing to guess), compared in constant
time.

Authenticated keys are cached in the process, keyed by that hash, for as long as the ``api_keys``
table provably has not changed (:mod:`varna.state.changes`: on SQLite any commit empties the
cache; on PostgreSQL creating and revoking a key send ``NOTIFY varna_api_keys``), so revoking a
key stops it at once in every process.

A cache entry records the change marker seen *before* its row was read, so a revocation that
commits while a key is being checked makes the entry stale at once.

An idempotency key is claimed by inserting its row: the primary key makes a second, parallel
submission with the same key fail and return the first one's request instead.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from varna.errors import RequestError, StateError
from varna.state.changes import KeptReads, kept_reads
from varna.state.database import StateDB
from varna.state.rows import utc_iso
from varna.state.schema import api_keys, idempotency_keys

SCOPES = ("read", "requests", "breaches_read", "breaches", "admin")
"""What a key may do: read requests, move them, manage keys."""


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A key as stored (never its secret)."""

    id: str
    name: str
    scopes: frozenset[str]
    created_at: str
    created_by: str
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "scopes": sorted(self.scopes),
            "created_at": self.created_at,
            "created_by": self.created_by,
            "revoked_at": self.revoked_at,
        }


NOTIFY_CHANNEL = "varna_api_keys"
"""PostgreSQL channel on which key changes are announced to every process."""
_CACHE_SIZE = 1024
"""Keys kept at most; a full cache is emptied (there are a handful of keys in practice)."""


def _cache(state: StateDB) -> KeptReads:
    """Keys authenticated in this process, by the hash of the whole key."""
    return kept_reads(state, NOTIFY_CHANNEL, size=_CACHE_SIZE)


class ApiKeyStore:
    """The REST API's keys in ``state``."""

    def __init__(self, state: StateDB) -> None:
        self._state = state

    def __repr__(self) -> str:
        return f"ApiKeyStore({self._state.where!r})"

    def create(
        self, *, name: str, scopes: frozenset[str], created_by: str, now: datetime
    ) -> tuple[ApiKey, str]:
        """A new key: the stored record and the key itself (shown once, never stored)."""
        unknown = scopes - set(SCOPES)
        if unknown or not scopes:
            raise RequestError(
                f"API key scopes must be some of {', '.join(SCOPES)} (got "
                f"{', '.join(sorted(unknown)) or 'none'})"
            )
        key_id = secrets.token_hex(6)
        token = f"vk_{key_id}_{secrets.token_urlsafe(32)}"
        row = {
            "id": key_id,
            "name": name[:200],
            "secret_hash": _hash(token),
            "scopes": " ".join(sorted(scopes)),
            "created_at": utc_iso(now),
            "created_by": created_by[:200],
            "revoked_at": None,
        }
        with self._state.write("creating an API key") as conn:
            conn.execute(sa.insert(api_keys).values(**row))
            self._announce(conn)
        _cache(self._state).changed()  # after the commit: this process knows at once
        return _key(row), token

    def _announce(self, conn: sa.Connection) -> None:
        """Tell every process's cache that the keys changed (PostgreSQL; delivered at commit)."""
        if self._state.dialect == "postgresql":
            conn.execute(sa.select(sa.func.pg_notify(NOTIFY_CHANNEL, "")))

    def authenticate(self, token: str) -> ApiKey | None:
        """The active key ``token`` is, or None (wrong, unknown or revoked)."""
        parts = token.split("_")
        if len(parts) < 3 or parts[0] != "vk":
            return None
        digest = _hash(token)
        cache = _cache(self._state)
        marker = cache.now()
        known, key = cache.get(digest, marker)
        if known:
            found: ApiKey | None = key
            return found
        return self._read(parts[1], digest, cache, marker)

    def cached(self, token: str) -> tuple[bool, ApiKey | None]:
        """``(True, key or None)`` when the answer for ``token`` is known without a database
        read (a cache entry still fresh, or not a key at all); ``(False, None)`` when
        :meth:`authenticate` must read. Never blocks on the database (an event loop may call
        it)."""
        parts = token.split("_")
        if len(parts) < 3 or parts[0] != "vk":
            return True, None
        cache = _cache(self._state)
        known, key = cache.get(_hash(token), cache.now())
        return (True, key) if known else (False, None)

    def _read(
        self, key_id: str, digest: str, cache: KeptReads, marker: object | None
    ) -> ApiKey | None:
        with self._state.read("checking an API key") as conn:
            row = conn.execute(_BY_ID, {"id": key_id}).one_or_none()
        key: ApiKey | None = None
        if row is not None and hmac.compare_digest(row.secret_hash, digest):
            found = _key(row._mapping)
            key = found if found.active else None
        cache.put(digest, marker, key)
        return key

    def listing(self) -> list[ApiKey]:
        """Every key, newest first."""
        with self._state.read("listing API keys") as conn:
            rows = conn.execute(sa.select(api_keys).order_by(api_keys.c.created_at.desc())).all()
        return [_key(r._mapping) for r in rows]

    def revoke(self, key_id: str, *, now: datetime) -> ApiKey:
        """Revoke a key (it stays listed, marked revoked)."""
        with self._state.write("revoking an API key") as conn:
            done = conn.execute(
                sa.update(api_keys)
                .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=utc_iso(now))
            ).rowcount
            self._announce(conn)
            row = conn.execute(sa.select(api_keys).where(api_keys.c.id == key_id)).one_or_none()
        _cache(self._state).changed()  # after the commit: this process knows at once
        if row is None:
            raise RequestError(f"there is no API key '{key_id}'")
        if not done and row.revoked_at is None:  # pragma: no cover - the update would have run
            raise RequestError(f"API key '{key_id}' could not be revoked")
        return _key(row._mapping)

    def claim_idempotency(
        self, api_key: str, idempotency_key: str, request_ref: str, *, now: datetime
    ) -> str:
        """Record that ``idempotency_key`` made ``request_ref``; if it was used before, the
        request it made then."""
        key_hash = _hash(idempotency_key)
        table = idempotency_keys.c
        try:
            with self._state.write("recording an idempotency key") as conn:
                conn.execute(
                    sa.insert(idempotency_keys).values(
                        api_key=api_key,
                        key_hash=key_hash,
                        request_id=request_ref,
                        created_at=utc_iso(now),
                    )
                )
            return request_ref
        except StateError:
            with self._state.read("reading an idempotency key") as conn:
                earlier = conn.execute(
                    sa.select(table.request_id).where(
                        table.api_key == api_key, table.key_hash == key_hash
                    )
                ).scalar_one_or_none()
            if earlier is None:
                raise
            return str(earlier)

    def seen(self, api_key: str, idempotency_key: str) -> str | None:
        """The request an idempotency key already made, if any."""
        table = idempotency_keys.c
        with self._state.read("reading an idempotency key") as conn:
            found = conn.execute(
                sa.select(table.request_id).where(
                    table.api_key == api_key, table.key_hash == _hash(idempotency_key)
                )
            ).scalar_one_or_none()
        return None if found is None else str(found)


_BY_ID = sa.select(api_keys).where(api_keys.c.id == sa.bindparam("id"))


def _key(row: Mapping[Any, Any]) -> ApiKey:
    return ApiKey(
        str(row["id"]),
        str(row["name"]),
        frozenset(str(row["scopes"]).split()),
        str(row["created_at"]),
        str(row["created_by"]),
        row["revoked_at"],
    )
