"""The e-mail one-time code: how it is made, kept and checked. Pure: the store is in
:mod:`varna.state.verification`, the clock is an argument.

A code proves control of an address at the moment it is used. Six random digits give one chance in
a million per try; five tries per code and a limit on codes per address and per client keep a
guesser near one chance in 40,000 a day for an address, while a person who mistypes twice is
never locked out. Only ``HMAC(key, challenge:code)`` is stored, so a copy of the state database
does not reveal live codes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class CodePolicy:
    """The limits of e-mail codes (the defaults are the privacy centre's)."""

    digits: int = 6
    lifetime: timedelta = timedelta(minutes=15)
    max_tries: int = 5
    per_address_per_hour: int = 5
    per_client_per_hour: int = 20


DEFAULT_POLICY = CodePolicy()


def new_code(policy: CodePolicy = DEFAULT_POLICY) -> str:
    """A fresh code of ``policy.digits`` digits, leading zeros kept."""
    return f"{secrets.randbelow(10**policy.digits):0{policy.digits}d}"


def new_challenge() -> str:
    """The random name of one code: what the person's browser holds instead of the address."""
    return "vc_" + secrets.token_urlsafe(24)


def code_hash(key: bytes, challenge: str, code: str) -> str:
    """The keyed hash stored for ``code`` of ``challenge``."""
    return hmac.new(key, f"{challenge}:{code}".encode(), hashlib.sha256).hexdigest()


def code_matches(key: bytes, challenge: str, code: str, stored: str) -> bool:
    """Whether ``code`` is the one stored, in time independent of where they differ."""
    typed = "".join(ch for ch in code if ch.isdigit())
    return hmac.compare_digest(code_hash(key, challenge, typed), stored)


def client_name(key: bytes, client: str) -> str:
    """A keyed hash of the client's address (an IP), for rate limits without keeping the IP."""
    return hmac.new(key, f"client:{client}".encode(), hashlib.sha256).hexdigest()
