"""The fast hash equals the documented formula, for any column values."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from varna.audit.chain import ChainHasher, canonical_json, entry_hash, genesis_hash

KEY = b"chain-test-key-0123456789abcdef!"

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(), children, max_size=3)
    ),
    max_leaves=8,
)


def reference_hash(key: bytes, columns: list[Any], prev_hash: str) -> str:
    """The formula from the chain module's docstring, written the slow and obvious way."""
    text = json.dumps(
        columns, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return hmac.new(key, text.encode() + prev_hash.encode(), hashlib.sha256).hexdigest()


@given(
    seq=st.integers(min_value=1, max_value=2**63 - 1),
    texts=st.lists(st.text(), min_size=3, max_size=3),
    subject=st.none() | st.text(),
    target=st.none() | st.text(),
    details=st.dictionaries(st.text(), json_values, max_size=4),
    prev=st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
)
def test_fast_hash_equals_reference(
    seq: int,
    texts: list[str],
    subject: str | None,
    target: str | None,
    details: dict[str, Any],
    prev: str,
) -> None:
    at, actor, action = texts
    columns = [seq, at, actor, action, subject, target, details]
    fast = entry_hash(KEY, seq, at, actor, action, subject, target, canonical_json(details), prev)
    assert fast == reference_hash(KEY, columns, prev)


@given(key=st.binary(min_size=16, max_size=200), message=st.binary(max_size=300))
def test_hasher_is_hmac_sha256(key: bytes, message: bytes) -> None:
    assert ChainHasher(key).hexdigest(message) == hmac.new(key, message, hashlib.sha256).hexdigest()


def test_genesis_depends_on_the_key() -> None:
    assert genesis_hash(KEY) == hmac.new(KEY, b"varna-audit-genesis", hashlib.sha256).hexdigest()
    assert genesis_hash(KEY) != genesis_hash(KEY[::-1])
