"""``varna user add|list|disable|reset-2fa`` as an administrator runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pyotp
import pytest
from typer.testing import CliRunner

from varna.cli.app import app

runner = CliRunner()
SEED = Path(__file__).resolve().parents[2] / "src" / "varna" / "demo" / "register.yaml"
PASSWORD = "a long enough passphrase\n"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VARNA_HOME", str(tmp_path))
    monkeypatch.setenv("VARNA_AUDIT_KEY", "cli-test-audit-key-0123456789abcdef")
    monkeypatch.setenv("VARNA_REGISTER", str(SEED))
    monkeypatch.delenv("VARNA_DATABASE_URL", raising=False)
    return tmp_path


def otpauth_in(output: str) -> str:
    return next(ln for ln in output.splitlines() if ln.startswith("otpauth://"))


def test_add_prints_the_otpauth_uri_once_and_list_shows_no_secret() -> None:
    added = runner.invoke(
        app, ["user", "add", "anna", "--role", "case_handler", "--password-stdin"], input=PASSWORD
    )
    assert added.exit_code == 0, added.output
    secret = pyotp.parse_uri(otpauth_in(added.output)).secret
    listed = runner.invoke(app, ["user", "list", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    (user,) = json.loads(listed.output)
    assert user == {
        "name": "anna",
        "role": "case_handler",
        "special_categories": False,
        "two_factor": True,
        "created_at": user["created_at"],
        "disabled_at": None,
    }
    assert secret not in listed.output
    assert "argon2" not in listed.output


def test_reset_2fa_and_disable() -> None:
    runner.invoke(app, ["user", "add", "anna", "--role", "dpo", "--password-stdin"], input=PASSWORD)
    reset = runner.invoke(app, ["user", "reset-2fa", "anna"])
    assert reset.exit_code == 0, reset.output
    assert otpauth_in(reset.output)
    disabled = runner.invoke(app, ["user", "disable", "anna"])
    assert disabled.exit_code == 0, disabled.output
    assert "disabled" in runner.invoke(app, ["user", "list"]).output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["add", "anna", "--role", "auditor", "--no-2fa"], "needs a TOTP", id="no-2fa"),
        pytest.param(["add", "a b", "--role", "dpo"], "user name", id="bad-name"),
        pytest.param(["disable", "nobody"], "no user 'nobody'", id="unknown"),
        pytest.param(["reset-2fa", "nobody"], "no user 'nobody'", id="unknown-reset"),
    ],
)
def test_mistakes_are_explained(args: list[str], message: str) -> None:
    answer = runner.invoke(
        app,
        ["user", *args, "--password-stdin"] if args[0] == "add" else ["user", *args],
        input=PASSWORD,
    )
    assert answer.exit_code != 0
    assert message in answer.output
    assert "Traceback" not in answer.output
