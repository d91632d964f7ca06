"""Rectification: the named fields in every system, records under a hold left to the books,
and the recipients to tell."""

from __future__ import annotations

import json

import pytest

from varna.dsr.identity import Identity
from varna.dsr.proof import MemoryRecorder
from varna.dsr.rectification import parse_corrections, rectify, resolve_target
from varna.errors import RequestError

from .shop import NOW, shop_connectors, shop_register

ANNA = [Identity("email", "anna@example.se")]


@pytest.mark.parametrize(
    ("target", "fields"),
    [
        pytest.param("customers.name", [("crm", "customers", "name")], id="table-column"),
        pytest.param(
            "crm:customers.name", [("crm", "customers", "name")], id="system-table-column"
        ),
        pytest.param(
            "identity.name",
            [
                ("crm", "customers", "name"),
                ("billing", "invoices", "buyer_name"),
                ("support", "agents", "name"),
            ],
            id="category",
        ),
    ],
)
def test_targets(target: str, fields: list[tuple[str, str, str]]) -> None:
    assert resolve_target(shop_register(), target) == fields


@pytest.mark.parametrize(
    ("target", "message"),
    [
        pytest.param("customers.shoe_size", "names no field", id="unknown-column"),
        pytest.param("billing:customers.name", "names no field", id="wrong-system"),
        pytest.param("finance.invoice", "several columns of billing:invoices", id="ambiguous"),
    ],
)
def test_bad_targets(target: str, message: str) -> None:
    with pytest.raises(RequestError, match=message):
        resolve_target(shop_register(), target)


def test_a_correction_reaches_every_system_but_not_a_record_under_a_hold() -> None:
    connectors = shop_connectors()
    recorder = MemoryRecorder()
    plan, updated = rectify(
        shop_register(),
        ANNA,
        connectors,
        {"identity.name": "Anna Berg"},
        now=NOW,
        recorder=recorder,
        execute=True,
    )
    by_row = {(r.table, str(next(iter(r.key.values())))): r for r in plan.rows}
    assert sorted(by_row[("customers", "1")].changes) == ["name"]
    assert by_row[("invoices", "A-1")].held == ("buyer_name",)  # under the bookkeeping hold
    assert sorted(by_row[("invoices", "A-2")].changes) == ["buyer_name"]  # its hold ended
    assert updated == {"crm": 1, "billing": 1}
    assert connectors["crm"].find("customers", "id", [1], columns=["name"]) == [
        {"name": "Anna Berg"}
    ]
    assert plan.recipients == ("mailer", "skatteverket")
    assert "Anna" not in json.dumps(recorder.events)


def test_a_dry_run_changes_nothing_and_a_rerun_finds_nothing_to_do() -> None:
    connectors = shop_connectors()
    before = {k: c.snapshot() for k, c in connectors.items()}
    rectify(shop_register(), ANNA, connectors, {"customers.name": "Anna Berg"}, now=NOW)
    assert {k: c.snapshot() for k, c in connectors.items()} == before
    rectify(
        shop_register(), ANNA, connectors, {"customers.name": "Anna Berg"}, now=NOW, execute=True
    )
    plan, _ = rectify(shop_register(), ANNA, connectors, {"customers.name": "Anna Berg"}, now=NOW)
    assert [r.changes for r in plan.rows] == [{}]
    assert "already right" in "\n".join(plan.describe())


def test_notifying_recipients_is_recorded_and_checked() -> None:
    recorder = MemoryRecorder()
    rectify(
        shop_register(),
        ANNA,
        shop_connectors(),
        {"customers.name": "Anna Berg"},
        now=NOW,
        recorder=recorder,
        execute=True,
        notified=["mailer"],
    )
    assert recorder.events[-1] == (
        "dsr.recipient.notified",
        "mailer",
        {"request": "rectification", "article": "GDPR Art. 19"},
    )
    with pytest.raises(RequestError, match="did not receive"):
        rectify(
            shop_register(),
            ANNA,
            shop_connectors(),
            {"customers.name": "Anna Berg"},
            now=NOW,
            recorder=recorder,
            notified=["skatteverket"],
        )


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        pytest.param(["a.b=c"], {"a.b": "c"}, id="simple"),
        pytest.param(["a.b=x=y"], {"a.b": "x=y"}, id="equals-in-value"),
        pytest.param(["a.b="], {"a.b": ""}, id="empty-value"),
    ],
)
def test_parse_corrections(texts: list[str], expected: dict[str, str]) -> None:
    assert parse_corrections(texts) == expected


@pytest.mark.parametrize("text", ["no-equals", "=value"])
def test_parse_corrections_refuses(text: str) -> None:
    with pytest.raises(RequestError, match="FIELD=VALUE"):
        parse_corrections([text])
