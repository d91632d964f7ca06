"""Look at it: each PDF turns into pictures with pdftoppm and gives back its text with pdftotext.

The PNGs land in the test's temporary folder; ``VARNA_KEEP_PNG=folder`` keeps a copy to look at.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from varna.register import Register
from varna.render import PolicyFormat, RecordFormat, render_policy, render_record

from .registers import ON

POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext") and shutil.which("pdffonts")
pytestmark = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils: run scripts/install-system-deps"
)

PDFS: dict[str, Callable[[Register], bytes]] = {
    "policy-sv": lambda r: render_policy(r, lang="sv", fmt=PolicyFormat.pdf).content,
    "policy-en": lambda r: render_policy(r, lang="en", fmt=PolicyFormat.pdf).content,
    "ropa-sv": lambda r: render_record(r, on=ON, fmt=RecordFormat.pdf).content,
}
EXPECTED = {
    "policy-sv": [
        "Integritetspolicy",
        "Omsorgsteknik Norden AB",
        "Göteborg",
        "Överföring till länder utanför EU/EES",
        "Dina rättigheter",
        "Sida 1 av",
        "Hälsouppgifter",
        "återkalla",
    ],
    "policy-en": [
        "Privacy notice",
        "Omsorgsteknik Norden AB",
        "Göteborg",
        "Your rights",
        "Page 1 of",
        "Transfers outside the EU/EEA",
    ],
    "ropa-sv": [
        "Registerförteckning",
        "Omsorgsteknik Norden AB",
        "Personuppgiftsansvarig (artikel 30.1)",
        "Personuppgiftsbiträde (artikel 30.2)",
        "Gallringsfrister (f)",
        "Säkerhetsåtgärder",
        "Sida 1 av",
    ],
}


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.mark.parametrize("name", list(PDFS))
def test_pdf_pages_text_and_fonts(complete: Register, tmp_path: Path, name: str) -> None:
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(PDFS[name](complete))
    _run("pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / name))
    pages = sorted(tmp_path.glob(f"{name}-*.png"))
    assert pages, "pdftoppm made no pages"
    if keep := os.environ.get("VARNA_KEEP_PNG"):
        for page in pages:
            shutil.copy(page, Path(keep) / page.name)
    text = " ".join(_run("pdftotext", "-layout", str(pdf), "-").split())
    for expected in EXPECTED[name]:
        assert expected in text, f"{name}: '{expected}' not extractable"
    assert "Omsorgsteknik Norden AB" in _run("pdftotext", "-f", "2", "-l", "2", str(pdf), "-"), (
        "the controller's name is not in the header of page 2"
    )
    fonts = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts
    assert all(line.split()[-5] == "yes" for line in fonts), f"not embedded: {fonts}"
