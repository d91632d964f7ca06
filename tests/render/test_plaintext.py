"""The plain-text writer: headings, lists, tables that line up, and nothing escaped."""

from __future__ import annotations

import pytest

from varna.render.document import Block, Document, Section, bold, bullets, cell, link, para, table
from varna.render.plaintext import WIDTH, to_text


def doc(*blocks: Block, sub: tuple[Section, ...] = ()) -> Document:
    return Document(
        title="Registerutdrag",
        lang="sv",
        header="AB",
        meta=(para("AB · 2026-03-02"),),
        sections=(Section("Dina uppgifter", "data", tuple(blocks), sub),),
    )


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        pytest.param(para("Hej ", bold("du")), ["Hej du"], id="paragraph"),
        pytest.param(bullets(["ett", "två"]), ["* ett", "* två"], id="list"),
        pytest.param(
            para("se ", link("imy.se", "https://www.imy.se")),
            ["se imy.se <https://www.imy.se>"],
            id="link",
        ),
        pytest.param(
            table(("Rad", "Värde"), [(cell("1"), cell("a")), (cell(""), cell("bbb"))], (1, 1)),
            ["Rad  Värde", "1    a", "     bbb"],
            id="aligned-table",
        ),
        pytest.param(
            table(("A", "B"), [(cell("x" * WIDTH), cell("y"))], (1, 1)),
            ["A · B", "x" * WIDTH + " · y"],
            id="wide-table-joined",
        ),
        pytest.param(para("<script>alert(1)</script>"), ["<script>alert(1)</script>"], id="raw"),
    ],
)
def test_blocks(block: Block, expected: list[str]) -> None:
    lines = to_text(doc(block)).splitlines()
    start = lines.index("==============") + 2
    assert lines[start : start + len(expected)] == expected


def test_headings_and_wrapping() -> None:
    text = to_text(doc(para("ord " * 60), sub=(Section("Kundregister", "crm"),)))
    lines = text.splitlines()
    assert lines[:3] == ["Registerutdrag", "##############", "AB · 2026-03-02"]
    assert "Kundregister" in lines
    assert lines[lines.index("Kundregister") + 1] == "-" * len("Kundregister")
    assert max(len(line) for line in lines) <= WIDTH
