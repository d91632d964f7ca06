"""Restriction (Art. 18) and objection to direct marketing (Art. 21) on the demo company, through
the CLI as a DPO runs them: plan, --execute, re-run, lift; and screening a list afterwards."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from varna.cli.app import app
from varna.core import Varna
from varna.settings import Settings

runner = CliRunner()
AT = "2026-11-23"


@pytest.fixture
def demo(demo_company: Callable[[int], Path]) -> Path:
    return demo_company(60)


def query(demo: Path, system: str, sql: str, *args: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(demo / "data" / f"{system}.db") as conn:
        return list(conn.execute(sql, args))


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def a_customer(demo: Path) -> str:
    rows = query(demo, "crm", "SELECT email FROM customers WHERE email IS NOT NULL ORDER BY id")
    return str(rows[0][0])


def restricted_flag(demo: Path, email: str) -> object:
    return query(demo, "crm", "SELECT restricted FROM customers WHERE email = ?", email)[0][0]


def test_restrict_plans_then_marks_and_pins(demo: Path) -> None:
    email = a_customer(demo)
    dry = json.loads(run("dsr", "restrict", "-i", f"email={email}", "--at", AT, "-f", "json"))
    assert dry["executed"] is False
    assert dry["plan"]["tables"]["crm:customers"] == {"rows": 1, "marks": 1}
    assert restricted_flag(demo, email) == 0
    done = json.loads(
        run("dsr", "restrict", "-i", f"email={email}", "--at", AT, "--execute", "-f", "json")
    )
    assert done["columns_written"] == {"crm": 1}
    assert restricted_flag(demo, email) == 1
    pinned = sum(n["rows"] for n in dry["plan"]["tables"].values())
    assert done["restriction"]["rows"] == pinned
    assert done["restriction"]["article"] == "Art. 18(1)(a)"
    rows = Varna(Settings()).ledger.pinned_rows()
    assert sum(len(keys) for keys in rows.values()) == pinned
    again = json.loads(
        run("dsr", "restrict", "-i", f"email={email}", "--at", AT, "--execute", "-f", "json")
    )
    assert again["columns_written"] == {}
    assert again["restriction"]["id"] == done["restriction"]["id"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("sv", ["Begränsning", "artikel 18", "Integritetsskyddsmyndigheten"]),
        ("en", ["restriction", "Article 18", "Authority for Privacy Protection"]),
    ],
)
def test_restrict_writes_the_receipt_for_the_person(
    demo: Path, tmp_path: Path, lang: str, expected: list[str]
) -> None:
    """``--receipt`` with --execute writes the Art. 18 receipt (the ground, the complaint route);
    an existing file is refused before anything is recorded."""
    import subprocess

    email = a_customer(demo)
    target = tmp_path / f"restriction-{lang}.pdf"
    target.write_bytes(b"old")
    args = ["dsr", "restrict", "-i", f"email={email}", "--at", AT, "--execute"]
    refused = runner.invoke(app, [*args, "--receipt", str(target), "--lang", lang])
    assert refused.exit_code != 0
    assert restricted_flag(demo, email) == 0  # nothing recorded
    out = json.loads(run(*args, "--receipt", str(target), "--lang", lang, "--force", "-f", "json"))
    assert out["receipt"] == str(target)
    assert restricted_flag(demo, email) == 1
    text = subprocess.run(
        ["pdftotext", str(target), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    for phrase in expected:
        assert phrase.lower() in flat.lower(), phrase
    assert email not in flat


def test_lift_needs_a_reason_and_clears_the_column(demo: Path) -> None:
    email = a_customer(demo)
    run("dsr", "restrict", "-i", f"email={email}", "--at", AT, "--execute")
    refused = runner.invoke(app, ["dsr", "restrict", "-i", f"email={email}", "--lift", "--execute"])
    assert (refused.exit_code, type(refused.exception)) == (1, SystemExit), refused.exception
    assert "--reason" in refused.output
    out = run(
        "dsr",
        "restrict",
        "-i",
        f"email={email}",
        "--lift",
        "--reason",
        "accuracy checked",
        "--at",
        "2026-11-30",
        "--execute",
    )
    assert "lifted" in out
    assert restricted_flag(demo, email) == 0
    assert Varna(Settings()).ledger.pinned_rows() == {}


def a_subscriber(demo: Path) -> str:
    return str(query(demo, "marketing", "SELECT email FROM newsletter_signups ORDER BY id")[0][0])


def test_objection_suppresses_and_leaves_the_newsletter_only(demo: Path, tmp_path: Path) -> None:
    email = a_subscriber(demo)
    count = "SELECT count(*) FROM newsletter_signups WHERE email = ?"
    before = {
        s: query(demo, s, f"SELECT count(*) FROM {t}")[0][0]
        for s, t in [
            ("crm", "customers"),
            ("billing", "invoices"),
            ("marketing", "newsletter_signups"),
        ]
    }
    plan = run("dsr", "object", "-i", f"email={email}", "--at", AT)
    assert "dry run" in plan
    assert query(demo, "marketing", count, email)[0][0] == 1
    done = json.loads(
        run("dsr", "object", "-i", f"email={email}", "--at", AT, "--execute", "-f", "json")
    )
    assert done["suppressed_new"] >= 1
    assert query(demo, "marketing", count, email)[0][0] == 0
    after = {
        s: query(demo, s, f"SELECT count(*) FROM {t}")[0][0]
        for s, t in [
            ("crm", "customers"),
            ("billing", "invoices"),
            ("marketing", "newsletter_signups"),
        ]
    }
    assert after == {**before, "marketing": before["marketing"] - 1}
    again = json.loads(
        run("dsr", "object", "-i", f"email={email}", "--at", AT, "--execute", "-f", "json")
    )
    assert again["suppressed_new"] == 0
    assert again["receipts"] == []
    # a later import of a list holding the person (spelt differently) does not add them back
    source = tmp_path / "import.csv"
    source.write_text(f"namn;e-post\nX;{email.upper()}\nY;ny.person@example.se\n", "utf-8")
    screened = tmp_path / "screened.csv"
    out = run(
        "marketing",
        "screen",
        str(source),
        "-c",
        "email=e-post",
        "--delimiter",
        ";",
        "-o",
        str(screened),
    )
    assert "1 row(s) kept, 1 dropped as objected" in out
    assert screened.read_text("utf-8").splitlines() == ["namn;e-post", "Y;ny.person@example.se"]
    assert "audit log OK" in run("audit", "verify")


def test_screen_drops_restricted_people_too(demo: Path, tmp_path: Path) -> None:
    email = a_customer(demo)
    run("dsr", "restrict", "-i", f"email={email}", "--at", AT, "--execute")
    source = tmp_path / "export.csv"
    source.write_text(f"email\n{email}\nannan@example.se\n", "utf-8")
    result = runner.invoke(app, ["marketing", "screen", str(source), "-c", "email=email"])
    assert result.exit_code == 0, result.output
    assert "1 dropped as restricted" in result.output
    assert email not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-c", "email"], "KIND=COLUMN"),
        (["-c", "email=saknas"], "no column 'saknas'"),
    ],
    ids=["bad-spec", "missing-column"],
)
def test_screen_refuses_bad_columns(
    demo: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    source = tmp_path / "list.csv"
    source.write_text("email\nx@example.se\n", "utf-8")
    result = runner.invoke(app, ["marketing", "screen", str(source), *args])
    assert (result.exit_code, type(result.exception)) == (1, SystemExit), result.exception
    assert message in result.output
