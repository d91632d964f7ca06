"""The built-in verifier: a one-time code sent to the e-mail address (see :mod:`.codes` for the
code's rules). It proves control of the address at the moment the code is used, assurance
``email_code``: enough to read the rows keyed by that address, not to prove a personnummer.

It keeps the contract of :mod:`varna.verify.plugins` and is registered through the same entry
point group as any plug-in."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from varna.dsr.requests import Assurance
from varna.errors import VerificationError
from varna.verify.codes import (
    DEFAULT_POLICY,
    CodePolicy,
    client_name,
    code_hash,
    code_matches,
    new_challenge,
    new_code,
)
from varna.verify.plugins import Challenge, Verification, VerificationRequest, VerifierContext

if TYPE_CHECKING:
    from varna.state.verification import CodeStore


class EmailCodeVerifier:
    """Six digits by e-mail; fifteen minutes; five tries; rate-limited per address and client."""

    name = "email_code"
    method = "e-mail code"
    assurance = Assurance.email_code
    proves = frozenset({"email"})

    def __init__(self, context: VerifierContext, *, policy: CodePolicy = DEFAULT_POLICY) -> None:
        self._context = context
        self._policy = policy

    def __repr__(self) -> str:
        return "EmailCodeVerifier()"

    def _codes(self) -> CodeStore:
        from varna.state.verification import CodeStore

        return CodeStore(self._context.state)

    def start(self, request: VerificationRequest) -> Challenge:
        """Store a new code's keyed hash and send the code to the address."""
        from varna.mail.messages import code_message

        if request.kind not in self.proves:
            raise VerificationError(
                f"the e-mail code proves an e-mail address, not a {request.kind}",
                reason="unknown",
            )
        key = self._context.key("codes")
        challenge, code = new_challenge(), new_code(self._policy)
        issued = self._codes().issue(
            challenge=challenge,
            request_ref=request.ref,
            channel="email",
            address=self._context.pseudonym(request.kind, request.value),
            client=client_name(key, request.client),
            code_hash=code_hash(key, challenge, code),
            now=request.now,
            policy=self._policy,
        )
        self._context.send(
            code_message(
                to=request.value,
                sender=self._context.sender,
                controller=self._context.controller(request.lang),
                code=code,
                reference=request.ref,
                minutes=int(self._policy.lifetime.total_seconds() // 60),
                lang=request.lang,
            )
        )
        return Challenge(challenge, self.name, request.ref, issued.expires_at, "code")

    def complete(
        self, challenge: str, response: Mapping[str, str], *, now: datetime
    ) -> Verification:
        """Check the typed code (``response["code"]``); a wrong one counts as a try."""
        key = self._context.key("codes")
        typed = str(response.get("code", ""))
        verified = self._codes().check(
            challenge,
            matches=lambda stored: code_matches(key, challenge, typed, stored),
            now=now,
            policy=self._policy,
        )
        # the address itself is in the request's sealed contact; the proof names only its kind
        return Verification(
            verified.request_ref, self.name, self.method, self.assurance, {"email": ""}, now
        )
