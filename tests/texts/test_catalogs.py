"""The catalogs are complete, compiled and in step with the code.

The compiled ``.mo`` files are committed (an installed package needs no build step and start-up no
Babel), so these tests fail when a ``.mo`` is older than its ``.po``, when code marks a message
that is missing from the template or a catalog, or when a translation loses a ``{field}``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from varna.texts.catalog import PACKAGE_LOCALES, languages, texts_for

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "varna"
TEMPLATE = PACKAGE_LOCALES / "varna.pot"
SHIPPED = ["en", "sv"]
FIELD = re.compile(r"\{(\w*)\}")
#: what is read for messages, as ``[[tool.babel.mappings]]`` in pyproject.toml says
METHODS = [("**.py", "python"), ("**/templates/**.j2", "jinja2")]


def catalog(lang: str) -> Catalog:
    with (PACKAGE_LOCALES / lang / "LC_MESSAGES" / "varna.po").open("rb") as f:
        return read_po(f, locale=lang)


def keys(cat: Catalog) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in cat if m.id}


def test_the_shipped_languages_are_found() -> None:
    assert set(SHIPPED) <= set(languages())


@pytest.mark.parametrize("lang", SHIPPED)
def test_the_compiled_catalog_matches_its_source(lang: str) -> None:
    buffer = io.BytesIO()
    write_mo(buffer, catalog(lang))
    compiled = (PACKAGE_LOCALES / lang / "LC_MESSAGES" / "varna.mo").read_bytes()
    assert compiled == buffer.getvalue(), f"run `pybabel compile`: {lang}/varna.mo is out of date"


def test_the_template_holds_every_message_the_code_marks() -> None:
    marked = {
        (context, message if isinstance(message, str) else message[0])
        for _file, _line, message, _comments, context in extract_from_dir(
            SOURCE, method_map=METHODS, keywords=DEFAULT_KEYWORDS
        )
    }
    with TEMPLATE.open("rb") as f:
        template = keys(read_po(f))
    assert marked - template == set(), "run `pybabel extract` and `pybabel update`"
    assert template - marked == set(), "messages no code uses: run `pybabel extract`"


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_message_is_translated(lang: str) -> None:
    with TEMPLATE.open("rb") as f:
        template = keys(read_po(f))
    cat = catalog(lang)
    assert keys(cat) >= template, f"run `pybabel update`: {lang} lacks messages"
    untranslated = [
        m.id
        for m in cat
        if m.id and (m.fuzzy or not (m.string if isinstance(m.string, str) else all(m.string)))
    ]
    assert untranslated == []


@pytest.mark.parametrize("lang", SHIPPED)
def test_translations_keep_every_field(lang: str) -> None:
    broken = []
    for m in catalog(lang):
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        wanted = set().union(*(FIELD.findall(i) for i in ids)) - {"n"}
        for s in strings:
            if set(FIELD.findall(s)) - {"n"} != wanted:
                broken.append(m.id)
    assert broken == []


@pytest.mark.parametrize(
    ("lang", "message", "expected"),
    [
        pytest.param("sv", "legal basis", "rättslig grund", id="sv-term"),
        pytest.param("en", "legal basis", "legal basis", id="en-term"),
        pytest.param("sv", "no such message", "no such message", id="unknown-falls-back"),
    ],
)
def test_lookup(lang: str, message: str, expected: str) -> None:
    assert texts_for(lang).gettext(message) == expected


@pytest.mark.parametrize(("n", "expected"), [(1, "1 rad"), (2, "2 rader"), (0, "0 rader")])
def test_swedish_plurals(n: int, expected: str) -> None:
    assert texts_for("sv").ngettext("{n} row", "{n} rows", n) == expected


def test_a_language_without_catalog_is_refused_with_the_fix() -> None:
    from varna.errors import RenderError

    with pytest.raises(RenderError, match=r"no text catalog for language 'xx'.*translating\.md"):
        texts_for("xx")


def _edges(text: str) -> tuple[bool, bool]:
    return text[:1].isspace(), text[-1:].isspace()


@pytest.mark.parametrize("lang", SHIPPED)
def test_translations_keep_the_spaces_at_their_ends(lang: str) -> None:
    """A phrase the code joins to a link or a value (``"in our privacy centre at "``) keeps its
    leading and trailing space, or the words run together."""
    broken = [
        m.id
        for m in catalog(lang)
        if isinstance(m.id, str) and m.id and isinstance(m.string, str)
        if _edges(m.string) != _edges(m.id)
    ]
    assert broken == []


@pytest.mark.parametrize(
    ("message", "translation", "kept"),
    [
        pytest.param("Say no ", "Säg nej ", True, id="trailing-kept"),
        pytest.param("Say no ", "Säg nej", False, id="trailing-lost"),
        pytest.param(" or ", "eller", False, id="both-lost"),
        pytest.param(" or ", " eller ", True, id="both-kept"),
    ],
)
def test_the_space_check_itself(message: str, translation: str, kept: bool) -> None:
    assert (_edges(message) == _edges(translation)) is kept
