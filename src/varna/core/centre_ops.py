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

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from varna.core.execution_ops import DOCUMENT_MEDIA_TYPE, Contact
from varna.core.policy_notice_ops import PolicyNoticeOps
from varna.dsr.requests import SYSTEM, Actor, Kind, Role, State
from varna.errors import StateError, VerificationError

if TYPE_CHECKING:
    from varna.core.moves import RequestStatus
    from varna.state.database import Transaction
    from varna.state.verification import StoredAnswer
    from varna.verify.plugins import Challenge, Factory, Verifier

PERSON = Actor("person", Role.person)


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
class Offer:
    """A verifier the centre offers besides the e-mail code: its name, what it proves, and the
    words for it (the plug-in's ``label`` per language, else its ``method``)."""

    name: str
    proves: tuple[str, ...]
    label: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Started:
    """A proof begun with another verifier: the verifier's challenge, and the identity the
    person claims, sealed (it round-trips through the person's browser in the next form and
    joins the request only once the verifier proves its kind)."""

    challenge: Challenge
    claim: str


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
        from varna.verify.plugins import VerificationRequest

        identities = [f"email={email}"]
        people = self.parse_identities(identities, now=now)
        status = self.receive(identities, kind=kind, now=now, actor=PERSON)
        email = people[0].value
        # no separate receipt: the code's e-mail names the request, and the status page (and,
        # for the kinds staff carry out, the 'verified' e-mail) gives its deadline
        contact = Contact((f"email={email}",), email, lang, note)
        self._keep_contact(status.ref, contact, now=now, receipt=False)
        challenge = self.verifier("email_code").start(
            VerificationRequest(status.ref, "email", email, now, lang=lang, client=client)
        )
        self._centre_event("code_sent", status, now=now)
        return Submission(challenge.id, challenge.expires_at)

    def confirm_code(self, challenge: str, code: str, *, now: datetime) -> Confirmation:
        """Check the code; on success verify the request (assurance ``email_code``) and, for
        access and portability, answer it from the rows reached by the verified address."""
        return self.complete_verification("email_code", challenge, {"code": code}, now=now)

    # -- verifiers (varna.verify.plugins) --------------------------------------------------------

    def verifier_names(self) -> list[str]:
        """The verifiers installed (entry-point group ``varna.verifiers``), by name."""
        return sorted(self._verifier_factories)

    @cached_property
    def _verifier_factories(self) -> dict[str, Factory]:
        from varna.verify.plugins import load_factories

        return load_factories()

    def verifier(self, name: str) -> Verifier:
        """The verifier called ``name``, built around this Varna's state, keys and mailer."""
        from varna.dsr.identity import Identity
        from varna.errors import PluginError
        from varna.verify.plugins import VerifierContext, check_verifier

        factory = self._verifier_factories.get(name)
        if factory is None:
            raise PluginError(
                f"no verifier called '{name}' is installed (installed: "
                f"{', '.join(self.verifier_names()) or 'none'})"
            )
        context = VerifierContext(
            state=self.state,
            key=self._sealer_key,
            send=lambda message: self.mailer().send(message),
            sender=self._sender(),
            controller=self._controller_name,
            pseudonym=lambda kind, value: self.ledger.pseudonyms([Identity(kind, value)])[0],
        )
        return check_verifier(name, factory(context))

    def verifier_offers(self) -> list[Offer]:
        """The verifiers installed besides the e-mail code, for the centre to offer."""
        offers = []
        for name in self.verifier_names():
            if name == "email_code":
                continue
            verifier = self.verifier(name)
            label = getattr(verifier, "label", None)
            words = dict(label) if isinstance(label, Mapping) else {}
            fallback = str(getattr(verifier, "method", name))
            words = {"sv": fallback, "en": fallback} | words
            offers.append(Offer(name, tuple(sorted(verifier.proves)), words))
        return offers

    def start_other_verifier(
        self,
        code_challenge: str,
        verifier: str,
        *,
        kind: str,
        value: str,
        client: str,
        now: datetime,
        lang: str = "sv",
    ) -> Started:
        """Begin a proof with ``verifier`` instead of the e-mail code, for the request whose
        code ``code_challenge`` the person holds (still unused and unexpired): the person
        claims ``kind=value`` (a personnummer, say), checked and normalised as the register's
        identities are. The claim is returned sealed, bound to the new challenge."""
        import json

        ref = self._codes().open_request(code_challenge, now=now)
        if ref is None:
            raise VerificationError(
                "the code has expired or was used; ask for a new one", reason="expired"
            )
        chosen = self.verifier(verifier)
        if kind not in chosen.proves:
            raise VerificationError(
                f"{verifier} proves {', '.join(sorted(chosen.proves))}, not {kind}",
                reason="unknown",
            )
        [identity] = self.parse_identities([f"{kind}={value}"], now=now)
        from varna.verify.plugins import VerificationRequest

        challenge = chosen.start(
            VerificationRequest(ref, kind, identity.value, now, lang=lang, client=client)
        )
        claim = json.dumps(
            {"challenge": challenge.id, "verifier": verifier, "kind": kind, "value": identity.value}
        )
        return Started(challenge, self._sealer("claims").seal(claim.encode()).decode())

    def complete_verification(
        self,
        verifier: str,
        challenge: str,
        response: Mapping[str, str],
        *,
        now: datetime,
        claim: str | None = None,
    ) -> Confirmation:
        """Check the person's answer to a verifier's challenge. On success record the
        verification on its request (the verifier's method and assurance; the identity kinds
        it proved kept sealed with the request, and any value it proved, or the sealed
        ``claim`` of :meth:`start_other_verifier` for a kind it proved, added to the request's
        identities) and, for access and portability, answer the request at once."""
        claimed = self._claimed(claim, verifier=verifier, challenge=challenge)
        proof = self.verifier(verifier).complete(challenge, response, now=now)
        ref = proof.ref
        status = self.status(ref)
        if State(status.record.state) is State.received:
            contact = self._contact(ref)
            learnt = [f"{k}={v}" for k, v in proof.attributes.items() if v]
            learnt += [f"{k}={v}" for k, v in claimed if k in proof.proven]
            identities = tuple(dict.fromkeys([*contact.identities, *learnt]))
            proven = tuple(sorted(set(contact.proven) | proof.proven))
            self._keep_contact(
                ref, replace(contact, identities=identities, proven=proven), now=now, receipt=False
            )
            status = self.verify(
                ref, method=proof.method, assurance=proof.assurance, now=now, actor=SYSTEM
            )
        status = self._answer_at_once(status, actor=SYSTEM, now=now)
        return Confirmation(ref, self.status_token(ref), status)

    def _claimed(
        self, claim: str | None, *, verifier: str, challenge: str
    ) -> list[tuple[str, str]]:
        """The identity in a sealed claim, if it was made for this verifier and challenge."""
        import json

        if not claim:
            return []
        try:
            data = json.loads(self._sealer("claims").open(claim.encode()))
        except (StateError, ValueError) as exc:
            raise VerificationError("this form was changed; start again", reason="unknown") from exc
        if data.get("challenge") != challenge or data.get("verifier") != verifier:
            raise VerificationError("this form belongs to another proof", reason="unknown")
        return [(str(data["kind"]), str(data["value"]))]

    def request_status(self, token: str) -> PublicStatus:
        """The status page of the request behind ``token``."""
        ref = self._ref_of(token)
        return PublicStatus(self.status(ref), tuple(self._answers().listing(ref)))

    def download_answer(self, token: str, answer_id: str, *, now: datetime) -> Download:
        """One download by the person of an answer of the request behind ``token``, audited."""
        return self._download(self._ref_of(token), answer_id, actor=PERSON, now=now)

    def answers_of(self, ref: str) -> list[StoredAnswer]:
        """The answers kept for request ``ref`` (names, types, expiry; never their content)."""
        self.show(ref)  # an unknown reference is an error, not an empty list
        # An extract is kept as its document and rendered to PDF at its first download.
        return [
            replace(a, media_type="application/pdf") if a.media_type == DOCUMENT_MEDIA_TYPE else a
            for a in self._answers().listing(ref)
        ]

    def download_answer_as(
        self, ref: str, answer_id: str, *, actor: Actor, now: datetime
    ) -> Download:
        """One download of an answer of request ``ref`` by staff or an API key (to hand it to
        the person through their own channel), audited with who downloaded it."""
        return self._download(ref, answer_id, actor=actor, now=now)

    def _download(self, ref: str, answer_id: str, *, actor: Actor, now: datetime) -> Download:
        from varna.audit.models import NewEvent

        status = self.status(ref)

        def audited(conn: Transaction, answer: StoredAnswer) -> None:
            if answer.request_ref != ref:
                raise VerificationError(
                    "this download belongs to another request", reason="unknown"
                )
            event = NewEvent(
                now,
                str(actor),
                "request.answer.downloaded",
                status.record.audit_subject,
                ref,
                {"download": answer.downloads, "file": answer.filename},
            )
            self.audit.append_at_commit(conn, [event])

        answer = self._answers().take(answer_id, now=now, on_download=audited)
        content = self._sealer("answers").open(answer.sealed)
        media_type, content = self._rendered_answer(answer, content)
        return Download(answer.filename, media_type, content)

    def _centre_event(self, event: str, status: RequestStatus, *, now: datetime) -> None:
        self.audit.append(
            at=now,
            actor=str(PERSON),
            action=f"request.{event}",
            subject=status.record.audit_subject,
            target=status.ref,
            details={"kind": status.record.kind},
        )
