"""Every built-in connector kind keeps the same contract (memory, csv, jsonl, SQL x3)."""

from __future__ import annotations

from typing import Any

import pytest

from varna.connectors import Connector
from varna.errors import ConnectorError

from .conftest import DATA, Make


def text(rows: list[dict[str, Any]]) -> list[dict[str, str | None]]:
    """Rows with every value as text (CSV holds text), sorted, for comparing across kinds."""
    out = [{k: None if v is None else str(v) for k, v in r.items()} for r in rows]
    return sorted(out, key=lambda r: [str(v) for v in r.values()])


@pytest.mark.parametrize(
    ("column", "values", "expected_ids"),
    [
        pytest.param("email", ["p5@example.se"], ["5"], id="one-value"),
        pytest.param("email", ["p5@example.se", "p5@example.se", None], ["5"], id="dupes-and-null"),
        pytest.param("email", ["nobody@example.se"], [], id="no-match"),
        pytest.param("email", [], [], id="no-values"),
        pytest.param("id", ["51"], ["51"], id="text-matches-integer"),
        pytest.param("id", [7, 8], ["7", "8"], id="integers"),
        pytest.param("score", [6], [str(i) for i in range(6, 1201, 7)], id="many-rows"),
    ],
)
def test_find(make: Make, column: str, values: list[Any], expected_ids: list[str]) -> None:
    connector = make(DATA)
    rows = connector.find("people", column, values, columns=["id", "email"])
    assert sorted(str(r["id"]) for r in rows) == sorted(expected_ids)
    assert all(set(r) == {"id", "email"} for r in rows)


def test_find_batches_long_in_lists(make: Make) -> None:
    connector = make(DATA)
    emails = [f"p{i}@example.se" for i in range(1, 1201)]
    assert len(connector.find("people", "email", emails, columns=["id"])) == 1200


@pytest.mark.parametrize(
    ("table", "keys", "expected"),
    [
        pytest.param("people", [{"id": 3}, {"id": 4}, {"id": 99999}], 2, id="single-key"),
        pytest.param(
            "members", [{"org": 1, "person": 2}, {"org": 3, "person": 3}], 2, id="composite"
        ),
        pytest.param("members", [{"org": 1, "person": 9}], 0, id="composite-missing"),
        pytest.param("people", [], 0, id="no-keys"),
    ],
)
def test_read(make: Make, table: str, keys: list[dict[str, Any]], expected: int) -> None:
    rows = make(DATA).read(table, keys, columns=list(keys[0]) if keys else ["id"])
    assert len(rows) == expected


def test_update_and_delete_commit_together(make: Make) -> None:
    connector = make(DATA)
    with connector.transaction():
        assert connector.update("people", {"id": 5}, {"email": None, "name": "-"}) == 1
        assert connector.update("people", {"id": 99999}, {"name": "-"}) == 0
        assert connector.delete("members", {"org": 2, "person": 3}) == 1
        assert connector.delete("members", {"org": 2, "person": 3}) == 0
    rows = connector.read("people", [{"id": 5}], columns=["id", "email", "name"])
    assert text(rows) == [{"id": "5", "email": None, "name": "-"}]
    assert connector.read("members", [{"org": 2, "person": 3}], columns=["role"]) == []
    assert len(connector.read("members", [{"org": 2, "person": 2}], columns=["role"])) == 1


def test_writes_outside_a_transaction_commit_alone(make: Make) -> None:
    connector = make(DATA)
    assert connector.update("people", {"id": 6}, {"name": "Ny"}) == 1
    assert text(connector.read("people", [{"id": 6}], columns=["name"])) == [{"name": "Ny"}]


def test_an_exception_rolls_everything_back(make: Make) -> None:
    connector = make(DATA)

    def crash() -> None:
        with connector.transaction():
            connector.update("people", {"id": 5}, {"name": "changed"})
            connector.delete("people", {"id": 6})
            raise RuntimeError("crash")

    with pytest.raises(RuntimeError):
        crash()
    rows = connector.read("people", [{"id": 5}, {"id": 6}], columns=["id", "name"])
    assert text(rows) == [{"id": "5", "name": "Person 5"}, {"id": "6", "name": "Person 6"}]


def test_transactions_do_not_nest(make: Make) -> None:
    connector = make(DATA)
    with connector.transaction():
        nested = connector.transaction()
        with pytest.raises(ConnectorError, match="already open"):
            nested.__enter__()


@pytest.mark.parametrize(
    ("operation"),
    [
        pytest.param(
            lambda c: c.find("nosuch", "email", ["p1@example.se"], columns=["id"]), id="table"
        ),
        pytest.param(
            lambda c: c.find("people", "nosuch", ["p1@example.se"], columns=["id"]), id="column"
        ),
        pytest.param(
            lambda c: c.find("people", "email", ["p1@example.se"], columns=["x"]), id="read-col"
        ),
    ],
)
def test_errors_name_the_place_never_the_value(make: Make, operation: Any) -> None:
    connector: Connector = make(DATA)
    with pytest.raises(ConnectorError) as info:
        operation(connector)
    assert "p1@example.se" not in str(info.value)
    assert "sys" in str(info.value)
