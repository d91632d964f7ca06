"""The erasure, rectification and restriction receipts, read as IMY would: the complaint route
(Art. 12(4)), the recipients told (Art. 19), "pseudonymised" where a key or hash remains, no
identity kind and no table name in the body (appendix only), and counts that add up."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from varna.connectors.registry import open_connectors
from varna.documents import receipt_document, rectification_document, restriction_document
from varna.documents.frame import authority_info
from varna.documents.receipts import erasure_recipients, restriction_recipients
from varna.dsr.context import controller_info
from varna.dsr.erasure import ErasurePlan, Fate, KeptReason, RowErasure
from varna.dsr.executor import ErasureOutcome, erase
from varna.dsr.identity import Identity
from varna.dsr.planner import RequestKind, plan_request
from varna.dsr.rectification import rectify
from varna.dsr.restriction import plan_restriction
from varna.dsr.traversal import collect_rows
from varna.register import load_register
from varna.register.model import Register
from varna.render.plaintext import to_text
from varna.state.restrictions import Ground

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
APPENDIX = {"sv": "Bilaga: tekniska uppgifter", "en": "Appendix: technical details"}


@dataclass
class Demo:
    register: Register
    folder: Path
    email: str


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    from varna.demo.builder import build_demo

    built = build_demo(tmp_path_factory.mktemp("receipts"), subjects=60)
    with sqlite3.connect(built.directory / "data" / "billing.db") as billing:
        (number,) = billing.execute(
            "SELECT customer_no FROM invoices GROUP BY customer_no "
            "ORDER BY count(*) DESC, customer_no LIMIT 1"
        ).fetchone()
    with sqlite3.connect(built.directory / "data" / "crm.db") as crm:
        (email,) = crm.execute(
            "SELECT email FROM customers WHERE customer_no = ?", (number,)
        ).fetchone()
    return Demo(load_register(built.register_path), built.directory, str(email))


@pytest.fixture(scope="module")
def erased(demo: Demo) -> Iterator[ErasureOutcome]:
    connectors = open_connectors(demo.register, base_dir=demo.folder, environ=os.environ)
    try:
        yield erase(
            demo.register,
            [Identity("email", demo.email)],
            connectors,
            now=NOW,
            hash_key=b"k" * 32,
            execute=True,
        )
    finally:
        for connector in connectors.values():
            connector.close()


def erasure_text(demo: Demo, outcome: ErasureOutcome, lang: str) -> str:
    reg = demo.register
    doc = receipt_document(
        outcome.plan,
        outcome.receipts,
        controller=controller_info(reg),
        system_names={k: s.name.get(lang) for k, s in reg.systems.items()},
        lang=lang,
        at=NOW,
        complaint=authority_info(reg.controller.supervisory_authority, lang),
        register=reg,
    )
    return " ".join(to_text(doc).split())


def body(text: str, lang: str) -> str:
    return text.split(APPENDIX[lang])[0]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_erasure_receipt_names_the_complaint_route(
    demo: Demo, erased: ErasureOutcome, lang: str
) -> None:
    text = body(erasure_text(demo, erased, lang), lang)
    for expected in ["(IMY)", "Box 8114", "104 20", "imy@imy.se"]:
        assert expected in text


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_erasure_receipt_names_the_recipients_told(
    demo: Demo, erased: ErasureOutcome, lang: str
) -> None:
    told = erasure_recipients(demo.register, erased.plan, lang)
    assert told, "the demo customer's data went to recipients"
    names = {r.name.get(lang) for r in demo.register.recipients.values()}
    assert set(told) <= names
    text = body(erasure_text(demo, erased, lang), lang)
    lead = {"sv": "(artikel 19): ", "en": "(Article 19): "}[lang]
    assert lead + ", ".join(told) in text


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_rows_with_a_key_left_are_called_pseudonymised(
    demo: Demo, erased: ErasureOutcome, lang: str
) -> None:
    text = erasure_text(demo, erased, lang)
    assert any(r.updated for r in erased.receipts)
    word = {"sv": "seudonymiserade", "en": "seudonymised"}[lang]
    wrong = {"sv": "anonymiserade", "en": "anonymised"}[lang]
    assert word in text
    assert wrong not in text.lower()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_identity_kind_and_no_table_name_in_the_body(
    demo: Demo, erased: ErasureOutcome, lang: str
) -> None:
    text = erasure_text(demo, erased, lang)
    tables = {r.table for r in erased.plan.rows}
    found = [n for n in sorted({"email", *tables}) if re.search(rf"\b{n}\b", body(text, lang))]
    assert found == []
    appendix = text.split(APPENDIX[lang])[1]
    assert all(t in appendix for t in tables)
    assert {"sv": "E-postadress", "en": "E-mail address"}[lang] in appendix


def test_the_erasure_receipt_counts_add_up(demo: Demo, erased: ErasureOutcome) -> None:
    """Per system, the rows the text accounts for (kept by law, then every other row not deleted
    with its reason) are the rows the table counts as pseudonymised or kept."""
    text = erasure_text(demo, erased, "en")
    names = {k: s.name.get("en") for k, s in demo.register.systems.items()}
    checked = 0
    for receipt in erased.receipts:
        rows = [r for r in erased.plan.rows_for(receipt.system) if r.fate is not Fate.delete]
        if not rows:
            continue
        name = re.escape(names[receipt.system])
        held = sum(int(n) for n in re.findall(rf"{name}: (\d+) rows? kept", text))
        told = sum(int(n) for n in re.findall(rf"{name}: (\d+) (?:more )?(?:row|record)", text))
        assert held == sum(1 for r in rows if r.holds)
        assert told == len(rows) == receipt.updated + receipt.kept
        checked += 1
    assert checked  # the demo customer has rows that stay


def _row(reason: KeptReason, *, changes: bool = False, shared: int = 0) -> RowErasure:
    return RowErasure(
        "crm",
        "customers",
        {"id": 1},
        Fate.anonymise if changes else Fate.keep,
        changes={"name": None} if changes else {},
        kept_reason=reason,
        shared_with=shared,
    )


REASONS = [
    (KeptReason.not_theirs, {}, "not about you", "inte om dig"),
    (KeptReason.shared, {"shared": 3}, "3 other records refer", "3 andra poster hänvisar"),
    (KeptReason.weak_identity, {}, "many people share", "som många delar"),
    (KeptReason.processor, {}, "on behalf of another organisation", "för en annan organisations"),
    (KeptReason.detached, {"changes": True}, "no longer linked to you", "inte längre kopplad"),
    (KeptReason.already_erased, {}, "already been erased", "redan raderats"),
    (KeptReason.referenced, {"changes": True}, "kept by no law", "sparas inte enligt"),
]


@pytest.mark.parametrize(("reason", "kw", "en", "sv"), REASONS, ids=[r[0].value for r in REASONS])
def test_every_kept_reason_is_said_to_the_person(
    demo: Demo, reason: KeptReason, kw: dict[str, int], en: str, sv: str
) -> None:
    """Each reason a row stays for has its own sentence in both languages, under "other rows not
    deleted", counting the row once."""
    plan = ErasurePlan(NOW, "rq_test", (Identity("email", "a@example.se"),), (_row(reason, **kw),))
    for lang, expected in (("en", en), ("sv", sv)):
        reg = demo.register
        doc = receipt_document(
            plan,
            [],
            controller=controller_info(reg),
            system_names={"crm": "Kundregistret"},
            lang=lang,
            at=NOW,
            complaint=authority_info(reg.controller.supervisory_authority, lang),
            register=reg,
        )
        text = " ".join(to_text(doc).split())
        assert expected in text, text
        assert re.search(r"Kundregistret: (ytterligare )?1 (more )?\w", text), text


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_rectification_receipt_reads_without_technical_names(demo: Demo, lang: str) -> None:
    reg = demo.register
    with sqlite3.connect(demo.folder / "data" / "crm.db") as crm:
        (number,) = crm.execute(
            "SELECT customer_no FROM customers WHERE email <> ? ORDER BY id LIMIT 1 OFFSET ?",
            (demo.email, ["sv", "en"].index(lang)),  # one customer per language: both change
        ).fetchone()
    connectors = open_connectors(reg, base_dir=demo.folder, environ=os.environ)
    try:
        plan, _ = rectify(
            reg,
            [Identity("customer_number", number)],
            connectors,
            {"crm:customers.city": "Uppsala"},
            now=NOW,
            execute=True,
        )
    finally:
        for connector in connectors.values():
            connector.close()
    doc = rectification_document(
        plan,
        notified=[],
        controller=controller_info(reg),
        system_names={k: s.name.get(lang) for k, s in reg.systems.items()},
        recipient_names={k: r.name.get(lang) for k, r in reg.recipients.items()},
        lang=lang,
        at=NOW,
        register=reg,
    )
    text = " ".join(to_text(doc).split())
    label = reg.table("crm", "customers").fields["city"].label
    assert label is not None
    assert label.get(lang) in body(text, lang)
    for technical in ("customers", "city", "customer_number"):
        assert not re.search(rf"\b{technical}\b", body(text, lang)), technical
    assert "customers" in text.split(APPENDIX[lang])[1]
    assert "(IMY)" in body(text, lang)


