"""Rows whose referrers go in the same run go with them, on every database with real foreign
keys: a rental referred to by a payment under the bookkeeping hold is deleted in the run where
the hold ends for that payment, a customer whose rentals and payments all go is deleted, and a
customer still referred to is anonymised. Processor tables are in the plan, never skipped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from faulted import run_varna
from varna.audit import AuditLog
from varna.connectors import ConnectorPool
from varna.faults import FAULT_EXIT, RETENTION_POINTS
from varna.register import Register, parse_register
from varna.retention.bracket import INTENT_ACTION
from varna.retention.counts import ConnectorCounts
from varna.retention.executor import execute_retention
from varna.retention.models import Action
from varna.retention.planner import plan_retention
from varna.retention.report import plan_text
from varna.retention.run import BATCH_ACTION
from varna.state import open_state

from .small import NOW

KEY = b"k" * 32
REGISTER = """
varna: 1
controller:
  name: Exempel Uthyrning AB
  org_number: 556677-8899
  address: {street: Storgatan 1, postal_code: "111 22", city: Stockholm}
  contact: {email: dataskydd@exempel.se}
  fiscal_year_start: {month: 5}
  policy: {version: "1", effective_date: 2026-01-01, languages: [en]}
subjects:
  customer: {label: {sv: Kunder, en: Customers}}
activities:
  accounts:
    name: {sv: Kundkonto, en: Customer account}
    purpose: {sv: Kontot., en: The account.}
    legal_bases: [contract]
    categories: [identity.name, contact.email]
    retention: {rule: while_active, anchor: relation_ended, then: 12 months}
  rentals:
    name: {sv: Uthyrning, en: Rentals}
    purpose: {sv: Hyra ut., en: To rent out.}
    legal_bases: [contract]
    categories: [identity.name]
    retention: {rule: period_after, period: 24 months, anchor: collected}
  bookkeeping:
    name: {sv: Bokföring, en: Bookkeeping}
    purpose: {sv: Bokföra., en: To keep the accounts.}
    legal_bases: [{basis: legal_obligation, statute: bokforingslagen}]
    categories: [finance.invoice]
    retention: {rule: bookkeeping, anchor: transaction_date}
    legal_holds: [bookkeeping]
  hosting:
    name: {sv: Drift åt kunder, en: Hosting for customers}
    purpose: {sv: Driva tjänsten åt kunder., en: To run the service for customers.}
    role: processor
    on_behalf_of:
      - name: {sv: Kunderna, en: The customers}
        categorical: true
    categories: [identity.name]
  hosting_with_instruction:
    name: {sv: Drift med instruktion, en: Hosting with an instruction}
    purpose: {sv: Driva tjänsten åt kunder., en: To run the service for customers.}
    role: processor
    on_behalf_of:
      - name: {sv: Kunderna, en: The customers}
        categorical: true
    categories: [identity.name]
    retention: {rule: period_after, period: 3 months, anchor: collected}
legal_holds:
  bookkeeping:
    name: {sv: Bokföringslagen, en: Swedish Accounting Act}
    statute: bokforingslagen
    retention: {rule: bookkeeping, anchor: transaction_date}
    categories: [finance.invoice]
systems:
  shop:
    name: {sv: Butiken, en: Shop}
    kind: sqlite
    connection: {env: VARNA_SHOP_URL}
    country: SE
    tables:
      customers:
        primary_key: [id]
        activities: [accounts]
        anchors: {relation_ended: ended_at}
        fields:
          name: identity.name
          email: {category: contact.email, erasure: fixed, value: "-"}
      rentals:
        primary_key: [id]
        activities: [rentals]
        anchors: {collected: rented_at}
        references: {customer_id: customers.id}
      payments:
        primary_key: [id]
        activities: [bookkeeping]
        anchors: {transaction_date: paid_at}
        references: {rental_id: rentals.id, customer_id: customers.id}
        legal_holds: [bookkeeping]
        fields: {amount: {category: finance.invoice, erasure: keep}}
      hosted:
        primary_key: [id]
        activities: [hosting]
        fields: {name: identity.name}
      hosted_instructed:
        primary_key: [id]
        activities: [hosting_with_instruction]
        anchors: {collected: created_at}
        fields: {name: identity.name}
