"""The erasure plan: each row's fate, legal holds cited, foreign keys respected."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from varna.connectors import MemoryConnector
from varna.dsr.erasure import ErasurePlan, Fate, KeptReason, plan_erasure
from varna.dsr.identity import Identity
from varna.dsr.planner import RequestKind, plan_request
from varna.dsr.traversal import collect_rows
from varna.register import Register, parse_register

from .shop import NOW, SHOP_DATA, shop_connectors, shop_register

KEY = b"k" * 32
ANNA = [Identity("email", "anna@example.se")]


def plan(
    now: datetime = NOW,
    connectors: dict[str, MemoryConnector] | None = None,
    register: Register | None = None,
    identities: list[Identity] | None = None,
) -> ErasurePlan:
    register = register or shop_register()
    traversal = plan_request(register, identities or ANNA, kind=RequestKind.erasure)
    found = collect_rows(traversal, connectors or shop_connectors(), today=now.date())
    return plan_erasure(register, found, now=now, hash_key=KEY)


def fates(p: ErasurePlan) -> dict[tuple[str, str], str]:
    return {(r.table, str(next(iter(r.key.values())))): r.fate.value for r in p.rows}


def test_each_row_gets_its_fate() -> None:
    assert fates(plan()) == {
        ("customers", "1"): "anonymise",  # erasure: anonymise
        ("notes", "10"): "delete",
        ("notes", "11"): "delete",
        ("tickets", "500"): "delete",
        ("tickets", "501"): "delete",
        ("invoices", "A-1"): "anonymise",  # under the hold: only what it does not need
        ("invoices", "A-2"): "anonymise",  # its hold ended on 2024-12-31
        ("credit_notes", "100"): "keep",  # under the hold, nothing it does not need
    }


def row(p: ErasurePlan, table: str, key: str) -> Any:
    return next(r for r in p.rows if r.table == table and str(next(iter(r.key.values()))) == key)


def test_a_held_row_keeps_what_the_hold_needs_and_cites_the_law() -> None:
    held = row(plan(), "invoices", "A-1")
    assert sorted(held.changes) == ["address", "buyer_pnr"]
    assert held.changes["buyer_pnr"] == "1*******-****"
    assert set(held.kept) == {"buyer_name", "date", "amount"}
    (cite,) = held.holds
    assert (cite.hold, cite.until, cite.ground, cite.statute) == (
        "bookkeeping",
        date(2027, 12, 31),
        "GDPR Art. 17(3)(b)",
        "BFL 7:2",
    )


def test_a_child_row_inherits_its_parents_hold_date() -> None:
    (cite,) = row(plan(), "credit_notes", "100").holds
    assert cite.until == date(2027, 12, 31)


def test_after_the_hold_ends_the_row_is_anonymised_and_what_refers_to_it_stays() -> None:
    later = plan(now=datetime(2028, 1, 1, tzinfo=UTC))
    invoice = row(later, "invoices", "A-1")
    assert invoice.holds == ()
    assert sorted(invoice.changes) == ["address", "buyer_name", "buyer_pnr"]
    credit = row(later, "credit_notes", "100")  # delete_row, but invoice A-1 stays and refers to it
    assert credit.fate is Fate.keep
    assert credit.reason == "kept: rows that stay in 'invoices' refer to it"
    assert credit.kept_reason is KeptReason.referenced


def test_a_hold_without_a_date_keeps_the_row() -> None:
    connectors = shop_connectors()
    connectors["billing"].update("invoices", {"no": "A-2"}, {"date": None})
    held = row(plan(connectors=connectors), "invoices", "A-2")
    assert held.holds[0].until is None
    assert "buyer_name" in held.kept


ORDERS = """
varna: 1
controller:
  name: Exempel AB
  address: {street: Storgatan 1, postal_code: "111 22", city: Stockholm}
  contact: {email: info@exempel.se}
  policy: {languages: [sv]}
subjects: {}
activities: {}
systems:
  shop:
    name: {sv: Butik}
    kind: memory
    country: SE
    tables:
      customers:
        primary_key: [id]
        identities: {email: email}
        fields: {email: contact.email}
      orders:
        primary_key: [id]
        references: {customer_id: customers.id}
        fields: {note: content.free_text}
      order_rows:
        primary_key: [order_id, line]
        references: {order_id: orders.id}
        fields: {text: content.free_text}
"""


def test_deletes_run_children_first() -> None:
    data = {
        "customers": [{"id": 1, "email": "a@b.se"}],
        "orders": [{"id": 7, "customer_id": 1, "note": "x"}],
        "order_rows": [
            {"order_id": 7, "line": 1, "text": "y"},
            {"order_id": 7, "line": 2, "text": "z"},
        ],
    }
    p = plan(
        connectors={"shop": MemoryConnector(data, name="shop")},
        register=parse_register(ORDERS),
        identities=[Identity("email", "a@b.se")],
    )
    assert [(r.table, r.fate.value) for r in p.rows] == [
        ("order_rows", "delete"),
        ("order_rows", "delete"),
        ("orders", "delete"),
        ("customers", "delete"),
    ]


def test_the_plan_as_data_names_fields_never_values() -> None:
    text = json.dumps(plan().as_dict(), ensure_ascii=False)
    for value in ("Anna", "anna@example.se", "195704289999", "Storgatan"):
        assert value not in text
    assert '"erased": ["address", "buyer_pnr"]' in text


def test_planning_again_after_the_erasure_finds_nothing_to_do() -> None:
    connectors = shop_connectors()
    for r in plan(connectors=connectors).rows:
        if r.fate is Fate.delete:
            connectors[r.system].delete(r.table, r.key)
        elif r.changes:
            connectors[r.system].update(r.table, r.key, r.changes)
    again = plan(connectors=connectors, identities=[Identity("customer_number", "1")])
    assert not again.has_work


@settings(max_examples=60, deadline=None, derandomize=True)
@given(day=st.dates(min_value=date(2015, 1, 1), max_value=date(2040, 12, 31)))
def test_nothing_under_an_active_hold_is_deleted_or_loses_what_the_hold_keeps(day: date) -> None:
    register = shop_register()
    p = plan(now=datetime(day.year, day.month, day.day, tzinfo=UTC), register=register)
    declared = {(s, t): set(tb.fields) for s, t, tb in register.tables()}
    for r in p.rows:
        assert set(r.changes) <= declared[(r.system, r.table)]
        if r.holds:
            assert r.fate is not Fate.delete
            kept = {c for h in r.holds for c in register.legal_holds[h.hold].categories}
            fields = register.table(r.system, r.table).fields
            assert not [f for f in r.changes if fields[f].category in kept]
            assert all(h.until is None or h.until >= day for h in r.holds)


def test_the_shop_has_the_rows_the_tests_assume() -> None:
    assert len(SHOP_DATA["billing"]["invoices"]) == 3
