"""Whether a part of Varna's state may have changed since a process last read it: what lets a
process keep what it read (API keys, consent) and still see every other process's change at once.

A *marker* gives a value that differs after any change, or None when that cannot be known (then
nothing may be kept):

- SQLite: a connection of the marker's own reads ``PRAGMA data_version``, which changes whenever
  another connection (of this or any process) commits; any commit at all counts, and the check
  costs no transaction.
- PostgreSQL: writers send ``NOTIFY <channel>`` in their transaction; one thread per process
  listens on its own connection and counts the notifications (each delivered when its writer
  commits). While that connection is not listening (before it starts, after it drops), the marker
  is None.
- In-memory SQLite (one process only): always None.

A process's own writes are counted by the caller after its commit (a notification reaches the
listener a moment later).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from pathlib import Path
from typing import Any

from varna.state.database import StateDB


class Marker:
    """:meth:`now` gives a value that differs after any change, or None when that cannot be
    known (then nothing may be kept)."""

    def now(self) -> object | None:
        return None

    def close(self) -> None:
        return None


class _SqliteMarker(Marker):
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


class _PostgresMarker(Marker):
    """A generation counter bumped by a listener thread on every ``NOTIFY`` on ``channel``."""

    def __init__(self, url: str, channel: str) -> None:
        self._url = url
        self._channel = channel
        self._generation = 0
        self._listening = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, name=f"varna-{channel}", daemon=True)
        self._thread.start()

    def now(self) -> object | None:
        return self._generation if self._listening else None

    def _listen(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._url, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {self._channel}")
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


def change_marker(state: StateDB, channel: str) -> Marker:
    """The marker of ``state``: on PostgreSQL, of the notifications on ``channel``."""
    url = state.engine.url
    if state.dialect == "postgresql":
        libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return _PostgresMarker(libpq, channel)
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        return _SqliteMarker(str(Path(database).expanduser()))
    return Marker()


class KeptReads:
    """What this process read from one part of the state, by key, each entry with the marker
    seen *before* its read: an entry is good only while the marker still shows that value, so a
    change committed during the read makes it stale at once."""

    def __init__(self, state: StateDB, channel: str, size: int) -> None:
        self.pid = os.getpid()
        self.marker = change_marker(state, channel)
        self.size = size
        self.changed_here = 0
        self.entries: dict[Any, tuple[object, Any]] = {}
        weakref.finalize(state, self.marker.close)

    def now(self) -> object | None:
        """The marker: this process's own changes and every process's (None: keep nothing)."""
        seen = self.marker.now()
        return None if seen is None else (self.changed_here, seen)

    def get(self, key: Any, marker: object | None) -> tuple[bool, Any]:
        """``(True, value)`` when ``key`` was read under ``marker``; else ``(False, None)``."""
        hit = None if marker is None else self.entries.get(key)
        if hit is not None and hit[0] == marker:
            return True, hit[1]
        return False, None

    def put(self, key: Any, marker: object | None, value: Any) -> None:
        """Keep ``value`` read under ``marker`` (nothing when the marker is unknown); a full
        store is emptied first."""
        if marker is None:
            return
        if len(self.entries) >= self.size:
            self.entries.clear()
        self.entries[key] = (marker, value)

    def changed(self) -> None:
        """This process committed a change (call after the commit)."""
        self.changed_here += 1


_kept: weakref.WeakKeyDictionary[StateDB, dict[str, KeptReads]] = weakref.WeakKeyDictionary()
_kept_lock = threading.Lock()


def kept_reads(state: StateDB, channel: str, *, size: int) -> KeptReads:
    """The process's kept reads of ``state`` announced on ``channel`` (made on first use; a
    forked child makes its own, since it has no listener thread)."""
    found = _kept.get(state, {}).get(channel)
    if found is None or found.pid != os.getpid():
        with _kept_lock:
            by_channel = _kept.setdefault(state, {})
            found = by_channel.get(channel)
            if found is None or found.pid != os.getpid():
                found = by_channel[channel] = KeptReads(state, channel, size)
    return found
