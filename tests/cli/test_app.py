"""The CLI shell: commands exist, errors become exit codes without tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from varna import __version__
from varna.cli.app import app

runner = CliRunner()
VALID = Path(__file__).resolve().parents[1] / "data" / "registers" / "valid" / "minimal.yaml"


def test_version() -> None:
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0
    assert result.output.strip() == __version__


@pytest.mark.parametrize(
    ("args", "code"),
    [
        pytest.param(["register", "check", str(VALID)], 0, id="valid-register"),
        pytest.param(["register", "check", "does-not-exist.yaml"], 1, id="missing-file"),
        pytest.param(["register", "check", str(VALID), "--on", "31-12-2026"], 2, id="bad-date"),
    ],
)
def test_register_check_exit_codes(args: list[str], code: int) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    # the runner catches exceptions, so a crash never prints a traceback here: exit code 1 is
    # a clean error only when what ended the command was SystemExit (or nothing at all)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def test_register_defaults_to_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VARNA_REGISTER", str(VALID))
    result = runner.invoke(app, ["register", "check"])
    assert result.exit_code == 0, result.output


def test_missing_default_register_says_how_to_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VARNA_REGISTER", raising=False)
    result = runner.invoke(app, ["register", "check"])
    assert result.exit_code == 1
    assert "varna.yaml" in result.output
    assert "VARNA_REGISTER" in result.output
