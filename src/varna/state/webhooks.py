"""Webhooks and their delivery log in Varna's state.

A delivery row is written in the transaction of the move it reports (:meth:`WebhookStore.
enqueue_in`), so an event is never lost nor reported for a move that was rolled back. Deliveries
are taken by :meth:`WebhookStore.due` and each try is recorded by :meth:`WebhookStore.tried`;
what serialises two senders is the row update guarded by ``attempts`` (a try recorded by another
sender makes this one's update change nothing).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from varna.errors import RequestError
from varna.state.database import StateDB, held, hold
from varna.state.rows import utc_iso
from varna.state.schema import webhook_deliveries, webhooks


def _ordered_id(prefix: str) -> str:
    """A random id that sorts in the order rows were written (in one process; written at the
    same injected time, rows keep the order of the moves that wrote them)."""
    return f"{prefix}{time.time_ns():016x}{secrets.token_hex(5)}"


@dataclass(frozen=True, slots=True)
class Webhook:
    """A receiver as stored (its secret stays sealed)."""

    id: str
    url: str
    events: tuple[str, ...]
    sealed_secret: str
    created_at: str
    created_by: str
    removed_at: str | None

    def wants(self, event: str) -> bool:
        """Whether ``event`` is one this webhook asked for (``*``, its family's ``request.*``
        or ``consent.*``, or itself)."""
        family = event.split(".", 1)[0] + ".*"
        return "*" in self.events or event in self.events or family in self.events

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "events": list(self.events),
            "created_at": self.created_at,
            "created_by": self.created_by,
            "removed_at": self.removed_at,
        }


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event for one webhook and its tries so far."""

    id: str
    webhook_id: str
    event: str
    request_id: str | None
    payload: str
    state: str
    attempts: int
    next_at: str
    last_status: int | None
    last_error: str | None
    created_at: str
    delivered_at: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "webhook": self.webhook_id,
            "event": self.event,
            "request": self.request_id,
            "state": self.state,
            "attempts": self.attempts,
            "next_at": self.next_at,
            "last_status": self.last_status,
            "last_error": self.last_error,
            "created_at": self.created_at,
            "delivered_at": self.delivered_at,
        }


def _hook(row: Any) -> Webhook:
    return Webhook(
        row["id"],
        row["url"],
        tuple(row["events"].split()),
        row["secret"],
        row["created_at"],
        row["created_by"],
        row["removed_at"],
    )


def _delivery(row: Any) -> Delivery:
    return Delivery(**{k: row[k] for k in Delivery.__slots__})


_ACTIVE = sa.select(webhooks).where(webhooks.c.removed_at.is_(None))
_HELD_ACTIVE = "varna.active_webhooks"  # the active webhooks as this transaction read them
"""Built once: every move of every request reads it."""


