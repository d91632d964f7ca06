"""``varna consent`` and ``varna marketing screen --purpose`` as a DPO runs them on the demo
company: grant, status as of a day, withdraw (plan, then --execute), history, screening."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from varna.cli.app import app
from varna.core.consent_ops import notice_hash

runner = CliRunner()
NOTICE = notice_hash("Ja, jag vill få nyhetsbrevet per e-post.", "1")


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def demo(demo_company: Callable[[int], Path]) -> Path:
    return demo_company(30)


def subscriber(demo: Path) -> str:
    with sqlite3.connect(demo / "data" / "marketing.db") as conn:
        return str(conn.execute("SELECT email FROM newsletter_signups ORDER BY id").fetchone()[0])


def signups(demo: Path, email: str) -> int:
    with sqlite3.connect(demo / "data" / "marketing.db") as conn:
        sql = "SELECT count(*) FROM newsletter_signups WHERE lower(email) = lower(?)"
        return int(conn.execute(sql, (email,)).fetchone()[0])


def test_a_dpo_records_withdraws_and_proves_consent(demo: Path, tmp_path: Path) -> None:
    email = subscriber(demo)
    who = ["-i", f"email={email}", "-p", "newsletter_email"]
    assert "consent recorded as ce_" in run("consent", "grant", *who, "--notice", NOTICE)
    before = json.loads(run("consent", "status", *who, "--at", "2000-01-01", "-f", "json"))
    assert before[0]["state"] == "never_asked"
    now = json.loads(run("consent", "status", *who, "-f", "json"))
    assert (now[0]["current"], now[0]["notice"]) == (True, NOTICE)

    link = run("consent", "link", *who, "--lang", "en").strip()
    assert link.startswith("http://127.0.0.1:8000/en/consent/withdraw/")
    assert email.split("@")[0].lower() not in link.lower()

    plan = run("consent", "withdraw", *who)
    assert "marketing:newsletter_signups: 1 row(s)" in plan
    assert "dry run" in plan
    assert signups(demo, email) == 1
    done = run("consent", "withdraw", *who, "--execute")
    assert "recorded as ce_" in done
    assert "2 recipient(s) of the erased data told (GDPR Art. 19)" in done
    assert signups(demo, email) == 0

    history = json.loads(run("consent", "history", "-i", f"email={email}", "-f", "json"))
    assert [(h["granted"], h["channel"]) for h in history] == [(True, "form"), (False, "form")]
    assert email not in json.dumps(history)
    assert "withdrawn via form" in run("consent", "history", "-i", f"email={email}")

    source = tmp_path / "list.csv"
    source.write_text(f"e-post\n{email}\nny@example.se\n", "utf-8")
    out = run(
        "marketing", "screen", str(source), "-c", "email=e-post", "--purpose", "newsletter_email"
    )
    assert "1 dropped as objected" in out
    assert "1 dropped without a current consent to newsletter_email" in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(["-p", "horoscopes"], 1, "not a consent purpose", id="unknown-purpose"),
        pytest.param(["-p", "newsletter_email", "--at", "yesterday"], 2, "not a time", id="bad-at"),
    ],
)
def test_bad_input_is_a_clear_error(demo: Path, args: list[str], code: int, message: str) -> None:
    out = run("consent", "status", "-i", "email=anna@example.se", *args, code=code)
    assert message in out
    assert "Traceback" not in out
