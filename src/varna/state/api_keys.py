"""API keys and idempotency keys in Varna's state.

A key is ``vk_<id>_<secret>``: the id finds the row, only SHA-256 of the whole key is stored (the
secret has 256 bits, so a fast hash is enough; there is nothing to guess), compared in constant
time.

Authenticated keys are cached in the process, keyed by that hash, for as long as the ``api_keys``
table provably has not changed, so revoking a key stops it at once in every process:

- SQLite: the cache holds its own connection to the database file and reads ``PRAGMA
  data_version``, which changes whenever another connection (of this or any process) commits;
  any commit at all empties the cache, and the check costs no transaction.
- PostgreSQL: creating and revoking a key send ``NOTIFY varna_api_keys`` in the same
  transaction; one thread per process listens on its own connection and empties the cache on
  every notification (delivered when the revocation commits). While that connection is not
  listening (before it starts, after it drops), nothing is cached and every call reads the row.
- In-memory SQLite (one process only): nothing is cached.

A cache entry records the change marker seen *before* its row was read, so a revocation that
commits while a key is being checked makes the entry stale at once.

An idempotency key is claimed by inserting its row: the primary key makes a second, parallel
submission with the same key fail and return the first one's request instead.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from varna.errors import RequestError, StateError
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


class _Marker:
    """Whether the ``api_keys`` table may have changed: :meth:`now` gives a value that differs
    after any change, or None when that cannot be known (then nothing is cached)."""

    def now(self) -> object | None:
        return None

    def close(self) -> None:
        return None


class _SqliteMarker(_Marker):
    """``PRAGMA data_version`` on a connection of its own (never used to write)."""

    def __init__(self, path: str) -> None:
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)

    def now(self) -> object | None:
        with self._lock:
            try:
                return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:
                return None

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class _PostgresMarker(_Marker):
    """A generation counter bumped by a listener thread on every ``NOTIFY varna_api_keys``."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._generation = 0
        self._listening = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="varna-api-keys", daemon=True)
        self._thread.start()

    def now(self) -> object | None:
        return self._generation if self._listening else None

    def _listen(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._url, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self._generation += 1  # whatever happened while not listening is forgotten
                    self._listening = True
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=1.0):
                            self._generation += 1
            except psycopg.Error:
                pass
            finally:
                self._listening = False
                self._generation += 1
            self._stop.wait(1.0)

    def close(self) -> None:
        self._stop.set()


def _marker(state: StateDB) -> _Marker:
    url = state.engine.url
    if state.dialect == "postgresql":
        libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return _PostgresMarker(libpq)
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        return _SqliteMarker(str(Path(database).expanduser()))
    return _Marker()


class _KeyCache:
    """Keys authenticated in this process, by the hash of the whole key."""

    def __init__(self, state: StateDB) -> None:
        self.pid = os.getpid()
        self.marker = _marker(state)
        self.changed_here = 0
        self.entries: dict[str, tuple[object, ApiKey | None]] = {}
        weakref.finalize(state, self.marker.close)

    def now(self) -> object | None:
        """The change marker: this process's own changes and every process's."""
        seen = self.marker.now()
        return None if seen is None else (self.changed_here, seen)


_caches: weakref.WeakKeyDictionary[StateDB, _KeyCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def _cache(state: StateDB) -> _KeyCache:
    found = _caches.get(state)
    if found is None or found.pid != os.getpid():  # a forked child has no listener thread
        with _caches_lock:
            found = _caches.get(state)
            if found is None or found.pid != os.getpid():
                found = _caches[state] = _KeyCache(state)
    return found


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
        _cache(self._state).changed_here += 1  # after the commit: this process knows at once
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
        if marker is not None:
            hit = cache.entries.get(digest)
            if hit is not None and hit[0] == marker:
                return hit[1]
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
        marker = cache.now()
        hit = None if marker is None else cache.entries.get(_hash(token))
        if hit is not None and hit[0] == marker:
            return True, hit[1]
        return False, None

    def _read(
        self, key_id: str, digest: str, cache: _KeyCache, marker: object | None
    ) -> ApiKey | None:
        with self._state.read("checking an API key") as conn:
            row = conn.execute(_BY_ID, {"id": key_id}).one_or_none()
        key: ApiKey | None = None
        if row is not None and hmac.compare_digest(row.secret_hash, digest):
            found = _key(row._mapping)
            key = found if found.active else None
        if marker is not None:
            if len(cache.entries) >= _CACHE_SIZE:
                cache.entries.clear()
            cache.entries[digest] = (marker, key)
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
        _cache(self._state).changed_here += 1  # after the commit: this process knows at once
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
