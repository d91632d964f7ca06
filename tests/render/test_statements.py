"""The policy states what the register records in the organisation's own terms: commitments where
they belong, further contacts, channels per right with formalities, alternative Art. 22(2)
grounds, bases per subject group and retention per category."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from varna.register import Register, load_register
from varna.render.policy import compose_policy
from varna.render.writers import to_markdown

from .registers import DEMO, SEEDS


def _text(register: Register, lang: str = "sv") -> str:
    text = to_markdown(compose_policy(register, lang).document)  # type: ignore[arg-type]
    return re.sub(r"\]\([^)]*\)", "]", text).replace("\u00a0", " ").replace("\\", "")


@cache
def _seed(seed: str, lang: str = "sv") -> str:
    return _text(load_register(next(p for p in SEEDS if p.name.startswith(seed))), lang)


def _section(text: str, anchor: str) -> str:
    start = text.index(f'<a id="{anchor}"></a>')
    end = text.find('<a id="', start + 1)
    return text[start : end if end > 0 else None]


STATED = [
    pytest.param(
        "001", "recipients", r"Vi säljer aldrig dina uppgifter vidare", id="001-never-sell"
    ),
    pytest.param(
        "000",
        "recipients",
        r"I de fall som tredje part får ta emot personuppgifter, skall det "
        r"finnas ett biträdesavtal",
        id="000-dpa-if-shared",
    ),
    pytest.param(
        "000",
        "transfers",
        r"Om personuppgifter skulle behöva överföras .* kommer Camanio att "
        r"vidta åtgärder",
        id="000-if-transferred",
    ),
    pytest.param(
        "002", "recipients", r"Vår utgångspunkt är att inte lämna ut", id="002-not-disclosed"
    ),
    pytest.param(
        "002",
        "exercise",
        r"Rättelse: i regel via vår support eller genom att ringa vår "
        r"växel",
        id="002-rectification-channel",
    ),
    pytest.param(
        "002",
        "exercise",
        r"Begränsning och invändning: genom att vända dig till vår "
        r"support",
        id="002-restriction-channel",
    ),
    pytest.param(
        "000", "exercise", r"Invändning: när som helst .*, skriftligen", id="000-in-writing"
    ),
    pytest.param(
        "000",
        "exercise",
        r"Tillgång \(registerutdrag\): .*skriftlig och undertecknad",
        id="000-signed-request",
    ),
    pytest.param(
        "001",
        "automated",
        r"bara när du har lämnat ditt uttryckliga samtycke eller när "
        r"det är nödvändigt för att ingå eller fullgöra ett avtal",
        id="001-two-grounds",
    ),
    pytest.param("004", "controller", r"support@intelliplan\.se", id="004-second-address"),
]


@pytest.mark.parametrize(("seed", "anchor", "pattern"), STATED)
def test_stated_where_it_belongs(seed: str, anchor: str, pattern: str) -> None:
    assert re.search(pattern, _section(_seed(seed), anchor), re.S)


def test_english_states_the_commitment_in_english() -> None:
    text = _section(_seed("001", "en"), "recipients")
    assert "We never sell your data" in text
    assert "säljer" not in text


def test_a_basis_is_shown_only_to_the_groups_it_applies_to() -> None:
    text = _text(load_register(DEMO))
    customers, correspondents = (
        _section(text, "subject-customer"),
        _section(text, "subject-correspondent"),
    )
    support = re.compile(r"^\| \*\*Support\*\*.*$", re.M)
    (for_customers,) = support.findall(customers)
    (for_correspondents,) = support.findall(correspondents)
    assert "6.1 b" in for_customers
    assert "6.1 f" not in for_customers
    assert "6.1 f" in for_correspondents
    assert "6.1 b" not in for_correspondents
    assert "För kunder." not in text


def test_retention_per_category_is_stated(complete: Register, tmp_path: Path) -> None:
    data = complete.model_dump(mode="json")
    key = next(iter(data["activities"]))
    category = data["activities"][key]["categories"][0]
    data["activities"][key]["category_retention"] = [
        {"categories": [category], "retention_in_words": {"text": {"sv": "så länge du är kund"}}}
    ]
    text = _text(Register.model_validate(data))
    assert re.search(r"sparas så länge du är kund\.", text)
