"""The planner per rule, hold and exclusion, then the executor: executed counts equal planned
counts, and a second run has nothing to do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from varna.connectors import ConnectorPool
from varna.retention.counts import ConnectorCounts
from varna.retention.executor import execute_retention
from varna.retention.models import Action, RetentionPlan
from varna.retention.planner import plan_retention

from .small import NOW, small_register, small_sqlite

KEY = b"k" * 32


class Shop:
    """The small shop's connectors, and an engine for ground truth in SQL."""

    def __init__(self, folder: Path) -> None:
        url = small_sqlite(folder / "shop.db")
        environ = {"VARNA_SHOP_URL": url}
        self.connectors = ConnectorPool(small_register(), base_dir=folder, environ=environ)
        self.engine = sa.create_engine(url)

    def close(self) -> None:
        self.connectors.close()
        self.engine.dispose()


@pytest.fixture
def engines(tmp_path: Path) -> Iterator[Shop]:
    found = Shop(tmp_path)
    yield found
    found.close()


def _plan(
    engines: Shop, exclusions: dict[tuple[str, str], set[tuple[object, ...]]] | None = None
) -> RetentionPlan:
    return plan_retention(
        small_register(),
        now=NOW,
        counts=ConnectorCounts(engines.connectors),
        exclusions=exclusions,
    )


@pytest.mark.parametrize(
    ("table", "action", "expiring", "held", "examples"),
    [
        ("tickets", Action.delete_row, 2, 0, ((1,), (2,))),
        ("subscribers", Action.anonymise, 1, 0, ((1,),)),
        ("customers", Action.delete_row, 1, 0, ((1,),)),
        ("orders", Action.delete_row, 2, 0, ((1,), (3,))),
        ("order_lines", Action.delete_row, 3, 0, ((1, 1), (1, 2), (3, 1))),
        ("payments", Action.delete_row, 1, 1, ((1,),)),
    ],
    ids=[
        "period-after",
        "until-withdrawn",
        "while-active-referrer-goes-too",
        "bookkeeping-may",
        "child-follows",
        "hold-with-own-rule",
    ],
)
def test_plan_per_table(engines, table, action, expiring, held, examples):  # type: ignore[no-untyped-def]
    found = {t.table: t for t in _plan(engines).tables}[table]
    assert (found.action, found.expiring, found.held, found.examples) == (
        action,
        expiring,
        held,
        examples,
    )


def test_children_go_before_parents_and_referrers_before_what_they_refer_to(
    engines: Shop,
) -> None:
    plan = _plan(engines)
    order = [t.table for t in plan.tables]
    assert order.index("order_lines") < order.index("orders") < order.index("customers")
    customers = next(t for t in plan.tables if t.table == "customers")
    assert (customers.referenced_by, customers.referenced) == (("orders",), 0)


def test_exclusions_keep_rows_and_their_children(engines: Shop) -> None:
    plan = _plan(engines, {("shop", "orders"): {(3,)}})
    by_table = {t.table: t for t in plan.tables}
    assert (by_table["orders"].expiring, by_table["orders"].excluded) == (1, 1)
    assert by_table["order_lines"].expiring == 2


def test_executed_counts_equal_planned_and_second_run_does_nothing(engines: Shop) -> None:
    plan = _plan(engines)
    planned = {("shop", t.table): t.expiring for t in plan.tables if t.expiring}
    result = execute_retention(plan, connectors=engines.connectors, hash_key=KEY, batch=1)
    assert result.counts == planned
    again = _plan(engines)
    assert again.expiring == 0
    assert execute_retention(again, connectors=engines.connectors, hash_key=KEY).total == 0
    with engines.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, email, name FROM subscribers ORDER BY id")).all()
        customers = conn.execute(sa.text("SELECT id, name, email FROM customers ORDER BY id")).all()
        lines = conn.execute(sa.text("SELECT order_id FROM order_lines")).scalars().all()
    assert rows[0][1].startswith("h:")
    assert rows[0][2] is None
    assert rows[1][1:] == ("two@example.invalid", "Two")
    # customer 1's only order went in the same run, so the customer went too
    assert [c[0] for c in customers] == [2, 3]
    assert customers[0][1] == "Two"
    assert lines == [2]


def test_plan_holds_no_personal_data(engines: Shop) -> None:
    text = str(_plan(engines).to_dict())
    assert "example.invalid" not in text
    assert "One" not in text


def test_a_parent_column_other_tables_point_at_is_known(tmp_path: Path) -> None:
    """The demo's invoice lines refer to ``invoices.invoice_no``, not to its primary key."""
    from varna.register import load_register

    class Zero:
        def count(self, *args: object, **kwargs: object) -> int:
            return 0

        def examples(self, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
            return []

    root = Path(__file__).resolve().parents[2]
    register = load_register(root / "src" / "varna" / "demo" / "register.yaml")
    plan = plan_retention(register, now=NOW, counts=Zero())  # type: ignore[arg-type]
    assert any(t.follows for t in plan.tables)
