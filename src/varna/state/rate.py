"""Counting requests per client in fixed windows in the state database, so that a rate limit
holds across every process and host of an installation (PostgreSQL; one SQLite installation is
one process, which counts in memory, :mod:`varna.web.ratelimit`).

One statement per counted request: an insert that, when the window's row exists, adds one to it
and returns the count (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``), atomic under any
number of writers. The first request of a client's window deletes the rows of windows that have
ended. The key is a keyed hash of the surface and the client's address, never the address.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from varna.state.database import StateDB
from varna.state.schema import rate_windows


class RateCounter:
    """Hits per (key, window) in ``state``."""

    def __init__(self, state: StateDB) -> None:
        self._state = state

    def __repr__(self) -> str:
        return f"RateCounter({self._state.where!r})"

    def hit(self, key: str, window: int) -> int:
        """Count one request of ``key`` in window number ``window``; the window's count."""
        with self._state.write("counting a request for the rate limits") as conn:
            upsert = _HIT[self._state.dialect]
            hits = int(conn.execute(upsert, {"key": key, "window": window}).scalar_one())
            if hits == 1:  # a window begins: the ones before it have ended
                conn.execute(_SWEEP, {"current": window})
        return hits


def _upsert(insert: type[postgresql.Insert] | type[sqlite.Insert]) -> sa.Executable:
    stmt = insert(rate_windows).values(
        key=sa.bindparam("key"), window=sa.bindparam("window"), hits=1
    )
    return stmt.on_conflict_do_update(
        index_elements=[rate_windows.c.key, rate_windows.c.window],
        set_={"hits": rate_windows.c.hits + 1},
    ).returning(rate_windows.c.hits)


_HIT = {"postgresql": _upsert(postgresql.Insert), "sqlite": _upsert(sqlite.Insert)}
_SWEEP = sa.delete(rate_windows).where(rate_windows.c.window < sa.bindparam("current"))
