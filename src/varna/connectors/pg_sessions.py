"""Driver connections to PostgreSQL shared by the systems of one server while the live-schema
check reads their catalogues.

A register may name many systems on one server: one database, a schema per application, each
system's URL choosing its schema with ``?options=-csearch_path=...``. Opening a connection per
system costs a server process each, and a new process reads every catalogue row it needs from
disk-backed tables again (a cold cache); for 200 systems that was most of ``register check``.

:class:`CatalogueSessions` keeps the connections it opened, keyed by everything the URL says
except ``options``, and lends one to each system in turn. The system's own ``-c name=value``
settings are applied with ``set_config`` inside the transaction that reads its catalogue,
which is rolled back afterwards, so the next system starts from the connection's defaults.
``options`` that are not plain ``-c name=value`` settings, and drivers other than psycopg and
psycopg2, get a connection of their own, closed after use. Connections are used by one thread
at a time (a thread takes one, or opens a new one when none is idle).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

_SHARING_DRIVERS = frozenset({"psycopg", "psycopg2"})
_PLAIN = (str, int, float, bool, type(None))
_TOKEN = re.compile(r"(?:\\.|[^\s\\])+")
_SETTING = re.compile(r"^(?:-c|--)?([A-Za-z_][\w.]*)=(.*)$", re.S)


def settings(options: str) -> list[tuple[str, str]] | None:
    """``-c name=value`` settings of a libpq ``options`` string (``-c a=1 -cb=2 --c=3``), or
    None when it says anything else."""
    tokens = [re.sub(r"\\(.)", r"\1", t) for t in _TOKEN.findall(options)]
    found: list[tuple[str, str]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == "-c" and index + 1 < len(tokens):
            index += 1
            token = "-c" + tokens[index]
        if not token.startswith(("-c", "--")):
            return None
        match = _SETTING.match(token)
        if match is None:
            return None
        found.append((match.group(1), match.group(2)))
        index += 1
    return found


class CatalogueSessions:
    """Idle driver connections by server (see the module's documentation); :meth:`close` at
    the end closes them all."""

    def __init__(self) -> None:
        self._idle: dict[tuple[Any, ...], list[Any]] = {}
        self._lock = threading.Lock()
        self._closed = False

    def __repr__(self) -> str:
        return f"CatalogueSessions(servers={len(self._idle)})"

    @contextmanager
    def session(
        self, dialect: Any, cargs: tuple[Any, ...], cparams: Mapping[str, Any]
    ) -> Iterator[Any]:
        """A driver connection for the URL ``dialect.create_connect_args`` gave, with its
        settings applied in an open transaction that is rolled back when the block ends."""
        options = cparams.get("options")
        applied = settings(str(options)) if options else []
        if dialect.driver not in _SHARING_DRIVERS or applied is None:
            raw = dialect.connect(*cargs, **cparams)
            try:
                yield raw
            finally:
                raw.close()
            return
        params = {k: v for k, v in cparams.items() if k != "options"}
        # the server, database, user and connection parameters; not the driver's adapters
        # object (``context``), which is the engine's own and the same for every engine
        plain = sorted((k, v) for k, v in params.items() if isinstance(v, _PLAIN))
        key = (dialect.driver, tuple(cargs), tuple(plain))
        with self._lock:
            idle = self._idle.setdefault(key, [])
            raw = idle.pop() if idle else None
        if raw is None:
            raw = dialect.connect(*cargs, **params)
        try:
            cursor = raw.cursor()
            for name, value in applied:
                cursor.execute("SELECT set_config(%s, %s, false)", (name, value))
            yield raw
            raw.rollback()  # the settings end with the transaction
        except BaseException:
            raw.close()
            raise
        with self._lock:
            if self._closed:
                raw.close()
            else:
                self._idle[key].append(raw)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            connections = [c for idle in self._idle.values() for c in idle]
            self._idle.clear()
        for raw in connections:
            raw.close()
