"""An access answer is kept as its extract's document model (JSON) until it is downloaded: the
JSON gives back the same document, so the PDF rendered later is the one rendered at once."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from varna.core import Varna
from varna.core.execution_ops import _document_from_json, _document_json
from varna.documents import extract_document
from varna.dsr.requests import SYSTEM
from varna.render.document import Document, Paragraph, Section, Span, bullets, cell, para, table

from .conftest import first_customers

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

BLOCKS = Document(
    title="Titel",
    lang="sv",
    header="Bolaget AB",
    meta=(para("Upprättad ", Span("2026-03-02", strong=True)),),
    sections=(
        Section(
            "Data",
            "data",
            (
                table(("Fält", "Värde"), [(cell("e-post"), cell(bullets(["a", "b"])))], (1, 2)),
                Paragraph((Span("IMY", href="https://www.imy.se"),)),
            ),
            (Section("Inner", "inner"),),
        ),
    ),
    footer="sidfot",
    landscape=True,
    contents=True,
)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_extracts_document_round_trips(varna: Varna, demo: Path, lang: str) -> None:
    email = first_customers(demo, 1)[0]
    answered = varna.access([f"email={email}"], now=NOW, lang=lang, actor=SYSTEM)
    document = extract_document(answered.result)
    assert document.sections  # the extract has content to lose
    assert _document_from_json(_document_json(document)) == document


def test_every_kind_of_block_round_trips() -> None:
    assert _document_from_json(_document_json(BLOCKS)) == BLOCKS


def _tagged(value: object) -> object:
    """The JSON as answers kept before plain paragraphs were written as text had it."""
    if isinstance(value, str):
        return {"kind": "paragraph", "spans": [{"text": value, "href": None, "strong": False}]}
    if isinstance(value, list):
        return [_tagged(v) for v in value]
    if isinstance(value, dict):
        nested = ("meta", "sections", "blocks", "items", "rows")
        return {k: _tagged(v) if k in nested else v for k, v in value.items()}
    return value


def test_an_answer_kept_in_the_earlier_form_still_reads() -> None:
    raw = json.loads(_document_json(BLOCKS))
    assert raw["sections"][0]["blocks"][0]["rows"][0][0] == ["e-post"]  # written as its text
    earlier = json.dumps(_tagged(raw)).encode()
    assert b'"kind": "paragraph"' in earlier
    assert _document_from_json(earlier) == BLOCKS
