"""Chinook acceptance: the same request gives the same answer on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from pathlib import Path

from varna.connectors import SQLConnector
from varna.dsr.access import AccessResult, execute_access
from varna.dsr.executor import erase
from varna.dsr.identity import Identity
from varna.register import load_register

from .chinook import CUSTOMER_ID, EMAIL, REGISTER
from .shop import NOW


def test_access_finds_the_customer_his_invoices_and_lines_but_not_his_support_rep(
    chinook_url: str,
) -> None:
    register = load_register(REGISTER)
    store = SQLConnector(chinook_url, name="store")
    try:
        result = execute_access(
            register, [Identity("email", EMAIL)], {"store": store}, now=NOW, lang="sv"
        )
    finally:
        store.close()
    counts = {t.table: len(t.rows) for t in result.tables}
    assert counts == {"Customer": 1, "Invoice": 7, "InvoiceLine": 38}
    customer = result.tables[0].rows[0]
    assert customer.key == {"CustomerId": CUSTOMER_ID}
    assert {f.name: f.value for f in customer.fields}["LastName"] == "Johansson"
    assert result.count("store", "Employee") == 0
    assert any("SupportRepId" in text for text in result.other_people)
    assert Path(REGISTER).name == "chinook.yaml"


def test_erasure_anonymises_the_customer_and_billing_addresses_and_keeps_the_invoices(
    chinook_url: str,
) -> None:
    register = load_register(REGISTER)
    store = SQLConnector(chinook_url, name="store")
    try:
        before = execute_access(
            register,
            [Identity("customer_number", str(CUSTOMER_ID))],
            {"store": store},
            now=NOW,
            lang="en",
        )
        rep = store.find("Employee", "EmployeeId", [5], columns=["EmployeeId", "LastName", "Email"])
        outcome = erase(
            register,
            [Identity("email", EMAIL)],
            {"store": store},
            now=NOW,
            hash_key=b"k" * 32,
            execute=True,
        )
        after = execute_access(
            register,
            [Identity("customer_number", str(CUSTOMER_ID))],
            {"store": store},
            now=NOW,
            lang="en",
        )
        by_email = execute_access(
            register, [Identity("email", EMAIL)], {"store": store}, now=NOW, lang="en"
        )
        rep_after = store.find(
            "Employee", "EmployeeId", [5], columns=["EmployeeId", "LastName", "Email"]
        )
    finally:
        store.close()
    (receipt,) = outcome.receipts
    assert (receipt.updated, receipt.deleted, receipt.kept) == (8, 0, 38)
    assert {t.table: len(t.rows) for t in after.tables} == {
        "Customer": 1,
        "Invoice": 7,
        "InvoiceLine": 38,
    }

    customer = values(after, "Customer")[0]
    assert str(customer["Email"]).startswith("h:")
    assert {k: v for k, v in customer.items() if k != "Email"} == {
        "CustomerId": CUSTOMER_ID,  # columns the register does not declare are shown too (15(3))
        "SupportRepId": 5,
        "FirstName": "-",
        "LastName": "-",
        "Company": None,
        "Address": None,
        "City": None,
        "State": None,
        "Country": "Sweden",
        "PostalCode": None,
        "Phone": None,
        "Fax": None,
    }
    for old, new in zip(values(before, "Invoice"), values(after, "Invoice"), strict=True):
        assert new == {
            **old,
            "BillingAddress": None,
            "BillingCity": None,
            "BillingState": None,
            "BillingPostalCode": None,
        }
        assert new["BillingCountry"] == "Sweden"
    assert values(after, "InvoiceLine") == values(before, "InvoiceLine")
    assert rep_after == rep
    assert not by_email.found  # the e-mail address is gone


def values(result: AccessResult, table: str) -> list[dict[str, object]]:
    (t,) = [t for t in result.tables if t.table == table]
    rows = sorted(t.rows, key=lambda r: str(r.key))
    return [{f.name: f.value for f in r.fields} for r in rows]
