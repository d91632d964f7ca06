"""One glossary for every document: each enum value has words, labels agree with the glossary,
and no document uses a synonym the glossary rules out (``laglig grund`` for ``rättslig grund``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dsr.shop import NOW, shop_connectors, shop_register
from render.registers import ALL_REGISTERS, ON, register_id
from varna.documents import receipt_document, render_text
from varna.dsr.access import execute_access
from varna.dsr.context import controller_info
from varna.dsr.executor import erase
from varna.dsr.identity import Identity
from varna.register import load_register
from varna.register.activities import Basis
from varna.register.parties import RecipientKind
from varna.render import render_policy, render_record
from varna.render.documents import PolicyFormat, RecordFormat
from varna.render.plaintext import to_text
from varna.texts import texts_for
from varna.texts.glossary import ALL_TABLES, BASES, RECIPIENT_KINDS, TERMS, label, term

ANNA = [Identity("email", "anna@example.se")]
LANGS = ["sv", "en"]


@pytest.mark.parametrize("enum", list(ALL_TABLES), ids=lambda e: e.__name__)
def test_every_enum_member_has_words(enum: Any) -> None:
    table = ALL_TABLES[enum]
    missing = [m for m in enum if m not in table]
    assert not missing, f"no words for {missing}: add them to varna/texts/glossary.py"


@pytest.mark.parametrize(
    ("table", "value", "key"),
    [
        pytest.param(RECIPIENT_KINDS, RecipientKind.processor, "processor", id="processor"),
        pytest.param(
            RECIPIENT_KINDS, RecipientKind.joint_controller, "joint_controller", id="joint"
        ),
        pytest.param(BASES, Basis.legal_obligation, "legal_obligation", id="obligation"),
        pytest.param(BASES, Basis.consent, "consent", id="consent"),
    ],
)
@pytest.mark.parametrize("lang", LANGS)
def test_labels_are_the_glossary_terms(table: Any, value: Any, key: str, lang: str) -> None:
    t = texts_for(lang)
    assert label(table, value, t).lower() == term(key, t).lower()


@pytest.mark.parametrize(
    ("key", "sv"),
    [
        ("legal_basis", "rättslig grund"),
        ("processor", "personuppgiftsbiträde"),
        ("register_extract", "registerutdrag"),
        ("retention_deletion", "gallring"),
        ("pseudonymised", "pseudonymiserade"),
        ("controller", "personuppgiftsansvarig"),
    ],
)
def test_swedish_terms(key: str, sv: str) -> None:
    assert term(key, texts_for("sv")) == sv


def _avoided(text: str, lang: str) -> list[str]:
    words = [w for t in TERMS.values() for w in t.avoid.get(lang, ())]
    return [w for w in words if re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE)]


def test_the_scan_finds_a_ruled_out_synonym() -> None:
    assert _avoided("Vår laglig grund är avtal.", "sv") == ["laglig grund"]
    assert _avoided("Vår rättsliga grund är avtal.", "sv") == []


def _extract(lang: str) -> str:
    return render_text(execute_access(shop_register(), ANNA, shop_connectors(), now=NOW, lang=lang))


def _receipt(lang: str) -> str:
    register = shop_register()
    outcome = erase(register, ANNA, shop_connectors(), now=NOW, hash_key=b"k" * 32, execute=True)
    names = {k: s.name.get(lang) for k, s in register.systems.items()}
    doc = receipt_document(
        outcome.plan,
        outcome.receipts,
        controller=controller_info(register),
        system_names=names,
        lang=lang,
        at=NOW,
    )
    return to_text(doc)


DOCUMENTS: list[Any] = [
    pytest.param(_extract, id="extract"),
    pytest.param(_receipt, id="erasure-receipt"),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("make", DOCUMENTS)
def test_dsr_documents_use_the_glossary(make: Callable[[str], str], lang: str) -> None:
    assert _avoided(make(lang), lang) == []


def _decoded(content: str | bytes) -> str:
    return content.decode("utf-8") if isinstance(content, bytes) else content


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", ALL_REGISTERS, ids=register_id)
def test_policies_and_records_use_the_glossary(path: Path, lang: str) -> None:
    register = load_register(path)
    policy = _decoded(render_policy(register, lang=lang, fmt=PolicyFormat.md, on=ON).content)
    record = _decoded(render_record(register, lang=lang, fmt=RecordFormat.html, on=ON).content)
    assert _avoided(policy, lang) == []
    assert _avoided(record, lang) == []


def test_the_erasure_receipt_says_pseudonymised_in_swedish() -> None:
    assert "Pseudonymiserade rader" in _receipt("sv")
