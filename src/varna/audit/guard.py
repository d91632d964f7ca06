"""Checks on an event before it is written: shape, and no personal data in ``details``.

The audit log proves what was done with personal data (GDPR Art. 5(2)); it must not itself become
a store of it (Art. 5(1)(c) data minimisation, Art. 5(1)(e) storage limitation: an append-only
log cannot honour erasure). So the person is named only by a keyed pseudonym and ``details`` is
screened for the two identifiers most likely to slip in: e-mail addresses and Swedish personnummer
or samordningsnummer (10 or 12 digits with a valid date part and Luhn check digit). This is a
guard against mistakes, not a detector: names, phone numbers and free text are not recognised, so
never put free text from a data subject into ``details``.

Errors name the key path and the kind of value, never the value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from varna.audit.chain import canonical_json
from varna.errors import StateError

ACTION = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+")
SUBJECT = re.compile(r"ps_[0-9a-f]{32}")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PERSONNUMMER = re.compile(
    r"(?<!\d)(?:19|20)?(\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01]))"
    r"[-+]?(\d{4})(?!\d)"
)
# One cheap search decides whether a string needs the two precise checks above.
_SUSPECT = re.compile(r"@|\d{6}[-+]?\d{4}")
# Runs of 32 or more lower-case hex digits are hashes and keyed names (content hashes, plan
# hashes, request ids), not identity numbers: a 10-digit stretch inside one must not make an
# event (and with it the erasure it records) fail for one unlucky person.
_HEX_RUN = re.compile(r"[0-9a-f]{32,}")
MAX_ACTOR = 200
MAX_ACTION = 100
MAX_TARGET = 200


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def looks_like_personnummer(text: str) -> bool:
    """True when ``text`` contains a date-shaped 10 or 12 digit number with a valid check digit."""
    return any(_luhn_ok(m.group(1) + m.group(2)) for m in PERSONNUMMER.finditer(text))


def _personal_kind(text: str) -> str | None:
    if not _SUSPECT.search(text):
        return None
    if "@" in text and EMAIL.search(text):
        return "an e-mail address"
    if looks_like_personnummer(_HEX_RUN.sub("/", text)):
        return "a personnummer"
    return None


def _screen_text(text: str, path: str) -> None:
    kind = _personal_kind(text)
    if kind:
        raise StateError(
            f"audit details key '{path}' holds what looks like {kind}; audit events must not "
            "hold personal data: name the person with a pseudonym in 'subject' "
            "(varna.audit.pseudonymise) and keep only counts and identifiers in 'details'"
        )


def _screen(value: Any, path: str) -> None:
    """Walk ``details``; the common types are tested first (this runs for every append)."""
    if isinstance(value, str):
        _screen_text(value, path)
    elif value is None or isinstance(value, bool):
        return
    elif isinstance(value, int):
        if 10**9 <= abs(value) < 10**12:  # as many digits as an identity number
            _screen_text(str(value), path)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise StateError(f"audit details key '{path}' is not a finite number")
    elif isinstance(value, dict) or isinstance(value, Mapping):  # noqa: SIM101 - dict is fast
        for key, item in value.items():
            if not isinstance(key, str):
                raise StateError(f"audit details key under '{path or '.'}' is not a string")
            if _personal_kind(key):
                raise StateError(f"audit details under '{path or '.'}' use personal data as a key")
            _screen(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _screen(item, f"{path}[{index}]")
    else:
        raise StateError(
            f"audit details key '{path}' holds a {type(value).__name__}, which is not JSON: "
            "use str, int, float, bool, None, list or dict"
        )


def _check_text(name: str, value: object, limit: int, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise StateError(f"audit event {name} must be a non-empty string of at most {limit} chars")


def check_event(
    *, actor: str, action: str, subject: str | None, target: str | None, details: Any
) -> str:
    """Validate one event and return its ``details`` as canonical JSON text."""
    _check_text("actor", actor, MAX_ACTOR)
    _check_text("target", target, MAX_TARGET, optional=True)
    if not isinstance(action, str) or len(action) > MAX_ACTION or not ACTION.fullmatch(action):
        raise StateError(
            f"audit action {action!r} is not a dotted lower-case name such as 'dsr.access.executed'"
        )
    if subject is not None and not (isinstance(subject, str) and SUBJECT.fullmatch(subject)):
        raise StateError(
            "audit subject is not a pseudonym: pass varna.audit.pseudonymise(kind, value, "
            "key=...), never the clear identity"
        )
    if details is None:
        details = {}
    if not isinstance(details, Mapping):
        raise StateError("audit details must be a mapping of str keys to JSON values")
    _screen(details, "")
    try:
        return canonical_json(dict(details))
    except (TypeError, ValueError) as exc:
        raise StateError(f"audit details are not JSON-serialisable ({type(exc).__name__})") from exc
