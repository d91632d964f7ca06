"""Operations of the service: the REST API's keys, and requests submitted through the API.

A key carries scopes (``read``: see requests; ``requests``: submit and move them; ``admin``:
manage keys). A submission with an ``Idempotency-Key`` is made once: a retry with the same key
returns the first request, however often and from however many clients it is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from varna.core.execution_ops import AUTO_ANSWERED, Contact, ExecutionOps
from varna.dsr.requests import Action, Actor, Assurance, Kind, Role, State

if TYPE_CHECKING:
    from varna.core.moves import RequestStatus
    from varna.dsr.found import Found
    from varna.state.api_keys import ApiKey, ApiKeyStore
    from varna.state.requests import Step


@dataclass(frozen=True, slots=True)
class NewKey:
    """A key just made: the record and the key itself, shown this once."""

    key: ApiKey
    token: str


@dataclass(frozen=True, slots=True)
class Submitted:
    """A request submitted through the API; ``replayed`` when an idempotency key was seen."""

    status: RequestStatus
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class Attested:
    """How the calling system verified the person (Art. 12(6)), given with the submission: it
    is recorded as the request's verification, as ``POST .../verify`` would."""

    method: str
    assurance: Assurance
    note: str | None = None


def api_actor(key: ApiKey) -> Actor:
    """Who an API key acts as: a case handler named after the key; a console session's key
    (:mod:`varna.core.session_key`) acts as its user."""
    acts_as = getattr(key, "acts_as", None)
    if isinstance(acts_as, Actor):
        return acts_as
    return Actor(f"api:{key.name}", Role.case_handler)


