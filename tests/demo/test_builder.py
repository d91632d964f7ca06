"""The demo company: deterministic, complete, realistic, safe to rebuild; its register checks."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

import phonenumbers
import pytest
from stdnum import iban, luhn
from stdnum.se import orgnr
from typer.testing import CliRunner

from varna.cli.app import app
from varna.connectors import predicates as p
from varna.connectors.mailbox import build
from varna.demo import builder
from varna.demo.builder import MARKER, DemoResult, build_demo, expected_rows
from varna.demo.clock import AS_OF
from varna.demo.mailbox import MESSAGES
from varna.errors import DemoError
from varna.law.identity import parse_personnummer
from varna.register import load_register
from varna.register.checks import Severity, run_checks

N = 200
ON = date(2026, 11, 22)


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


def _column(demo: DemoResult, system: str, sql: str) -> list[object]:
    return [r[0] for r in _rows(demo, system, sql)]


# -- determinism -------------------------------------------------------------------------------
def test_same_seed_same_data_in_one_or_two_processes(demo: DemoResult, tmp_path: Path) -> None:
    again = build_demo(tmp_path / "again", subjects=N, seed=42, workers=1)
    assert _digest(demo.directory) == _digest(again.directory)
    assert again.table_rows == demo.table_rows


def test_another_seed_gives_other_data(demo: DemoResult, tmp_path: Path) -> None:
    other = _digest(build_demo(tmp_path / "other", subjects=N, seed=7, workers=1).directory)
    mine = _digest(demo.directory)
    assert all(other[t] != mine[t] for t in mine)


# -- sizes -------------------------------------------------------------------------------------
#: rows per person, as documented in varna.demo.builder; True where the count is drawn.
RATIOS = {
    "crm.companies": (1 / 200, False),
    "crm.customers": (1 / 2, False),
    "crm.contacts": (1 / 20, False),
    "care.end_users": (3 / 10, False),
    "care.care_notes": (3 / 2, True),
    "billing.invoices": (2, True),
    "billing.invoice_lines": (3, True),
    "billing.payments": (1 / 2, True),
    "support.tickets": (1 / 2, False),
    "marketing.newsletter_signups": (3 / 10, True),
    "recruitment.applicants": (1 / 20, False),
    "web.access_log": (3 / 2, False),
}


def test_every_table_is_documented(demo: DemoResult) -> None:
    assert set(demo.table_rows) == set(RATIOS) == set(expected_rows(N))
    assert all(name in builder.__doc__ for name in RATIOS)  # type: ignore[operator]


@pytest.mark.parametrize("table", sorted(RATIOS))
@pytest.mark.parametrize("subjects", [2_000, 50_000, 1_000_000])  # above the small-N floors
def test_planned_counts_scale_as_documented(table: str, subjects: int) -> None:
    assert expected_rows(subjects)[table] == round(subjects * RATIOS[table][0])


@pytest.mark.parametrize(("subjects", "tolerance"), [(N, 0.5), (5_000, 0.2)])
def test_built_counts_follow_the_ratios(
    demo: DemoResult, tmp_path: Path, subjects: int, tolerance: float
) -> None:
    built = demo if subjects == N else build_demo(tmp_path / "d", subjects=subjects, workers=1)
    assert built.rows == sum(built.table_rows.values())
    assert 9 * subjects <= built.rows <= 11 * subjects
    for table, count in built.table_rows.items():
        planned, drawn = expected_rows(subjects)[table], RATIOS[table][1]
        if drawn:
            assert abs(count / planned - 1) <= tolerance, (table, count, planned)
        else:
            assert count == planned, table


def test_counts_match_the_tables(demo: DemoResult) -> None:
    for name, count in demo.table_rows.items():
        system, table = name.split(".")
        assert _rows(demo, system, f"SELECT count(*) FROM {table}") == [(count,)]
    marker = json.loads((demo.directory / MARKER).read_text())
    assert marker == {"subjects": N, "seed": 42, "tables": demo.table_rows}


# -- the register describes the databases ------------------------------------------------------
def test_every_register_table_and_column_exists(demo: DemoResult) -> None:
    register = load_register(demo.register_path)
    for system, table_name, table in register.tables():
        if register.systems[system].kind != "sqlite":
            continue  # the support mailbox: test_the_support_mailbox_is_declared_and_built
        cols = {r[1] for r in _rows(demo, system, f"PRAGMA table_info({table_name})")}
        assert cols, f"{system}.{table_name} missing"
        declared = (
            set(table.fields)
            | set(table.identities.values())
            | set(table.references)
            | set(table.anchors.values())
            | set(table.primary_key)
            | ({table.restriction_column} if table.restriction_column else set())
        )
        assert declared <= cols, (system, table_name, declared - cols)


def test_every_built_table_is_in_the_register(demo: DemoResult) -> None:
    register = load_register(demo.register_path)
    declared = {f"{s}.{t}" for s, t, _ in register.tables() if register.systems[s].kind == "sqlite"}
    assert set(demo.table_rows) == declared


def test_the_support_mailbox_is_declared_and_built(demo: DemoResult) -> None:
    """Seed 004's inbox: a Maildir whose folder and columns are those the register names, with
    messages older than the register's month."""
    register = load_register(demo.register_path)
    system = register.systems["support_mail"]
    assert system.kind == "mailbox"
    connector = build("maildir:mail/support", name="support_mail", base_dir=demo.directory)
    try:
        tables = connector.describe()
        assert set(tables) == set(system.tables) == {"INBOX"}
        table = system.tables["INBOX"]
        columns = {c.name for c in tables["INBOX"].columns}
        assert set(table.fields) | set(table.identities.values()) <= columns
        assert set(table.anchors.values()) | set(table.primary_key) <= columns
        old = p.Before("received", datetime(2026, 10, 1))
        assert connector.count("INBOX") == MESSAGES
        assert 0 < connector.count("INBOX", old) < MESSAGES
    finally:
        connector.close()


