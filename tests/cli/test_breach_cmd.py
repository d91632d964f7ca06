"""``varna breach record|list|show|assess|notify|supplement|notice|close`` as a DPO runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from varna.cli.app import app

runner = CliRunner()
SEED = Path(__file__).resolve().parents[2] / "src" / "varna" / "demo" / "register.yaml"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VARNA_HOME", str(tmp_path))
    monkeypatch.setenv("VARNA_AUDIT_KEY", "cli-test-audit-key-0123456789abcdef")
    monkeypatch.setenv("VARNA_REGISTER", str(SEED))
    monkeypatch.delenv("VARNA_DATABASE_URL", raising=False)
    monkeypatch.delenv("VARNA_SMTP_URL", raising=False)
    return tmp_path


def run(*args: str) -> str:
    done = runner.invoke(app, ["breach", *args])
    assert done.exit_code == 0, done.output
    return done.output


def test_a_breach_from_record_to_close(tmp_path: Path) -> None:
    made = json.loads(
        run(
            "record",
            "--aware-at",
            "2026-12-01T10:00+01:00",
            "--title",
            "Backup tape missing",
            "--set",
            "nature=availability,confidentiality",
            "--set",
            "data_categories=special.health",
            "--format",
            "json",
        )
    )
    ref = made["ref"]
    assert made["aware_at"].startswith("2026-12-01T09:00")
    assert made["record"]["nature"] == ["availability", "confidentiality"]
    assert ref in run("list", "--open")
    run("assess", ref, "--risk", "risk", "--reason", "health data, tape encrypted")
    late = runner.invoke(app, ["breach", "notify", ref, "--at", "2026-12-05T10:00+01:00"])
    assert late.exit_code != 0
    assert "Art. 33(1)" in late.output
    run("notify", ref, "--at", "2026-12-05T10:00+01:00", "--late-reason", "found on day four")
    run("supplement", ref, "--text", "the tape was found")
    pdf = tmp_path / "imy.pdf"
    assert "wrote imy.pdf" in run("show", ref, "--imy", "pdf", "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    html = runner.invoke(app, ["breach", "show", ref, "--imy", "html", "--lang", "sv"])
    assert "att fylla i" in html.output
    run("close", ref, "--note", "tape found")
    shown = json.loads(run("show", ref, "--format", "json"))
    assert [e["action"] for e in shown["events"]] == [
        "recorded",
        "assessed",
        "notified",
        "supplemented",
        "closed",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--set", "colour=red"], "not a field", id="unknown-field"),
        pytest.param(["--set", "systems=nowhere.at_all"], "not in the register", id="table"),
        pytest.param(["--set", "nature"], "name=value", id="no-value"),
    ],
)
def test_bad_input_is_named(args: list[str], message: str) -> None:
    done = runner.invoke(
        app, ["breach", "record", "--aware-at", "2026-12-01T10:00+01:00", "--title", "x", *args]
    )
    assert done.exit_code != 0
    assert message in done.output


def test_notices_need_a_high_risk(tmp_path: Path) -> None:
    ref = json.loads(
        run("record", "--aware-at", "2026-12-01T10:00+01:00", "--title", "x", "--format", "json")
    )["ref"]
    people = tmp_path / "people.txt"
    people.write_text("someone@example.org,en\n")
    done = runner.invoke(app, ["breach", "notice", ref, "--to", str(people)])
    assert done.exit_code != 0
    assert "high risk" in done.output
    assert "someone@example.org" not in done.output
