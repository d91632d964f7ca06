"""Notices in Varna's state: to the person at each step of their request, to recipients after an
erasure, rectification or restriction (GDPR Art. 19), and who was told of a policy change.

A request notice is written in the transaction of the move it tells about; the unique key
(request, kind, step, recipient) makes a second write of the same notice a no-op, so a move
replayed after a crash never queues it twice. A policy notice is one row per version and person
(a keyed pseudonym of the address), inserted after the message went: a resumed run skips the
people it already told.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from varna.state.database import StateDB
from varna.state.rows import chunks, utc_iso
from varna.state.schema import notices, policy_notices, request_rows


def _ordered_id(prefix: str) -> str:
    """A random id that sorts in the order rows were written (in one process; written at the
    same injected time, rows keep the order of the moves that wrote them)."""
    return f"{prefix}{time.time_ns():016x}{secrets.token_hex(5)}"


@dataclass(frozen=True, slots=True)
class Notice:
    """One notice about a request (the draft stays sealed)."""

    id: str
    request_id: str
    kind: str
    event: str
    recipient: str
    channel: str
    state: str
    draft: str | None
    attempts: int
    created_at: str
    sent_at: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "event": self.event,
            "recipient": self.recipient,
            "channel": self.channel,
            "state": self.state,
            "attempts": self.attempts,
            "created_at": self.created_at,
            "sent_at": self.sent_at,
        }


def _notice(row: Any) -> Notice:
    return Notice(**{k: row[k] for k in Notice.__slots__})


class NoticeStore:
    """Request notices and policy notices in ``state``."""

    def __init__(self, state: StateDB) -> None:
        self._state = state

    def __repr__(self) -> str:
        return f"NoticeStore({self._state.where!r})"

    def enqueue_in(
        self,
        conn: sa.Connection,
        *,
        request_id: str,
        kind: str,
        event: str,
        recipient: str,
        channel: str,
        now: datetime,
        draft: str | None = None,
    ) -> bool:
        """Queue a notice in the caller's transaction unless it is there; True if queued."""
        exists = conn.scalar(
            sa.select(notices.c.id).where(
                notices.c.request_id == request_id,
                notices.c.kind == kind,
                notices.c.event == event,
                notices.c.recipient == recipient,
            )
        )
        if exists is not None:
            return False
        conn.execute(
            sa.insert(notices).values(
                id=_ordered_id("nt_"),
                request_id=request_id,
                kind=kind,
                event=event,
                recipient=recipient,
                channel=channel,
                state="pending",
                draft=draft,
                created_at=utc_iso(now),
            )
        )
        return True

    def pending(self, *, limit: int = 100) -> list[Notice]:
        q = (
            sa.select(notices)
            .where(notices.c.state == "pending")
            .order_by(notices.c.created_at, notices.c.id)
            .limit(limit)
        )
        with self._state.read("reading pending notices") as conn:
            return [_notice(r) for r in conn.execute(q).mappings()]

    def settle(self, notice: Notice, *, state: str, now: datetime) -> bool:
        """Record what became of a pending notice (sent, queued for the DPO, skipped, or still
        pending after a failed try); False when another sender settled it first."""
        values: dict[str, Any] = {"state": state, "attempts": notice.attempts + 1}
        if state in ("sent", "queued"):
            values["sent_at"] = utc_iso(now)
        with self._state.write("recording a notice") as conn:
            done = conn.execute(
                sa.update(notices)
                .where(
                    notices.c.id == notice.id,
                    notices.c.state == "pending",
                    notices.c.attempts == notice.attempts,
                )
                .values(**values)
            )
            return done.rowcount == 1

    def of_request(self, request_id: str) -> list[Notice]:
        q = (
            sa.select(notices)
            .where(notices.c.request_id == request_id)
            .order_by(notices.c.created_at, notices.c.kind, notices.c.recipient)
        )
        with self._state.read("reading a request's notices") as conn:
            return [_notice(r) for r in conn.execute(q).mappings()]

    def tables_in(self, conn: sa.Connection, request_id: str) -> list[tuple[str, str]]:
        """(system, table) of the rows the request reached, in the caller's transaction."""
        q = (
            sa.select(request_rows.c.system, request_rows.c.table_name)
            .where(request_rows.c.request_id == request_id)
            .distinct()
            .order_by(request_rows.c.system, request_rows.c.table_name)
        )
        return [(s, t) for s, t in conn.execute(q)]

    # -- policy notices --------------------------------------------------------------------------

    def told(self, version: str, people: Sequence[str]) -> set[str]:
        """Which of ``people`` (pseudonyms) were told of ``version`` already."""
        found: set[str] = set()
        with self._state.read("reading policy notices") as conn:
            for part in chunks(people):
                found.update(
                    conn.scalars(
                        sa.select(policy_notices.c.person).where(
                            policy_notices.c.version == version,
                            policy_notices.c.person.in_(part),
                        )
                    )
                )
        return found

    def record_told(self, version: str, people: Iterable[str], *, now: datetime) -> int:
        """Record that ``people`` were told of ``version`` (those already recorded are kept)."""
        from varna.state.rows import insert_missing

        rows = [{"version": version, "person": p, "sent_at": utc_iso(now)} for p in people]
        with self._state.write("recording policy notices") as conn:
            return insert_missing(conn, policy_notices, rows, ("version", "person"))

    def told_count(self, version: str) -> int:
        with self._state.read("counting policy notices") as conn:
            q = sa.select(sa.func.count()).select_from(policy_notices)
            return int(conn.scalar(q.where(policy_notices.c.version == version)) or 0)