class WebhookStore:
    """The webhooks and deliveries in ``state``."""

    def __init__(self, state: StateDB) -> None:
        self._state = state

    def __repr__(self) -> str:
        return f"WebhookStore({self._state.where!r})"

    def add(
        self, *, url: str, events: Sequence[str], sealed_secret: str, by: str, now: datetime
    ) -> Webhook:
        hook_id = "wh_" + secrets.token_hex(8)
        with self._state.write("adding a webhook") as conn:
            conn.execute(
                sa.insert(webhooks).values(
                    id=hook_id,
                    url=url,
                    events=" ".join(events),
                    secret=sealed_secret,
                    created_at=utc_iso(now),
                    created_by=by[:200],
                )
            )
            return self._get(conn, hook_id)

    def _get(self, conn: sa.Connection, hook_id: str) -> Webhook:
        row = conn.execute(sa.select(webhooks).where(webhooks.c.id == hook_id)).mappings().first()
        if row is None:
            raise RequestError(f"no webhook {hook_id}: varna webhook list shows them")
        return _hook(row)

    def get(self, hook_id: str) -> Webhook:
        with self._state.read("reading a webhook") as conn:
            return self._get(conn, hook_id)

    def listing(self, *, active_only: bool = True) -> list[Webhook]:
        q = sa.select(webhooks).order_by(webhooks.c.created_at, webhooks.c.id)
        if active_only:
            q = q.where(webhooks.c.removed_at.is_(None))
        with self._state.read("listing webhooks") as conn:
            return [_hook(r) for r in conn.execute(q).mappings()]

    def remove(self, hook_id: str, *, now: datetime) -> Webhook:
        """Stop deliveries to ``hook_id`` (its log stays); pending ones are dropped."""
        with self._state.write("removing a webhook") as conn:
            hook = self._get(conn, hook_id)
            if hook.removed_at is None:
                conn.execute(
                    sa.update(webhooks)
                    .where(webhooks.c.id == hook_id)
                    .values(removed_at=utc_iso(now))
                )
                conn.execute(
                    sa.update(webhook_deliveries)
                    .where(
                        webhook_deliveries.c.webhook_id == hook_id,
                        webhook_deliveries.c.state == "pending",
                    )
                    .values(state="failed", last_error="webhook removed")
                )
            return self._get(conn, hook_id)

    def enqueue_in(
        self,
        conn: sa.Connection,
        *,
        event: str,
        request_id: str | None,
        payload: str,
        now: datetime,
    ) -> int:
        """Queue ``event`` for every active webhook that wants it, in the caller's transaction;
        how many deliveries were queued."""
        hooks = held(conn, _HELD_ACTIVE)
        if hooks is None:  # read once per transaction: its moves all queue for the same hooks
            hooks = [_hook(r) for r in conn.execute(_ACTIVE).mappings()]
            hold(conn, _HELD_ACTIVE, hooks)
        rows = [
            {
                "id": _ordered_id("wd_"),
                "webhook_id": h.id,
                "event": event,
                "request_id": request_id,
                "payload": payload,
                "state": "pending",
                "attempts": 0,
                "next_at": utc_iso(now),
                "created_at": utc_iso(now),
            }
            for h in hooks
            if h.wants(event)
        ]
        if rows:
            conn.execute(sa.insert(webhook_deliveries), rows)
        return len(rows)

    def due(self, *, now: datetime, limit: int = 100) -> list[tuple[Delivery, Webhook]]:
        """Pending deliveries whose next try is due, oldest first, with their webhook."""
        q = (
            sa.select(webhook_deliveries)
            .where(
                webhook_deliveries.c.state == "pending",
                webhook_deliveries.c.next_at <= utc_iso(now),
            )
            .order_by(webhook_deliveries.c.created_at, webhook_deliveries.c.id)
            .limit(limit)
        )
        with self._state.read("reading due webhook deliveries") as conn:
            found = [_delivery(r) for r in conn.execute(q).mappings()]
            hooks = {d.webhook_id: self._get(conn, d.webhook_id) for d in found}
        return [(d, hooks[d.webhook_id]) for d in found]

    def next_due(self) -> str | None:
        """When the earliest pending delivery is due (ISO-8601), or None."""
        q = sa.select(sa.func.min(webhook_deliveries.c.next_at)).where(
            webhook_deliveries.c.state == "pending"
        )
        with self._state.read("reading webhook deliveries") as conn:
            value = conn.scalar(q)
            return str(value) if value is not None else None

    def claim(self, delivery: Delivery, *, now: datetime, lease: timedelta) -> Delivery | None:
        """Take ``delivery`` for one sender before it is POSTed: its next try moves ``lease``
        ahead, so any other sender (a worker on another host, a CLI run) no longer sees it as due.
        None when another sender took it first. A sender that dies mid-send leaves the lease to
        run out, after which the delivery is tried again: receivers deduplicate by the delivery
        id (``Varna-Delivery``), as documented."""
        until = utc_iso(now + lease)
        with self._state.write("claiming a webhook delivery") as conn:
            done = conn.execute(
                sa.update(webhook_deliveries)
                .where(
                    webhook_deliveries.c.id == delivery.id,
                    webhook_deliveries.c.attempts == delivery.attempts,
                    webhook_deliveries.c.state == "pending",
                    webhook_deliveries.c.next_at == delivery.next_at,
                )
                .values(next_at=until)
            )
        if done.rowcount != 1:
            return None
        return replace(delivery, next_at=until)

    def tried(
        self,
        delivery: Delivery,
        *,
        state: str,
        status: int | None,
        error: str | None,
        now: datetime,
        next_at: datetime,
    ) -> bool:
        """Record one try of ``delivery``; False when another sender recorded it first."""
        values: dict[str, Any] = {
            "state": state,
            "attempts": delivery.attempts + 1,
            "last_status": status,
            "last_error": error[:200] if error else None,
            "next_at": utc_iso(next_at),
        }
        if state == "delivered":
            values["delivered_at"] = utc_iso(now)
        with self._state.write("recording a webhook delivery") as conn:
            done = conn.execute(
                sa.update(webhook_deliveries)
                .where(
                    webhook_deliveries.c.id == delivery.id,
                    webhook_deliveries.c.attempts == delivery.attempts,
                    webhook_deliveries.c.state == "pending",
                )
                .values(**values)
            )
            return done.rowcount == 1

    def log(self, hook_id: str | None = None, *, limit: int = 100) -> list[Delivery]:
        """The newest deliveries (of one webhook when given)."""
        q = sa.select(webhook_deliveries).order_by(
            webhook_deliveries.c.created_at.desc(), webhook_deliveries.c.id
        )
        if hook_id is not None:
            q = q.where(webhook_deliveries.c.webhook_id == hook_id)
        with self._state.read("reading the webhook log") as conn:
            return [_delivery(r) for r in conn.execute(q.limit(limit)).mappings()]
