"""Erased values for retention: the same strategies as requests (:mod:`varna.anonymise`).

``null`` and ``fixed`` are done in SQL (``IN_SQL``); ``hash``, ``mask`` and ``generalise`` in
Python, batch by batch, by :func:`erased`.
"""

from __future__ import annotations

from varna.anonymise import HASH_PREFIX, erased_value, erasure_hash_key
from varna.register.systems import FieldErasure

IN_SQL = frozenset({FieldErasure.null, FieldErasure.fixed})
erased = erased_value

__all__ = ["HASH_PREFIX", "IN_SQL", "erased", "erasure_hash_key"]
