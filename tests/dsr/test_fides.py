"""Fides interop acceptance: the imported Fides example dataset answers a request on PostgreSQL,
SQLite and MariaDB with exactly the rows Fides' own graph reaches, and erasure masks the fields
as the dataset says.

Facts, from the sample data and the dataset's reference directions (Fides' tests check the same
sample: erasing customer-2 leaves the rows of customer-1 and jane@example.com untouched):
jane@example.com is customer 3, living at address 4, with one order (``ord_ddd-eee``, shipped to
address 4, which has no order items), one payment card (``pay_ccc-ccc``, billed to address 4) and
one login (8). She is no employee, opened no service request, wrote no report, left no visit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from connectors.samples import kinds, loaded
from varna.connectors import SQLConnector
from varna.dsr.access import AccessResult, execute_access
from varna.dsr.executor import erase
from varna.dsr.identity import Identity
from varna.register import Register

from .fides import EMAIL, SYSTEM, fides_register
from .shop import NOW

JANE_ROWS = {
    "address": [{"id": 4}],
    "customer": [{"id": 3}],
    "login": [{"id": 8}],
    "orders": [{"id": "ord_ddd-eee"}],
    "payment_card": [{"id": "pay_ccc-ccc"}],
}


@dataclass(frozen=True, slots=True)
class FidesDb:
    register: Register
    connector: SQLConnector
    url: str


@pytest.fixture(params=kinds("fides"))
def fides_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FidesDb]:
    """A fresh database of each kind holding Fides' sample, and the imported register."""
    with loaded("fides", request.param, tmp_path) as url:
        connector = SQLConnector(url, name=SYSTEM)
        try:
            yield FidesDb(fides_register(request.param), connector, url)
        finally:
            connector.close()


def access(db: FidesDb, kind: str, value: str) -> AccessResult:
    return execute_access(
        db.register, [Identity(kind, value)], {SYSTEM: db.connector}, now=NOW, lang="en"
    )


def keys(result: AccessResult) -> dict[str, list[dict[str, Any]]]:
    return {
        t.table: sorted((dict(r.key) for r in t.rows), key=str) for t in result.tables if t.rows
    }


def values(result: AccessResult, table: str) -> dict[str, Any]:
    ((row,),) = [t.rows for t in result.tables if t.table == table]
    return {f.name: f.value for f in row.fields}


def test_access_for_jane_returns_exactly_the_rows_fides_reaches(
    fides_db: FidesDb,
) -> None:
    result = access(fides_db, "email", EMAIL)
    assert keys(result) == JANE_ROWS
    assert {t.table: len(t.rows) for t in result.tables if t.rows} == {
        "address": 1,
        "customer": 1,
        "login": 1,
        "orders": 1,
        "payment_card": 1,
    }
    customer = values(result, "customer")
    assert {k: customer[k] for k in ("email", "id", "name")} == {
        "email": EMAIL,
        "id": 3,
        "name": "Jane Customer",
    }
    # the columns the dataset does not declare are shown too (Art. 15(3): a copy of the data)
    assert set(customer) == {"email", "id", "name", "address_id", "created"}
    address = values(result, "address")
    assert (address["street"], address["city"], address["state"], str(address["zip"])) == (
        "Example Place",
        "Example Mountain",
        "TX",
        "54321",
    )
    card = values(result, "payment_card")
    assert (card["name"], int(card["ccn"]), int(card["code"])) == ("Example Card 3", 373719391, 222)


def test_a_from_reference_is_not_followed_backwards(
    fides_db: FidesDb,
) -> None:
    """customer-1's service request names employee 1, but the dataset's reference runs from the
    employee to the request only: Fides does not reach the employee, neither does Varna."""
    result = access(fides_db, "email", "customer-1@example.com")
    found = keys(result)
    assert found["service_request"] == [{"id": "ser_aaa-aaa"}]
    assert [r["email"] for r in found["visit"]] == ["customer-1@example.com"]
    assert "employee" not in found
    assert [r["id"] for r in found["orders"]] == ["ord_aaa-aaa", "ord_ccc-ccc", "ord_ddd-ddd"]
    assert [r["id"] for r in found["address"]] == [1, 2]


