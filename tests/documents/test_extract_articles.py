"""Every element GDPR Art. 15 asks of a register extract, looked for in the rendered extract of a
demo customer, in Swedish and English: the copy of every stored value (15(3)), each item of
15(1)(a)-(h), the transfer safeguards (15(2)); technical names only in the appendix; each activity
once; rows past their retention flagged to the person and reported to the DPO in the audit log."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from varna.cli.app import app
from varna.register import load_register

runner = CliRunner()

HEADINGS = {
    "sv": {"appendix": "Bilaga: tekniska namn", "decisions": "Automatiserade beslut"},
    "en": {"appendix": "Appendix: technical names", "decisions": "Automated decisions"},
}


@pytest.fixture(scope="module")
def extracts(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[str, dict[str, Any], Path]]:
    """One demo customer with support cases past their retention: the text and JSON extract in
    each language, and the demo folder."""
    from varna.demo.builder import build_demo

    folder = tmp_path_factory.mktemp("extract-articles")
    demo = build_demo(folder / "demo", subjects=60)
    env = {
        "VARNA_HOME": str(folder / "home"),
        "VARNA_AUDIT_KEY": "test-audit-key-0123456789abcdef",
        "VARNA_REGISTER": str(demo.register_path),
    }
    with sqlite3.connect(demo.directory / "data" / "support.db") as support:
        (number,) = support.execute(
            "SELECT customer_no FROM tickets WHERE customer_no IS NOT NULL "
            "AND closed_at < '2024-01-01' ORDER BY id"
        ).fetchone()
    with sqlite3.connect(demo.directory / "data" / "crm.db") as crm:
        (email,) = crm.execute(
            "SELECT email FROM customers WHERE customer_no = ?", (number,)
        ).fetchone()
    out = {}
    for lang in ("sv", "en"):
        base = ["dsr", "access", "-i", f"email={email}", "-l", lang, "-f"]
        text = runner.invoke(app, [*base, "text"], env=env)
        assert text.exit_code == 0, text.output
        data = runner.invoke(app, [*base, "json"], env=env)
        assert data.exit_code == 0, data.output
        out[lang] = (text.output, json.loads(data.output), demo.directory)
    exported = runner.invoke(app, ["audit", "export"], env=env)
    assert exported.exit_code == 0, exported.output
    out["audit"] = (exported.output, {"email": email}, demo.directory)
    return out


def flat(text: str) -> str:
    return " ".join(text.split())


def letter(text: str, lang: str) -> str:
    """The extract before its appendix: what the person reads."""
    return flat(text).split(HEADINGS[lang]["appendix"])[0]


def _activities(data: dict[str, Any]) -> list[dict[str, Any]]:
    return list(data["activities"])


def has_purposes(text: str, data: dict[str, Any], lang: str) -> list[str]:
    return [a["purpose"] for a in _activities(data) if flat(a["purpose"]) not in text]


def has_bases(text: str, data: dict[str, Any], lang: str) -> list[str]:
    wanted = [b["article"] for a in _activities(data) for b in a["legal_bases"]]
    return [w for w in wanted if flat(w) not in text] or ([] if wanted else ["no basis"])


def has_items(text: str, data: dict[str, Any], lang: str) -> list[str]:
    return [i for a in _activities(data) for i in a["items"] if i not in text]


def has_recipients(text: str, data: dict[str, Any], lang: str) -> list[str]:
    return [r["name"] for r in data["recipients"] if flat(r["name"]) not in text]


def has_retention(text: str, data: dict[str, Any], lang: str) -> list[str]:
    return [a["retention"] for a in _activities(data) if flat(a["retention"]) not in text]


def has_rights(text: str, data: dict[str, Any], lang: str) -> list[str]:
    word = "artikel" if lang == "sv" else "Article"
    return [n for n in ("16", "17", "18", "21") if f"({word} {n})" not in text]


def has_complaint(text: str, data: dict[str, Any], lang: str) -> list[str]:
    wanted = ["(IMY)", "Box 8114", "104 20", "imy@imy.se", "https://www.imy.se"]
    return [w for w in wanted if w not in text]


def has_sources(text: str, data: dict[str, Any], lang: str) -> list[str]:
    wanted = [flat(s["source"]) for a in _activities(data) for s in a["sources"]]
    missing = [w for w in wanted if w not in text]
    per_item = [s for a in _activities(data) for s in a["sources"] if s["items"]]
    return missing + ([] if per_item else ["no source names its items"])


def has_decisions(text: str, data: dict[str, Any], lang: str) -> list[str]:
    none = {
        "sv": "Vi fattar inga beslut om dig som enbart grundas på automatiserad behandling",
        "en": "We make no decisions about you based solely on automated processing",
    }[lang]
    wanted = [HEADINGS[lang]["decisions"], none, "22"]
    return [w for w in wanted if w not in text]


def has_safeguards(text: str, data: dict[str, Any], lang: str) -> list[str]:
    outside = [r for r in data["recipients"] if r["third_country"]]
    missing = [r["name"] for r in outside if not r["safeguard"] or flat(r["safeguard"]) not in text]
    cite = "artikel 15.2" if lang == "sv" else "Article 15(2)"
    return (
        missing
        + ([] if outside else ["no transfer in the demo"])
        + ([] if cite in text else [cite])
    )


def has_copy(text: str, data: dict[str, Any], lang: str) -> list[str]:
    """Every value of every column of every row found: 15(3) is a copy of the data."""
    missing = []
    for system in data["systems"]:
        for table in system["tables"]:
            for row in table["rows"]:
                for f in row["fields"]:
                    value = f["value"]
                    if value is not None and flat(str(value)) not in text:
                        missing.append(f"{table['name']}.{f['name']}")
    return missing


def has_other_data(text: str, data: dict[str, Any], lang: str) -> list[str]:
    undeclared = [
        f
        for s in data["systems"]
        for t in s["tables"]
        for r in t["rows"]
        for f in r["fields"]
        if not f["declared"]
    ]
    return [] if undeclared else ["no undeclared column was read"]


def has_processor(text: str, data: dict[str, Any], lang: str) -> list[str]:
    held = {t["held_by"] for s in data["systems"] for t in s["tables"] if t["held_by"]}
    names = {r["key"]: r["name"] for r in data["recipients"]}
    term = "personuppgiftsbiträde" if lang == "sv" else "processor"
    wanted = [f"{names[k]}, {'vårt' if lang == 'sv' else 'our'} {term}" for k in held]
    return [w for w in wanted if w not in text] or ([] if held else ["no processor"])


ELEMENTS: list[Any] = [
    pytest.param(has_copy, id="15-3-copy-of-every-value"),
    pytest.param(has_other_data, id="15-3-undeclared-columns"),
    pytest.param(has_purposes, id="15-1-a-purposes"),
    pytest.param(has_bases, id="15-1-a-legal-bases"),
    pytest.param(has_items, id="15-1-b-categories"),
    pytest.param(has_recipients, id="15-1-c-recipients"),
    pytest.param(has_processor, id="15-1-c-processors-holding-data"),
    pytest.param(has_retention, id="15-1-d-retention"),
    pytest.param(has_rights, id="15-1-e-rights"),
    pytest.param(has_complaint, id="15-1-f-complaint"),
    pytest.param(has_sources, id="15-1-g-sources-per-item"),
    pytest.param(has_decisions, id="15-1-h-automated-decisions"),
    pytest.param(has_safeguards, id="15-2-transfer-safeguards"),
]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("element", ELEMENTS)
def test_every_article_15_element_is_in_the_demo_extract(
    extracts: dict[str, tuple[str, dict[str, Any], Path]],
    element: Callable[[str, dict[str, Any], str], list[str]],
    lang: str,
) -> None:
    text, data, _ = extracts[lang]
    assert element(letter(text, lang), data, lang) == []


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_technical_names_only_in_the_appendix(
    extracts: dict[str, tuple[str, dict[str, Any], Path]], lang: str
) -> None:
    text, data, _ = extracts[lang]
    names = {
        name
        for s in data["systems"]
        for t in s["tables"]
        for name in [t["name"], *(f["name"] for r in t["rows"] for f in r["fields"])]
        if "_" in name  # plain words (name, email, invoices) are also ordinary words
    }
    assert names
    body = letter(text, lang)
    assert [n for n in sorted(names) if re.search(rf"(?<![\w@.]){n}(?![\w@.])", body)] == []
    appendix = flat(text).split(HEADINGS[lang]["appendix"])[1]
    assert [n for n in sorted(names) if n not in appendix] == []


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_each_activity_is_described_once(
    extracts: dict[str, tuple[str, dict[str, Any], Path]], lang: str
) -> None:
    text, data, _ = extracts[lang]
    purpose = "Ändamål:" if lang == "sv" else "Purpose:"
    assert flat(text).count(purpose) == len(data["activities"]) >= 3


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_rows_past_their_retention_are_flagged(
    extracts: dict[str, tuple[str, dict[str, Any], Path]], lang: str
) -> None:
    text, data, _ = extracts[lang]
    overdue = {(o["system"], o["table"]): o["rows"] for o in data["overdue_rows"]}
    assert overdue.get(("support", "tickets"), 0) >= 1
    note = {"sv": "borde redan ha raderats", "en": "should already have been erased"}[lang]
    assert flat(text).count(note) == len(overdue)


def test_overdue_rows_are_reported_to_the_dpo_without_personal_data(
    extracts: dict[str, tuple[str, dict[str, Any], Path]],
) -> None:
    exported, person, _ = extracts["audit"]
    events = [json.loads(line) for line in exported.splitlines() if line.strip()]
    findings = [e for e in events if e["action"] == "retention.overdue_found"]
    assert len(findings) >= 2  # one per system, for each of the two extracts
    assert any(f["target"] == "support" for f in findings)
    assert all(f["details"]["overdue_rows"] for f in findings)
    assert person["email"] not in exported


def test_field_labels_come_from_the_register(
    extracts: dict[str, tuple[str, dict[str, Any], Path]],
) -> None:
    """A ``label`` on a field or on an undeclared column is what the person reads; a field
    without one shows its category's label."""
    _, data, folder = extracts["en"]
    register = load_register(folder / "varna.yaml")
    invoices = register.table("billing", "invoices")
    shown = {
        f["name"]: f["label"]
        for s in data["systems"]
        for t in s["tables"]
        if t["name"] == "invoices"
        for r in t["rows"]
        for f in r["fields"]
    }
    assert shown["net_sek"] == invoices.fields["net_sek"].label.en  # type: ignore[union-attr]
    assert shown["invoice_date"] == invoices.labels["invoice_date"].en
    assert shown["billing_name"] == register.category("identity.name").label.en
