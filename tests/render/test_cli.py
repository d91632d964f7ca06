"""``varna policy`` and ``varna ropa``: each command, its formats and its errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from varna.cli.app import app

from .registers import CHINOOK, COMPLETE, SEEDS

runner = CliRunner()


@pytest.mark.parametrize(
    ("fmt", "start"),
    [("html", b"<!doctype html>"), ("md", b"# Integritetspolicy"), ("pdf", b"%PDF")],
)
def test_policy_render_to_stdout(fmt: str, start: bytes) -> None:
    result = runner.invoke(app, ["policy", "render", "-r", str(COMPLETE), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(start)


def test_policy_render_english_to_file(tmp_path: Path) -> None:
    out = tmp_path / "policy.html"
    args = ["policy", "render", "-r", str(COMPLETE), "--lang", "en", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert '<html lang="en">' in out.read_text()


def test_policy_render_notes_what_the_register_does_not_say() -> None:
    seed_003 = next(p for p in SEEDS if p.stem.startswith("003"))  # states no legal bases
    result = runner.invoke(app, ["policy", "render", "-r", str(seed_003), "--format", "md"])
    assert result.exit_code == 0
    assert "note:" in result.stderr
    assert "no legal basis" in result.stderr


def test_policy_render_of_a_complete_register_has_no_notes() -> None:
    result = runner.invoke(app, ["policy", "render", "-r", str(CHINOOK), "--format", "md"])
    assert result.exit_code == 0
    assert "note:" not in result.stderr


def test_policy_render_missing_register_is_an_error() -> None:
    result = runner.invoke(app, ["policy", "render", "-r", "nowhere.yaml"])
    assert result.exit_code == 1
    assert "file not found" in result.output


def test_policy_diff_text_and_json() -> None:
    text = runner.invoke(app, ["policy", "diff", str(CHINOOK), str(COMPLETE)])
    assert text.exit_code == 0
    assert "material" in text.stdout
    assert "notify before it applies: email, customer_portal" in (text.stdout)
    data = json.loads(
        runner.invoke(
            app, ["policy", "diff", str(CHINOOK), str(COMPLETE), "--format", "json"]
        ).stdout
    )
    assert data["material"] is True
    assert data["notify"]["channels"] == ["email", "customer_portal"]
    same = runner.invoke(app, ["policy", "diff", str(COMPLETE), str(COMPLETE)])
    assert "No semantic changes." in same.stdout


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Varna's state and a fixed audit key in a temporary home."""
    monkeypatch.setenv("VARNA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("VARNA_AUDIT_KEY", "test-audit-key-0123456789abcdef")
    return tmp_path / "home"


def test_publish_refuses_a_register_with_errors_and_force_is_audited(
    tmp_path: Path, home: Path
) -> None:
    seed_003 = next(p for p in SEEDS if p.name.startswith("003"))
    register = tmp_path / "varna.yaml"
    shutil.copy(seed_003, register)
    args = ["policy", "publish", "-r", str(register), "--effective", "2026-03-01"]
    refused = runner.invoke(app, args)
    assert refused.exit_code != 0
    assert "no-legal-basis (5)" in refused.output
    assert "third-country-transfer (1)" in refused.output
    assert not (tmp_path / "policy-versions.jsonl").exists()
    forced = runner.invoke(app, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert "forced by cli:" in forced.output
    (line,) = (tmp_path / "policy-versions.jsonl").read_text().splitlines()
    check = json.loads(line)["check"]
    assert check["errors"] == 6
    assert check["forced_by"].startswith("cli:")
    events = runner.invoke(app, ["audit", "export", "--format", "jsonl"])
    assert "policy.publish.forced" in events.output, events.output
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0


def test_policy_publish_beside_the_register(tmp_path: Path) -> None:
    register = tmp_path / "varna.yaml"
    shutil.copy(COMPLETE, register)
    first = runner.invoke(app, ["policy", "publish", "-r", str(register)])
    assert first.exit_code == 0, first.output
    assert "Published version 2026-2 in force from 2026-03-01" in first.stdout
    lines = (tmp_path / "policy-versions.jsonl").read_text().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["version"] == "2026-2"
    again = runner.invoke(app, ["policy", "publish", "-r", str(register)])
    assert "already published" in again.stdout
    bad = runner.invoke(app, ["policy", "publish", "-r", str(register), "--effective", "1/4"])
    assert bad.exit_code == 2


@pytest.mark.parametrize(
    ("fmt", "start"),
    [
        ("xlsx", b"PK"),
        ("csv", "\ufeffArtikel;Behandling".encode()),
        ("html", b"<!doctype html>"),
        ("pdf", b"%PDF"),
    ],
)
def test_ropa_export(tmp_path: Path, fmt: str, start: bytes) -> None:
    out = tmp_path / f"ropa.{fmt}"
    args = [
        "ropa",
        "export",
        "--format",
        fmt,
        "-r",
        str(COMPLETE),
        "--out",
        str(out),
        "--on",
        "2026-03-01",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(start)