def _indexed(demo: DemoResult, system: str, table: str, primary_key: list[str]) -> set[object]:
    """Columns that lead an index (or are the INTEGER PRIMARY KEY)."""
    return {
        _rows(demo, system, f"PRAGMA index_info('{index}')")[0][2]
        for (_seq, index, *_rest) in _rows(demo, system, f"PRAGMA index_list({table})")
    } | set(primary_key)


def test_identity_reference_and_anchor_columns_are_indexed(demo: DemoResult) -> None:
    register = load_register(demo.register_path)
    for system, table_name, table in register.tables():
        if register.systems[system].kind != "sqlite":
            continue  # a mailbox has no indexes
        wanted = set(table.identities.values()) | set(table.references)
        wanted |= set(table.anchors.values())
        indexed = _indexed(demo, system, table_name, table.primary_key)
        assert wanted <= indexed, (system, table_name, wanted - indexed)
        for ref in table.references.values():
            target_system = ref.system or system
            target = register.systems[target_system].tables[ref.table]
            assert ref.column in _indexed(demo, target_system, ref.table, target.primary_key)


#: The findings the demo register is meant to have: each is explained in a YAML comment.
EXPECTED_FINDINGS = {("activity-without-system", "activities.web_statistics.categories")}


def test_register_checks_give_only_the_explained_warning(demo: DemoResult) -> None:
    findings = run_checks(load_register(demo.register_path), on=ON)
    assert [f for f in findings if f.severity is Severity.error] == []
    assert {(f.rule, f.location.split(" ")[-1]) for f in findings} == EXPECTED_FINDINGS


def test_the_shipped_register_is_the_built_one(demo: DemoResult) -> None:
    shipped = Path(builder.__file__).with_name("register.yaml").read_text(encoding="utf-8")
    assert demo.register_path.read_text(encoding="utf-8") == shipped


# -- realistic values --------------------------------------------------------------------------
PERSONNUMMER = [
    pytest.param("crm", "SELECT personnummer FROM customers", id="customers"),
    pytest.param(
        "billing",
        "SELECT DISTINCT payer_personnummer FROM payments WHERE payer_personnummer IS NOT NULL",
        id="autogiro-payers",
    ),
]


@pytest.mark.parametrize(("system", "sql"), PERSONNUMMER)
def test_personnummer_are_valid(demo: DemoResult, system: str, sql: str) -> None:
    values = [str(v) for v in _column(demo, system, sql)]
    assert values
    assert all(len(v) == 12 and v.isdigit() and luhn.is_valid(v[2:]) for v in values)
    assert all(parse_personnummer(v, today=ON).birth_date for v in values)


def test_personnummer_phone_and_email_are_unique_per_customer(demo: DemoResult) -> None:
    for column in ("personnummer", "phone", "email", "customer_no"):
        values = _column(demo, "crm", f"SELECT {column} FROM customers")
        assert len(values) == len(set(values)), column


