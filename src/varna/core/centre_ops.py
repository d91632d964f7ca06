"""Operations of the service: what the privacy centre does for a person who asks.

A person submits a request with an e-mail address; Varna records it (with its Art. 12(3) deadline),
keeps the address sealed, and sends a one-time code to that address. The answer to the browser is
the same whether or not Varna holds data about the address: nothing about the person is shown
before the code is used. The code proves control of the address (assurance ``email_code``), which
unlocks what the request policy allows for that assurance: an access or portability request is
then answered at once from the rows reached by that address alone; other kinds wait for staff.
The person follows the request through a signed status link and downloads the answer, each
download audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from varna.core.execution_ops import Contact
from varna.core.policy_notice_ops import PolicyNoticeOps
from varna.dsr.requests import SYSTEM, Actor, Assurance, Kind, Role, State
from varna.errors import VerificationError

if TYPE_CHECKING:
    from varna.core.moves import RequestStatus
    from varna.state.database import Transaction
    from varna.state.verification import StoredAnswer

PERSON = Actor("person", Role.person)
AUTO_ANSWERED = frozenset({Kind.access, Kind.portability})
"""Kinds answered without staff once the address is verified (the rows reached by it alone)."""


@dataclass(frozen=True, slots=True)
class Submission:
    """A request submitted in the centre: the challenge the browser holds, never the address."""

    challenge: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Confirmation:
    """A verified request: its reference and the token of its status page."""

    ref: str
    token: str
    status: RequestStatus


@dataclass(frozen=True, slots=True)
class PublicStatus:
    """What the person sees of their request."""

    status: RequestStatus
    answers: tuple[StoredAnswer, ...]


@dataclass(frozen=True, slots=True)
class Download:
    """One answer document, opened for one download."""

    filename: str
    media_type: str
    content: bytes


class CentreOps(PolicyNoticeOps):
    """Operations: the privacy centre's requests, codes, status pages and downloads."""

    # -- the person's steps --------------------------------------------------------------------

    def submit_request(
        self,
        *,
        kind: Kind,
        email: str,
        client: str,
        now: datetime,
        lang: str = "sv",
        note: str | None = None,
    ) -> Submission:
        """Record a request for the person at ``email`` and send them a one-time code.

        ``client`` (the requester's IP address) is kept only as a keyed hash, for rate limits.
        A second submission for the same person and kind joins the open request and sends a new
        code: it never skips verification.
        """
        from varna.mail.messages import code_message
        from varna.verify.codes import (
            DEFAULT_POLICY,
            client_name,
            code_hash,
            new_challenge,
            new_code,
        )

        identities = [f"email={email}"]
        people = self.parse_identities(identities, now=now)
        status = self.receive(identities, kind=kind, now=now, actor=PERSON)
        email = people[0].value
        # no separate receipt: the code's e-mail names the request, and the status page (and,
        # for the kinds staff carry out, the 'verified' e-mail) gives its deadline
        contact = Contact((f"email={email}",), email, lang, note)
        self._keep_contact(status.ref, contact, now=now, receipt=False)
        challenge, code = new_challenge(), new_code(DEFAULT_POLICY)
        key = self._sealer_key("codes")
        issued = self._codes().issue(
            challenge=challenge,
            request_ref=status.ref,
            channel="email",
            address=self.ledger.pseudonyms(people)[0],
            client=client_name(key, client),
            code_hash=code_hash(key, challenge, code),
            now=now,
            policy=DEFAULT_POLICY,
        )
        minutes = int(DEFAULT_POLICY.lifetime.total_seconds() // 60)
        self.mailer().send(
            code_message(
                to=email,
                sender=self._sender(),
                controller=self._controller_name(lang),
                code=code,
                reference=status.ref,
                minutes=minutes,
                lang=lang,
            )
        )
        self._centre_event("code_sent", status, now=now)
        return Submission(challenge, issued.expires_at)

    def confirm_code(self, challenge: str, code: str, *, now: datetime) -> Confirmation:
        """Check the code; on success verify the request (assurance ``email_code``) and, for
        access and portability, answer it from the rows reached by the verified address."""
        from varna.verify.codes import DEFAULT_POLICY, code_matches

        key = self._sealer_key("codes")
        verified = self._codes().check(
            challenge,
            matches=lambda stored: code_matches(key, challenge, code, stored),
            now=now,
            policy=DEFAULT_POLICY,
        )
        ref = verified.request_ref
        status = self.show(ref).status
        if State(status.record.state) is State.received:
            status = self.verify(
                ref, method="e-mail code", assurance=Assurance.email_code, now=now, actor=SYSTEM
            )
        if (
            Kind(status.record.kind) in AUTO_ANSWERED
            and State(status.record.state) is State.verified
        ):
            status = self.dispatch_request(ref, actor=SYSTEM, now=now)
        return Confirmation(ref, self.status_token(ref), status)

    def request_status(self, token: str) -> PublicStatus:
        """The status page of the request behind ``token``."""
        ref = self._ref_of(token)
        return PublicStatus(self.show(ref).status, tuple(self._answers().listing(ref)))

    def download_answer(self, token: str, answer_id: str, *, now: datetime) -> Download:
        """One download of an answer of the request behind ``token``, audited."""
        from varna.audit.models import NewEvent

        ref = self._ref_of(token)
        status = self.show(ref).status

        def audited(conn: Transaction, answer: StoredAnswer) -> None:
            if answer.request_ref != ref:
                raise VerificationError(
                    "this download belongs to another request", reason="unknown"
                )
            event = NewEvent(
                now,
                str(PERSON),
                "request.answer.downloaded",
                status.record.audit_subject,
                ref,
                {"download": answer.downloads, "file": answer.filename},
            )
            self.audit.append_in(conn, [event])

        answer = self._answers().take(answer_id, now=now, on_download=audited)
        content = self._sealer("answers").open(answer.sealed)
        return Download(answer.filename, answer.media_type, content)

    def _centre_event(self, event: str, status: RequestStatus, *, now: datetime) -> None:
        self.audit.append(
            at=now,
            actor=str(PERSON),
            action=f"request.{event}",
            subject=status.record.audit_subject,
            target=status.ref,
            details={"kind": status.record.kind},
        )
