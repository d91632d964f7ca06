"""Retention on sample databases nobody here designed, scaffolded and given only the human
decisions (``register/scaffold/*-retention.yaml``), run through the service as ``varna retention
run --execute`` runs it, and checked against SQL ground truth computed from the law in the test:

- Northwind (PostgreSQL): orders and their lines under the bookkeeping hold. The rows whose hold
  has ended go, the lines with their orders in the same run; the rest stay; customers, who have
  no date of their own, are listed as not swept, never deleted in silence.
- MyWind (MariaDB), with stock movements pointed at some orders (ordinary data the sample lacks):
  an order whose hold ended but that a stock movement still refers to is not deleted; its
  shipping address is erased instead, and its lines and invoices go.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from connectors.samples import database, load_mywind, load_northwind
from register.scaffold_samples import decided_text, scaffold_dict
from varna.core import Varna
from varna.register import parse_register
from varna.settings import Settings

Keys = dict[str, set[tuple[str, ...]]]


def cutoff(at: date) -> date:
    """The first day still held by Bokföringslagen 7 kap. 2 § on day ``at`` (calendar fiscal
    years): records are kept to the end of the seventh year after the year they belong to."""
    return date(at.year - 7, 1, 1)


def keys(url: str, queries: dict[str, str], **params: Any) -> Keys:
    """table -> primary keys (as text) each query returns."""
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            return {
                table: {tuple(str(v) for v in row) for row in conn.execute(sa.text(sql), params)}
                for table, sql in queries.items()
            }
    finally:
        engine.dispose()


def swept(
    url: str, system: str, overlays: tuple[str, ...], at: date, home: Path
) -> tuple[Any, dict[str, Any]]:
    """Plan, then run with execute, retention as of ``at``: the plan's tables by name, and the
    run's counts by table."""
    text = decided_text(scaffold_dict(url, system), *overlays)
    path = home / f"{system}.yaml"
    path.write_text(text, encoding="utf-8")
    environ = {**os.environ, f"VARNA_{system.upper()}_URL": url}
    settings = Settings(home=home / "state", audit_key="k" * 32)
    varna = Varna(settings, register=parse_register(text, source=path.name), register_path=path)
    now = datetime(at.year, at.month, at.day, 12, tzinfo=UTC)
    try:
        plan = varna.run_retention(now=now, environ=environ).plan
        run = varna.run_retention(now=now, environ=environ, execute=True)
        assert varna.audit.verify().ok
    finally:
        varna.close()
    assert run.result is not None
    return {t.table: t for t in plan.tables}, {t: n for (_, t), n in run.result.counts.items()}


# -- Northwind (PostgreSQL) ------------------------------------------------------------------

NORTHWIND_ROWS = {
    "orders": "SELECT order_id FROM orders",
    "order_details": "SELECT order_id, product_id FROM order_details",
    "customers": "SELECT customer_id FROM customers",
    "employees": "SELECT employee_id FROM employees",
}
NORTHWIND_ENDED = {
    "orders": "SELECT order_id FROM orders WHERE order_date < :cutoff",
    "order_details": "SELECT d.order_id, d.product_id FROM order_details d "
    "JOIN orders o USING (order_id) WHERE o.order_date < :cutoff",
}


