"""What a verification proves and what it unlocks (varna.verify.strength), as tables."""

from __future__ import annotations

import pytest

from varna.dsr.requests import Assurance, Kind
from varna.verify.strength import proven_kinds, reached_kind, unproven_reach

EMAIL_ROW = "identity email (crm:customers.email)"
LINKED_ROW = "identity email via crm:customers.customer_no -> billing:invoices.customer_no"
PNR_ROW = "identity personnummer (keyring:key_holders.personnummer)"


@pytest.mark.parametrize(
    ("assurance", "given", "attested", "proven"),
    [
        pytest.param(None, ["email"], (), frozenset(), id="unverified"),
        pytest.param(Assurance.none, ["email"], (), frozenset(), id="none"),
        pytest.param(Assurance.email_code, ["email"], (), {"email"}, id="email-code"),
        pytest.param(
            Assurance.email_code, ["email", "personnummer"], (), {"email"}, id="code-not-pnr"
        ),
        pytest.param(Assurance.sms_code, ["email"], (), frozenset(), id="sms-not-email"),
        pytest.param(
            Assurance.sms_code,
            ["phone"],
            ("personnummer",),
            {"phone", "personnummer"},
            id="attested-adds",
        ),
        pytest.param(Assurance.eid, ["email"], (), None, id="staff-recorded-eid-all"),
        pytest.param(Assurance.staff_document, ["email"], (), None, id="document-all"),
        pytest.param(
            Assurance.eid,
            ["email"],
            ("personnummer",),
            {"email", "personnummer"},
            id="eid-attested",
        ),
    ],
)
def test_proven_kinds(
    assurance: Assurance | None,
    given: list[str],
    attested: tuple[str, ...],
    proven: set[str] | None,
) -> None:
    got = proven_kinds(assurance, given, attested=attested)
    assert got == (None if proven is None else frozenset(proven))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param(EMAIL_ROW, "email", id="direct"),
        pytest.param(LINKED_ROW, "email", id="through-a-link"),
        pytest.param(PNR_ROW, "personnummer", id="learnt"),
        pytest.param("", None, id="empty"),
        pytest.param("something else", None, id="no-identity"),
    ],
)
def test_reached_kind(text: str, kind: str | None) -> None:
    assert reached_kind(text) == kind


@pytest.mark.parametrize(
    ("kind", "rows", "proven", "unproven"),
    [
        pytest.param(Kind.erasure, [EMAIL_ROW, LINKED_ROW], {"email"}, {}, id="all-by-email"),
        pytest.param(
            Kind.erasure,
            [EMAIL_ROW, PNR_ROW, PNR_ROW],
            {"email"},
            {"personnummer": 2},
            id="erasure-through-pnr",
        ),
        pytest.param(
            Kind.rectification, [PNR_ROW], {"email"}, {"personnummer": 1}, id="rectification"
        ),
        pytest.param(Kind.erasure, [PNR_ROW], None, {}, id="all-proven"),
        pytest.param(Kind.erasure, [PNR_ROW], {"personnummer"}, {}, id="pnr-proven"),
        pytest.param(Kind.access, [PNR_ROW], {"email"}, {}, id="access-reads"),
        pytest.param(Kind.restriction, [PNR_ROW], set(), {}, id="restriction-not-gated"),
    ],
)
def test_unproven_reach(
    kind: Kind, rows: list[str], proven: set[str] | None, unproven: dict[str, int]
) -> None:
    got = unproven_reach(kind, rows, proven=proven)
    assert dict(got.rows) == unproven
    assert bool(got) == bool(unproven)
    if got:
        text = got.describe(kind=kind, assurance=Assurance.email_code)
        assert "through personnummer" in text
        assert "email_code" in text
