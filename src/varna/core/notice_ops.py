"""Operations of the service: telling people and recipients what became of a request.

Every move of a request queues, in the move's own transaction (:meth:`NoticeOps._request_event`):

- a webhook delivery per webhook that wants the event (:mod:`.webhook_ops`);
- a notice to the person at the steps they must hear of: ``received`` (the receipt with the Art.
  12(3) deadline, queued when the address is kept), ``verified`` (for the kinds a case handler
  carries out), ``extended`` (with reasons, Art. 12(3)) and ``refused`` (with reasons and the right
  to complain to IMY, Art. 12(4)); the answer's own e-mail (with the download link) is sent when
  the answer is kept (:mod:`.execution_ops`);
- after an erasure, rectification or restriction is answered, a notice to each recipient the
  register lists for the data reached (GDPR Art. 19): drafted in Swedish and English, e-mailed
  where the register gives the recipient's ``notice_email``, otherwise queued for the DPO.

Sending is a job: a ``notice_dispatcher`` (set by a door on PostgreSQL) queues it for the
workers; without one it runs in this process as soon as the move is committed. A notice is
settled once (its row is updated only from ``pending``), and one delivery run goes at a time in a
process (and one job at a time across workers).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from varna.core.execution_ops import Contact
from varna.core.webhook_ops import DeliveryRun, WebhookOps, event_payload
from varna.dsr.requests import Kind
from varna.errors import ConnectorError, SettingsError

if TYPE_CHECKING:
    from varna.core.moves import RequestStatus
    from varna.dsr.requests import Actor
    from varna.register.model import Register
    from varna.state.database import Transaction
    from varna.state.notices import Notice, NoticeStore
    from varna.state.requests import Also, RequestRecord

PERSON_STEPS = frozenset({"verified", "extended", "refused"})
"""Moves the person is told of by e-mail (besides the receipt and the answer)."""
RECIPIENT_KINDS = frozenset({Kind.erasure, Kind.rectification, Kind.restriction})
"""Kinds whose answer is notified to recipients of the data (GDPR Art. 19)."""
QUIET_VERIFIED = frozenset({Kind.access, Kind.portability})
"""Kinds answered at once when verified: their answer is the next e-mail, so no 'verified' one."""
CONSENT_WITHDRAWN = "consent_withdrawn"
"""The event of an Art. 19 notice after a withdrawal of consent erased data (reference ``ce_``)."""
MAX_NOTICE_TRIES = 5
_DELIVERING = threading.Lock()

NoticeDispatcher = Callable[[], None]


@dataclass(frozen=True, slots=True)
class RecipientNotice:
    """A recipient to tell after an erasure, rectification or restriction, and of what."""

    recipient: str
    categories: tuple[str, ...]


def plan_recipient_notices(
    register: Register, tables: Iterable[tuple[str, str]]
) -> list[RecipientNotice]:
    """The recipients of the data in ``tables`` (system, table) (pure): the recipients of each
    table's activities that process a category the table holds, and the processor hosting the
    system (GDPR Art. 19)."""
    found: dict[str, set[str]] = {}
    for system_key, table_key in tables:
        system = register.systems.get(system_key)
        table = system.tables.get(table_key) if system is not None else None
        if system is None or table is None:
            continue
        held = {f.category for f in table.fields.values()}
        for key in table.activities:
            activity = register.activities.get(key)
            if activity is None:
                continue
            shared = held & set(activity.categories) if activity.categories else held
            for recipient in activity.recipients:
                found.setdefault(recipient, set()).update(shared)
        if system.hosted_by:
            found.setdefault(system.hosted_by, set()).update(held)
    return [
        RecipientNotice(key, tuple(sorted(cats)))
        for key, cats in sorted(found.items())
        if key in register.recipients
    ]


@dataclass(frozen=True, slots=True)
class NoticeRun:
    """What one delivery run did: notices sent, queued for the DPO, skipped (no address kept),
    still pending (to be tried again), failed (given up); and the webhook deliveries."""

    sent: int
    queued: int
    skipped: int
    pending: int
    failed: int
    webhooks: DeliveryRun


class NoticeOps(WebhookOps):
    """Operations: queue notices and webhook events with every move; deliver them."""

    notice_dispatcher: NoticeDispatcher | None = None
    """Set by a door that runs background work (PostgreSQL): delivery is queued for a worker."""

    def _notices(self) -> NoticeStore:
        from varna.state.notices import NoticeStore

        return NoticeStore(self.state)

    # -- queued with every move ------------------------------------------------------------------

    def _request_event(
        self,
        conn: Transaction,
        after: RequestRecord,
        before: RequestRecord | None,
        *,
        event: str,
        actor: Actor,
        at: datetime,
        extra: Any = None,
    ) -> None:
        """Queue the move's webhook events and notices, then its audit entry (appended with
        the transaction's last statements: the chain is one sequence, and every writer of every
        process waits for its head)."""
        from varna.state.webhooks import WebhookStore

        payload = event_payload(
            event=f"request.{event}",
            ref=after.ref,
            kind=after.kind,
            before=before.state if before is not None else None,
            after=after.state,
            at=at,
        )
        queued = WebhookStore(self.state).enqueue_in(
            conn, event=f"request.{event}", request_id=after.ref, payload=payload, now=at
        )
        kind = Kind(after.kind)
        notices = self._notices()
        if event in PERSON_STEPS and not (event == "verified" and kind in QUIET_VERIFIED):
            queued += notices.enqueue_in(
                conn,
                request_id=after.ref,
                kind="person",
                event=event,
                recipient="person",
                channel="email",
                now=at,
            )
        if event == "answered" and kind in RECIPIENT_KINDS:
            queued += self._queue_recipients(conn, after, kind=kind, at=at)
        if queued:
            self.__dict__["_notices_waiting"] = True
        super()._request_event(conn, after, before, event=event, actor=actor, at=at, extra=extra)

    def _queue_recipients(
        self, conn: Transaction, after: RequestRecord, *, kind: Kind, at: datetime
    ) -> int:
        store = self._notices()
        plan = plan_recipient_notices(self.register, store.tables_in(conn, after.ref))
        return self._queue_drafts(conn, plan, reference=after.ref, event=after.kind, at=at)

    def _queue_drafts(
        self,
        conn: Transaction,
        plan: list[RecipientNotice],
        *,
        reference: str,
        event: str,
        at: datetime,
        identities: list[str] | None = None,
    ) -> int:
        """Draft (sv and en, sealed) and queue an Art. 19 notice per recipient of ``plan``;
        ``identities``: added to the draft when no request keeps the person's contact."""
        from varna.mail.messages import recipient_notice_text
        from varna.texts import texts_for

        store = self._notices()
        controller = self.register.controller
        queued = 0
        for notice in plan:
            recipient = self.register.recipients[notice.recipient]
            drafts = {}
            for lang in ("sv", "en"):
                subject, body = recipient_notice_text(
                    controller=controller.name or "",
                    reference=reference,
                    kind="erasure" if event == CONSENT_WITHDRAWN else event,
                    categories=list(notice.categories),
                    on=at.date().isoformat(),
                    lang=lang,
                )
                if identities:
                    body += "\n\n" + texts_for(lang).gettext(
                        "The person's identities as given to us: {identities}",
                        identities=", ".join(identities),
                    )
                drafts[lang] = {"subject": subject, "body": body}
            sealed = self._sealer("notices").seal(json.dumps(drafts).encode()).decode()
            queued += store.enqueue_in(
                conn,
                request_id=reference,
                kind="recipient",
                event=event,
                recipient=notice.recipient,
                channel="email" if recipient.notice_email else "dpo",
                now=at,
                draft=sealed,
            )
        return queued

    def _queue_withdrawal_notices(
        self,
        event: str,
        tables: Iterable[tuple[str, str]],
        *,
        identities: list[str],
        at: datetime,
    ) -> int:
        """After a withdrawal of consent erased data (Art. 17(1)(b)), tell each recipient of
        it (Art. 19), under the ledger event ``event`` as reference; sent as request notices."""
        plan = plan_recipient_notices(self.register, tables)
        if not plan:
            return 0
        with self.state.write("queueing Art. 19 notices of a withdrawal") as conn:
            queued = self._queue_drafts(
                conn, plan, reference=event, event=CONSENT_WITHDRAWN, at=at, identities=identities
            )
        if queued:
            self.__dict__["_notices_waiting"] = True
            self._notices_queued(now=at)
        return queued

    def _make(self, ref: str, steps: Any, *, now: datetime, also: Any = None) -> RequestStatus:
        status = super()._make(ref, steps, now=now, also=also)
        self._notices_queued(now=now)
        return status

    def receive(self, identities: Any, *, kind: Kind, now: datetime, **kw: Any) -> RequestStatus:
        status = super().receive(identities, kind=kind, now=now, **kw)
        self._notices_queued(now=now)
        return status

    def keep_contact(self, ref: str, contact: Contact, *, now: datetime) -> None:
        """Seal the contact of request ``ref``; with an address, queue the receipt (the request's
        reference and its Art. 12(3) deadline) for the person."""
        self._keep_contact(ref, contact, now=now, receipt=True)

    def _keep_contact(self, ref: str, contact: Contact, *, now: datetime, receipt: bool) -> None:
        self._keep(ref, contact, now=now, receipt=receipt)
        self._notices_queued(now=now)

    def _keeping(self, contact: Contact, *, now: datetime, receipt: bool) -> Also:
        keep = super()._keeping(contact, now=now, receipt=receipt)
        if not receipt or not contact.email:
            return keep
        notices = self._notices()

        def keep_and_tell(conn: Transaction, ref: str) -> None:
            keep(conn, ref)
            queued = notices.enqueue_in(
                conn,
                request_id=ref,
                kind="person",
                event="received",
                recipient="person",
                channel="email",
                now=now,
            )
            if queued:
                self.__dict__["_notices_waiting"] = True

        return keep_and_tell

    def _notices_queued(self, *, now: datetime) -> None:
        """Send what the last moves queued: through the dispatcher, or here and now."""
        if not self.__dict__.pop("_notices_waiting", False):
            return
        if self.notice_dispatcher is not None:
            self.notice_dispatcher()
            return
        self.deliver_notices(now=now)

    # -- delivery --------------------------------------------------------------------------------

    def deliver_notices(self, *, now: datetime) -> NoticeRun:
        """Send every pending notice and webhook delivery that is due; what was done."""
        with _DELIVERING:
            counts = {"sent": 0, "queued": 0, "skipped": 0, "pending": 0, "failed": 0}
            store, seen = self._notices(), set()
            while True:
                batch = [n for n in store.pending() if n.id not in seen]
                if not batch:
                    break
                for notice in batch:
                    seen.add(notice.id)
                    state = self._deliver(notice, now=now)
                    if state == "pending" and notice.attempts + 1 >= MAX_NOTICE_TRIES:
                        state = "failed"
                    if store.settle(notice, state=state, now=now):
                        counts[state] += 1
            hooks = self.deliver_webhooks(now=now)
        return NoticeRun(
            counts["sent"],
            counts["queued"],
            counts["skipped"],
            counts["pending"],
            counts["failed"],
            hooks,
        )

    def _deliver(self, notice: Notice, *, now: datetime) -> str:
        """Send one notice; the state it is then in."""
        recipient = self.register.recipients.get(notice.recipient)
        if notice.kind == "recipient" and (
            notice.channel == "dpo" or recipient is None or not recipient.notice_email
        ):
            self._notice_event(notice, "dsr.recipient.notice_queued", now=now)
            return "queued"
        try:
            mailer = self.mailer()
        except SettingsError:
            return "pending"  # no mail server configured yet: kept until there is one
        sealed = self._codes().contact(notice.request_id)
        contact = (
            Contact.from_json(self._sealer("contacts").open(sealed.encode())) if sealed else None
        )
        try:
            if notice.kind == "person":
                if contact is None or not contact.email:
                    return "skipped"
                mailer.send(self._person_message(notice, contact))
                return "sent"
            mailer.send(self._recipient_message(notice, contact))
        except ConnectorError:
            return "pending"
        self._notice_event(notice, "dsr.recipient.notified", now=now)
        return "sent"

    def _person_message(self, notice: Notice, contact: Contact) -> Any:
        from varna.dsr.requests import effective_due
        from varna.mail.messages import step_message

        assert contact.email is not None
        status = self.status(notice.request_id)
        record, lang = status.record, contact.lang
        reason = record.extension_reason if notice.event == "extended" else record.reason
        link = f"{self._public_url()}/{lang}/requests/{self.status_token(record.ref)}"
        return step_message(
            to=contact.email,
            sender=self._sender(),
            controller=self._controller_name(lang),
            reference=record.ref,
            step=notice.event,
            due=effective_due(status.view).isoformat(),
            reason=reason,
            link=link,
            lang=lang,
        )

    def _recipient_message(self, notice: Notice, contact: Contact | None) -> Any:
        from varna.mail.messages import recipient_message
        from varna.texts import texts_for

        address = self.register.recipients[notice.recipient].notice_email
        assert address is not None  # checked by _deliver
        assert notice.draft is not None  # every recipient notice is drafted when queued
        lang = self.register.controller.policy.languages[0].value
        draft = json.loads(self._sealer("notices").open(notice.draft.encode()))[lang]
        body = draft["body"]
        if contact is not None:
            given = ", ".join(contact.identities)
            body += "\n\n" + texts_for(lang).gettext(
                "The person's identities as given to us: {identities}", identities=given
            )
        return recipient_message(
            to=address, sender=self._sender(), subject=draft["subject"], body=body, lang=lang
        )

    def _notice_event(self, notice: Notice, action: str, *, now: datetime) -> None:
        if notice.event == CONSENT_WITHDRAWN:
            self.audit.append(
                at=now,
                actor="system",
                action=action,
                target=notice.recipient,
                details={"consent_event": notice.request_id, "article": "GDPR Art. 19"},
            )
            return
        record = self.status(notice.request_id).record
        self.audit.append(
            at=now,
            actor="system",
            action=action,
            subject=record.audit_subject,
            target=notice.recipient,
            details={"request": record.ref, "kind": record.kind, "article": "GDPR Art. 19"},
        )

    def request_notices(self, ref: str) -> list[Notice]:
        """The notices about request ``ref`` (to the person and to recipients, Art. 19), or
        about a withdrawal of consent (``ce_...``, to recipients)."""
        if not ref.startswith("ce_"):
            self.show(ref)  # a clear error for an unknown reference
        return self._notices().of_request(ref)

    def recipient_draft(self, notice_id: str, ref: str, *, lang: str) -> dict[str, str]:
        """The drafted Art. 19 notice (subject and body) for the DPO to send by hand."""
        from varna.errors import RequestError

        for notice in self.request_notices(ref):
            if notice.id == notice_id and notice.draft is not None:
                drafts = json.loads(self._sealer("notices").open(notice.draft.encode()))
                return dict(drafts.get(lang) or drafts["en"])
        raise RequestError(f"request {ref} has no recipient notice {notice_id}")
