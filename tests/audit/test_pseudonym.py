"""Keyed pseudonyms are stable, separate kinds and keys, and reveal nothing of the value."""

from __future__ import annotations

import hashlib
import hmac
import re
import subprocess
import sys

import pytest

from varna.audit import pseudonymise
from varna.errors import StateError

KEY = b"pseudonym-test-key-0123456789abc"


def test_format_and_definition() -> None:
    expected = "ps_" + hmac.new(KEY, b"email:anna@example.se", hashlib.sha256).hexdigest()[:32]
    assert pseudonymise("email", "anna@example.se", key=KEY) == expected
    assert re.fullmatch(r"ps_[0-9a-f]{32}", expected)


def test_stable_across_processes() -> None:
    code = (
        "from varna.audit import pseudonymise;"
        f"print(pseudonymise('email', 'anna@example.se', key={KEY!r}))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert other == pseudonymise("email", "anna@example.se", key=KEY)


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (("email", "Anna@Example.SE "), ("email", "anna@example.se"), True),
        (("email", "anna@example.se"), ("email", "anna@example.com"), False),
        (("email", "12345"), ("customer_id", "12345"), False),
        (("personnummer", "191212121212"), ("samordningsnummer", "191212121212"), False),
        (("customer_id", " A1"), ("customer_id", "a1"), False),
    ],
    ids=[
        "email-normalised",
        "different-values",
        "kinds-differ",
        "kinds-differ-2",
        "others-verbatim",
    ],
)
def test_equality_table(first: tuple[str, str], second: tuple[str, str], same: bool) -> None:
    assert (pseudonymise(*first, key=KEY) == pseudonymise(*second, key=KEY)) is same


def test_keys_differ() -> None:
    other = b"another-pseudonym-key-0123456789"
    assert pseudonymise("email", "a@b.se", key=KEY) != pseudonymise("email", "a@b.se", key=other)


@pytest.mark.parametrize(
    ("kind", "value", "key", "message"),
    [
        ("Email", "a@b.se", KEY, "lower-case"),
        ("e-mail", "a@b.se", KEY, "lower-case"),
        ("", "a@b.se", KEY, "lower-case"),
        ("email", "   ", KEY, "empty email"),
        ("email", "a@b.se", b"short", "at least 16 bytes"),
    ],
    ids=["upper-case-kind", "dash-in-kind", "empty-kind", "blank-value", "short-key"],
)
def test_errors(kind: str, value: str, key: bytes, message: str) -> None:
    with pytest.raises(StateError, match=message) as info:
        pseudonymise(kind, value, key=key)
    assert "a@b.se" not in str(info.value)
