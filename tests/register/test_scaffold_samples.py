"""``register scaffold`` on sample databases nobody here designed, plus only the human decisions
of ``scaffold/*.yaml``: access finds exactly the rows SQL ground truth gives (and, for Chinook and
Fides' example, the rows the hand-written registers find), erasure touches only the person's
rows, and MyWind's one business phone shared by every customer never reaches another customer.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from connectors.samples import keys, loaded
from dsr.chinook import CUSTOMER_ID
from dsr.chinook import EMAIL as CHINOOK_EMAIL
from dsr.chinook import REGISTER as CHINOOK_REGISTER
from dsr.fides import SYSTEM as FIDES_SYSTEM
from dsr.fides import fides_register
from dsr.shop import NOW
from varna.connectors import ConnectorPool, SQLConnector
from varna.connectors.schema_check import live_findings, read_schemas
from varna.dsr.access import AccessResult, execute_access
from varna.dsr.erasure import Fate
from varna.dsr.executor import erase
from varna.dsr.identity import Identity
from varna.register import Register, load_register
from varna.register.checks import Finding, Severity

from .scaffold_samples import scaffold_dict, with_decisions

KEY = b"k" * 32
Keys = dict[str, list[tuple[str, ...]]]


def access(register: Register, system: str, url: str, kind: str, value: str) -> AccessResult:
    connector = SQLConnector(url, name=system)
    try:
        return execute_access(
            register, [Identity(kind, value)], {system: connector}, now=NOW, lang="en"
        )
    finally:
        connector.close()


def found(result: AccessResult) -> Keys:
    """table -> sorted primary keys (as text) of the rows an access returned."""
    return {
        t.table: sorted(tuple(str(v) for v in r.key.values()) for r in t.rows)
        for t in result.tables
        if t.rows
    }


def truth(url: str, queries: dict[str, str], **params: Any) -> Keys:
    """table -> sorted primary keys (as text) that each SQL query returns (none: left out)."""
    return {t: sorted(k) for t, k in keys(url, queries, **params).items() if k}


def dump(url: str, table: str, order: str) -> list[tuple[Any, ...]]:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            return [
                tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY {order}"))
            ]
    finally:
        engine.dispose()


def live_errors(register: Register, system: str, url: str) -> list[Finding]:
    """Errors of the live-schema check of ``register`` against the database at ``url``."""
    env = register.systems[system].connection
    assert env is not None
    pool = ConnectorPool(register, base_dir=Path(), environ={env.env: url})
    try:
        found = live_findings(register, read_schemas(register, pool))
    finally:
        pool.close()
    return [f for f in found if f.severity is Severity.error]


# -- Chinook (SQLite): the hand-written register as the reference --------------------------


@pytest.fixture(scope="module")
def chinook(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Register]]:
    with loaded("chinook", "sqlite", tmp_path_factory.mktemp("chinook")) as url:
        yield url, with_decisions(scaffold_dict(url, "store"), "chinook")


CHINOOK_TRUTH = {
    "Customer": 'SELECT "CustomerId" FROM "Customer" WHERE "Email" = :email',
    "Invoice": 'SELECT "InvoiceId" FROM "Invoice" WHERE "CustomerId" = :customer',
    "InvoiceLine": 'SELECT "InvoiceLineId" FROM "InvoiceLine" JOIN "Invoice" USING ("InvoiceId") '
    'WHERE "CustomerId" = :customer',
}


def test_chinook_scaffold_finds_what_the_hand_written_register_and_sql_find(
    chinook: tuple[str, Register],
) -> None:
    url, scaffolded = chinook
    mine = found(access(scaffolded, "store", url, "email", CHINOOK_EMAIL))
    theirs = found(access(load_register(CHINOOK_REGISTER), "store", url, "email", CHINOOK_EMAIL))
    expected = truth(url, CHINOOK_TRUTH, email=CHINOOK_EMAIL, customer=CUSTOMER_ID)
    assert mine == theirs == expected
    assert {t: len(k) for t, k in mine.items()} == {"Customer": 1, "Invoice": 7, "InvoiceLine": 38}
    assert live_errors(scaffolded, "store", url) == []


def test_chinook_scaffold_erases_as_the_hand_written_register_plans(
    chinook: tuple[str, Register],
) -> None:
    url, scaffolded = chinook

    def plan(register: Register) -> dict[tuple[str, str], Fate]:
        connector = SQLConnector(url, name="store")
        try:
            outcome = erase(
                register,
                [Identity("email", CHINOOK_EMAIL)],
                {"store": connector},
                now=NOW,
                hash_key=KEY,
            )
        finally:
            connector.close()
        return {(r.table, str(tuple(r.key.values()))): r.fate for r in outcome.plan.rows}

    mine, theirs = plan(scaffolded), plan(load_register(CHINOOK_REGISTER))
    assert mine == theirs
    assert sorted(set(mine.values())) == [Fate.anonymise, Fate.keep]


# -- Fides' Postgres example: its imported dataset as the reference -------------------------


@pytest.fixture(scope="module")
def fides(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Register]]:
    with loaded("fides", "postgresql", tmp_path_factory.mktemp("fides")) as url:
        yield url, with_decisions(scaffold_dict(url, FIDES_SYSTEM), "fides")


@pytest.mark.postgres
@pytest.mark.parametrize(
    "email",
    ["jane@example.com", "customer-1@example.com", "customer-2@example.com", "nobody@example.com"],
)
def test_fides_scaffold_finds_what_the_imported_dataset_finds(
    fides: tuple[str, Register], email: str
) -> None:
    url, scaffolded = fides
    mine = found(access(scaffolded, FIDES_SYSTEM, url, "email", email))
    theirs = found(access(fides_register("postgresql"), FIDES_SYSTEM, url, "email", email))
    # The dataset lists the product catalogue (no personal data: the scaffold leaves it out)
    # and declares order_item's key with a third column; the rows are the same.
    theirs.pop("product", None)
    if "order_item" in theirs:
        theirs["order_item"] = [k[:2] for k in theirs["order_item"]]
    assert mine == theirs
    assert live_errors(scaffolded, FIDES_SYSTEM, url) == []
    if email == "jane@example.com":
        assert mine == {
            "address": [("4",)],
            "customer": [("3",)],
            "login": [("8",)],
            "orders": [("ord_ddd-eee",)],
            "payment_card": [("pay_ccc-ccc",)],
        }


# -- Northwind (PostgreSQL): text keys, lookup tables ---------------------------------------

NORTHWIND_TRUTH = {
    "customers": "SELECT customer_id FROM customers WHERE customer_id = :customer",
    "orders": "SELECT order_id FROM orders WHERE customer_id = :customer",
    "order_details": "SELECT d.order_id, d.product_id FROM order_details d "
    "JOIN orders o USING (order_id) WHERE o.customer_id = :customer",
    "customer_customer_demo": "SELECT customer_id, customer_type_id FROM customer_customer_demo "
    "WHERE customer_id = :customer",
}


@pytest.fixture(scope="module")
def northwind(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Register]]:
    with loaded("northwind", "postgresql", tmp_path_factory.mktemp("northwind")) as url:
        yield url, with_decisions(scaffold_dict(url, "northwind"), "northwind")


@pytest.mark.postgres
@pytest.mark.parametrize("customer", ["ALFKI", "BONAP", "FISSA", "PARIS"])
def test_northwind_access_by_customer_code_matches_sql(
    northwind: tuple[str, Register], customer: str
) -> None:
    url, register = northwind
    result = access(register, "northwind", url, "customer_number", customer)
    assert found(result) == truth(url, NORTHWIND_TRUTH, customer=customer)
    assert result.count("northwind", "employees") == 0  # the order's clerk is someone else


@pytest.mark.postgres
def test_northwind_draft_matches_the_live_schema(northwind: tuple[str, Register]) -> None:
    url, register = northwind
    assert live_errors(register, "northwind", url) == []
    assert register.identity_strength("customer_number").value == "unique"
    assert register.table("northwind", "customers").identities["customer_number"] == "customer_id"


@pytest.mark.postgres
def test_northwind_erasure_deletes_only_that_customers_rows(tmp_path: Path) -> None:
    with loaded("northwind", "postgresql", tmp_path) as url:
        register = with_decisions(scaffold_dict(url, "northwind"), "northwind")
        mine = truth(url, NORTHWIND_TRUTH, customer="ALFKI")
        before = {t: dump(url, t, "1") for t in ("customers", "orders", "employees", "shippers")}
        connector = SQLConnector(url, name="northwind")
        try:
            outcome = erase(
                register,
                [Identity("customer_number", "ALFKI")],
                {"northwind": connector},
                now=NOW,
                hash_key=KEY,
                execute=True,
            )
        finally:
            connector.close()
        touched = {
            (r.table, tuple(str(v) for v in r.key.values()))
            for r in outcome.plan.rows
            if r.fate is not Fate.keep
        }
        assert touched == {(t, k) for t, keys in mine.items() for k in keys}
        assert truth(url, NORTHWIND_TRUTH, customer="ALFKI") == {}
        after = {t: dump(url, t, "1") for t in before}
        assert after["customers"] == [r for r in before["customers"] if r[0] != "ALFKI"]
        assert after["orders"] == [r for r in before["orders"] if r[1] != "ALFKI"]
        assert (after["employees"], after["shippers"]) == (before["employees"], before["shippers"])


# -- MyWind (MariaDB): one business phone shared by every customer ---------------------------

MYWIND_TRUTH = {
    "customers": "SELECT id FROM customers WHERE id = :customer",
    "orders": "SELECT id FROM orders WHERE customer_id = :customer",
    "order_details": "SELECT d.id FROM order_details d JOIN orders o ON o.id = d.order_id "
    "WHERE o.customer_id = :customer",
    "invoices": "SELECT i.id FROM invoices i JOIN orders o ON o.id = i.order_id "
    "WHERE o.customer_id = :customer",
}


@pytest.fixture(scope="module")
def mywind(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Register]]:
    with loaded("mywind", "mariadb", tmp_path_factory.mktemp("mywind")) as url:
        yield url, with_decisions(scaffold_dict(url, "mywind"), "mywind")


@pytest.mark.mariadb
def test_mywind_shared_business_phone_is_no_identity(mywind: tuple[str, Register]) -> None:
    url, register = mywind
    customers = register.table("mywind", "customers")
    assert "business_phone" not in {c for _, c in customers.identity_columns()}
    assert dump(url, "customers", "id")[0][6] == "(123)555-0100"
    shared = access(register, "mywind", url, "phone", "(123)555-0100")
    assert result_count(shared, "customers") == 0
    assert live_errors(register, "mywind", url) == []


def result_count(result: AccessResult, table: str) -> int:
    return sum(len(t.rows) for t in result.tables if t.table == table)


@pytest.mark.mariadb
def test_mywind_every_customer_gets_only_their_own_rows(mywind: tuple[str, Register]) -> None:
    url, register = mywind
    ids = [int(r[0]) for r in dump(url, "customers", "id")]
    assert len(ids) == 29
    for customer in ids:
        result = access(register, "mywind", url, "customer_number", str(customer))
        assert found(result) == truth(url, MYWIND_TRUTH, customer=customer), customer


@pytest.mark.mariadb
def test_mywind_erasure_changes_that_customer_only(tmp_path: Path) -> None:
    with loaded("mywind", "mariadb", tmp_path) as url:
        register = with_decisions(scaffold_dict(url, "mywind"), "mywind")
        customer = 4  # Christina Lee, who has orders
        mine = truth(url, MYWIND_TRUTH, customer=customer)
        assert mine["orders"]
        before = {t: dump(url, t, "id") for t in ("customers", "orders", "inventory_transactions")}
        connector = SQLConnector(url, name="mywind")
        try:
            outcome = erase(
                register,
                [Identity("customer_number", str(customer))],
                {"mywind": connector},
                now=NOW,
                hash_key=KEY,
                execute=True,
            )
        finally:
            connector.close()
        touched = {
            (r.table, tuple(str(v) for v in r.key.values()))
            for r in outcome.plan.rows
            if r.fate is not Fate.keep
        }
        assert touched <= {(t, k) for t, keys in mine.items() for k in keys}
        assert ("customers", (str(customer),)) in touched
        after = {t: dump(url, t, "id") for t in before}
        others = [r for r in after["customers"] if r[0] != customer]
        assert others == [r for r in before["customers"] if r[0] != customer]
        assert all(r[6] == "(123)555-0100" for r in others)  # the shared phone stays theirs
        (erased,) = [r for r in after["customers"] if r[0] == customer]
        assert (erased[2], erased[6]) == (None, None)  # last name and business phone erased
        assert len(after["orders"]) == len(before["orders"])  # anonymised, not deleted
        assert after["inventory_transactions"] == before["inventory_transactions"]
