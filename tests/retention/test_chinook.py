"""Chinook at 2030-06-30: the 166 invoices of 2021-2022 and their lines go, nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from dsr.chinook import REGISTER
from varna.connectors import ConnectorPool
from varna.register import load_register
from varna.retention.counts import ConnectorCounts
from varna.retention.executor import execute_retention
from varna.retention.models import Action
from varna.retention.planner import plan_retention

NOW = datetime(2030, 6, 30, tzinfo=UTC)


class Store:
    """Chinook's connectors, and an engine for ground truth in SQL."""

    def __init__(self, url: str) -> None:
        environ = {"VARNA_CHINOOK_URL": url}
        self.connectors = ConnectorPool(
            load_register(REGISTER), base_dir=REGISTER.parent, environ=environ
        )
        self.counts = ConnectorCounts(self.connectors)
        self.engine = sa.create_engine(url)


@pytest.fixture
def engines(chinook_url: str) -> Iterator[Store]:
    found = Store(chinook_url)
    yield found
    found.connectors.close()
    found.engine.dispose()


def _scalar(engines: Store, sql: str) -> int:
    quote = engines.engine.dialect.identifier_preparer.quote
    text = sql.format(
        invoice=quote("Invoice"),
        line=quote("InvoiceLine"),
        customer=quote("Customer"),
        id=quote("InvoiceId"),
        date=quote("InvoiceDate"),
    )
    with engines.engine.connect() as conn:
        return int(conn.execute(sa.text(text)).scalar_one())


OLD_INVOICES = "SELECT COUNT(*) FROM {invoice} WHERE {date} < '2023-01-01'"
OLD_LINES = (
    "SELECT COUNT(*) FROM {line} WHERE {id} IN "
    "(SELECT {id} FROM {invoice} WHERE {date} < '2023-01-01')"
)


def test_plan_and_run(engines: Store) -> None:
    register = load_register(REGISTER)
    old_lines = _scalar(engines, OLD_LINES)
    lines, invoices = (
        _scalar(engines, "SELECT COUNT(*) FROM " + t) for t in ("{line}", "{invoice}")
    )
    customers = _scalar(engines, "SELECT COUNT(*) FROM {customer}")
    assert _scalar(engines, OLD_INVOICES) == 166

    plan = plan_retention(register, now=NOW, counts=engines.counts)
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

    result = execute_retention(plan, connectors=engines.connectors, hash_key=b"k" * 32, batch=50)
    assert result.counts == {("store", "InvoiceLine"): old_lines, ("store", "Invoice"): 166}
    assert {
        k: t.expiring for k, t in ((("store", t.table), t) for t in plan.tables) if t.expiring
    } == result.counts

    assert _scalar(engines, OLD_INVOICES) == 0
    assert _scalar(engines, "SELECT COUNT(*) FROM {invoice}") == invoices - 166
    assert _scalar(engines, "SELECT COUNT(*) FROM {line}") == lines - old_lines
    assert _scalar(engines, "SELECT COUNT(*) FROM {customer}") == customers

    again = plan_retention(register, now=NOW, counts=engines.counts)
    assert again.expiring == 0
    assert execute_retention(again, connectors=engines.connectors, hash_key=b"k" * 32).total == 0


def test_one_day_earlier_keeps_2022(engines: Store) -> None:
    plan = plan_retention(
        load_register(REGISTER), now=datetime(2029, 12, 31, tzinfo=UTC), counts=engines.counts
    )
    invoices = next(t for t in plan.tables if t.table == "Invoice")
    assert invoices.expiring == _scalar(
        engines, "SELECT COUNT(*) FROM {invoice} WHERE {date} < '2022-01-01'"
    )
    assert 0 < invoices.expiring < 166
