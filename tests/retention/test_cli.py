"""``varna retention``: plan (text and JSON), run with and without --execute, reviews."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dsr.chinook import REGISTER, load_chinook
from varna.cli.app import app

from .small import REGISTER as SMALL

runner = CliRunner()


@pytest.fixture
def chinook_register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Chinook in SQLite beside a copy of the register; state and audit key in a temp home."""
    register = tmp_path / "chinook.yaml"
    shutil.copy(REGISTER, register)
    url = f"sqlite:///{tmp_path / 'chinook.db'}"
    load_chinook(url)
    monkeypatch.setenv("VARNA_CHINOOK_URL", url)
    monkeypatch.setenv("VARNA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("VARNA_AUDIT_KEY", "test-audit-key-0123456789abcdef")
    return register


def test_plan_reads_as_a_report(chinook_register: Path) -> None:
    args = ["retention", "plan", "--at", "2030-06-30", "-r", str(chinook_register)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Retention plan for Chinook Musik AB as of 2030-06-30" in result.output
    assert "Invoice: 166 of 412 rows expire -> delete rows" in result.output
    assert "Bokföringslagen (1999:1078) 7 kap. 2 §" in result.output
    assert "Reviewed and approved" in result.output


def test_plan_as_json(chinook_register: Path) -> None:
    args = ["retention", "plan", "--at", "2030-06-30", "-f", "json", "-r", str(chinook_register)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    tables = {t["table"]: t for t in json.loads(result.output)["tables"]}
    assert tables["Invoice"]["expiring_rows"] == 166
    assert tables["Invoice"]["example_primary_keys"] == [[1], [2], [3]]


def test_run_plans_only_then_executes_once_and_is_audited(chinook_register: Path) -> None:
    base = ["retention", "run", "--at", "2030-06-30", "-r", str(chinook_register)]
    dry = runner.invoke(app, base)
    assert dry.exit_code == 0, dry.output
    assert "Planned only" in dry.output
    done = runner.invoke(app, [*base, "--execute"])
    assert done.exit_code == 0, done.output
    assert "store.Invoice: 166 rows (delete_row)" in done.output
    again = runner.invoke(app, [*base, "--execute"])
    assert "retention run done: 0 rows" in again.output
    reports = sorted(p.name for p in (chinook_register.parent / "reports").iterdir())
    assert len(reports) == 4
    verify = runner.invoke(app, ["audit", "verify"])
    assert verify.exit_code == 0, verify.output
    # An intent and an outcome per committed batch (InvoiceLine, Invoice) and one closing
    # event per run.
    assert "6 entries verified" in verify.output


def test_reviews(tmp_path: Path) -> None:
    register = tmp_path / "small.yaml"
    register.write_text(SMALL, encoding="utf-8")
    result = runner.invoke(app, ["retention", "reviews", "--at", "2030-06-30", "-r", str(register)])
    assert result.exit_code == 0, result.output
    assert "2030-07-01  support (Support), every 1 month: shop.tickets" in result.output


def test_unreachable_database_is_a_clean_error(
    chinook_register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VARNA_CHINOOK_URL", "sqlite:////nonexistent/dir/chinook.db")
    result = runner.invoke(app, ["retention", "plan", "-r", str(chinook_register)])
    assert result.exit_code == 4, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # an error, not a crash
