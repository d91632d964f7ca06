"""A foreign key the register does not declare: the sweep stops with a Varna error naming the
system, table and constraint and the reference to declare, never a driver traceback."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from dsr.chinook import REGISTER, load_chinook
from varna.cli.app import app
from varna.register import parse_register
from varna.retention.run import run_retention

NOW = datetime(2030, 6, 30, tzinfo=UTC)
DECLARED = "        references:\n          InvoiceId: Invoice.InvoiceId\n"
FIX = "systems.store.tables.InvoiceLine.references.InvoiceId: {table: Invoice, column: InvoiceId}"


def _undeclared() -> str:
    text = REGISTER.read_text(encoding="utf-8")
    assert DECLARED in text
    return text.replace(DECLARED, "", 1)


def _constraint(url: str) -> str:
    engine = sa.create_engine(url)
    try:
        keys = sa.inspect(engine).get_foreign_keys("InvoiceLine")
    finally:
        engine.dispose()
    return next(str(k["name"]) for k in keys if k["referred_table"] == "Invoice")


@pytest.mark.parametrize(
    "fixture",
    [
        pytest.param("pg_url", marks=pytest.mark.postgres),
        pytest.param("mariadb_url", marks=pytest.mark.mariadb),
    ],
)
def test_undeclared_foreign_key_names_the_constraint_and_the_fix(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    from varna.errors import ConstraintViolation

    url = str(request.getfixturevalue(fixture))
    load_chinook(url)
    register = parse_register(_undeclared(), source="chinook.yaml")
    with pytest.raises(ConstraintViolation) as info:
        run_retention(
            register,
            now=NOW,
            base_dir=REGISTER.parent,
            environ={"VARNA_CHINOOK_URL": url},
            execute=True,
        )
    error = info.value
    assert (error.system, error.table, error.kind) == ("store", "InvoiceLine", "foreign key")
    assert error.constraint == _constraint(url)
    assert FIX in str(error)
    assert "Traceback" not in str(error)
    assert "@" not in str(error)  # no e-mail address, no URL credentials


@pytest.mark.postgres
def test_the_cli_prints_the_fix_instead_of_a_traceback(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_chinook(pg_url)
    register = tmp_path / "chinook.yaml"
    register.write_text(_undeclared(), encoding="utf-8")
    monkeypatch.setenv("VARNA_CHINOOK_URL", pg_url)
    monkeypatch.setenv("VARNA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("VARNA_AUDIT_KEY", "test-audit-key-0123456789abcdef")
    args = ["retention", "run", "--at", "2030-06-30", "--execute", "-r", str(register)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 4, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert FIX in " ".join(result.output.split())
    assert _constraint(pg_url) in result.output
