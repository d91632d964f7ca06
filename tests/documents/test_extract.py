"""The issue's "done when": the register extract PDF for one demo customer holds their data from
every system and the Art. 15 context, in Swedish; the erasure receipt PDF says what was done and
what the law keeps. Each PDF is turned into pictures (pdftoppm) and text (pdftotext)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from varna.cli.app import app

runner = CliRunner()


@pytest.fixture
def demo(demo_company: Callable[[int], Path]) -> Path:
    return demo_company(60)


def poppler(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def look(pdf: Path) -> tuple[int, str]:
    """Pages rendered as PNG (kept with VARNA_KEEP_PNG=folder) and the text, spaces collapsed."""
    stem = pdf.with_suffix("")
    poppler("pdftoppm", "-r", "50", "-png", str(pdf), str(stem))
    pages = sorted(pdf.parent.glob(f"{stem.name}-*.png"))
    if keep := os.environ.get("VARNA_KEEP_PNG"):
        for page in pages:
            shutil.copy(page, Path(keep) / page.name)
    fonts = poppler("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts
    assert all(line.split()[-5] == "yes" for line in fonts), f"not embedded: {fonts}"
    return len(pages), " ".join(poppler("pdftotext", "-layout", str(pdf), "-").split())


def a_customer(demo: Path) -> tuple[str, str]:
    with sqlite3.connect(demo / "data" / "crm.db") as crm:
        email, name = crm.execute(
            "SELECT email, name FROM customers WHERE customer_no IN "
            "(SELECT customer_no FROM customers) AND ended_at IS NULL ORDER BY id"
        ).fetchone()
    return str(email), str(name)


def test_the_extract_pdf_of_a_demo_customer(demo: Path, tmp_path: Path) -> None:
    email, name = a_customer(demo)
    data = json.loads(
        runner.invoke(app, ["dsr", "access", "-i", f"email={email}", "-f", "json"]).output
    )
    systems = [s["name"] for s in data["systems"]]
    assert len(systems) >= 3
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["dsr", "access", "-i", f"email={email}", "-f", "pdf", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    pages, text = look(out / "registerutdrag.pdf")
    assert pages >= 2
    for expected in [
        "Registerutdrag",
        "Omsorgsteknik Norrsken AB",
        name,
        email,
        "Dina uppgifter",
        "Varför vi behandlar uppgifterna",
        "Rättslig grund",
        "Hur länge",
        "Mottagare och överföringar utanför EU/EES",
        "Dina rättigheter",
        "Integritetsskyddsmyndigheten",
        "Dataskyddsombud",
        "Sida 1 av",
    ]:
        assert expected in text, f"'{expected}' not in the extract"
    for system in systems:
        assert system in text, f"system '{system}' missing"
    second_page = poppler("pdftotext", "-f", "2", "-l", "2", str(out / "registerutdrag.pdf"), "-")
    assert "Omsorgsteknik Norrsken AB" in second_page  # the controller in the page header


def test_the_extract_pdf_in_english(demo: Path, tmp_path: Path) -> None:
    email, _ = a_customer(demo)
    args = ["dsr", "access", "-i", f"email={email}", "-f", "pdf", "-l", "en", "-o", str(tmp_path)]
    assert runner.invoke(app, args).exit_code == 0
    _, text = look(tmp_path / "register-extract.pdf")
    for expected in ["Your data", "Why we process the data", "Your rights", "Page 1 of"]:
        assert expected in text


def test_the_erasure_receipt_pdf(demo: Path, tmp_path: Path) -> None:
    email, name = a_customer(demo)
    receipt = tmp_path / "kvitto.pdf"
    result = runner.invoke(
        app, ["dsr", "erase", "-i", f"email={email}", "--execute", "--receipt", str(receipt)]
    )
    assert result.exit_code == 0, result.output
    pages, text = look(receipt)
    assert pages >= 1
    for expected in [
        "Kvitto på radering",
        "Vad vi gjorde",
        "Raderade",
        "Kontrollsumma",
        "Ekonomisystemet",
        "Uppgifter som sparas enligt lag",
        "7 kap. 2 § bokföringslagen (1999:1078)",
        "artikel 17.3 b",
    ]:
        assert expected in text, f"'{expected}' not in the receipt"
    assert email not in text  # the receipt names what was done, not the data
    assert name not in text


def test_no_receipt_without_execute(demo: Path, tmp_path: Path) -> None:
    email, _ = a_customer(demo)
    receipt = tmp_path / "kvitto.pdf"
    runner.invoke(app, ["dsr", "erase", "-i", f"email={email}", "--receipt", str(receipt)])
    assert not receipt.exists()


def test_the_rectification_receipt_pdf(demo: Path, tmp_path: Path) -> None:
    email, _ = a_customer(demo)
    base = ["dsr", "rectify", "-i", f"email={email}", "--set", "customers.city=Uppsala"]
    planned = runner.invoke(app, base)
    assert planned.exit_code == 0, planned.output
    to_tell = planned.output.split("recipients to tell (GDPR Art. 19): ")[1].split()[0].rstrip(",")
    receipt = tmp_path / "rattelse.pdf"
    result = runner.invoke(
        app, [*base, "--execute", "--notified", to_tell, "--receipt", str(receipt)]
    )
    assert result.exit_code == 0, result.output
    pages, text = look(receipt)
    assert pages == 1
    for expected in [
        "Kvitto på rättelse",
        "Rättade fält",
        "city",
        "Kundregistret (CRM)",
        "Mottagare som underrättats (artikel 19)",
    ]:
        assert expected in text, f"'{expected}' not in the receipt"
    assert "Uppsala" not in text  # fields are named, values are not
    assert email not in text
