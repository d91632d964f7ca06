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

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from varna.core.request_ops import RequestOps
from varna.core.rights_ops import RightsOps
from varna.dsr.requests import SYSTEM, Actor, Assurance, Kind, Role, State
from varna.errors import RequestError, VerificationError

if TYPE_CHECKING:
    from varna.core.moves import RequestStatus
    from varna.mail.smtp import SmtpMailer
    from varna.sealing import Sealer
    from varna.state.database import Transaction
    from varna.state.verification import AnswerStore, CodeStore, StoredAnswer

PERSON = Actor("person", Role.person)
ANSWER_LIFETIME = timedelta(days=30)
"""How long an answer can be downloaded: long enough to fetch it, short enough not to keep it."""
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


class CentreOps(RightsOps, RequestOps):
    """Operations: the privacy centre's requests, codes, status pages and downloads."""

    # -- resources -----------------------------------------------------------------------------

    def _master(self) -> bytes:
        return self.settings.audit_key_bytes()

    def _sealer(self, purpose: str) -> Sealer:
        from varna.sealing import Sealer, derive_key

        return Sealer(derive_key(self._master(), purpose))

    def _codes(self) -> CodeStore:
        from varna.state.verification import CodeStore

        return CodeStore(self.state)

    def _answers(self) -> AnswerStore:
        from varna.state.verification import AnswerStore

        return AnswerStore(self.state)

    def mailer(self) -> SmtpMailer:
        """The SMTP mailer of ``VARNA_SMTP_URL``."""
        from varna.errors import SettingsError
        from varna.mail.smtp import SmtpMailer

        url = self.settings.smtp_url
        if url is None:
            raise SettingsError(
                "no mail server: set VARNA_SMTP_URL (e.g. smtp://127.0.0.1:25) so the privacy "
                "centre can send codes and answers"
            )
        return SmtpMailer(url.get_secret_value())

    def _sender(self) -> str:
        contact = self.register.controller.contact
        return self.settings.mail_from or (contact and contact.email) or "noreply@localhost"

    def _controller_name(self, lang: str) -> str:
        from varna.texts import texts_for

        name = self.register.controller.name
        return name or texts_for(lang).gettext("the controller")

    def status_token(self, ref: str) -> str:
        """The signed token of ``ref``'s status page (the reference and a keyed MAC)."""
        from varna.sealing import derive_key

        mac = hmac.new(derive_key(self._master(), "status"), ref.encode(), hashlib.sha256)
        return f"{ref}.{mac.hexdigest()[:32]}"

    def _ref_of(self, token: str) -> str:
        ref, _, _ = token.rpartition(".")
        if not ref or not hmac.compare_digest(self.status_token(ref), token):
            raise VerificationError("this status link is not valid", reason="unknown")
        return ref

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
        contact = {"email": people[0].value, "lang": lang, "note": note}
        sealed = self._sealer("contacts").seal(json.dumps(contact).encode())
        self._codes().seal_contact(status.ref, sealed.decode(), now=now)
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
                to=people[0].value,
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

    def _sealer_key(self, purpose: str) -> bytes:
        from varna.sealing import derive_key

        return derive_key(self._master(), purpose)

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
            status = self._answer_from_centre(ref, now=now)
        return Confirmation(ref, self.status_token(ref), status)

    def _contact(self, ref: str) -> dict[str, str | None]:
        sealed = self._codes().contact(ref)
        if sealed is None:
            raise RequestError(f"request {ref}: the requester's contact details are gone")
        data: dict[str, str | None] = json.loads(self._sealer("contacts").open(sealed.encode()))
        return data

    def _answer_from_centre(self, ref: str, *, now: datetime) -> RequestStatus:
        """Plan and execute a verified access or portability request, keep the answer sealed for
        download and tell the person it is ready."""
        from varna.documents import extract_pdf
        from varna.mail.messages import answered_message

        contact = self._contact(ref)
        email, lang = str(contact["email"]), str(contact["lang"] or "sv")
        self.plan(ref, now=now)
        identities = [f"email={email}"]
        kind = Kind(self.show(ref).status.record.kind)
        if kind is Kind.access:
            answered = self.access(
                identities,
                now=now,
                actor=SYSTEM,
                lang="en" if lang == "en" else "sv",
            )
            content = extract_pdf(answered.result)
            filename = "registerutdrag.pdf" if lang == "sv" else "register-extract.pdf"
            media_type = "application/pdf"
        else:
            from varna.dsr.portability import export_zip_bytes

            exported = self.export(identities, now=now, actor=SYSTEM)
            content = export_zip_bytes(exported.result)
            filename = f"dataportabilitet-{now:%Y%m%d}.zip"
            media_type = "application/zip"
        self._answers().keep(
            answer_id="va_" + secrets.token_urlsafe(24),
            request_ref=ref,
            filename=filename,
            media_type=media_type,
            sealed=self._sealer("answers").seal(content),
            now=now,
            expires_at=now + ANSWER_LIFETIME,
        )
        link = f"{self._public_url()}/{lang}/requests/{self.status_token(ref)}"
        self.mailer().send(
            answered_message(
                to=email,
                sender=self._sender(),
                controller=self._controller_name(lang),
                reference=ref,
                link=link,
                lang=lang,
            )
        )
        return self.show(ref).status

    def _public_url(self) -> str:
        return (self.settings.public_url or "http://127.0.0.1:8000").rstrip("/")

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
