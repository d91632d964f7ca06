"""``varna dsr``: thin commands over the library; errors become exit codes without values."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from varna.cli.app import app

from .chinook import EMAIL, REGISTER
from .shop import SHOP_YAML

runner = CliRunner()


@pytest.fixture
def shop_file(tmp_path: Path) -> Path:
    path = tmp_path / "shop.yaml"
    path.write_text(SHOP_YAML, encoding="utf-8")
    return path


def test_plan_prints_tables_and_links(shop_file: Path) -> None:
    result = runner.invoke(
        app, ["dsr", "plan", "-i", "email=anna@example.se", "-r", str(shop_file)]
    )
    assert result.exit_code == 0, result.output
    assert "access request by email: 6 table(s) to search" in result.output
    assert "follow: false" in result.output
    assert "anna@example.se" not in result.output


def test_plan_as_json(shop_file: Path) -> None:
    args = ["dsr", "plan", "-i", "email=anna@example.se", "-r", str(shop_file), "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["identity_kinds"] == ["email"]
    assert {t["table"] for t in data["tables"]} >= {"customers", "invoices", "credit_notes"}


@pytest.mark.parametrize(
    ("identity", "message"),
    [
        pytest.param("email=not-an-address", "email: expected an address", id="bad-email"),
        pytest.param("shoe=42", "unknown identity kind 'shoe'", id="unknown-kind"),
        pytest.param("personnummer=570428-9998", "check digit", id="bad-personnummer"),
    ],
)
def test_bad_identities_exit_1_without_echoing(
    shop_file: Path, identity: str, message: str
) -> None:
    result = runner.invoke(app, ["dsr", "plan", "-i", identity, "-r", str(shop_file)])
    assert result.exit_code == 1
    assert message in result.output
    assert identity.partition("=")[2] not in result.output
    assert isinstance(result.exception, SystemExit), result.exception  # an error, not a crash


@pytest.fixture
def chinook_env(chinook_sqlite: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VARNA_CHINOOK_URL", chinook_sqlite)
    monkeypatch.setenv("VARNA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("VARNA_AUDIT_KEY", "test-audit-key-0123456789abcdef")
    return tmp_path


def test_access_json_on_stdout(chinook_env: Path) -> None:
    args = ["dsr", "access", "-i", f"email={EMAIL}", "-r", str(REGISTER), "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schema"] == "varna.access/1"
    rows = {t["name"]: len(t["rows"]) for s in data["systems"] for t in s["tables"]}
    assert rows == {"Customer": 1, "Invoice": 7, "InvoiceLine": 38}


@pytest.mark.parametrize(
    ("fmt", "lang", "name", "needle"),
    [
        pytest.param("html", "sv", "registerutdrag.html", "<h2>Dina rättigheter", id="html-sv"),
        pytest.param("html", "en", "register-extract.html", "<h2>Your rights", id="html-en"),
        pytest.param(
            "text", "sv", "registerutdrag.txt", "Dina rättigheter\n================", id="text-sv"
        ),
        pytest.param(
            "json", "en", "register-extract.json", '"schema": "varna.access/1"', id="json"
        ),
    ],
)
def test_access_writes_the_extract(
    chinook_env: Path, fmt: str, lang: str, name: str, needle: str
) -> None:
    out = chinook_env / "out"
    args = [
        "dsr",
        "access",
        "-i",
        f"email={EMAIL}",
        "-r",
        str(REGISTER),
        "-f",
        fmt,
        "-l",
        lang,
        "-o",
        str(out),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert needle in (out / name).read_text(encoding="utf-8")
    assert EMAIL not in result.output


def test_access_is_audited_under_a_pseudonym(chinook_env: Path) -> None:
    runner.invoke(app, ["dsr", "access", "-i", f"email={EMAIL}", "-r", str(REGISTER)])
    result = runner.invoke(app, ["audit", "export"])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.output.splitlines()]
    assert [e["action"] for e in events] == ["dsr.access.executed"]
    assert events[0]["subject"].startswith("ps_")
    assert events[0]["details"]["rows"]["InvoiceLine"] == 38
    assert EMAIL not in result.output


def test_an_unreachable_system_exits_4(chinook_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VARNA_CHINOOK_URL", "sqlite:////nonexistent/dir/chinook.db")
    result = runner.invoke(app, ["dsr", "access", "-i", f"email={EMAIL}", "-r", str(REGISTER)])
    assert result.exit_code == 4
    assert EMAIL not in result.output


def test_erase_without_execute_is_a_dry_run(chinook_env: Path) -> None:
    args = ["dsr", "erase", "-i", f"email={EMAIL}", "-r", str(REGISTER)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "Invoice: 7 rows kept under legal hold bookkeeping" in first.output
    assert "GDPR Art. 17(3)(b), BFL 7:2" in first.output
    assert "dry run: nothing was changed" in first.output
    assert runner.invoke(app, args).output == first.output


def test_erase_execute_applies_once(chinook_env: Path) -> None:
    args = ["dsr", "erase", "-i", f"email={EMAIL}", "-r", str(REGISTER), "--execute", "-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["executed"] is True
    assert data["receipts"][0]["updated"] == 8
    assert EMAIL not in result.output
    again = runner.invoke(app, ["dsr", "erase", "-i", "customer_number=51", "-r", str(REGISTER)])
    assert "nothing to change" in again.output
    audit = runner.invoke(app, ["audit", "export"])
    actions = [json.loads(line)["action"] for line in audit.output.splitlines()]
    assert actions == ["dsr.erasure.intent", "dsr.erasure.executed"]  # bracketed
    assert list((chinook_env / "home" / "erasures").glob("*.json")) == []


def test_export_writes_a_zip(chinook_env: Path) -> None:
    out = chinook_env / "out"
    result = runner.invoke(
        app, ["dsr", "export", "-i", f"email={EMAIL}", "-r", str(REGISTER), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "1 row(s) from 1 table(s)" in result.output  # invoices rest on the law: not portable
    (archive,) = out.glob("dataportabilitet-*.zip")
    with zipfile.ZipFile(archive) as z:
        assert z.namelist() == ["export.json", "store/Customer.csv"]


def test_rectify_dry_run_then_execute(chinook_env: Path) -> None:
    base = [
        "dsr",
        "rectify",
        "-i",
        f"email={EMAIL}",
        "-r",
        str(REGISTER),
        "--set",
        "Customer.City=Uppsala",
    ]
    dry = runner.invoke(app, base)
    assert dry.exit_code == 0, dry.output
    assert "store:Customer [CustomerId=51]: set City" in dry.output
    assert "dry run" in dry.output
    done = runner.invoke(app, [*base, "--execute"])
    assert "store: 1 row(s) updated" in done.output
    again = runner.invoke(app, base)
    assert "already right" in again.output
    bad = runner.invoke(app, [*base[:-1], "Customer.Shoe=42"])
    assert bad.exit_code == 1
    assert "names no field" in bad.output


def test_a_stuck_erasure_is_abandoned_with_a_reason_and_then_redone(
    chinook_env: Path, chinook_sqlite: str
) -> None:
    import re

    import sqlalchemy as sa

    engine = sa.create_engine(chinook_sqlite)
    refuse = (
        "CREATE TRIGGER refuse BEFORE UPDATE ON Customer "
        "BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed'); END"
    )
    with engine.begin() as conn:
        conn.exec_driver_sql(refuse)
    args = ["dsr", "erase", "-i", f"email={EMAIL}", "-r", str(REGISTER), "--execute"]
    failed = runner.invoke(app, args)
    assert failed.exit_code != 0
    found = re.search(r"--abandon (rq_[0-9a-f]{32})", failed.output)
    assert found is not None, failed.output
    entry = found[1]
    dry = runner.invoke(app, args[:-1])
    assert "it stopped last time: ConstraintViolation (system store" in dry.output, dry.output
    no_reason = runner.invoke(app, ["dsr", "erase", "--abandon", entry, "-r", str(REGISTER)])
    assert no_reason.exit_code != 0
    assert "--abandon needs --reason" in no_reason.output
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER refuse")
    engine.dispose()
    abandon = ["dsr", "erase", "--abandon", entry, "--reason", "trigger removed", "-r"]
    done = runner.invoke(app, [*abandon, str(REGISTER)])
    assert done.exit_code == 0, done.output
    assert f"abandoned {entry}" in done.output
    again = runner.invoke(app, [*args, "-f", "json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.output)["resumed"] is None
    audit = runner.invoke(app, ["audit", "export"])
    events = [json.loads(line) for line in audit.output.splitlines()]
    abandoned = [e for e in events if e["action"] == "dsr.erasure.abandoned"]
    assert [e["details"]["reason"] for e in abandoned] == ["trigger removed"]
    assert EMAIL not in done.output + audit.output
