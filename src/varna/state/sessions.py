"""Console sessions in Varna's state, and the facts the console's overview reads.

The browser holds a random id (256 bits); only its SHA-256 is stored, so a copy of the database
cannot be used to sign in. A session is one row: whose, at which stage (``password``: the
second factor is still owed; ``full``), when it began and when it was last used. Ending a
session deletes its row.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from varna.state.database import StateDB
from varna.state.rows import utc_iso
from varna.state.schema import audit_events, console_sessions

STAGES = ("password", "full")


def session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A session as stored (never its id)."""

    id_hash: str
    user_name: str
    stage: str
    created_at: str
    last_seen: str

    def __repr__(self) -> str:
        return f"SessionRecord({self.user_name!r}, {self.stage})"


class SessionStore:
    """The console's sessions in ``state``."""

    def __init__(self, state: StateDB) -> None:
        self._state = state

    def __repr__(self) -> str:
        return f"SessionStore({self._state.where!r})"

    def start(self, user_name: str, *, stage: str, now: datetime) -> tuple[SessionRecord, str]:
        """A new session: the record and the id for the browser (never stored)."""
        session_id = secrets.token_urlsafe(32)
        at = utc_iso(now)
        row = {
            "id_hash": session_hash(session_id),
            "user_name": user_name,
            "stage": stage,
            "created_at": at,
            "last_seen": at,
        }
        with self._state.write("starting a console session") as conn:
            conn.execute(sa.insert(console_sessions).values(**row))
        return SessionRecord(**row), session_id

    def get(self, session_id: str) -> SessionRecord | None:
        with self._state.read("reading a console session") as conn:
            row = conn.execute(
                sa.select(console_sessions).where(
                    console_sessions.c.id_hash == session_hash(session_id)
                )
            ).one_or_none()
        return None if row is None else SessionRecord(**row._mapping)

    def touch(self, id_hash: str, *, now: datetime) -> None:
        with self._state.write("using a console session") as conn:
            conn.execute(
                sa.update(console_sessions)
                .where(console_sessions.c.id_hash == id_hash)
                .values(last_seen=utc_iso(now))
            )

    def end(self, id_hash: str) -> None:
        with self._state.write("ending a console session") as conn:
            conn.execute(sa.delete(console_sessions).where(console_sessions.c.id_hash == id_hash))

    def end_all(self, user_name: str) -> int:
        """End every session of ``user_name``; how many there were."""
        with self._state.write("ending console sessions") as conn:
            done = conn.execute(
                sa.delete(console_sessions).where(console_sessions.c.user_name == user_name)
            )
        return int(done.rowcount or 0)


def last_audit_event(state: StateDB, action: str) -> dict[str, Any] | None:
    """The newest audit event with ``action`` (its time, actor and details as stored)."""
    table = audit_events.c
    with state.read("reading the audit log") as conn:
        row = conn.execute(
            sa.select(table.seq, table.at, table.actor, table.details)
            .where(table.action == action)
            .order_by(table.seq.desc())
            .limit(1)
        ).one_or_none()
    return None if row is None else dict(row._mapping)


def audit_events_of(state: StateDB, action: str, *, target: str) -> list[dict[str, Any]]:
    """Every audit event with ``action`` on ``target``, oldest first (time, actor, details)."""
    table = audit_events.c
    with state.read("reading the audit log") as conn:
        rows = conn.execute(
            sa.select(table.at, table.actor, table.details)
            .where(table.action == action, table.target == target)
            .order_by(table.seq)
        ).all()
    return [dict(r._mapping) for r in rows]


def audit_events_about(
    state: StateDB, subjects: Sequence[str], *, limit: int = 1000
) -> list[dict[str, Any]]:
    """The newest ``limit`` audit events naming any of ``subjects`` (pseudonyms), oldest first:
    sequence number, time, actor, action, target and details as stored."""
    table = audit_events.c
    with state.read("reading the audit log") as conn:
        rows = conn.execute(
            sa.select(table.seq, table.at, table.actor, table.action, table.target, table.details)
            .where(table.subject.in_(list(subjects)))
            .order_by(table.seq.desc())
            .limit(limit)
        ).all()
    return [dict(r._mapping) for r in reversed(rows)]
