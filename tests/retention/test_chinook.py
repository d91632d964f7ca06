"""Chinook at 2030-06-30: the 166 invoices of 2021-2022 and their lines go, nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from dsr.chinook import REGISTER
from varna.register import load_register
from varna.retention.engines import Engines, SqlCounts
from varna.retention.executor import execute_retention
from varna.retention.models import Action
from varna.retention.planner import plan_retention

NOW = datetime(2030, 6, 30, tzinfo=UTC)


@pytest.fixture
def engines(chinook_url: str) -> Iterator[Engines]:
    found = Engines(
        load_register(REGISTER),
        base_dir=REGISTER.parent,
        environ={"VARNA_CHINOOK_URL": chinook_url},
    )
    yield found
    found.close()


def _scalar(engines: Engines, sql: str) -> int:
    quote = engines.engine("store").dialect.identifier_preparer.quote
    text = sql.format(
        invoice=quote("Invoice"),
        line=quote("InvoiceLine"),
        customer=quote("Customer"),
        id=quote("InvoiceId"),
        date=quote("InvoiceDate"),
    )
    with engines.engine("store").connect() as conn:
        return int(conn.execute(sa.text(text)).scalar_one())


OLD_INVOICES = "SELECT COUNT(*) FROM {invoice} WHERE {date} < '2023-01-01'"
OLD_LINES = (
    "SELECT COUNT(*) FROM {line} WHERE {id} IN "
    "(SELECT {id} FROM {invoice} WHERE {date} < '2023-01-01')"
)


def test_plan_and_run(engines: Engines) -> None:
    register = load_register(REGISTER)
    old_lines = _scalar(engines, OLD_LINES)
    lines, invoices = (
        _scalar(engines, "SELECT COUNT(*) FROM " + t) for t in ("{line}", "{invoice}")
    )
    customers = _scalar(engines, "SELECT COUNT(*) FROM {customer}")
    assert _scalar(engines, OLD_INVOICES) == 166

    plan = plan_retention(register, now=NOW, counts=SqlCounts(engines))
    by_table = {t.table: t for t in plan.tables}
    assert [t.table for t in plan.tables].index("InvoiceLine") < [
        t.table for t in plan.tables
    ].index("Invoice")
    assert (by_table["Invoice"].expiring, by_table["Invoice"].action) == (166, Action.delete_row)
    assert (by_table["InvoiceLine"].expiring, by_table["InvoiceLine"].follows) == (
        old_lines,
        "Invoice",
    )
    assert by_table["Customer"].action is Action.none
    assert by_table["Invoice"].examples == ((1,), (2,), (3,))

    result = execute_retention(plan, engines=engines, hash_key=b"k" * 32, batch=50)
    assert result.counts == {("store", "InvoiceLine"): old_lines, ("store", "Invoice"): 166}
    assert {
        k: t.expiring for k, t in ((("store", t.table), t) for t in plan.tables) if t.expiring
    } == result.counts

    assert _scalar(engines, OLD_INVOICES) == 0
    assert _scalar(engines, "SELECT COUNT(*) FROM {invoice}") == invoices - 166
    assert _scalar(engines, "SELECT COUNT(*) FROM {line}") == lines - old_lines
    assert _scalar(engines, "SELECT COUNT(*) FROM {customer}") == customers

    again = plan_retention(register, now=NOW, counts=SqlCounts(engines))
    assert again.expiring == 0
    assert execute_retention(again, engines=engines, hash_key=b"k" * 32).total == 0


def test_one_day_earlier_keeps_2022(engines: Engines) -> None:
    plan = plan_retention(
        load_register(REGISTER), now=datetime(2029, 12, 31, tzinfo=UTC), counts=SqlCounts(engines)
    )
    invoices = next(t for t in plan.tables if t.table == "Invoice")
    assert invoices.expiring == _scalar(
        engines, "SELECT COUNT(*) FROM {invoice} WHERE {date} < '2022-01-01'"
    )
    assert 0 < invoices.expiring < 166
