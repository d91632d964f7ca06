"""The capabilities every built-in connector has: describe itself, sweep rows by predicate.

Each test runs on memory, CSV, JSON lines, SQLite, PostgreSQL and MariaDB (``make``).
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import pytest

from varna.connectors import predicates as p
from varna.connectors.base import Introspection, Sweeping, introspection, sweeping
from varna.errors import ConnectorError

from .conftest import DATA, Make

SQL = {"sqlite", "postgresql", "mysql"}


def test_lists_and_describes_tables(make: Make) -> None:
    connector = introspection(make(DATA))
    names = [t.name for t in connector.list_tables()]
    assert {"people", "members"} <= set(names)
    info = connector.describe(["people", "nowhere"])
    assert list(info) == ["people"]
    people = info["people"]
    assert people.column_names == ["id", "email", "name", "score"]
    score = people.column("score")
    assert score is not None
    if connector.kind == "csv":
        assert score.family == "text"
    else:
        assert score.family == "integer"
    if connector.kind in SQL:
        assert people.primary_key == ("id",)
        assert info["people"].leading_columns() == {"id"}
        assert connector.describe(["members"])["members"].primary_key == ("org", "person")
        email = people.column("email")
        assert email is not None
        assert email.nullable
        assert email.family == "text"
    else:
        assert people.primary_key == ()


def test_samples_distinct_values(make: Make) -> None:
    connector = introspection(make(DATA))
    values = connector.sample("members", "org", limit=10)
    assert sorted(str(v) for v in values) == ["1", "2", "3"]
    assert len(connector.sample("people", "email", limit=5)) == 5


NOT_ZERO = p.Differs("score", 0)
EXCLUDED = {"people": [(7,), (8,), (14,)]}


@pytest.mark.parametrize(
    ("table", "where", "exclusions", "expected"),
    [
        ("people", None, None, 1200),
        ("people", NOT_ZERO, None, 1200 - 171),
        ("people", p.all_of(NOT_ZERO, p.NotExcluded(("id",))), EXCLUDED, 1200 - 171 - 1),
        ("people", p.AnyOf(), None, 1200),
        ("people", p.IsSet("email"), None, 1200),
        ("people", p.LacksPrefix("email", "p1"), None, 1200 - 1 - 10 - 100 - 201),
        ("members", p.InParent("person", "people", "id", p.Differs("score", 1)), None, 6),
        (
            "members",
            p.InParent("person", "people", "id", p.NotExcluded(("id",))),
            {"people": [(2,)]},
            6,
        ),
        ("members", p.NotExcluded(("org", "person")), {"members": [(1, 1), (3, 2)]}, 7),
    ],
    ids=["all", "differs", "excluded", "empty-any", "set", "prefix", "parent", "parent-kept", "pk"],
)
def test_count_by_predicate(
    make: Make,
    table: str,
    where: p.Predicate | None,
    exclusions: dict[str, Any] | None,
    expected: int,
) -> None:
    connector = sweeping(make(DATA))
    assert connector.count(table, where, exclusions=exclusions) == expected


def test_dates_compare_as_instants(make: Make) -> None:
    rows = [
        {"id": i, "email": f"d{i}@example.se", "name": day, "score": i}
        for i, day in enumerate(["2020-01-01", "2020-06-30 10:00:00", "2021-01-01", None], 1)
    ]
    connector = sweeping(make({"people": rows, "members": DATA["members"]}))
    assert connector.count("people", p.Before("name", datetime(2021, 1, 1))) == 2
    assert connector.count("people", p.Before("name", datetime(2020, 6, 30))) == 1


def test_delete_in_batches_keeps_excluded_rows(make: Make) -> None:
    connector = sweeping(make(DATA))
    where = p.all_of(NOT_ZERO, p.NotExcluded(("id",)))
    batches = []
    while n := connector.delete_batch(
        "people", where, primary_key=["id"], limit=400, exclusions=EXCLUDED
    ):
        batches.append(n)
    assert batches == [400, 400, 228]
    assert connector.count("people") == 172
    assert connector.count("people", p.NotExcluded(("id",)), exclusions=EXCLUDED) == 169
    first = connector.keys("people", p.EVERY_ROW, primary_key=["id"], limit=3)
    assert [int(k[0]) for k in first] == (
        [1001, 1008, 1015] if connector.kind == "csv" else [7, 8, 14]
    )


def test_update_in_batches_in_key_order(make: Make) -> None:
    connector = sweeping(make(DATA))
    change = p.Change(fixed={"name": None}, computed={"email": lambda v: f"#{v}"[:6]})
    where = p.all_of(p.LacksPrefix("email", "#"), p.NotExcluded(("id",)))
    total, after, rounds = 0, None, 0
    while True:
        done, after = connector.update_batch(
            "people",
            where,
            primary_key=["id"],
            change=change,
            limit=500,
            after=after,
            exclusions={"people": [(5,)]},
        )
        if after is None:
            break
        total, rounds = total + done, rounds + 1
    assert (total, rounds) == (1199, 3)
    assert connector.count("people", p.LacksPrefix("email", "#")) == 1
    assert connector.count("people", p.IsSet("name")) == 1


def test_update_with_a_composite_key(make: Make) -> None:
    connector = sweeping(make(DATA))
    change = p.Change(fixed={"role": "x"})
    total, after = 0, None
    while True:
        done, after = connector.update_batch(
            "members",
            p.Differs("role", "x"),
            primary_key=["org", "person"],
            change=change,
            limit=2,
            after=after,
        )
        if after is None:
            break
        total += done
    assert total == 9
    assert connector.count("members", p.Differs("role", "x")) == 0


def test_two_threads_sweeping_at_once_count_each_row_once(make: Make) -> None:
    connector = sweeping(make(DATA))
    counted: list[int] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            while n := connector.delete_batch("people", NOT_ZERO, primary_key=["id"], limit=50):
                counted.append(n)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(counted) == 1029
    assert connector.count("people") == 171


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (lambda c: c.count("people", p.IsSet("nope")), "nope"),
        (
            lambda c: c.delete_batch("nowhere", p.IsSet("id"), primary_key=["id"], limit=1),
            "nowhere",
        ),
    ],
    ids=["unknown-column", "unknown-table"],
)
def test_errors_name_the_system_and_never_a_value(make: Make, operation: Any, message: str) -> None:
    connector = make(DATA)
    with pytest.raises(ConnectorError, match="system 'sys'") as info:
        operation(connector)
    assert "@example.se" not in str(info.value)


def test_protocols_are_recognised(make: Make) -> None:
    connector = make(DATA)
    assert isinstance(connector, Introspection)
    assert isinstance(connector, Sweeping)


def test_a_connector_without_the_capability_is_named() -> None:
    class Bare:
        name = "legacy"

    with pytest.raises(ConnectorError, match=r"system 'legacy'.*retention cannot sweep"):
        sweeping(Bare())
    with pytest.raises(ConnectorError, match=r"system 'legacy'.*describe"):
        introspection(Bare())