PHONES = [
    pytest.param("crm", "SELECT phone FROM customers", id="customers"),
    pytest.param("crm", "SELECT phone FROM contacts", id="contacts"),
    pytest.param("recruitment", "SELECT phone FROM applicants", id="applicants"),
]


@pytest.mark.parametrize(("system", "sql"), PHONES)
def test_phones_are_valid_swedish_mobile_numbers(demo: DemoResult, system: str, sql: str) -> None:
    for phone in _column(demo, system, sql):
        number = phonenumbers.parse(str(phone), None)
        assert phonenumbers.is_valid_number(number), phone
        assert phonenumbers.region_code_for_number(number) == "SE"
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == phone


EMAILS = [
    pytest.param("crm", "SELECT email FROM customers", id="customers"),
    pytest.param("crm", "SELECT email FROM contacts", id="contacts"),
    pytest.param("support", "SELECT from_email FROM tickets", id="tickets"),
    pytest.param("marketing", "SELECT email FROM newsletter_signups", id="newsletter"),
    pytest.param("recruitment", "SELECT email FROM applicants", id="applicants"),
]


@pytest.mark.parametrize(("system", "sql"), EMAILS)
def test_emails_are_lower_case_and_never_reach_a_real_mailbox(
    demo: DemoResult, system: str, sql: str
) -> None:
    for email in map(str, _column(demo, system, sql)):
        local, _, domain = email.partition("@")
        assert local, email
        assert email == email.lower(), email
        assert email.isascii(), email
        assert domain.endswith(".example"), email


def test_ibans_and_org_numbers_are_valid(demo: DemoResult) -> None:
    ibans = _column(demo, "billing", "SELECT iban FROM payments WHERE iban IS NOT NULL")
    assert ibans
    assert all(str(v).startswith("SE") and iban.is_valid(str(v)) for v in ibans)
    orgs = _column(demo, "crm", "SELECT org_number FROM companies")
    assert orgs
    assert all(orgnr.is_valid(str(v)) for v in orgs)
    controller = load_register(demo.register_path).controller.org_number
    assert controller is not None
    assert controller.startswith("5")
    assert orgnr.is_valid(controller)


def test_ip_addresses_come_from_reserved_blocks(demo: DemoResult) -> None:
    blocks = [ipaddress.ip_network("100.64.0.0/10"), ipaddress.ip_network("2001:db8::/32")]
    versions = set()
    for value in _column(demo, "web", "SELECT ip_address FROM access_log"):
        address = ipaddress.ip_address(str(value))
        versions.add(address.version)
        assert any(address in block for block in blocks if block.version == address.version)
    assert versions == {4, 6}


