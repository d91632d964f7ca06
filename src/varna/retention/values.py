"""Erased values for fields computed in Python (``hash``, ``mask``, ``generalise``).

Same results as the request engine's strategies (``varna.dsr.strategies``), which this engine
may not import (engines stay independent): ``hash`` gives ``h:`` and 32 hex digits of
HMAC-SHA256 under a key derived from the audit key, so equal values stay equal; ``mask`` keeps
the first character; ``generalise`` keeps the year of a date, the tens of a number, the first
three characters of other text. ``null`` and ``fixed`` are done in SQL.
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
IN_SQL = frozenset({FieldErasure.null, FieldErasure.fixed})


def erasure_hash_key(audit_key: bytes) -> bytes:
    """The ``hash`` key, derived from the audit key exactly as requests derive it."""
    return hmac.digest(audit_key, b"varna.dsr.erasure-hash", "sha256")


def erased(spec: FieldSpec, value: Any, *, hash_key: bytes) -> Any:
    """The value ``spec``'s strategy leaves in a field that held ``value``."""
    if spec.erasure is FieldErasure.null:
        return None
    if spec.erasure is FieldErasure.fixed:
        return spec.value
    if spec.erasure is FieldErasure.hash:
        if value is None or (isinstance(value, str) and _HASHED.fullmatch(value)):
            return value
        return HASH_PREFIX + hmac.digest(hash_key, str(value).encode(), "sha256").hex()[:32]
    if spec.erasure is FieldErasure.mask:
        if not isinstance(value, str):
            return None
        return value[:1] + "".join("*" if ch.isalnum() else ch for ch in value[1:])
    if spec.erasure is FieldErasure.generalise:
        return _generalised(value)
    return value


def _generalised(value: Any) -> Any:
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
