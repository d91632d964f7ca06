"""Operations of the service: webhooks, so that a ticket system can follow every request.

Every move of a request (received, verified, planned, approved, answered, refused, ...) is
queued, in the transaction of the move, for each webhook that wants its event, and POSTed as
JSON by a job (procrastinate on PostgreSQL, in this process on SQLite): the request's reference,
its kind, the state before and after, and the time, never personal data. Each POST is signed:

    Varna-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body under the secret>

The secret is shown once when the webhook is added and kept sealed under a key derived from the
installation key (it must be usable for signing, so it cannot be hashed). A delivery that does
not get a 2xx answer is tried again with back-off (30 s, 2 min, 8 min, 32 min, about 2 h) and
then marked failed; every try is in the delivery log. A sender claims each delivery before it
POSTs it, so two senders (workers on several hosts, a CLI run beside them) never send the same
try twice; only a sender that dies mid-send leaves its claim to run out (``CLAIM``) and the try
is made again. Delivery is thus at least once: receivers de-duplicate on the ``Varna-Delivery``
header.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from varna.core.execution_ops import ExecutionOps
from varna.errors import RequestError

if TYPE_CHECKING:
    from varna.state.webhooks import Delivery, Webhook, WebhookStore

SIGNATURE_HEADER = "Varna-Signature"
MAX_TRIES = 6
FIRST_WAIT = timedelta(seconds=30)
TIMEOUT = 5.0
"""Seconds a receiver has to answer one POST."""
CLAIM = timedelta(seconds=60)
"""How long a sender holds a delivery it is POSTing (well over ``TIMEOUT``)."""


def sign(secret: str, *, timestamp: int, body: bytes) -> str:
    """The ``Varna-Signature`` header of ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def backoff(tries: int) -> timedelta:
    """How long to wait after the ``tries``-th failed try (1-based): 30 s times 4^(tries-1)."""
    return FIRST_WAIT * int(4 ** (tries - 1))


CONSENT_EVENTS = ("consent.granted", "consent.withdrawn")
"""A person's consent given or withdrawn (grants and withdrawals through the API, the privacy
centre, a newsletter's link or the command line; not a banner's anonymous choices)."""


def parse_events(events: Sequence[str]) -> tuple[str, ...]:
    """Event names as given (``request.verified``, ``consent.withdrawn``, ``request.*``,
    ``consent.*`` or ``*``), checked."""
    from varna.core.moves import EVENTS

    known = {"request.received", *(f"request.{e}" for e in EVENTS.values()), *CONSENT_EVENTS}
    out: list[str] = []
    for event in events or ["*"]:
        if event not in ("*", "request.*", "consent.*") and event not in known:
            raise RequestError(
                f"unknown webhook event '{event}': use *, request.*, consent.* or some of "
                f"{', '.join(sorted(known))}"
            )
        out.append(event)
    return tuple(dict.fromkeys(out))


def consent_payload(
    *, event: str, ledger_event: str, purposes: Sequence[str], channel: str, at: datetime
) -> str:
    """The JSON body of a consent event: no personal data, only the ledger event (its proof,
    ``POST /api/v1/consent/history`` shows it to a caller who knows the person), the purposes,
    the channel and the time."""
    body = {
        "event": event,
        "consent_event": ledger_event,
        "purposes": sorted(purposes),
        "channel": channel,
        "at": at.isoformat(),
    }
    return json.dumps(body, separators=(",", ":"), sort_keys=True)


@dataclass(frozen=True, slots=True)
class NewWebhook:
    """A webhook just added and its signing secret, shown this once."""

    webhook: Webhook
    secret: str


@dataclass(frozen=True, slots=True)
class DeliveryRun:
    """What one delivery run did."""

    delivered: int
    retrying: int
    failed: int