def test_invoices_add_up_and_are_numbered_in_date_order(demo: DemoResult) -> None:
    rows = _rows(
        demo,
        "billing",
        "SELECT i.invoice_no, i.invoice_date, i.net_sek, i.vat_sek, i.amount_sek, "
        "sum(l.amount_sek) FROM invoices i JOIN invoice_lines l USING (invoice_no) "
        "GROUP BY i.id ORDER BY i.id",
    )
    assert len(rows) == demo.table_rows["billing.invoices"]  # every invoice has lines
    for _no, _day, net, vat, total, lines in rows:
        assert (net, vat, total) == (lines, int(str(net)) // 4, int(str(net)) + int(str(vat)))
    dates = [str(r[1]) for r in rows]
    assert dates == sorted(dates)
    assert dates[0][:4] == "2018"  # past the seven years of Bokföringslagen
    assert dates[-1] <= AS_OF.isoformat()


def test_references_resolve(demo: DemoResult) -> None:
    customers = set(_column(demo, "crm", "SELECT customer_no FROM customers"))
    for system, sql in [
        ("billing", "SELECT customer_no FROM invoices"),
        ("billing", "SELECT customer_no FROM payments"),
        ("care", "SELECT customer_no FROM end_users"),
        ("support", "SELECT customer_no FROM tickets WHERE customer_no IS NOT NULL"),
        ("web", "SELECT customer_no FROM access_log WHERE customer_no IS NOT NULL"),
    ]:
        assert set(_column(demo, system, sql)) <= customers, sql
    orphans = _rows(
        demo,
        "care",
        "SELECT count(*) FROM care_notes WHERE end_user_id NOT IN (SELECT id FROM end_users)",
    )
    assert orphans == [(0,)]


@pytest.mark.parametrize(
    "system", ["crm", "care", "billing", "support", "marketing", "recruitment", "web"]
)
def test_databases_are_whole_in_wal_mode_with_foreign_keys_kept(
    demo: DemoResult, system: str
) -> None:
    assert _rows(demo, system, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(demo, system, "PRAGMA foreign_key_check") == []
    assert _rows(demo, system, "PRAGMA journal_mode") == [("wal",)]


def test_no_date_after_the_demo_today(demo: DemoResult) -> None:
    today = f"{AS_OF.isoformat()} 23:59:59"
    for system, sql in [
        ("crm", "SELECT max(max(created_at), coalesce(max(ended_at), '')) FROM customers"),
        ("care", "SELECT max(written_at) FROM care_notes"),
        ("billing", "SELECT max(paid_at) FROM payments"),
        ("support", "SELECT max(coalesce(closed_at, opened_at)) FROM tickets"),
        ("web", "SELECT max(ts) FROM access_log"),
    ]:
        assert str(_column(demo, system, sql)[0]) <= today, sql


# -- one person across systems -----------------------------------------------------------------
LINKED = [
    pytest.param("support", "SELECT from_email FROM tickets", id="tickets"),
    pytest.param("marketing", "SELECT email FROM newsletter_signups", id="newsletter"),
    pytest.param("recruitment", "SELECT email FROM applicants", id="applicants"),
]


@pytest.mark.parametrize(("system", "sql"), LINKED)
def test_customer_emails_appear_in_other_systems(demo: DemoResult, system: str, sql: str) -> None:
    customers = set(_column(demo, "crm", "SELECT email FROM customers"))
    first = _column(demo, "crm", "SELECT email FROM customers WHERE customer_no = 'K100001'")[0]
    others = set(_column(demo, system, sql))
    assert first in others  # the first customer is everywhere
    assert len(customers & others) >= 2


def test_a_request_finds_a_customer_across_systems(demo: DemoResult) -> None:
    """The first customer: access by e-mail reaches CRM, billing, support, marketing, jobs, web."""
    (email,) = _column(demo, "crm", "SELECT email FROM customers WHERE customer_no = 'K100001'")
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
        "marketing.newsletter_signups",
        "recruitment.applicants",
        "web.access_log",
    } <= found
    assert not found & {"care.end_users", "care.care_notes"}  # another person's data


# -- building safely ---------------------------------------------------------------------------
def test_cli_builds_the_demo(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--subjects", "100", "--dir", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "d" / "varna.yaml").exists()
    assert "100 people" in result.output


def test_refuses_a_folder_that_is_not_a_demo(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(DemoError, match="is not a Varna demo"):
        build_demo(tmp_path, subjects=20)
    assert [p.name for p in tmp_path.iterdir()] == ["precious.txt"]


def test_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "demo").write_text("a file")
    with pytest.raises(DemoError, match="is not a folder"):
        build_demo(tmp_path / "demo", subjects=20)


def test_cli_reports_the_refusal(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    result = CliRunner().invoke(app, ["demo", "--subjects", "20", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "is not a Varna demo" in result.output


@pytest.mark.parametrize("subjects", [9, 10_000_001])
def test_refuses_sizes_out_of_range(tmp_path: Path, subjects: int) -> None:
    with pytest.raises(DemoError, match="10 to 10,000,000 people"):
        build_demo(tmp_path / "d", subjects=subjects)


@pytest.mark.parametrize("existing", ["none", "empty", "demo"], ids=str)
def test_builds_into_new_empty_or_previous_demo_folder(tmp_path: Path, existing: str) -> None:
    target = tmp_path / "d"
    if existing == "empty":
        target.mkdir()
    elif existing == "demo":
        build_demo(target, subjects=20, seed=1, workers=1)
        (target / "data" / "stale.db").write_bytes(b"old")
    result = build_demo(target, subjects=30, seed=1, workers=1)
    assert result.subjects == 30
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]  # no staging folder left over
    assert not (target / "data" / "stale.db").exists()
    assert json.loads((target / MARKER).read_text())["subjects"] == 30


def test_a_failed_build_leaves_the_previous_demo_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "d"
    build_demo(target, subjects=20, seed=1, workers=1)
    before = _digest(target)

    def crash(*args: object, **kwargs: object) -> dict[str, int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(builder, "build_system", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        build_demo(target, subjects=30, seed=2, workers=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]
    assert _digest(target) == before
