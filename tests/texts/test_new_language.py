"""A translator adds a language by adding a catalog, without touching code.

The test follows docs/translating.md with Babel's own command line, in a temporary folder: extract
the messages, start a Norwegian (Bokmål) catalog, translate a few messages, compile, and point
Varna at the folder. The register extract then comes out in Norwegian where translated and in
English (the message ids) where not.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from dsr.shop import NOW, shop_connectors, shop_register
from render.registers import ON
from varna.documents import render_html, render_text
from varna.dsr.access import execute_access
from varna.dsr.identity import Identity
from varna.register import load_register
from varna.render.policy import compose_policy
from varna.render.ropa import compose_record
from varna.render.ropa_export import record_document
from varna.render.wording import as_lang
from varna.render.writers import to_markdown
from varna.texts import catalog as texts_catalog
from varna.texts import languages, texts_for

ROOT = Path(__file__).resolve().parents[2]
NORWEGIAN = {
    "register extract": "registerutskrift",
    "Your data": "Dine opplysninger",
    "Your rights": "Dine rettigheter",
    "legal basis": "behandlingsgrunnlag",
    "Article {ref}": "artikkel {ref}",
    ("{n} row", "{n} rows"): ("{n} rad", "{n} rader"),
    "Privacy notice": "Personvernerklæring",
    "How long we keep your data": "Hvor lenge vi lagrer opplysningene",
    "Record of processing activities": "Protokoll over behandlingsaktiviteter",
    ("locale of dates and country names", "en_GB"): "nb",
    ("list", "and"): "og",
}


def pybabel(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *args],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def norwegian(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    template = tmp_path / "varna.pot"
    pybabel("extract", "-o", str(template))
    pybabel("init", "-i", str(template), "-d", str(tmp_path), "-l", "nb")
    po = tmp_path / "nb" / "LC_MESSAGES" / "varna.po"
    with po.open("rb") as f:
        cat = read_po(f, locale="nb")
    for message in cat:
        key = message.id if isinstance(message.id, str) else tuple(message.id)
        if message.context is not None:
            key = (message.context, key)
        if key in NORWEGIAN:
            message.string = NORWEGIAN[key]
    with po.open("wb") as f:
        write_po(f, cat)
    pybabel("compile", "-d", str(tmp_path), "-l", "nb")
    monkeypatch.setenv(texts_catalog.LOCALE_DIRS_ENV, str(tmp_path))
    texts_catalog.clear_cache()
    yield tmp_path
    texts_catalog.clear_cache()


def extract_in(lang: str) -> str:
    anna = [Identity("email", "anna@example.se")]
    result = execute_access(shop_register(), anna, shop_connectors(), now=NOW, lang=lang)
    return render_text(result) + render_html(result)


def test_a_new_language_from_a_catalog_alone(norwegian: Path) -> None:
    assert "nb" in languages()
    assert texts_for("nb").gettext("Your rights") == "Dine rettigheter"
    out = extract_in("nb")
    for translated in [
        "Registerutskrift",
        "Dine opplysninger",
        "Dine rettigheter",
        "Behandlingsgrunnlag: ",
        "(1 rad)",
        "(2 rader)",
        "artikkel\u00a015",
        '<html lang="nb">',
    ]:
        assert translated in out, translated
    assert "Why we process the data" in out  # not translated yet: the English message id
    assert "Dina rättigheter" not in out


def test_without_the_catalog_the_language_is_unknown() -> None:
    assert "nb" not in languages()


def test_the_policy_and_the_record_in_a_new_language(norwegian: Path) -> None:
    register = load_register(ROOT / "src" / "varna" / "demo" / "register.yaml")
    policy = to_markdown(compose_policy(register, as_lang("nb"), on=ON).document)
    record = to_markdown(record_document(compose_record(register, "nb", on=ON)))
    for translated in [
        "Personvernerklæring",
        "Hvor lenge vi lagrer opplysningene",
        "1. januar 2026",
    ]:
        assert translated in policy, translated
    assert "Protokoll over behandlingsaktiviteter" in record
    assert "Dina rättigheter" not in policy  # the catalogs' Swedish never stands in
    assert "Who we share your data with" in policy  # not translated yet: the English message id


def test_a_language_without_a_catalog_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language 'nb'"):
        as_lang("nb")
