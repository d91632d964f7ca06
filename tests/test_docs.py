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
