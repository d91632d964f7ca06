"""A property, tried on random data and clocks: a retention run never deletes or changes a row
under a legal hold, and it does exactly what its plan said.

The oracle is independent of the planner: :func:`varna.law.bookkeeping.bookkeeping_erasable_from`
says from which day a voucher may go (Bokföringslagen 7 kap. 2 §, fiscal years from 1 May as in
the small shop's register)."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from varna.law.bookkeeping import FiscalYear, bookkeeping_erasable_from
from varna.retention.run import run_retention

from .small import small_register, small_sqlite

FISCAL = FiscalYear(5)
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))


def rows(conn: sa.Connection, sql: str) -> dict[int, tuple[object, ...]]:
    return {r[0]: tuple(r) for r in conn.execute(sa.text(sql))}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    orders=st.lists(days, min_size=1, max_size=8),
    payments=st.lists(st.tuples(days, days), min_size=1, max_size=8),
    now=st.dates(min_value=date(2024, 1, 1), max_value=date(2040, 12, 31)),
)
def test_nothing_held_is_deleted_and_the_run_does_the_plan(
    orders: list[date], payments: list[tuple[date, date]], now: date
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = small_sqlite(Path(tmp) / "shop.db")
        engine = sa.create_engine(url, poolclass=sa.NullPool)
        with engine.begin() as conn:
            for table in ("order_lines", "orders", "payments"):
                conn.exec_driver_sql(f"DELETE FROM {table}")
            for i, day in enumerate(orders, 1):
                conn.exec_driver_sql(
                    "INSERT INTO orders VALUES (?, NULL, ?, ?)", (i, day.isoformat(), i)
                )
                conn.exec_driver_sql("INSERT INTO order_lines VALUES (?, 1, ?)", (i, i))
            for i, (created, paid) in enumerate(payments, 1):
                conn.exec_driver_sql(
                    "INSERT INTO payments VALUES (?, ?, ?, ?)",
                    (i, created.isoformat(), paid.isoformat(), i),
                )
            before_orders = rows(conn, "SELECT * FROM orders")
            before_lines = rows(conn, "SELECT * FROM order_lines")
            before_payments = rows(conn, "SELECT * FROM payments")
        at = datetime.combine(now, datetime.min.time(), tzinfo=UTC)
        environ = {"VARNA_SHOP_URL": url}
        done = run_retention(
            small_register(), now=at, base_dir=Path(tmp), environ=environ, execute=True
        )
        with engine.connect() as conn:
            after_orders = rows(conn, "SELECT * FROM orders")
            after_lines = rows(conn, "SELECT * FROM order_lines")
            after_payments = rows(conn, "SELECT * FROM payments")
        engine.dispose()

    def held(day: date) -> bool:
        return now < bookkeeping_erasable_from(day, fiscal_year=FISCAL)

    for i, day in enumerate(orders, 1):
        if held(day):  # the voucher and its lines stay exactly as they were
            assert after_orders.get(i) == before_orders[i]
            assert after_lines.get(i) == before_lines[i]
    for i, (_created, paid) in enumerate(payments, 1):
        if held(paid):
            assert after_payments.get(i) == before_payments[i]
    assert done.result is not None
    planned = {(t.system, t.table): t.expiring for t in done.plan.tables if t.expiring}
    executed = {k: n for k, n in done.result.counts.items() if n}
    assert executed == planned
    gone = len(before_payments) - len(after_payments)
    assert gone == planned.get(("shop", "payments"), 0)
