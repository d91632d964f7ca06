"""Retention on sample databases nobody here designed, scaffolded and given only the human
decisions (``register/scaffold/*-retention.yaml``), run through the service as ``varna retention
run --execute`` runs it, and checked against SQL ground truth computed from the law in the test:

- Chinook (SQLite, PostgreSQL, MariaDB), a run a year apart until every hold has ended: invoices
  and their lines under the bookkeeping hold go together when it ends. With the hold on the
  lines only, an invoice whose own 24 months are over stays while its held lines refer to it
  (its billing address erased) and goes in the same run as its lines when their hold ends.
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

from connectors.samples import Keys, keys, kinds, loaded
from register.scaffold_samples import decided_text, scaffold_dict
from varna.core import Varna
from varna.register import parse_register
from varna.settings import Settings


def cutoff(at: date) -> date:
    """The first day still held by Bokföringslagen 7 kap. 2 § on day ``at`` (calendar fiscal
    years): records are kept to the end of the seventh year after the year they belong to."""
    return date(at.year - 7, 1, 1)


class Sweeper:
    """The scaffolded register of the database at ``url`` with the decisions of ``overlays``,
    swept through the service as of any day (one state for every run, so one audit chain)."""

    def __init__(self, url: str, system: str, overlays: tuple[str, ...], home: Path) -> None:
        self.text = decided_text(scaffold_dict(url, system), *overlays)
        self.path = home / f"{system}.yaml"
        self.path.write_text(self.text, encoding="utf-8")
        self.environ = {**os.environ, f"VARNA_{system.upper()}_URL": url}
        self.settings = Settings(home=home / "state", audit_key="k" * 32)

    def sweep(self, at: date) -> tuple[dict[str, Any], dict[str, int]]:
        """Plan, then run with execute, retention as of ``at``: the plan's tables by name, and
        the run's counts by table."""
        register = parse_register(self.text, source=self.path.name)
        varna = Varna(self.settings, register=register, register_path=self.path)
        now = datetime(at.year, at.month, at.day, 12, tzinfo=UTC)
        try:
            plan = varna.run_retention(now=now, environ=self.environ).plan
            run = varna.run_retention(now=now, environ=self.environ, execute=True)
            assert varna.audit.verify().ok
        finally:
            varna.close()
        assert run.result is not None
        return {t.table: t for t in plan.tables}, {t: n for (_, t), n in run.result.counts.items()}


def swept(
    url: str, system: str, overlays: tuple[str, ...], at: date, home: Path
) -> tuple[dict[str, Any], dict[str, int]]:
    """One sweep as of ``at`` (see :class:`Sweeper`)."""
    return Sweeper(url, system, overlays, home).sweep(at)


# -- Chinook (SQLite, PostgreSQL, MariaDB) ---------------------------------------------------

CHINOOK_ROWS = {
    "Invoice": "SELECT {InvoiceId} FROM {Invoice}",
    "InvoiceLine": "SELECT {InvoiceLineId} FROM {InvoiceLine}",
    "Customer": "SELECT {CustomerId} FROM {Customer}",
    "anonymised": "SELECT {InvoiceId} FROM {Invoice} WHERE {BillingAddress} IS NULL",
}
CHINOOK_BOTH_HELD = {
    # every row under the hold: rows go when it has ended (the 24 months end first)
    "Invoice": "SELECT {InvoiceId} FROM {Invoice} WHERE {InvoiceDate} < :held",
    "InvoiceLine": "SELECT l.{InvoiceLineId} FROM {InvoiceLine} l JOIN {Invoice} i "
    "ON i.{InvoiceId} = l.{InvoiceId} WHERE i.{InvoiceDate} < :held",
    "anonymised": "SELECT {InvoiceId} FROM {Invoice} WHERE 1 = 0",
}
CHINOOK_LINES_HELD = {
    # a head goes after its 24 months unless a line whose hold lasts refers to it
    "Invoice": "SELECT i.{InvoiceId} FROM {Invoice} i WHERE i.{InvoiceDate} < :period "
    "AND (i.{InvoiceDate} < :held OR NOT EXISTS (SELECT 1 FROM {InvoiceLine} l "
    "WHERE l.{InvoiceId} = i.{InvoiceId}))",
    "InvoiceLine": CHINOOK_BOTH_HELD["InvoiceLine"],
    # the heads kept for their held lines, their billing address erased
    "anonymised": "SELECT i.{InvoiceId} FROM {Invoice} i WHERE i.{InvoiceDate} < :period "
    "AND i.{InvoiceDate} >= :held AND EXISTS (SELECT 1 FROM {InvoiceLine} l "
    "WHERE l.{InvoiceId} = i.{InvoiceId})",
}
CHINOOK_NAMES = (
    *("Invoice", "InvoiceLine", "Customer", "InvoiceId", "InvoiceLineId", "CustomerId"),
    *("InvoiceDate", "BillingAddress"),
)
CHINOOK_YEARS = (date(2027, 6, 1), date(2029, 6, 1), date(2031, 3, 1), date(2033, 1, 2))
"""Runs a year or two apart, from before any hold ends (the invoices are of 2021-2025) to after
every hold has ended."""


