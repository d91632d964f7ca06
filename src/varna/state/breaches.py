"""The breach register in Varna's state (GDPR Art. 33(5)): each breach as it stands in
``breaches`` and every change of it, append-only, in ``breach_events``.

A change reads the breach under a row lock (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's
write transaction holds the database lock from its first statement), merges the fields it sets
into the record, writes the record with its version moved on by one and appends the event with
that version: two concurrent changes are serialised, and neither is lost. The caller passes a
``then`` callback that runs in the same transaction (the audit entry), so the change, its event
and its audit entry are committed together or not at all.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from varna.errors import RequestError
from varna.state.database import StateDB
from varna.state.rows import utc_iso
from varna.state.schema import breach_events, breaches


@dataclass(frozen=True, slots=True)
class BreachRow:
    """One breach as stored: its reference, version, state and record (a JSON object)."""

    ref: str
    version: int
    state: str
    aware_at: str
    risk: str | None
    notified_at: str | None
    record: dict[str, Any]
    created_at: str
    updated_at: str

    def __repr__(self) -> str:
        return f"BreachRow({self.ref!r}, v{self.version}, {self.state})"


@dataclass(frozen=True, slots=True)
class BreachEvent:
    """One change of a breach: what was set, when and by whom."""

    seq: int
    ref: str
    version: int
    action: str
    at: str
    actor: str
    changes: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "action": self.action,
            "at": self.at,
            "actor": self.actor,
            "changes": self.changes,
        }


Then = Callable[[sa.Connection, BreachRow], None]


def _row(row: Any) -> BreachRow:
    return BreachRow(
        row.ref,
        row.version,
        row.state,
        row.aware_at,
        row.risk,
        row.notified_at,
        json.loads(row.record),
        row.created_at,
        row.updated_at,
    )


def new_ref(now: datetime) -> str:
    """A reference to quote: ``B-`` the day, and four random letters and digits."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    tail = "".join(secrets.choice(alphabet) for _ in range(4))
    return f"B-{now:%Y%m%d}-{tail}"


class BreachStore:
    """Breaches and their events in ``state``."""

    def __init__(self, state: StateDB) -> None:
        self._state = state

    def __repr__(self) -> str:
        return f"BreachStore({self._state.where!r})"

    def create(
        self,
        *,
        record: Mapping[str, Any],
        aware_at: datetime,
        actor: str,
        now: datetime,
        then: Then | None = None,
    ) -> BreachRow:
        """Write a new breach (version 1) and its ``recorded`` event."""
        for _ in range(5):
            ref = new_ref(now)
            with self._state.write("record a breach") as conn:
                if conn.scalar(sa.select(breaches.c.ref).where(breaches.c.ref == ref)):
                    continue
                values = {
                    "ref": ref,
                    "version": 1,
                    "state": "open",
                    "aware_at": utc_iso(aware_at),
                    "risk": None,
                    "notified_at": None,
                    "record": json.dumps(dict(record), sort_keys=True),
                    "created_at": utc_iso(now),
                    "updated_at": utc_iso(now),
                }
                conn.execute(sa.insert(breaches).values(**values))
                self._event(conn, ref, 1, "recorded", now, actor, dict(record))
                made = _row(conn.execute(sa.select(breaches).where(breaches.c.ref == ref)).one())
                if then is not None:
                    then(conn, made)
                return made
        raise RequestError("could not find a free breach reference; try again", code="breach-ref")

    def change(
        self,
        ref: str,
        *,
        action: str,
        changes: Mapping[str, Any],
        actor: str,
        now: datetime,
        columns: Mapping[str, Any] | None = None,
        check: Callable[[BreachRow], None] | None = None,
        then: Then | None = None,
    ) -> BreachRow:
        """Merge ``changes`` into breach ``ref``'s record (and set ``columns``: state, risk,
        notified_at) under a row lock, append the event; ``check`` may refuse first."""
        with self._state.write(f"breach {action}") as conn:
            found = conn.execute(
                sa.select(breaches).where(breaches.c.ref == ref).with_for_update()
            ).one_or_none()
            if found is None:
                raise RequestError(f"no breach {ref}: see varna breach list", code="breach-unknown")
            current = _row(found)
            if check is not None:
                check(current)
            record = {**current.record, **changes}
            version = current.version + 1
            values: dict[str, Any] = {
                "version": version,
                "record": json.dumps(record, sort_keys=True),
                "updated_at": utc_iso(now),
                **(columns or {}),
            }
            conn.execute(sa.update(breaches).where(breaches.c.ref == ref).values(**values))
            self._event(conn, ref, version, action, now, actor, dict(changes))
            made = _row(conn.execute(sa.select(breaches).where(breaches.c.ref == ref)).one())
            if then is not None:
                then(conn, made)
            return made

    def _event(
        self,
        conn: sa.Connection,
        ref: str,
        version: int,
        action: str,
        now: datetime,
        actor: str,
        changes: dict[str, Any],
    ) -> None:
        conn.execute(
            sa.insert(breach_events).values(
                ref=ref,
                version=version,
                action=action,
                at=utc_iso(now),
                actor=actor,
                changes=json.dumps(changes, sort_keys=True),
            )
        )

    def get(self, ref: str) -> BreachRow | None:
        with self._state.read("read a breach") as conn:
            row = conn.execute(sa.select(breaches).where(breaches.c.ref == ref)).one_or_none()
        return None if row is None else _row(row)

    def all(self, *, open_only: bool = False) -> list[BreachRow]:
        """Every breach (or the open ones), earliest awareness first."""
        q = sa.select(breaches).order_by(breaches.c.aware_at, breaches.c.ref)
        if open_only:
            q = q.where(breaches.c.state == "open")
        with self._state.read("list breaches") as conn:
            return [_row(r) for r in conn.execute(q)]

    def events(self, ref: str) -> list[BreachEvent]:
        q = (
            sa.select(breach_events)
            .where(breach_events.c.ref == ref)
            .order_by(breach_events.c.version)
        )
        with self._state.read("read a breach's history") as conn:
            return [
                BreachEvent(r.seq, r.ref, r.version, r.action, r.at, r.actor, json.loads(r.changes))
                for r in conn.execute(q)
            ]
