"""A verifier plug-in for the tests, installed as a distribution of its own in the test (its
entry point in a ``.dist-info`` folder on the path): a code sent by letter to the address the
population register holds for a personnummer. It is not an e-ID; it shows that a second
verifier, with other identity kinds and its own rules, comes through the same door and keeps
the same contract. The letters go into :data:`POST`, which the test reads as the person would
read the letter."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from varna.dsr.requests import Assurance
from varna.errors import VerificationError
from varna.state.verification import CodeStore
from varna.verify.codes import CodePolicy, client_name, code_hash, code_matches, new_challenge
from varna.verify.plugins import (
    Challenge,
    Factory,
    Verification,
    VerificationRequest,
    VerifierContext,
)

POLICY = CodePolicy(digits=8, lifetime=timedelta(days=10), max_tries=3)


@dataclass(frozen=True)
class Letter:
    """One letter in the post: to whom (the identity), and the code in it."""

    challenge: str
    value: str
    code: str


POST: list[Letter] = []


class LetterCodeVerifier:
    """Eight digits by post to the registered address; ten days; three tries."""

    name = "letter_code"
    method = "code by letter to the registered address"
    assurance = Assurance.sms_code
    proves = frozenset({"personnummer"})

    def __init__(self, context: VerifierContext) -> None:
        self._context = context
        self._codes = CodeStore(context.state)

    def start(self, request: VerificationRequest) -> Challenge:
        if request.kind not in self.proves:
            raise VerificationError(
                f"a letter proves a personnummer, not a {request.kind}", reason="unknown"
            )
        key = self._context.key("letters")
        challenge = new_challenge()
        code = new_letter_code()
        issued = self._codes.issue(
            challenge=challenge,
            request_ref=request.ref,
            channel="letter",
            address=self._context.pseudonym(request.kind, request.value),
            client=client_name(key, request.client),
            code_hash=code_hash(key, challenge, code),
            now=request.now,
            policy=POLICY,
        )
        POST.append(Letter(challenge, request.value, code))
        return Challenge(challenge, self.name, request.ref, issued.expires_at, "code")

    def complete(
        self, challenge: str, response: Mapping[str, str], *, now: datetime
    ) -> Verification:
        key = self._context.key("letters")
        typed = str(response.get("code", ""))
        verified = self._codes.check(
            challenge,
            matches=lambda stored: code_matches(key, challenge, typed, stored),
            now=now,
            policy=POLICY,
        )
        return Verification(
            verified.request_ref,
            self.name,
            self.method,
            self.assurance,
            {"personnummer": ""},
            now,
        )


def new_letter_code() -> str:
    """A fresh code of the letter's digits."""
    return f"{secrets.randbelow(10**POLICY.digits):0{POLICY.digits}d}"


def verifiers() -> dict[str, Factory]:
    """The entry point: this distribution's verifiers."""
    return {LetterCodeVerifier.name: LetterCodeVerifier}


def repeats_builtin() -> dict[str, Factory]:
    """A broken entry point: another verifier under the built-in's name."""
    return {"email_code": LetterCodeVerifier}


def not_a_mapping() -> list[str]:
    """A broken entry point: not a mapping of name -> factory."""
    return ["letter_code"]
