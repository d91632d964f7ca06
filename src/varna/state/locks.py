"""Per-person serialisation: what makes two writes about one person happen one after the other.

* :func:`lock_subjects` takes PostgreSQL's transaction-scoped advisory lock on each pseudonym of
  the person (sorted, so two writers never wait for each other in a circle) inside the caller's
  write transaction; it is released at commit or rollback. On SQLite the write transaction
  itself (``BEGIN IMMEDIATE``) already serialises every writer.
* :func:`execution_lock` holds a session advisory lock (another key space) on a connection of
  its own while a right is carried out in the organisation's systems, which takes many
  transactions; two workers never execute for one person at once, and a request found
  ``executing`` by the holder of the lock was left so by a worker that died. On SQLite (one
  machine) the same lock is an exclusive ``flock`` on a file per person beside the database,
  released by the kernel when its process ends.

The unique partial indexes (one open request per kind and person, one active restriction per
person) stay the last line: a write that slips past a lock fails instead of duplicating.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import sqlalchemy as sa

from varna.errors import StateError
from varna.state.database import StateDB, state_error

_EXECUTION_SPACE = 0x76726E78  # "vrnx": the key space of execution locks


def lock_key(pseudonym: str) -> int:
    """A signed 64-bit key for ``pg_advisory_xact_lock`` from a pseudonym."""
    return int.from_bytes(hashlib.sha256(pseudonym.encode()).digest()[:8], "big", signed=True)


_XACT_LOCKS = sa.text(
    "SELECT pg_advisory_xact_lock(k) "
    "FROM unnest(CAST(:keys AS bigint[])) WITH ORDINALITY AS t(k, n)"
)
"""Built once: every move of a request takes it for the person's names, in one round trip (the
function scan yields the array in its order, and each row's lock is taken as it is read)."""

_SESSION_LOCKS = sa.text(
    "SELECT pg_advisory_lock(CAST(:space AS integer), k) "
    "FROM unnest(CAST(:keys AS integer[])) WITH ORDINALITY AS t(k, n)"
)
"""The execution locks of a person's names, in the sorted order given, in one round trip."""


def lock_subjects(conn: sa.Connection, names: Iterable[str]) -> None:
    """Serialise this transaction with every other one about any of ``names`` (PostgreSQL)."""
    if conn.dialect.name != "postgresql":
        return
    keys = sorted({lock_key(n) for n in names})
    if keys:
        conn.execute(_XACT_LOCKS, {"keys": keys}).all()


@contextmanager
def execution_lock(state: StateDB, names: Iterable[str]) -> Iterator[None]:
    """Hold a per-person lock across many transactions; wait while another process holds it."""
    keys = sorted({lock_key(n) & 0x7FFFFFFF for n in names})
    if state.dialect != "postgresql":
        with _file_locks(state, keys):
            yield
        return
    try:
        conn = state.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    except sa.exc.SQLAlchemyError as exc:
        raise state_error(exc, where=state.where, doing="taking a per-person lock") from exc
    try:
        if keys:
            conn.execute(_SESSION_LOCKS, {"space": _EXECUTION_SPACE, "keys": keys}).all()
    except sa.exc.SQLAlchemyError as exc:
        conn.invalidate()  # the session ends, and with it any lock it took
        conn.close()
        raise state_error(exc, where=state.where, doing="taking a per-person lock") from exc
    try:
        yield
    finally:
        try:  # the connection goes back to the pool: release the session's locks explicitly
            conn.execute(sa.select(sa.func.pg_advisory_unlock_all()))
        except sa.exc.SQLAlchemyError:
            conn.invalidate()  # a broken session releases its locks as it ends
        finally:
            conn.close()


@contextmanager
def _file_locks(state: StateDB, keys: list[int]) -> Iterator[None]:
    database = state.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        yield  # a database of one process
        return
    folder = Path(database).expanduser().with_name(Path(database).name + ".locks")
    with ExitStack() as stack:
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            for key in keys:
                handle = stack.enter_context((folder / f"{key:08x}.lock").open("a"))
                fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
        except OSError as exc:
            raise StateError(
                f"state database {state.where}: cannot take a per-person lock in {folder} "
                f"({exc.strerror}); check that folder's permissions"
            ) from exc
        yield
