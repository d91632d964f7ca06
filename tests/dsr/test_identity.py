"""Identities: normalised values, every usual spelling, and a repr without the value."""

from __future__ import annotations

import pytest

from varna.dsr.identity import discovered_identity, normalise_identity, parse_identity
from varna.errors import RequestError

from .shop import TODAY

KINDS = {"email", "personnummer", "phone", "customer_number"}


@pytest.mark.parametrize(
    ("text", "kind", "value", "spellings"),
    [
        pytest.param(
            " Anna@Example.SE ", "email", "anna@example.se", {"Anna@Example.SE"}, id="email"
        ),
        pytest.param("email=a@b.se", "email", "a@b.se", set(), id="email-with-equals"),
        pytest.param(
            "570428-9999",
            "personnummer",
            "195704289999",
            {"19570428-9999", "570428-9999", "5704289999"},
            id="pnr-short",
        ),
        pytest.param(
            "19570428-9999",
            "personnummer",
            "195704289999",
            {"19570428-9999", "570428-9999", "5704289999"},
            id="pnr-long",
        ),
        pytest.param(
            "090527+1474",
            "personnummer",
            "190905271474",
            {"19090527-1474", "090527+1474", "0905271474"},
            id="pnr-centenarian",
        ),
        pytest.param(
            "070-123 45 67",
            "phone",
            "+46701234567",
            {"+46 70 123 45 67", "070-123 45 67", "0701234567"},
            id="phone-national",
        ),
        pytest.param("+46 8 123 456 00", "phone", "+46812345600", None, id="phone-e164"),
        pytest.param(" 51 ", "customer_number", "51", set(), id="other-kind-stripped"),
    ],
)
def test_normalise(text: str, kind: str, value: str, spellings: set[str] | None) -> None:
    raw = text.partition("=")[2] if text.startswith(f"{kind}=") else text
    identity = normalise_identity(kind, raw, today=TODAY)
    assert identity.value == value
    if spellings is not None:
        assert set(identity.lookup_values()) - {value} == spellings
    assert text.strip() not in repr(identity)
    assert value not in repr(identity)
    assert value not in str(identity)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("email", "KIND=VALUE", id="no-equals"),
        pytest.param("=x", "KIND=VALUE", id="no-kind"),
        pytest.param("shoe_size=42", "unknown identity kind 'shoe_size'", id="unknown-kind"),
        pytest.param("email=not-an-address", "email: expected an address", id="bad-email"),
        pytest.param("email=a b@c.se", "email: expected an address", id="space-in-email"),
        pytest.param("personnummer=570428-9998", "check digit", id="bad-luhn"),
        pytest.param("phone=12", "phone: not a valid", id="bad-phone"),
        pytest.param("phone=abc", "phone: not a", id="not-a-phone"),
        pytest.param("customer_number=  ", "customer_number: the value is empty", id="empty"),
    ],
)
def test_parse_rejects_and_never_echoes_the_value(text: str, message: str) -> None:
    with pytest.raises(RequestError, match=message) as info:
        parse_identity(text, kinds=KINDS, today=TODAY)
    value = text.partition("=")[2].strip()
    if len(value) > 3:
        assert value not in str(info.value)


@pytest.mark.parametrize(
    ("kind", "stored", "value"),
    [
        pytest.param("personnummer", "19570428-9999", "195704289999", id="parses"),
        pytest.param("personnummer", "not a number", "not a number", id="kept-as-stored"),
        pytest.param("customer_number", 51, "51", id="integer"),
    ],
)
def test_discovered_identities_never_fail(kind: str, stored: object, value: str) -> None:
    found = discovered_identity(kind, stored, today=TODAY)
    assert found is not None
    assert found.value == value


@pytest.mark.parametrize("stored", [None, "", "   "])
def test_empty_cells_are_no_identity(stored: object) -> None:
    assert discovered_identity("email", stored, today=TODAY) is None