@pytest.fixture
def northwind() -> Iterator[str]:
    with database("postgresql") as url:
        load_northwind(url)
        yield url


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("at", "ended"),
    [
        pytest.param(date(2003, 6, 1), {"orders": 0, "order_details": 0}, id="all-held"),
        pytest.param(date(2004, 6, 1), {"orders": 152, "order_details": 405}, id="1996-ends"),
        pytest.param(date(2005, 6, 1), {"orders": 560, "order_details": 1464}, id="1997-ends"),
        pytest.param(date(2006, 1, 2), {"orders": 830, "order_details": 2155}, id="all-end"),
    ],
)
def test_northwind_rows_go_when_their_hold_ends(
    northwind: str, tmp_path: Path, at: date, ended: dict[str, int]
) -> None:
    url = northwind
    before = keys(url, NORTHWIND_ROWS)
    gone = keys(url, NORTHWIND_ENDED, cutoff=cutoff(at))
    assert {t: len(k) for t, k in gone.items()} == ended  # the law, read in SQL
    plan, counts = swept(url, "northwind", ("northwind", "northwind-retention"), at, tmp_path)
    after = keys(url, NORTHWIND_ROWS)
    for table in ("orders", "order_details"):
        assert plan[table].expiring == len(gone[table]), table
        assert after[table] == before[table] - gone[table], table
        assert counts.get(table, 0) == len(gone[table]), table
    for table in ("orders", "order_details"):  # the lines held through their orders, too
        assert plan[table].held == len(before[table]) - len(gone[table]), table
        assert plan[table].excluded == 0, table
    assert (after["customers"], after["employees"]) == (before["customers"], before["employees"])
    assert plan["customers"].reason is not None
    assert "transaction_date" in plan["customers"].reason  # listed, with why


# -- MyWind (MariaDB) ------------------------------------------------------------------------

MYWIND_ROWS = {
    "orders": "SELECT id FROM orders",
    "order_details": "SELECT id FROM order_details",
    "invoices": "SELECT id FROM invoices",
    "customers": "SELECT id FROM customers",
    "inventory_transactions": "SELECT id FROM inventory_transactions",
}
STOCKED = (30, 31, 32)
"""Orders a stock movement will refer to (``inventory_transactions.customer_order_id``)."""


@pytest.fixture
def mywind() -> Iterator[str]:
    with database("mariadb") as url:
        load_mywind(url)
        engine = sa.create_engine(url, poolclass=sa.NullPool)
        with engine.begin() as conn:
            movements = conn.execute(
                sa.text("SELECT id FROM inventory_transactions ORDER BY id LIMIT 3")
            ).scalars()
            for movement, order in zip(list(movements), STOCKED, strict=True):
                conn.execute(
                    sa.text(
                        "UPDATE inventory_transactions SET customer_order_id = :o WHERE id = :i"
                    ),
                    {"o": order, "i": movement},
                )
        engine.dispose()
        yield url


def shipping(url: str, order: int) -> tuple[Any, ...]:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.text("SELECT ship_name, ship_address FROM orders WHERE id = :o"), {"o": order}
            ).one()
    finally:
        engine.dispose()
    return tuple(row)


@pytest.mark.mariadb
def test_mywind_an_order_a_stock_movement_refers_to_is_anonymised_not_deleted(
    mywind: str, tmp_path: Path
) -> None:
    url = mywind
    before = keys(url, MYWIND_ROWS)
    assert all(shipping(url, o)[1] for o in STOCKED)  # addresses to erase
    at = date(2014, 6, 1)  # every 2006 record's hold ended at the end of 2013
    plan, counts = swept(url, "mywind", ("mywind", "mywind-retention"), at, tmp_path)
    after = keys(url, MYWIND_ROWS)
    kept = {(str(o),) for o in STOCKED}
    assert after["orders"] == kept
    assert plan["orders"].expiring == len(before["orders"]) - len(kept)  # deleted
    assert plan["orders"].referenced == plan["orders"].anonymised_referenced == len(kept)
    assert counts["orders"] == len(before["orders"])  # the deleted and the anonymised
    assert "inventory_transactions" in plan["orders"].referenced_by
    assert all(shipping(url, o) == (None, None) for o in STOCKED)
    assert after["order_details"] == set()
    assert after["invoices"] == set()
    assert after["customers"] == before["customers"]
    assert after["inventory_transactions"] == before["inventory_transactions"]


@pytest.mark.mariadb
def test_mywind_nothing_goes_while_the_hold_lasts(mywind: str, tmp_path: Path) -> None:
    url = mywind
    before = keys(url, MYWIND_ROWS)
    plan, counts = swept(url, "mywind", ("mywind", "mywind-retention"), date(2013, 6, 1), tmp_path)
    assert keys(url, MYWIND_ROWS) == before
    assert sum(counts.values()) == 0
    assert plan["orders"].held == len(before["orders"])
