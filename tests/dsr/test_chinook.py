"""Chinook acceptance: the same request gives the same answer on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from pathlib import Path

from varna.connectors import SQLConnector
from varna.dsr.access import execute_access
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