def test_erasure_for_jane_nulls_her_fields_and_keeps_keys_and_shared_rows(
    fides_db: FidesDb,
) -> None:
    before = table_rows(fides_db.url)
    outcome = erase(
        fides_db.register,
        [Identity("email", EMAIL)],
        {SYSTEM: fides_db.connector},
        now=NOW,
        hash_key=b"k" * 32,
        execute=True,
    )
    after = table_rows(fides_db.url)
    (receipt,) = outcome.receipts
    assert (receipt.updated, receipt.deleted) == (4, 0)
    assert after["customer"][3] == {**before["customer"][3], "email": None, "name": None}
    assert after["payment_card"]["pay_ccc-ccc"] == {
        **before["payment_card"]["pay_ccc-ccc"],
        "name": None,
        "ccn": None,
        "code": None,
        "preferred": None,
        "customer_id": None,
    }
    assert after["login"][8] == {**before["login"][8], "customer_id": None, "time": None}
    assert after["orders"]["ord_ddd-eee"] == {
        **before["orders"]["ord_ddd-eee"],
        "customer_id": None,
    }
    changed = {
        (table, key)
        for table, rows in before.items()
        for key, row in rows.items()
        if after[table][key] != row
    }
    assert changed == {
        ("customer", 3),
        ("payment_card", "pay_ccc-ccc"),
        ("login", 8),
        ("orders", "ord_ddd-eee"),
    }  # address 4 is reached through her rows only, and other people's rows may point at it
    assert not access(fides_db, "email", EMAIL).found


def test_erasing_customer_2_touches_neither_customer_1_nor_jane(fides_db: FidesDb) -> None:
    """Fides' own Postgres erasure tests on this sample: after erasing customer-2@example.com
    her e-mail is gone, her card's name, number and code are null, and the rows of
    customer-1@example.com and jane@example.com are untouched."""
    before = table_rows(fides_db.url)
    erase(
        fides_db.register,
        [Identity("email", "customer-2@example.com")],
        {SYSTEM: fides_db.connector},
        now=NOW,
        hash_key=b"k" * 32,
        execute=True,
    )
    after = table_rows(fides_db.url)
    assert after["customer"][2]["email"] is None
    card = after["payment_card"]["pay_bbb-bbb"]
    assert (card["name"], card["ccn"], card["code"]) == (None, None, None)
    assert after["customer"][1] == before["customer"][1]
    assert after["customer"][3] == before["customer"][3]
    assert after["payment_card"]["pay_ccc-ccc"] == before["payment_card"]["pay_ccc-ccc"]


def test_erasure_follows_the_masking_override_of_the_employee_name(
    fides_db: FidesDb,
) -> None:
    """The dataset rewrites employee.name to 'testing' with the suffix '-test' (string_rewrite
    with format preservation); the e-mail address, with no override, is nulled."""
    before = table_rows(fides_db.url)
    erase(
        fides_db.register,
        [Identity("email", "employee-2@example.com")],
        {SYSTEM: fides_db.connector},
        now=NOW,
        hash_key=b"k" * 32,
        execute=True,
    )
    after = table_rows(fides_db.url)
    assert after["employee"][2] == {
        **before["employee"][2],
        "name": "testing-test",
        "email": None,
    }
    assert after["employee"][1] == before["employee"][1]
    assert after["service_request"]["ser_ddd-ddd"] == {
        **before["service_request"]["ser_ddd-ddd"],
        "employee_id": None,
    }
    assert after["address"] == before["address"]


_KEYS = {
    "customer": "id",
    "payment_card": "id",
    "login": "id",
    "orders": "id",
    "address": "id",
    "employee": "id",
    "service_request": "id",
}


def table_rows(url: str) -> dict[str, dict[Any, dict[str, Any]]]:
    """Every row of the tables erasure may touch, read straight from the database."""
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            return {
                table: {
                    row[key]: dict(row)
                    for row in conn.execute(sa.text(f"SELECT * FROM {table}")).mappings()
                }
                for table, key in _KEYS.items()
            }
    finally:
        engine.dispose()