"""
TABLES = [
    "CREATE TABLE customers (id INTEGER PRIMARY KEY, ended_at DATE, name VARCHAR(40), "
    "email VARCHAR(80))",
    "CREATE TABLE rentals (id INTEGER PRIMARY KEY, rented_at DATE, customer_id INTEGER NOT NULL, "
    "CONSTRAINT rental_customer FOREIGN KEY (customer_id) REFERENCES customers (id))",
    "CREATE TABLE payments (id INTEGER PRIMARY KEY, paid_at DATE, amount INTEGER, "
    "rental_id INTEGER NOT NULL, customer_id INTEGER NOT NULL, "
    "CONSTRAINT payment_rental FOREIGN KEY (rental_id) REFERENCES rentals (id), "
    "CONSTRAINT payment_customer FOREIGN KEY (customer_id) REFERENCES customers (id))",
    "CREATE TABLE hosted (id INTEGER PRIMARY KEY, name VARCHAR(40))",
    "CREATE TABLE hosted_instructed (id INTEGER PRIMARY KEY, created_at DATE, name VARCHAR(40))",
]
ROWS = {
    # customer 1 and 2 ended long ago; 3 is active
    "customers": [
        {"id": 1, "ended_at": "2020-01-01", "name": "One", "email": "one@example.invalid"},
        {"id": 2, "ended_at": "2020-01-01", "name": "Two", "email": "two@example.invalid"},
        {"id": 3, "ended_at": None, "name": "Three", "email": "three@example.invalid"},
    ],
    # rentals expire 24 months after: every one but 4 has
    "rentals": [
        {"id": 1, "rented_at": "2021-06-01", "customer_id": 1},
        {"id": 2, "rented_at": "2022-06-01", "customer_id": 2},
        {"id": 3, "rented_at": "2021-07-01", "customer_id": 1},
        {"id": 4, "rented_at": "2029-01-01", "customer_id": 3},
    ],
    # fiscal years from 1 May: Bokföringslagen lets go of records dated before 2022-05-01
    "payments": [
        {"id": 1, "paid_at": "2021-06-01", "amount": 10, "rental_id": 1, "customer_id": 1},
        {"id": 2, "paid_at": "2022-06-01", "amount": 20, "rental_id": 2, "customer_id": 2},
        {"id": 3, "paid_at": "2029-01-01", "amount": 30, "rental_id": 4, "customer_id": 3},
    ],
    "hosted": [{"id": 1, "name": "Hosted"}],
    "hosted_instructed": [
        {"id": 1, "created_at": "2020-01-01", "name": "Old"},
        {"id": 2, "created_at": "2030-06-01", "name": "New"},
    ],
}
KINDS = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.postgres),
    pytest.param("mariadb", marks=pytest.mark.mariadb),
]
FIXTURES = {"sqlite": "sqlite_url", "postgresql": "pg_url", "mariadb": "mariadb_url"}


def _load(url: str) -> None:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.begin() as conn:
        for ddl in TABLES:
            conn.exec_driver_sql(ddl)
        for name, rows in ROWS.items():
            columns = list(rows[0])
            marks = ", ".join(f":{c}" for c in columns)
            conn.execute(
                sa.text(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})"), rows
            )
    engine.dispose()


def _ids(url: str, table: str) -> list[int]:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.connect() as conn:
        found = [int(r[0]) for r in conn.execute(sa.text(f"SELECT id FROM {table} ORDER BY id"))]
    engine.dispose()
    return found


def _names(url: str) -> dict[int, object]:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.connect() as conn:
        found = {int(r[0]): r[1] for r in conn.execute(sa.text("SELECT id, name FROM customers"))}
    engine.dispose()
    return found


@pytest.fixture(params=KINDS)
def rental(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[str, Register, ConnectorPool]]:
    kind: str = request.param
    url = str(request.getfixturevalue(FIXTURES[kind]))
    _load(url)
    text = REGISTER.replace("kind: sqlite", f"kind: {'mysql' if kind == 'mariadb' else kind}")
    register = parse_register(text, source="rental.yaml")
    pool = ConnectorPool(register, base_dir=tmp_path, environ={"VARNA_SHOP_URL": url})
    yield url, register, pool
    pool.close()


@pytest.mark.parametrize(
    ("table", "action", "expiring", "referenced", "anonymised"),
    [
        ("payments", Action.delete_row, 1, 0, 0),
        ("rentals", Action.delete_row, 2, 1, 0),
        ("customers", Action.delete_row, 1, 1, 1),
        ("hosted", Action.none, 0, 0, 0),
        ("hosted_instructed", Action.delete_row, 1, 0, 0),
    ],
    ids=[
        "payment-whose-hold-ends",
        "rental-whose-payment-goes",
        "customer-deleted-or-anonymised",
        "processor-without-instruction",
        "processor-with-instruction",
    ],
)
def test_plan_deletes_rows_whose_referrers_go_in_the_same_run(  # type: ignore[no-untyped-def]
    rental, table, action, expiring, referenced, anonymised
):
    _url, register, pool = rental
    plan = plan_retention(register, now=NOW, counts=ConnectorCounts(pool))
    found = {t.table: t for t in plan.tables}[table]
    assert (found.action, found.expiring, found.referenced, found.anonymised_referenced) == (
        action,
        expiring,
        referenced,
        anonymised,
    )


def test_referrers_are_swept_before_what_they_refer_to_and_the_text_says_why(
    rental: tuple[str, Register, ConnectorPool],
) -> None:
    _url, register, pool = rental
    plan = plan_retention(register, now=NOW, counts=ConnectorCounts(pool))
    order = [t.table for t in plan.tables]
    assert order.index("payments") < order.index("rentals") < order.index("customers")
    text = plan_text(plan, register)
    assert "kept: processor, controller decides" in text
    assert "kept because rows of payments that stay refer to them: 1 rows" in text
    assert "anonymisation would erase no field" not in text


def test_the_sweep_deletes_them_and_a_second_run_finds_nothing(
    rental: tuple[str, Register, ConnectorPool],
) -> None:
    url, register, pool = rental
    plan = plan_retention(register, now=NOW, counts=ConnectorCounts(pool))
    result = execute_retention(plan, connectors=pool, hash_key=KEY, batch=1)
    assert result.counts[("shop", "customers")] == 2  # one deleted, one anonymised
    assert _ids(url, "payments") == [2, 3]
    assert _ids(url, "rentals") == [2, 4]
    assert _names(url) == {2: None, 3: "Three"}
    assert _ids(url, "hosted") == [1]
    assert _ids(url, "hosted_instructed") == [2]
    again = plan_retention(register, now=NOW, counts=ConnectorCounts(pool))
    assert again.expiring == 0


# As of 2022-06-30 only the customers expire, and every one of them is still referred to: the
# run's first (and only) batch is the anonymisation of referred rows that follows a delete.
CRASH_AT = "2022-06-30"
CRASH_REGISTER = REGISTER[: REGISTER.index("      hosted:\n")]
CRASH_KEY = "crash-test-audit-key-0123456789abcdef"


@pytest.mark.parametrize("point", RETENTION_POINTS, ids=lambda p: p.removeprefix("retention."))
def test_a_kill_in_the_anonymisation_of_referred_rows_is_completed_by_the_rerun(
    tmp_path: Path, sqlite_url: str, point: str
) -> None:
    _load(sqlite_url)
    register = tmp_path / "rental.yaml"
    register.write_text(CRASH_REGISTER, encoding="utf-8")
    state_url = f"sqlite:///{tmp_path / 'state.db'}"
    env = {
        "VARNA_SHOP_URL": sqlite_url,
        "VARNA_HOME": str(tmp_path / "home"),
        "VARNA_DATABASE_URL": state_url,
        "VARNA_AUDIT_KEY": CRASH_KEY,
    }
    command = ["retention", "run", "--at", CRASH_AT, "--execute", "-r", str(register)]
    killed = run_varna(env, *command, fault=point)
    assert killed.returncode == FAULT_EXIT, killed.stderr
    rerun = run_varna(env, *command)
    assert rerun.returncode == 0, rerun.stderr
    assert _names(sqlite_url) == {1: None, 2: None, 3: "Three"}
    assert _ids(sqlite_url, "rentals") == [1, 2, 3, 4]
    with open_state(state_url) as state:
        log = AuditLog(state, key=CRASH_KEY.encode())
        events = [(e.action, dict(e.details or {})) for e in log.iter_events()]
        findings = list(log.verify().findings)
    assert findings == []
    intents = {str(d["intent"]) for a, d in events if a == INTENT_ACTION}
    completed = [str(d["completes"]) for a, d in events if a == BATCH_ACTION]
    assert sorted(completed) == sorted(intents)
    assert sum(int(d["rows"]) for a, d in events if a == BATCH_ACTION) == 2
    assert {d["action"] for a, d in events if a == BATCH_ACTION} == {"anonymise"}
