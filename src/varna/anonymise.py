"""What erasure and retention do to one field of a row that stays (``FieldSpec.erasure``).

Both engines (requests, ``varna.dsr``; retention, ``varna.retention``) erase fields by these
functions, so a field erased by a request and one anonymised by a sweep hold the same value.
Every strategy is idempotent, so re-running changes nothing twice:

- ``null``: None.
- ``fixed``: the register's ``value``.
- ``mask``: text keeps its first character, every other letter or digit becomes ``*``
  (``anna@example.se`` -> ``a***@*******.**``); values that are not text become None.
- ``hash``: ``h:`` and 32 hex digits of HMAC-SHA256 over the value with a key passed in, so equal
  values stay equal (joins and uniqueness survive) and nobody without the key can test a guess.
  A value that is already such a hash is left as it is. 34 characters: the column must hold them.
- ``generalise``: a date (or ISO date text) becomes 1 January of its year; a number is rounded
  down to a multiple of ten; other text keeps its first three characters (``111 57`` -> ``111``).
- ``keep``: unchanged.

What each achieves in the GDPR sense (Recital 26) is in docs/retention.md: ``hash`` is
pseudonymisation, not anonymisation, while the key exists.
"""

from __future__ import annotations

import hmac
import math
import re
from datetime import date, datetime
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from varna.register.systems import FieldErasure, FieldSpec

HASH_PREFIX = "h:"
_HASHED = re.compile(r"h:[0-9a-f]{32}")
_ISO_DATE = re.compile(r"(\d{4})-\d{2}-\d{2}")


def hashed(value: Any, *, key: bytes) -> Any:
    if value is None or (isinstance(value, str) and _HASHED.fullmatch(value)):
        return value
    digest = hmac.digest(key, str(value).encode("utf-8"), "sha256").hex()[:32]
    return HASH_PREFIX + digest


def masked(value: Any) -> Any:
    if not isinstance(value, str):
        return None
    return value[:1] + "".join("*" if ch.isalnum() else ch for ch in value[1:])


def generalised(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return value.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if isinstance(value, date):
        return value.replace(month=1, day=1)
    if isinstance(value, int):
        return value - value % 10
    if isinstance(value, float):
        return math.floor(value / 10) * 10.0 if math.isfinite(value) else None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return value.scaleb(-1).to_integral_value(rounding=ROUND_FLOOR).scaleb(1)
    text = str(value)
    match = _ISO_DATE.match(text)
    if match:
        return f"{match.group(1)}-01-01" + ("" if len(text) == 10 else " 00:00:00")
    return text[:3]


def erasure_hash_key(audit_key: bytes) -> bytes:
    """The key of the ``hash`` strategy, derived from Varna's audit key (one secret to keep)."""
    return hmac.digest(audit_key, b"varna.dsr.erasure-hash", "sha256")


def erased_value(spec: FieldSpec, value: Any, *, hash_key: bytes) -> Any:
    """The value ``spec``'s strategy leaves in the field."""
    strategy = spec.erasure
    if strategy is FieldErasure.null:
        return None
    if strategy is FieldErasure.fixed:
        return spec.value
    if strategy is FieldErasure.mask:
        return masked(value)
    if strategy is FieldErasure.hash:
        return hashed(value, key=hash_key)
    if strategy is FieldErasure.generalise:
        return generalised(value)
    return value
