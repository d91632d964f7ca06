"""One document model, three formats: the same text in each, escaped for each."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from varna.register import load_register
from varna.render.document import Document, Paragraph, Section, bullets, cell, para, table
from varna.render.policy import compose_policy
from varna.render.writers import to_html, to_markdown, to_pdf, to_typst

from .registers import COMPLETE, SEED_000

NASTY = 'Kund <script>alert("x")</script> & *stjärna* _under_ | rör \\ "citat" #hash $5 [a](b) @x'


_BLOCKS = {
    "p",
    "li",
    "td",
    "th",
    "tr",
    "br",
    "div",
    "section",
    "aside",
    "nav",
    "header",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "title",
    "ul",
    "ol",
    "table",
    "blockquote",
}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._skip += tag in ("style", "script")
        self.parts.append(" " if tag in _BLOCKS else "")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")
        self.parts.append(" " if tag in _BLOCKS else "")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _html_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return _norm("".join(parser.parts))


def _markdown_text(markdown: str) -> str:
    return _html_text(MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown))


def _typst_text(markup: str) -> str:
    literals = re.findall(r'#(?:box\()?("(?:[^"\\]|\\.)*")', markup)
    return _norm("".join(json.loads(lit) for lit in literals))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text).replace("\u00a0", " ")).strip()


def _paragraphs(doc: Document) -> list[str]:
    out: list[str] = []

    def blocks(items: tuple[object, ...]) -> None:
        for b in items:
            if isinstance(b, Paragraph):
                out.append(_norm(b.text))
            elif hasattr(b, "items"):
                blocks(b.items)
            elif hasattr(b, "rows"):
                for row in b.rows:
                    for c in row:
                        blocks(c)
            elif hasattr(b, "blocks"):
                blocks(b.blocks)

    for section in doc.walk():
        blocks(section.blocks)
    return [p for p in out if p]


@pytest.mark.parametrize("path", [COMPLETE, SEED_000], ids=["complete", "seed-000"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_paragraph_is_in_every_format(path: Path, lang: str) -> None:
    doc = compose_policy(load_register(path), lang).document  # type: ignore[arg-type]
    texts = {
        "html": _html_text(to_html(doc)),
        "markdown": _markdown_text(to_markdown(doc)),
        "typst": _typst_text(to_typst(doc)),
    }
    for paragraph in _paragraphs(doc):
        for fmt, text in texts.items():
            assert paragraph in text, f"{fmt} lost: {paragraph[:80]}"


def _nasty_document() -> Document:
    section = Section(
        NASTY,
        "nasty",
        (
            para(NASTY),
            bullets([NASTY]),
            table(["A | B", "C"], [[cell(NASTY), cell(bullets(["x", NASTY]))]], (1.0, 1.0)),
        ),
    )
    return Document(NASTY, "sv", NASTY, (para(NASTY),), (section,), footer=NASTY)


def test_html_escapes_register_text() -> None:
    markup = to_html(_nasty_document())
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    assert NASTY in _html_text(markup)


def test_markdown_escapes_register_text() -> None:
    text = _markdown_text(to_markdown(_nasty_document()))
    assert NASTY.replace("|", "|") in text
    assert "<script>" not in to_markdown(_nasty_document())


def test_typst_text_is_never_markup() -> None:
    doc = _nasty_document()
    assert NASTY in _typst_text(to_typst(doc))
    assert to_pdf(doc).startswith(b"%PDF")
