"""The demo company: deterministic, complete, realistic, and its register checks clean."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date
from pathlib import Path

import phonenumbers
import pytest
from stdnum import iban, luhn
from typer.testing import CliRunner

from varna.cli.app import app
from varna.demo.builder import DemoResult, build_demo, expected_rows
from varna.errors import DemoError
from varna.law.identity import parse_personnummer
from varna.register import load_register
from varna.register.checks import Severity, run_checks

N = 200


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return build_demo(tmp_path_factory.mktemp("demo") / "demo", subjects=N, seed=42)


def _digest(folder: Path) -> dict[str, str]:
    out = {}
    for db_file in sorted((folder / "data").glob("*.db")):
        with sqlite3.connect(db_file) as db:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            for table in sorted(tables):
                rows = db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
                out[f"{db_file.stem}.{table}"] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return out


def _rows(demo: DemoResult, system: str, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(demo.directory / "data" / f"{system}.db") as db:
        return db.execute(sql).fetchall()


def test_same_seed_same_data_other_seed_differs(demo: DemoResult, tmp_path: Path) -> None:
    again = build_demo(tmp_path / "again", subjects=N, seed=42)
    other = build_demo(tmp_path / "other", subjects=N, seed=7)
    assert _digest(demo.directory) == _digest(again.directory)
    assert _digest(demo.directory) != _digest(other.directory)


#: rows per person, as documented in varna.demo.builder
RATIOS = {
    "crm.companies": 1 / 200,
    "crm.customers": 1 / 2,
    "crm.contacts": 1 / 20,
    "care.end_users": 3 / 10,
    "care.care_notes": 3 / 2,
    "billing.invoices": 2,
    "billing.invoice_lines": 3,
    "billing.payments": 1 / 2,
    "support.tickets": 1 / 2,
    "marketing.newsletter_signups": 3 / 10,
    "recruitment.applicants": 1 / 20,
    "web.access_log": 3 / 2,
}


def test_counts_follow_the_documented_ratios(demo: DemoResult) -> None:
    assert demo.table_rows == expected_rows(N)
    assert demo.rows == sum(demo.table_rows.values())
    assert 9 * N <= demo.rows <= 11 * N


@pytest.mark.parametrize("table", sorted(RATIOS))
@pytest.mark.parametrize("subjects", [2_000, 50_000, 1_000_000])  # above the small-N floors
def test_counts_scale_as_documented(table: str, subjects: int) -> None:
    assert expected_rows(subjects)[table] == round(subjects * RATIOS[table])


def test_built_counts_match_the_tables(demo: DemoResult) -> None:
    for name, count in demo.table_rows.items():
        system, table = name.split(".")
        assert _rows(demo, system, f"SELECT count(*) FROM {table}") == [(count,)]


def _indexed(demo: DemoResult, system: str, table: str, primary_key: list[str]) -> set[object]:
    """Columns that lead an index (or are the INTEGER PRIMARY KEY)."""
    return {
        _rows(demo, system, f"PRAGMA index_info('{index}')")[0][2]
        for (_seq, index, *_rest) in _rows(demo, system, f"PRAGMA index_list({table})")
    } | set(primary_key)


def test_identity_and_reference_columns_are_indexed(demo: DemoResult) -> None:
    register = load_register(demo.register_path)
    for system, table_name, table in register.tables():
        wanted = set(table.identities.values()) | set(table.references)
        indexed = _indexed(demo, system, table_name, table.primary_key)
        assert wanted <= indexed, (system, table_name, wanted - indexed)
        for ref in table.references.values():
            target_system = ref.system or system
            target = register.systems[target_system].tables[ref.table]
            assert ref.column in _indexed(demo, target_system, ref.table, target.primary_key)


def test_every_register_table_and_field_exists(demo: DemoResult) -> None:
    register = load_register(demo.register_path)
    for system, table_name, table in register.tables():
        cols = {r[1] for r in _rows(demo, system, f"PRAGMA table_info({table_name})")}
        assert cols, f"{system}.{table_name} missing"
        declared = (
            set(table.fields)
            | set(table.identities.values())
            | set(table.references)
            | set(table.anchors.values())
            | set(table.primary_key)
        )
        assert declared <= cols, (system, table_name, declared - cols)


def test_register_has_no_error_findings(demo: DemoResult) -> None:
    findings = run_checks(load_register(demo.register_path), on=date(2026, 11, 22))
    assert [f for f in findings if f.severity is Severity.error] == []


@pytest.mark.parametrize(
    ("system", "sql"),
    [
        pytest.param("crm", "SELECT personnummer FROM customers", id="customers"),
    ],
)
def test_personnummer_pass_luhn(demo: DemoResult, system: str, sql: str) -> None:
    values = [r[0] for r in _rows(demo, system, sql)]
    assert values
    assert all(len(v) == 12 and luhn.is_valid(v[2:]) for v in values)
    assert all(parse_personnummer(v, today=date(2026, 11, 22)) for v in values)


def test_ibans_are_valid(demo: DemoResult) -> None:
    values = [
        r[0] for r in _rows(demo, "billing", "SELECT iban FROM payments WHERE iban IS NOT NULL")
    ]
    assert values
    assert all(v.startswith("SE") and iban.is_valid(v) for v in values)


def test_org_numbers_pass_luhn(demo: DemoResult) -> None:
    values = [r[0] for r in _rows(demo, "crm", "SELECT org_number FROM companies")]
    assert values
    assert all(v[0] == "5" and luhn.is_valid(v.replace("-", "")) for v in values)
    register = load_register(demo.register_path)
    assert luhn.is_valid(register.controller.org_number.replace("-", ""))


@pytest.mark.parametrize(
    ("system", "sql"),
    [
        pytest.param("crm", "SELECT phone FROM customers", id="customers"),
        pytest.param("crm", "SELECT phone FROM contacts", id="contacts"),
        pytest.param("recruitment", "SELECT phone FROM applicants", id="applicants"),
    ],
)
def test_phones_are_valid_swedish_numbers(demo: DemoResult, system: str, sql: str) -> None:
    for (phone,) in _rows(demo, system, sql):
        number = phonenumbers.parse(str(phone), None)
        assert phonenumbers.is_valid_number(number)
        assert phonenumbers.region_code_for_number(number) == "SE"


@pytest.mark.parametrize(
    ("system", "sql"),
    [
        pytest.param("support", "SELECT from_email FROM tickets", id="tickets"),
        pytest.param("marketing", "SELECT email FROM newsletter_signups", id="newsletter"),
        pytest.param("recruitment", "SELECT email FROM applicants", id="applicants"),
    ],
)
def test_customers_appear_in_other_systems(demo: DemoResult, system: str, sql: str) -> None:
    customers = {r[0] for r in _rows(demo, "crm", "SELECT email FROM customers")}
    others = {r[0] for r in _rows(demo, system, sql)}
    assert customers & others, f"no customer e-mail in {system}"


def test_invoices_link_to_customers(demo: DemoResult) -> None:
    customers = {r[0] for r in _rows(demo, "crm", "SELECT customer_no FROM customers")}
    invoiced = {r[0] for r in _rows(demo, "billing", "SELECT customer_no FROM invoices")}
    assert invoiced <= customers
    years = {
        r[0] for r in _rows(demo, "billing", "SELECT substr(invoice_date, 1, 4) FROM invoices")
    }
    assert {"2019", "2026"} <= years


def test_refuses_a_folder_that_is_not_a_demo(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(DemoError, match="not a Varna demo"):
        build_demo(tmp_path, subjects=20)
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_rebuilds_over_a_previous_demo(tmp_path: Path) -> None:
    build_demo(tmp_path / "d", subjects=20, seed=1)
    result = build_demo(tmp_path / "d", subjects=30, seed=1)
    assert result.subjects == 30
    assert sorted(p.name for p in (tmp_path).iterdir()) == ["d"]


def test_cli_builds_the_demo(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--subjects", "100", "--dir", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "d" / "varna.yaml").exists()
    assert "100 people" in result.output


def test_a_request_finds_a_customer_across_systems(demo: DemoResult) -> None:
    """A customer who also wrote to support: access by e-mail reaches CRM, billing, support, web."""
    customers = {r[0] for r in _rows(demo, "crm", "SELECT email FROM customers")}
    senders = [r[0] for r in _rows(demo, "support", "SELECT from_email FROM tickets ORDER BY id")]
    email = next(e for e in senders if e in customers)
    argv = ["dsr", "access", "-r", str(demo.register_path), "-i", f"email={email}", "-f", "json"]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
    found = {
        f"{system['key']}.{table['name']}"
        for system in json.loads(result.stdout)["systems"]
        for table in system["tables"]
        if table["rows"]
    }
    assert {
        "crm.customers",
        "billing.invoices",
        "billing.invoice_lines",
        "billing.payments",
        "support.tickets",
    } <= found