def quoted(url: str, queries: dict[str, str]) -> dict[str, str]:
    """``queries`` with every ``{Name}`` an identifier quoted for the database at ``url``."""
    quote = sa.create_engine(url, poolclass=sa.NullPool).dialect.identifier_preparer.quote
    names = {n: quote(n) for n in CHINOOK_NAMES}
    return {table: sql.format(**names) for table, sql in queries.items()}


def moments(at: date) -> dict[str, str]:
    """The cut-offs on day ``at``: the bookkeeping hold's (:func:`cutoff`) and the 24 months'."""
    return {"held": f"{cutoff(at)} 00:00:00", "period": f"{at.year - 2}-{at:%m-%d} 00:00:00"}


@pytest.mark.parametrize("kind", kinds("chinook"))
@pytest.mark.parametrize(
    ("overlays", "truth"),
    [
        pytest.param(("chinook-retention",), CHINOOK_BOTH_HELD, id="invoices-and-lines-held"),
        pytest.param(
            ("chinook-retention", "chinook-lines-held"), CHINOOK_LINES_HELD, id="lines-held"
        ),
    ],
)
def test_chinook_rows_go_with_the_rows_that_kept_them(
    kind: str, overlays: tuple[str, ...], truth: dict[str, str], tmp_path: Path
) -> None:
    with loaded("chinook", kind, tmp_path) as url:
        rows = quoted(url, CHINOOK_ROWS)
        before = keys(url, rows)
        assert (len(before["Invoice"]), len(before["InvoiceLine"])) == (412, 2240)
        # the law, read in SQL on the untouched database, for every day of the runs
        expected = {at: keys(url, quoted(url, truth), **moments(at)) for at in CHINOOK_YEARS}
        # every invoice has lines: the heads go when the hold on the lines ends either way
        assert [len(expected[at]["Invoice"]) for at in CHINOOK_YEARS] == [0, 83, 249, 412]
        sweeper = Sweeper(url, "store", ("chinook", *overlays), tmp_path)
        previous: Keys = {"Invoice": set(), "InvoiceLine": set(), "anonymised": set()}
        for at in CHINOOK_YEARS:
            plan, counts = sweeper.sweep(at)
            now = expected[at]
            gone = {t: now[t] - previous[t] for t in ("Invoice", "InvoiceLine")}
            anonymised = now["anonymised"] - previous["anonymised"] - now["Invoice"]
            after = keys(url, rows)
            assert after["InvoiceLine"] == before["InvoiceLine"] - now["InvoiceLine"], at
            assert after["Invoice"] == before["Invoice"] - now["Invoice"], at
            assert after["anonymised"] == now["anonymised"] - now["Invoice"], at
            assert after["Customer"] == before["Customer"], at
            assert plan["InvoiceLine"].expiring == len(gone["InvoiceLine"]), at
            assert plan["Invoice"].expiring == len(gone["Invoice"]), at
            assert plan["Invoice"].anonymised_referenced == len(anonymised), at
            assert counts.get("InvoiceLine", 0) == len(gone["InvoiceLine"]), at
            assert counts.get("Invoice", 0) == len(gone["Invoice"]) + len(anonymised), at
            order = list(plan)
            assert order.index("InvoiceLine") < order.index("Invoice")  # children first
            assert "transaction_date" in (plan["Customer"].reason or "")  # listed, with why
            previous = now
        assert keys(url, rows)["Invoice"] == set()  # every hold over: all gone, none left


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
def northwind(tmp_path: Path) -> Iterator[str]:
    with loaded("northwind", "postgresql", tmp_path) as url:
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
def mywind(tmp_path: Path) -> Iterator[str]:
    with loaded("mywind", "mariadb", tmp_path) as url:
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


# -- Fides' Postgres example (SQLite, PostgreSQL, MariaDB) -----------------------------------

FIDES_SYSTEM = "postgres_example_test_dataset"
FIDES_ROWS = {"service_request": "SELECT id FROM service_request"}
FIDES_CLOSED_BEFORE = {"service_request": "SELECT id FROM service_request WHERE closed < :day"}
"""Service requests closed before ``day`` (one still open has no closing day: never among them)."""


@pytest.mark.parametrize("kind", kinds("fides"))
@pytest.mark.parametrize(
    ("at", "ended"),
    [
        pytest.param(date(2022, 1, 2), 0, id="none-yet"),
        pytest.param(date(2022, 6, 1), 2, id="closed-2020"),
        pytest.param(date(2023, 2, 1), 3, id="all-closed"),
    ],
)
def test_fides_service_requests_go_24_months_after_they_closed(
    kind: str, at: date, ended: int, tmp_path: Path
) -> None:
    with loaded("fides", kind, tmp_path) as url:
        before = keys(url, FIDES_ROWS)["service_request"]
        day = date(at.year - 2, at.month, at.day)
        gone = keys(url, FIDES_CLOSED_BEFORE, day=day)["service_request"]
        plan, counts = swept(url, FIDES_SYSTEM, ("fides", "fides-retention"), at, tmp_path)
        after = keys(url, FIDES_ROWS)["service_request"]
    assert len(gone) == ended  # the open request (no closing day) is never among them
    assert after == before - gone
    assert plan["service_request"].expiring == len(gone)
    assert counts.get("service_request", 0) == len(gone)
    assert plan["customer"].reason is not None  # no rule decided yet: listed, not swept
