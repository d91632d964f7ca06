"""The generated reference pages in docs/ match the code (house style 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from varna.docs import PAGES

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("name", sorted(PAGES), ids=sorted(PAGES))
def test_generated_page_is_current(name: str) -> None:
    committed = (DOCS / name).read_text(encoding="utf-8")
    assert committed == PAGES[name](), f"docs/{name} is stale: run python -m varna.docs docs"


def test_every_command_is_documented() -> None:
    from varna.docs import cli_reference

    text = cli_reference()
    for command in (
        "varna register check",
        "varna register schema",
        "varna demo",
        "varna audit verify",
        "varna audit export",
    ):
        assert f"## `{command}`" in text


def test_categories_page_lists_every_category_with_labels_mapping_and_marks() -> None:
    from varna.docs import categories_reference
    from varna.register.taxonomy import BUILTIN_CATEGORIES, BUILTIN_IDENTITY_KINDS, SpecialKind

    rows = {
        line.split("|")[1].strip(" `"): [cell.strip() for cell in line.split("|")[2:-1]]
        for line in categories_reference().splitlines()
        if line.startswith("| `")
    }
    for key, c in BUILTIN_CATEGORIES.items():
        sv, en, fideslang, _, special = rows[key]
        assert (sv, en, fideslang) == (c.sv, c.en, f"`{c.fideslang}`")
        if c.special is None:
            assert special == ""
        elif c.special is SpecialKind.criminal_offences:
            assert special.startswith("Art. 10")
        else:
            assert special.startswith("Art. 9(1)")
    for kind in BUILTIN_IDENTITY_KINDS:
        assert kind in rows
    # fideslang keys: a child takes its parent's category, an alias its category, and a key
    # with none is imported as fides.*
    assert "`user.contact.address.city`" in rows["contact.postal_address"][3]
    assert "`user.authorization.biometric`" in rows["special.biometric"][3]
    assert rows["user.sensor"] == ["`fides.sensor`"]
