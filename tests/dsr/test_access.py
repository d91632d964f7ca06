"""Right of access: every Art. 15 element, in both languages, and nothing about other people."""

from __future__ import annotations

import json
from typing import Any

import pytest

from varna.connectors import MemoryConnector
from varna.documents import render_html, render_json, render_text
from varna.dsr.access import SCHEMA, AccessResult, execute_access
from varna.dsr.identity import Identity
from varna.dsr.proof import MemoryRecorder

from .shop import NOW, shop_connectors, shop_register

ANNA = [Identity("email", "anna@example.se")]


def access(lang: str = "sv", connectors: dict[str, MemoryConnector] | None = None) -> AccessResult:
    return execute_access(
        shop_register(), ANNA, connectors or shop_connectors(), now=NOW, lang=lang
    )


def category(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(c for c in data["categories"] if c["key"] == key)


def test_rows_are_grouped_by_system_and_table_with_category_labels() -> None:
    data = access().as_dict()
    assert data["schema"] == SCHEMA
    tables = {(s["key"], t["name"]): t for s in data["systems"] for t in s["tables"]}
    assert {k: len(t["rows"]) for k, t in tables.items()} == {
        ("crm", "customers"): 1,
        ("crm", "notes"): 2,
        ("billing", "invoices"): 2,
        ("billing", "credit_notes"): 1,
        ("support", "tickets"): 2,
    }
    field = tables[("crm", "customers")]["rows"][0]["fields"][0]
    assert field == {
        "name": "name",
        "category": "identity.name",
        "label": "Namn",
        "value": "Anna Andersson",
        "declared": True,
    }
    assert tables[("billing", "invoices")]["rows"][0]["fields"][3]["value"] == "2020-03-01"


# Each element GDPR Art. 15 requires, and where the JSON carries it.
ELEMENTS = [
    pytest.param(
        lambda d: category(d, "contact.email")["processing"][0]["purpose"],
        "Att hantera ditt kundkonto.",
        id="15-1-a-purpose",
    ),
    pytest.param(
        lambda d: category(d, "finance.invoice")["processing"][0]["legal_bases"][0]["statute"],
        "7\u00a0kap.\u00a02\u00a0§\u00a0bokföringslagen (1999:1078)",
        id="15-1-a-basis-statute",
    ),
    pytest.param(
        lambda d: sorted(c["key"] for c in d["categories"]),
        [
            "contact.email",
            "contact.postal_address",
            "correspondence.support_case",
            "finance.invoice",
            "identity.name",
            "identity.personnummer",
        ],
        id="15-1-b-categories",
    ),
    pytest.param(
        lambda d: [(r["key"], r["country"], r["third_country"]) for r in d["recipients"]],
        [("mailer", "US", True), ("skatteverket", "SE", False)],
        id="15-1-c-recipients",
    ),
    pytest.param(
        lambda d: category(d, "contact.email")["processing"][0]["retention"],
        "24 månader efter att kundrelationen upphörde.",
        id="15-1-d-retention",
    ),
    pytest.param(
        lambda d: category(d, "finance.invoice")["processing"][0]["retention"],
        "Sju år räknat från utgången av det kalenderår då räkenskapsåret avslutades.",
        id="15-1-d-bookkeeping",
    ),
    pytest.param(
        lambda d: [r["right"] for r in d["rights"]],
        [
            "access",
            "rectification",
            "erasure",
            "restriction",
            "objection",
            "portability",
            "automated_decisions",
        ],
        id="15-1-e-rights",
    ),
    pytest.param(
        lambda d: (d["complaint"]["authority"], d["complaint"]["website"]),
        ("Integritetsskyddsmyndigheten (IMY)", "https://www.imy.se"),
        id="15-1-f-complaint",
    ),
    pytest.param(
        lambda d: category(d, "contact.email")["processing"][0]["sources"],
        ["Från dig", "Från offentliga register (SPAR)"],
        id="15-1-g-sources",
    ),
    pytest.param(
        lambda d: category(d, "contact.email")["processing"][0]["automated_decision"]["logic"],
        "Kreditbedömning utifrån betalningshistorik.",
        id="15-1-h-automated",
    ),
    pytest.param(
        lambda d: next(r for r in d["recipients"] if r["key"] == "mailer")["safeguard"],
        "EU-kommissionens standardavtalsklausuler (artikel 46.2 c)",
        id="15-2-safeguard",
    ),
    pytest.param(
        lambda d: [h["article"] for h in category(d, "finance.invoice")["legal_holds"]],
        ["artikel\u00a017.3\u00a0b"],
        id="17-3-hold",
    ),
    pytest.param(lambda d: len(d["other_people_left_out"]), 2, id="15-4-other-people"),
]


@pytest.mark.parametrize(("get", "expected"), ELEMENTS)
def test_every_article_15_element(get: Any, expected: Any) -> None:
    assert get(access().as_dict()) == expected


def test_english() -> None:
    data = access("en").as_dict()
    processing = category(data, "contact.email")["processing"][0]
    assert processing["retention"] == "24 months after the customer relationship ended."
    assert processing["legal_bases"][0]["article"] == "Article\u00a06(1)(b)"
    assert data["complaint"]["authority"] == "Swedish Authority for Privacy Protection (IMY)"


def test_nobody_found_still_states_the_rights() -> None:
    result = execute_access(
        shop_register(),
        [Identity("email", "nobody@example.se")],
        shop_connectors(),
        now=NOW,
        lang="sv",
    )
    assert not result.found
    assert result.categories == ()
    assert [r.key for r in result.rights][:5] == [
        "access",
        "rectification",
        "erasure",
        "restriction",
        "objection",
    ]
    assert "Vi hittade inga personuppgifter" in render_html(result)


def test_the_support_agent_is_never_in_the_extract() -> None:
    text = render_json(access())
    assert "Agent Smith" not in text
    assert "Bertil" not in text


@pytest.mark.parametrize("render", [render_html, render_text, render_json])
def test_stored_markup_is_shown_not_run(render: Any) -> None:
    connectors = shop_connectors()
    connectors["crm"].update("notes", {"id": 10}, {"text": "<script>alert(1)</script>"})
    out = render(access(connectors=connectors))
    if render is render_html:
        assert "<script>alert" not in out
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    else:
        assert "<script>alert(1)</script>" in out


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_html_has_every_section(lang: str) -> None:
    html = render_html(access(lang))
    heads = {
        "sv": [
            "Dina uppgifter",
            "Varför vi behandlar",
            "Mottagare och överföringar",
            "Dina rättigheter",
            "Klagomål",
        ],
        "en": [
            "Your data",
            "Why we process",
            "Recipients and transfers",
            "Your rights",
            "Complaints",
        ],
    }[lang]
    for head in heads:
        assert f"<h2>{head}" in html
    assert f'<html lang="{lang}">' in html


def test_each_system_read_is_recorded_with_counts_only() -> None:
    recorder = MemoryRecorder()
    execute_access(shop_register(), ANNA, shop_connectors(), now=NOW, lang="sv", recorder=recorder)
    assert [(a, t) for a, t, _ in recorder.events] == [
        ("dsr.access.executed", "crm"),
        ("dsr.access.executed", "support"),
        ("dsr.access.executed", "billing"),
    ]
    assert recorder.events[0][2]["rows"] == {"customers": 1, "notes": 2}
    assert "anna" not in json.dumps(recorder.events)
