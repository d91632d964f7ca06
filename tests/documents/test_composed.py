"""The extract is composed once, and the receipts and the extract speak the catalogs' words.

Fast tests on the in-memory shop (no PDF): every format of the extract carries the same sections,
the extract and the policy state a retention rule in the same sentence, and the receipts name the
pseudonymised rows, the complaint route and the recipients told.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from dsr.shop import NOW, shop_connectors, shop_register
from varna.documents import (
    extract_document,
    extract_filename,
    receipt_document,
    rectification_document,
    render_extract,
)
from varna.dsr.access import AccessResult, execute_access
from varna.dsr.context import controller_info
from varna.dsr.executor import erase
from varna.dsr.identity import Identity
from varna.dsr.rectification import rectify
from varna.render import render_policy
from varna.render.documents import PolicyFormat
from varna.render.plaintext import to_text

ANNA = [Identity("email", "anna@example.se")]
IMY = {"authority": "Integritetsskyddsmyndigheten (IMY)", "website": "https://www.imy.se"}


def access(lang: str) -> AccessResult:
    return execute_access(shop_register(), ANNA, shop_connectors(), now=NOW, lang=lang)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_format_has_the_sections_of_the_one_document(lang: str) -> None:
    result = access(lang)
    titles = [s.title for s in extract_document(result).walk()]
    assert len(titles) > 8
    html, text = render_extract(result, "html"), render_extract(result, "text")
    for title in titles:
        assert title.replace("&", "&amp;") in html
        assert title in text


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_extract_and_the_policy_state_a_rule_in_the_same_sentence(lang: str) -> None:
    data = access(lang).as_dict()
    sentences = {p["retention"] for c in data["categories"] for p in c["processing"]}
    sentences |= {h["retention"] for c in data["categories"] for h in c["legal_holds"]}
    policy = render_policy(shop_register(), lang=lang, fmt=PolicyFormat.md).content
    text = policy.decode() if isinstance(policy, bytes) else policy
    assert len(sentences) >= 2
    for sentence in sentences:
        assert sentence in text


@pytest.mark.parametrize(
    ("lang", "fmt", "name"),
    [
        pytest.param("sv", "pdf", "registerutdrag.pdf", id="sv-pdf"),
        pytest.param("sv", "text", "registerutdrag.txt", id="sv-text"),
        pytest.param("en", "html", "register-extract.html", id="en-html"),
        pytest.param("en", "json", "register-extract.json", id="en-json"),
    ],
)
def test_extract_filename(lang: str, fmt: str, name: str) -> None:
    assert extract_filename(lang, fmt) == name


def test_the_json_is_the_data_and_carries_no_document_words() -> None:
    data = json.loads(render_extract(access("sv"), "json"))
    assert data["schema"] == "varna.access/1"
    assert "Dina uppgifter" not in json.dumps(data, ensure_ascii=False)


def erasure_receipt(lang: str, **extra: Any) -> str:
    register = shop_register()
    outcome = erase(register, ANNA, shop_connectors(), now=NOW, hash_key=b"k" * 32, execute=True)
    doc = receipt_document(
        outcome.plan,
        outcome.receipts,
        controller=controller_info(register),
        system_names={k: s.name.get(lang) for k, s in register.systems.items()},
        lang=lang,
        at=NOW,
        **extra,
    )
    return to_text(doc)


@pytest.mark.parametrize(
    ("lang", "complaint", "present", "absent"),
    [
        pytest.param(
            "sv",
            IMY,
            [
                "Kvitto på radering",
                "Pseudonymiserade rader",
                "Klagomål",
                "IMY",
                "artikel 17",
                "enligt 7 kap. 2 § bokföringslagen (1999:1078) (artikel 17.3 b)",
            ],
            ["anonymiserade", "anna@example.se", "BFL 7:2"],
            id="sv-with-complaint",
        ),
        pytest.param(
            "en",
            None,
            [
                "Erasure receipt",
                "Rows pseudonymised",
                "Data kept by law",
                "under the Swedish Accounting Act (1999:1078), chapter 7 section 2",
                "Article 17(3)(b)",
                "Complaints",  # Art. 12(4): IMY when the caller names no authority
                "(IMY)",
            ],
            ["anna@example.se", "anonymised"],
            id="en-default-complaint",
        ),
    ],
)
def test_the_erasure_receipt(
    lang: str, complaint: Any, present: list[str], absent: list[str]
) -> None:
    text = " ".join(erasure_receipt(lang, complaint=complaint).split())
    for expected in present:
        assert expected in text, expected
    for unexpected in absent:
        assert unexpected not in text, unexpected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        pytest.param("sv", ["Kvitto på rättelse", "Rättade fält", "Mottagare som underrättats"]),
        pytest.param("en", ["Rectification receipt", "Fields corrected", "Recipients told"]),
    ],
)
def test_the_rectification_receipt(lang: str, expected: list[str]) -> None:
    register = shop_register()
    plan, _ = rectify(
        register,
        ANNA,
        shop_connectors(),
        {"crm:customers.name": "Anna Berg"},
        now=NOW,
        execute=True,
    )
    doc = rectification_document(
        plan,
        notified=[],
        controller=controller_info(register),
        system_names={},
        recipient_names={},
        lang=lang,
        at=NOW,
    )
    text = to_text(doc)
    for words in expected:
        assert words in text, words
    assert "Anna Berg" not in text  # fields are named, values are not