class KeyOps(ExecutionOps):
    """Operations: API keys and submissions through the API."""

    def _keys(self) -> ApiKeyStore:
        from varna.state.api_keys import ApiKeyStore

        return ApiKeyStore(self.state)

    def create_api_key(
        self, *, name: str, scopes: Sequence[str], created_by: str, now: datetime
    ) -> NewKey:
        """A new API key with ``scopes``; the key is returned once and only its hash kept."""
        key, token = self._keys().create(
            name=name, scopes=frozenset(scopes), created_by=created_by, now=now
        )
        self.audit.append(
            at=now,
            actor=created_by,
            action="api.key.created",
            target=f"api-key:{key.id}",
            details={"name": key.name, "scopes": sorted(key.scopes)},
        )
        return NewKey(key, token)

    def api_keys(self) -> list[ApiKey]:
        """Every API key (never a secret), newest first."""
        return self._keys().listing()

    def revoke_api_key(self, key_id: str, *, actor: str, now: datetime) -> ApiKey:
        """Revoke an API key; it stops working at once."""
        key = self._keys().revoke(key_id, now=now)
        self.audit.append(
            at=now, actor=actor, action="api.key.revoked", target=f"api-key:{key.id}", details={}
        )
        return key

    def authenticate_api_key(self, token: str) -> ApiKey | None:
        """The active key ``token`` is, or None."""
        return self._keys().authenticate(token)

    def count_client_request(self, surface: str, client: str, window: int) -> int:
        """Count one request of ``client`` (its address) to ``surface`` in window number
        ``window`` in the state database, shared by every process of the installation; the
        window's count. Only a keyed hash of the surface and address is stored."""
        import hashlib
        import hmac

        from varna.state.rate import RateCounter

        key = hmac.new(
            self._sealer_key("rate-limits"), f"{surface}|{client}".encode(), hashlib.sha256
        ).hexdigest()
        return RateCounter(self.state).hit(key, window)

    def cached_api_key(self, token: str) -> tuple[bool, ApiKey | None]:
        """``(True, key or None)`` when :meth:`authenticate_api_key` can answer without reading
        the database (a key checked before and provably unchanged since); else ``(False,
        None)``. Never blocks on the database, so an event loop may call it."""
        return self._keys().cached(token)

    def submit_via_api(
        self,
        *,
        key: ApiKey,
        kind: Kind,
        identities: Sequence[str],
        now: datetime,
        email: str | None = None,
        lang: str = "sv",
        ground: str | None = None,
        corrections: Sequence[str] = (),
        idempotency_key: str | None = None,
        attested: Attested | None = None,
        wait: float | None = None,
    ) -> Submitted:
        """Receive a request on the person's behalf (a ticket system, a letter typed in) and
        keep its identities sealed, so it can be carried out by reference later.

        With ``attested``, the caller has verified the person: the verification is recorded
        and an access or portability request is answered at once, as the privacy centre does
        after the person's code (by a background worker on PostgreSQL: ``wait`` seconds at
        most for it, see :meth:`dispatch_request`). Other rights wait for a staff member."""
        store, actor = self._keys(), api_actor(key)
        if idempotency_key is not None:
            earlier = store.seen(key.id, idempotency_key)
            if earlier is not None:
                return Submitted(self.status(earlier), replayed=True)
        answered_now = attested is not None and kind in AUTO_ANSWERED
        contact = Contact(tuple(identities), email, lang, None, ground, tuple(corrections))
        # Without an idempotency key, the request, its contact, its receipt and the caller's
        # verification (and, for a right answered at once, its plan) are one transaction; with
        # one, the key is claimed before anything is verified, so that a losing duplicate is
        # left received only.
        one_go = idempotency_key is None
        # an access the caller waits for (or this process carries out itself) is answered in
        # that same transaction too, from the rows its receipt reads
        at_receipt = (
            answered_now and kind is Kind.access and (self.dispatcher is None or wait is not None)
        )
        status = self.receive(
            list(identities),
            kind=kind,
            now=now,
            actor=actor,
            every_column=answered_now and kind is Kind.access,
            also=self._keeping(contact, now=now, receipt=True) if one_go else None,
            then=self._verified_then(
                kind, contact, attested, actor=actor, now=now, answer=at_receipt
            )
            if one_go and attested is not None
            else None,
        )
        if status.created and State(status.record.state) is State.answered:
            if contact.email:
                self._tell_answered(status.ref, contact)
            return Submitted(status)
        if not one_go:
            self.keep_contact(status.ref, contact, now=now)
        if idempotency_key is not None:
            first = store.claim_idempotency(key.id, idempotency_key, status.ref, now=now)
            if first != status.ref:
                return Submitted(self.status(first), replayed=True)
        if attested is not None:
            status = self._attested(status, attested, contact, actor=actor, now=now, wait=wait)
        return Submitted(status)

    def _verified_then(
        self,
        kind: Kind,
        contact: Contact,
        attested: Attested,
        *,
        actor: Actor,
        now: datetime,
        answer: bool = False,
    ) -> Callable[[Found], list[Step]]:
        """The moves a new request makes as it is received with the caller's verification:
        verified, and, for a right answered at once, planned from the rows its receipt reached
        (approved, or held for a staff member's decision); with ``answer``, an access approved
        so is answered there too (:meth:`ExecutionOps._answered_at_receipt`)."""

        def then(found: Found) -> list[Step]:
            verified = self._verify_step(
                attested.method, attested.assurance, actor=actor, now=now, note=attested.note
            )
            if kind not in AUTO_ANSWERED:
                return [verified]
            planned = self._plan_steps(
                kind, contact, attested.assurance, found, actor=actor, now=now
            )
            if answer and planned and planned[-1].action == Action.approve:
                answered = self._answered_at_receipt(contact, found, actor=actor, now=now)
                if answered is not None:
                    return [verified, *planned, *answered]
            return [verified, *planned]

        return then

    def _attested(
        self,
        status: RequestStatus,
        attested: Attested,
        contact: Contact,
        *,
        actor: Actor,
        now: datetime,
        wait: float | None,
    ) -> RequestStatus:
        """Record the caller's verification; answer an access or portability request now."""
        from varna.core.moves import RequestStatus

        created, read = status.created, status.found
        if State(status.record.state) is State.received:
            status = self.verify(
                status.ref,
                method=attested.method,
                assurance=attested.assurance,
                now=now,
                actor=actor,
                note=attested.note,
            )
        # the rows its receipt read a moment ago, for the identities given here: planned and
        # answered from them (a request this merged into may know more identities, and its
        # contact is the one kept before)
        found = read if created else None
        status = self._answer_at_once(
            status,
            actor=actor,
            now=now,
            wait=wait,
            found=found,
            contact=contact if created else None,
        )
        return RequestStatus(status.record, created)
