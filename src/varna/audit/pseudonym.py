"""Keyed pseudonyms: how the audit log names a data subject without identifying them.

A pseudonym is ``ps_`` followed by the first 32 hex characters (128 bits) of
``HMAC-SHA256(key, "<kind>:<normalised value>")``. The same person gets the same pseudonym in
every process that holds the key, so the audit trail of one person can be found again (e.g. to
answer an Art. 15 access request about what was done), while the log alone reveals nothing: the
data is pseudonymised in the sense of GDPR Art. 4(5), and the key is "the additional information
kept separately". Without the key a pseudonym cannot be reversed or even tested against a guess.

``kind`` separates namespaces, so an e-mail address and a customer number with the same text get
different pseudonyms. E-mail addresses are normalised (surrounding space stripped, lower-cased);
callers normalise other kinds themselves before calling, e.g. a personnummer to its 12-digit form
with :mod:`varna.law`, so that every spelling of one identifier maps to one pseudonym.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable

from varna.audit.chain import check_key
from varna.errors import StateError

PREFIX = "ps_"
KIND = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _normalise_email(value: str) -> str:
    return value.strip().lower()


NORMALISERS: dict[str, Callable[[str], str]] = {"email": _normalise_email}


def pseudonymise(kind: str, value: str, *, key: bytes) -> str:
    """The stable keyed pseudonym of ``value`` of ``kind`` (e.g. ``"email"``, ``"personnummer"``).

    Raises :class:`StateError` for a malformed kind or an empty value (naming neither the value
    nor its length).
    """
    if not KIND.fullmatch(kind):
        raise StateError(
            f"pseudonym kind {kind!r} must be lower-case letters, digits and '_', e.g. 'email'"
        )
    normalise = NORMALISERS.get(kind)
    text = normalise(value) if normalise else value
    if not text:
        raise StateError(f"cannot pseudonymise an empty {kind}")
    message = f"{kind}:{text}".encode()
    return PREFIX + hmac.digest(check_key(key), message, "sha256").hex()[:32]
