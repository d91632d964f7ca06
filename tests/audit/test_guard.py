"""The personal-data guard: positive and negative rows."""

from __future__ import annotations

import re
from typing import Any

import pytest

from varna.audit.guard import check_event, looks_like_personnummer
from varna.errors import StateError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19121212-1212", True),
        ("121212-1212", True),
        ("1212121212", True),
        ("191212121212", True),
        ("pnr 19121212+1212 here", True),
        ("701063-2391", True),  # samordningsnummer (day + 60)
        ("121212-1213", False),  # wrong check digit
        ("20250131", False),  # a date
        ("2025-01-31T12:00:00", False),
        ("12345678901234", False),  # longer number
        ("121312-1212", False),  # month 13
        ("rows: 1000000000", False),
    ],
    ids=[
        "12-digit-dash",
        "10-digit-dash",
        "10-digit",
        "12-digit",
        "inside-text",
        "samordningsnummer",
        "bad-luhn",
        "date",
        "timestamp",
        "too-long",
        "month-13",
        "big-count",
    ],
)
def test_looks_like_personnummer(text: str, expected: bool) -> None:
    assert looks_like_personnummer(text) is expected


@pytest.mark.parametrize(
    "details",
    [
        {"rows": 12, "tables": ["crm.customers", "crm.orders"]},
        {"rule": "kunder-7år", "basis": "art6.1.c", "at": "2025-01-31"},
        {"dsr": "DSR-2025-0042", "ok": True, "ratio": 0.5, "none": None},
        {"handle": "@varna", "note": "user@ without domain"},
        {},
        {"content_hash": "sha256:" + "0" * 20 + "1212121212" + "a" * 34},
        {"intent": "rq_" + "a" * 22 + "1212121212/crm/" + "b" * 32},
        {"intent": "rb_4206666788f572f1" + "0" * 16},
    ],
    ids=[
        "counts",
        "rules",
        "mixed-types",
        "at-signs",
        "empty",
        "hash",
        "request-id",
        "retention-batch-id",
    ],
)
def test_accepts(details: dict[str, Any]) -> None:
    check_event(
        actor="user:dpo", action="dsr.access.executed", subject=None, target=None, details=details
    )


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({"to": "anna.svensson@example.se"}, "key 'to' .*e-mail"),
        ({"a": {"b": ["x", "Anna@Example.COM"]}}, r"key 'a\.b\[1\]' .*e-mail"),
        ({"pnr": 191212121212}, "key 'pnr' .*personnummer"),
        ({"note": "abcdef1212121212"}, "key 'note' .*personnummer"),
        ({"intent": "rb_4206666788f572f1"}, "key 'intent' .*personnummer"),
        ({"note": "sha256:" + "z" * 31 + "1212121212"}, "key 'note' .*personnummer"),
        ({"anna@example.se": 1}, "personal data as a key"),
        ({1: "x"}, "not a string"),
        ({"x": object()}, "object, which is not JSON"),
    ],
    ids=[
        "email",
        "nested-email",
        "personnummer-int",
        "short-hex-run",
        "short-batch-id",
        "not-hex-then-pnr",
        "email-as-key",
        "int-key",
        "object",
    ],
)
def test_rejects(details: dict[Any, Any], message: str) -> None:
    with pytest.raises(StateError, match=message) as info:
        check_event(actor="user:dpo", action="a.b", subject=None, target=None, details=details)
    for secret in ("anna", "Anna", "1212"):
        assert secret not in str(info.value)


def test_a_retention_batch_id_is_long_enough_to_be_known_for_an_identifier() -> None:
    """A batch's intent id drew ten digits that read as a personnummer once in a few thousand
    batches while it had 16 hex digits; with 32 the guard knows it for an identifier."""
    from varna.retention.bracket import new_intent_id

    made = new_intent_id()
    assert re.fullmatch(r"rb_[0-9a-f]{32}", made)
    unlucky = made[:3] + "4206666788" + made[13:]
    check_event(
        actor="job:retention",
        action="retention.batch.intent",
        subject=None,
        target="crm.customers",
        details={"intent": unlucky},
    )