class WebhookOps(ExecutionOps):
    """Operations: add, list and remove webhooks; deliver their events; the delivery log."""

    def _webhooks(self) -> WebhookStore:
        from varna.state.webhooks import WebhookStore

        return WebhookStore(self.state)

    def add_webhook(self, url: str, *, events: Sequence[str], by: str, now: datetime) -> NewWebhook:
        """Add a receiver of request and consent events; its signing secret is returned this
        once."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RequestError(
                "a webhook URL must be http:// or https:// with a host, e.g. "
                "https://tickets.example/hooks/varna"
            )
        if len(url) > 2000:
            raise RequestError("a webhook URL must be at most 2000 characters")
        secret = "whsec_" + secrets.token_urlsafe(32)
        sealed = self._sealer("webhooks").seal(secret.encode()).decode()
        hook = self._webhooks().add(
            url=url, events=parse_events(events), sealed_secret=sealed, by=by, now=now
        )
        self.audit.append(
            at=now,
            actor=by,
            action="webhook.added",
            target=hook.id,
            details={"events": list(hook.events)},
        )
        return NewWebhook(hook, secret)

    def webhooks(self, *, include_removed: bool = False) -> list[Webhook]:
        """The webhooks (the active ones unless ``include_removed``)."""
        return self._webhooks().listing(active_only=not include_removed)

    def remove_webhook(self, hook_id: str, *, by: str, now: datetime) -> Webhook:
        """Stop sending to a webhook; its pending deliveries are marked failed."""
        hook = self._webhooks().remove(hook_id, now=now)
        self.audit.append(at=now, actor=by, action="webhook.removed", target=hook.id)
        return hook

    def webhook_log(self, hook_id: str | None = None, *, limit: int = 100) -> list[Delivery]:
        """The newest deliveries and their tries (of one webhook when given)."""
        if hook_id is not None:
            self._webhooks().get(hook_id)  # a clear error for an unknown id
        return self._webhooks().log(hook_id, limit=min(max(limit, 1), 1000))

    def deliver_webhooks(self, *, now: datetime) -> DeliveryRun:
        """POST every delivery that is due; record each try (the log)."""
        store = self._webhooks()
        delivered = retrying = failed = 0
        while True:
            due = store.due(now=now)
            if not due:
                break
            for found, hook in due:
                delivery = store.claim(found, now=now, lease=CLAIM)
                if delivery is None:
                    continue  # another sender has it
                secret = self._sealer("webhooks").open(hook.sealed_secret.encode()).decode()
                status, error = _post(hook.url, delivery, secret, now=now)
                tries = delivery.attempts + 1
                if status is not None and 200 <= status < 300:
                    state, delivered = "delivered", delivered + 1
                elif tries >= MAX_TRIES:
                    state, failed = "failed", failed + 1
                else:
                    state, retrying = "pending", retrying + 1
                store.tried(
                    delivery,
                    state=state,
                    status=status,
                    error=error,
                    now=now,
                    next_at=now + backoff(tries),
                )
        return DeliveryRun(delivered, retrying, failed)

    def next_webhook_try(self) -> str | None:
        """When the next delivery is due (ISO-8601), or None."""
        return self._webhooks().next_due()


def event_payload(
    *, event: str, ref: str, kind: str, before: str | None, after: str, at: datetime
) -> str:
    """The JSON body of an event: no personal data, only the request's reference and states."""
    body: dict[str, Any] = {
        "event": event,
        "request": ref,
        "kind": kind,
        "from": before,
        "to": after,
        "at": at.isoformat(),
    }
    return json.dumps(body, separators=(",", ":"), sort_keys=True)


def _post(url: str, delivery: Delivery, secret: str, *, now: datetime) -> tuple[int | None, str]:
    """POST one delivery; (HTTP status or None, why it failed or '')."""
    import urllib.error
    import urllib.request

    body = delivery.payload.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Varna-Webhook",
        "Varna-Event": delivery.event,
        "Varna-Delivery": delivery.id,
        SIGNATURE_HEADER: sign(secret, timestamp=int(now.timestamp()), body=body),
    }
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            return int(answer.status), ""
    except urllib.error.HTTPError as exc:
        return int(exc.code), f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        return None, type(exc).__name__
