"""``varna register check``: exit 0 on a clean register, 1 with ``file:line`` and the fix on an
invalid one; ``--format json`` gives findings and a summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from varna.cli.app import app

from .registers import DATA, MINIMAL, dump, patched

MISSPELT = DATA / "invalid" / "misspelt_category.yaml"
KEYS = {
    "rule",
    "severity",
    "location",
    "message",
    "citation",
    "hint",
    "file",
    "line",
    "key_path",
    "system",
    "table",
    "column",
}


def _run(*args: str):
    return CliRunner().invoke(app, ["register", "check", "--offline", "--on", "2026-11-22", *args])


def _write(tmp_path: Path, overrides) -> Path:
    file = tmp_path / "register.yaml"
    file.write_text(dump(patched(overrides)), encoding="utf-8")
    return file


def test_clean_register_exits_0():
    result = _run(str(MINIMAL))
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s), 0 note(s)" in result.stdout


def test_invalid_register_exits_1_with_file_line_and_suggestion():
    result = _run(str(MISSPELT))
    assert result.exit_code == 1
    out = " ".join(result.stdout.split())  # rich may wrap long lines
    assert f"{MISSPELT}:27 systems.crm.tables.customers.fields.email.category" in out
    assert "unknown category 'contact.mail'" in out
    assert "did you mean 'contact.email'?" in out
    assert isinstance(result.exception, SystemExit), result.exception  # an error, not a crash


def test_missing_file_exits_1():
    result = _run(str(DATA / "no-such-register.yaml"))
    assert result.exit_code == 1
    assert "file not found" in result.output


def test_warnings_alone_exit_0(tmp_path):
    file = _write(tmp_path, {"security.measures": []})
    result = _run(str(file))
    assert result.exit_code == 0, result.output
    assert "security-measures" in result.stdout
    assert "0 error(s), 1 warning(s)" in result.stdout


def test_an_error_finding_exits_1(tmp_path):
    file = _write(tmp_path, {"activities.customer_contract.legal_bases": []})
    result = _run(str(file))
    assert result.exit_code == 1
    assert "no-legal-basis" in result.stdout
    assert "GDPR Art. 6(1)" in result.stdout


def test_check_date_changes_the_verdict(tmp_path):
    file = _write(
        tmp_path,
        {
            "recipients": {
                "cloud": {
                    "name": {"sv": "Moln"},
                    "kind": "third_party",
                    "purpose": {"sv": "Lagring"},
                    "country": "US",
                    "transfer": {"mechanism": "privacy_shield"},
                }
            }
        },
    )
    before = CliRunner().invoke(app, ["register", "check", "--on", "2019-06-01", str(file)])
    after = _run(str(file))
    assert before.exit_code == 0, before.output
    assert after.exit_code == 1
    assert "C-311/18" in after.stdout


@pytest.mark.parametrize(
    ("file", "code", "errors"),
    [
        pytest.param(MINIMAL, 0, 0, id="clean"),
        pytest.param(MISSPELT, 1, 1, id="invalid"),
    ],
)
def test_json_output(file, code, errors):
    result = _run("--format", "json", str(file))
    assert result.exit_code == code
    payload = json.loads(result.stdout)
    assert set(payload) == {"findings", "summary"}
    assert payload["summary"] == {"error": errors, "warning": 0, "info": 0}
    assert len(payload["findings"]) == errors
    for finding in payload["findings"]:
        assert set(finding) == KEYS


def test_json_output_of_load_problems():
    payload = json.loads(_run("--format", "json", str(MISSPELT)).stdout)
    (finding,) = payload["findings"]
    assert finding == {
        "rule": "unresolved-reference",
        "severity": "error",
        "location": f"{MISSPELT}:27 systems.crm.tables.customers.fields.email.category",
        "message": "unknown category 'contact.mail'",
        "citation": None,
        "hint": "did you mean 'contact.email'?",
        "file": str(MISSPELT),
        "line": 27,
        "key_path": "systems.crm.tables.customers.fields.email.category",
        "system": "crm",
        "table": "customers",
        "column": "email",
    }


def test_json_output_of_findings(tmp_path):
    file = _write(tmp_path, {"security.measures": []})
    payload = json.loads(_run("--format", "json", str(file)).stdout)
    (finding,) = payload["findings"]
    assert finding["rule"] == "security-measures"
    assert finding["severity"] == "warning"
    assert finding["citation"] == "GDPR Art. 30(1)(g), Art. 32(1)"
    assert finding["location"].startswith(f"{file}:")
    assert payload["summary"] == {"error": 0, "warning": 1, "info": 0}


def test_bad_date_option_is_a_usage_error():
    result = CliRunner().invoke(app, ["register", "check", "--on", "22/11/2026", str(MINIMAL)])
    assert result.exit_code == 2
