"""No English in the Swedish policy, and no placeholders in any: scanned over every register."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from varna.register import load_register
from varna.render.policy import compose_policy
from varna.render.ropa import compose_record
from varna.render.ropa_export import record_document
from varna.render.writers import to_html, to_markdown, to_typst

from .registers import ALL_REGISTERS, ON, register_id

#: English words and phrases that have no business in a Swedish policy. Single letters and words
#: that are also Swedish (in, is, by, data, a) are left out; proper names such as "EU–US Data
#: Privacy Framework" are not words of this list.
ENGLISH = [
    "the",
    "and",
    "of",
    "with",
    "your",
    "our",
    "you",
    "we",
    "this",
    "that",
    "which",
    "will",
    "may",
    "must",
    "shall",
    "please",
    "are",
    "to",
    "on",
    "for",
    "from",
    "or",
    "also",
    "only",
    "data subject",
    "controller",
    "processor",
    "legal basis",
    "retention",
    "consent",
    "purpose",
    "rights",
    "recipient",
    "transfer",
    "safeguard",
    "privacy notice",
    "personal data",
]
_ENGLISH = re.compile(
    r"(?<![\w/.@-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w/.@-])", re.IGNORECASE
)
#: Placeholders and template leftovers, in any language and format.
PLACEHOLDERS = re.compile(
    r"\bNone\b|\bN/A\b|\bnull\b|\bundefined\b|\bTODO\b|\bTBD\b|\{\{|\}\}|"
    r"\{[a-z_]+\}|\bnan\b|\[\]"
)


def _visible(markdown: str, *names: str | None) -> str:
    """The text a reader sees, without link targets, anchors and proper ``names`` (a name the
    register does not give is None)."""
    for name in names:
        markdown = markdown.replace(name, "") if name else markdown
    text = re.sub(r"\]\([^)]*\)", "]", markdown)
    text = re.sub(r'<a id="[^"]*"></a>', "", text)
    return re.sub(r"https?://\S+|\S+@\S+", "", text)


@pytest.mark.parametrize("path", ALL_REGISTERS, ids=register_id)
def test_no_english_in_the_swedish_policy(path: Path) -> None:
    register = load_register(path)
    text = _visible(to_markdown(compose_policy(register, "sv").document), register.controller.name)
    found = sorted({m.group(0) for m in _ENGLISH.finditer(text)})
    assert not found, f"English in the Swedish policy of {path.name}: {found}"


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("path", ALL_REGISTERS, ids=register_id)
def test_no_placeholders_in_any_format(path: Path, lang: str) -> None:
    register = load_register(path)
    doc = compose_policy(register, lang).document  # type: ignore[arg-type]
    record = record_document(compose_record(register, lang, on=ON))  # type: ignore[arg-type]
    for rendered in (to_markdown(doc), to_html(doc), to_markdown(record)):
        found = PLACEHOLDERS.findall(_visible(rendered))
        assert not found, f"placeholder in {path.name} ({lang}): {found}"
    assert "None" not in to_typst(doc)


def test_the_scanner_finds_english() -> None:
    assert _ENGLISH.search("Vi behandlar the data")
    assert not _ENGLISH.search("Vi behandlar uppgifter enligt EU–US Data Privacy Framework")