@pytest.mark.parametrize(
    ("lang", "ground", "expected"),
    [
        pytest.param(
            "sv",
            Ground.accuracy_contested,
            [
                "Kvitto på begränsning",
                "du bestrider att uppgifterna är riktiga",
                "artikel 18.1 a",
                "artikel 18.2",
                "artikel 18.3",
                "(artikel 19)",
            ],
            id="sv-accuracy",
        ),
        pytest.param(
            "en",
            Ground.legal_claims,
            [
                "Restriction receipt",
                "you need it for legal claims",
                "Article 18(1)(c)",
                "Article 18(2)",
                "Article 18(3)",
                "(Article 19)",
            ],
            id="en-legal-claims",
        ),
    ],
)
def test_the_restriction_receipt(
    demo: Demo, lang: str, ground: Ground, expected: list[str]
) -> None:
    reg = demo.register
    with sqlite3.connect(demo.folder / "data" / "crm.db") as crm:
        (email,) = crm.execute(
            "SELECT email FROM customers WHERE email <> ? ORDER BY id LIMIT 1 OFFSET 5",
            (demo.email,),
        ).fetchone()
    ids = [Identity("email", email)]
    connectors = open_connectors(reg, base_dir=demo.folder, environ=os.environ)
    try:
        request = plan_request(reg, ids, kind=RequestKind.restriction)
        found = collect_rows(request, connectors, today=NOW.date())
    finally:
        for connector in connectors.values():
            connector.close()
    plan = plan_restriction(reg, found, now=NOW)
    assert plan.pinned
    doc = restriction_document(
        plan,
        ground=ground,
        controller=controller_info(reg),
        system_names={k: s.name.get(lang) for k, s in reg.systems.items()},
        lang=lang,
        at=NOW,
        register=reg,
    )
    text = " ".join(to_text(doc).split())
    letter = body(text, lang)
    for words in [*expected, "(IMY)", "Box 8114"]:
        assert words in letter, words
    assert restriction_recipients(reg, plan, lang)
    tables = {r.table for r in plan.pinned}
    assert [t for t in sorted(tables) if re.search(rf"\b{t}\b", letter)] == []
    names = {k: s.name.get(lang) for k, s in reg.systems.items()}
    counted = sum(
        int(n)
        for s in {r.system for r in plan.pinned}
        for n in re.findall(rf"{re.escape(names[s])}(?: · | +)(\d+)\b", letter)
    )
    assert counted == len(plan.pinned)
