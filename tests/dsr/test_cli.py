"""``varna dsr``: thin commands over the library; errors become exit codes without values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from varna.cli.app import app

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
    assert "Traceback" not in result.output
