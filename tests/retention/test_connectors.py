"""Retention through the connectors: the same plan and sweep on SQLite, PostgreSQL, MariaDB and
CSV and JSON-lines folders; every committed batch audited; the rows to keep read again before
every batch; two sweeps at once record each row once."""

from __future__ import annotations

import csv
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from varna.audit import AuditLog
from varna.connectors import ConnectorPool
from varna.register import Register, parse_register
from varna.retention.bracket import INTENT_ACTION, AuditBracket
from varna.retention.counts import ConnectorCounts
from varna.retention.executor import execute_retention
from varna.retention.models import Action, TablePlan
from varna.retention.planner import plan_retention
from varna.retention.run import BATCH_ACTION, run_retention
from varna.state import open_state

from .small import NOW, REGISTER, ROWS

KEY = b"k" * 32
EXPECTED = {
    "tickets": 2,
    "subscribers": 1,
    "customers": 1,
    "orders": 2,
    "order_lines": 3,
    "payments": 1,
}


def _columns(spec: str) -> list[str]:
    return [
        part.split()[0]
        for part in re.split(r",\s*(?![^()]*\))", spec)
        if not part.startswith("PRIMARY")
    ]


def _register(kind: str) -> Register:
    return parse_register(REGISTER.replace("kind: sqlite", f"kind: {kind}"), source="small.yaml")


def _load_sql(url: str) -> None:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.begin() as conn:
        for name, (spec, rows) in ROWS.items():
            conn.exec_driver_sql(f"CREATE TABLE {name} ({spec})")
            names = _columns(spec)
            marks = ", ".join(f":{c}" for c in names)
            conn.execute(
                sa.text(f"INSERT INTO {name} ({', '.join(names)}) VALUES ({marks})"),
                [dict(zip(names, row, strict=True)) for row in rows],
            )
    engine.dispose()


def _write_files(folder: Path, fmt: str) -> None:
    folder.mkdir()
    for name, (spec, rows) in ROWS.items():
        names = _columns(spec)
        with (folder / f"{name}.{fmt}").open("w", encoding="utf-8", newline="") as handle:
            if fmt == "csv":
                writer = csv.writer(handle)
                writer.writerow(names)
                writer.writerows(["" if v is None else v for v in row] for row in rows)
            else:
                handle.writelines(
                    json.dumps(dict(zip(names, row, strict=True))) + "\n" for row in rows
                )


KINDS = [
    "sqlite",
    "csv",
    "jsonl",
    pytest.param("postgresql", marks=pytest.mark.postgres),
    pytest.param("mariadb", marks=pytest.mark.mariadb),
]


@pytest.fixture(params=KINDS)
def shop(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Register, ConnectorPool]]:
    kind: str = request.param
    if kind in ("csv", "jsonl"):
        _write_files(tmp_path / "shop", kind)
        url = f"{kind}://shop"
    else:
        fixture = {"sqlite": "sqlite_url", "postgresql": "pg_url", "mariadb": "mariadb_url"}
        url = str(request.getfixturevalue(fixture[kind]))
        _load_sql(url)
    register = _register("mysql" if kind == "mariadb" else kind)
    pool = ConnectorPool(register, base_dir=tmp_path, environ={"VARNA_SHOP_URL": url})
    yield register, pool
    pool.close()


def test_same_plan_and_sweep_on_every_kind(shop: tuple[Register, ConnectorPool]) -> None:
    register, pool = shop
    plan = plan_retention(register, now=NOW, counts=ConnectorCounts(pool))
    planned = {t.table: t.expiring for t in plan.tables}
    assert planned == EXPECTED
    # customer 1's only order goes in this run (Bokföringslagen lets go), so the customer goes too
    assert {t.table: t.action for t in plan.tables}["customers"] is Action.delete_row
    result = execute_retention(plan, connectors=pool, hash_key=KEY, batch=1)
    assert result.counts == {("shop", t): n for t, n in EXPECTED.items()}
    again = plan_retention(register, now=NOW, counts=ConnectorCounts(pool))
    assert again.expiring == 0
    subscribers = pool["shop"].read(
        "subscribers", [{"id": 1}, {"id": 2}], columns=["email", "name"]
    )
    assert subscribers[0]["email"].startswith("h:")
    assert subscribers[0]["name"] is None
    assert subscribers[1] == {"email": "two@example.invalid", "name": "Two"}
    lines = pool["shop"].find("order_lines", "order_id", [1, 2, 3], columns=["order_id"])
    assert [int(r["order_id"]) for r in lines] == [2]


def test_a_restriction_recorded_during_the_sweep_is_honoured_from_the_next_batch(
    shop: tuple[Register, ConnectorPool],
) -> None:
    register, pool = shop
    plan = plan_retention(register, now=NOW, counts=ConnectorCounts(pool))
    calls: list[int] = []

    def pinned() -> dict[tuple[str, str], set[tuple[Any, ...]]]:
        calls.append(1)  # the second ticket is restricted after the first batch
        return {("shop", "tickets"): {(2,)}} if len(calls) > 1 else {}

    result = execute_retention(plan, connectors=pool, hash_key=KEY, batch=1, exclusions=pinned)
    assert result.counts[("shop", "tickets")] == 1
    kept = pool["shop"].find("tickets", "id", [1, 2], columns=["id"])
    assert [int(r["id"]) for r in kept] == [2]
    assert len(calls) >= 3


def test_every_committed_batch_is_audited(tmp_path: Path) -> None:
    folder = tmp_path / "shop"
    _write_files(folder, "csv")
    state = open_state(f"sqlite:///{tmp_path / 'state.db'}")
    state.migrate()
    audit = AuditLog(state, key=KEY)
    run = run_retention(
        _register("csv"),
        now=NOW,
        base_dir=tmp_path,
        environ={"VARNA_SHOP_URL": "csv://shop"},
        execute=True,
        hash_key=KEY,
        audit=audit,
        batch=1,
    )
    events = list(audit.iter_events())
    state.close()
    batches = [e for e in events if e.action == BATCH_ACTION]
    assert run.result is not None
    assert len(batches) == sum(EXPECTED.values())  # one row per batch
    assert all(e.details["rows"] == 1 for e in batches)
    per_table: dict[str, int] = {}
    for event in batches:
        per_table[str(event.target)] = per_table.get(str(event.target), 0) + 1
    assert per_table == {f"shop.{t}": n for t, n in EXPECTED.items()}
    assert events[-1].details["rows"] == sum(EXPECTED.values())


def _bulk(url: str, rows: int) -> None:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE tickets (id INTEGER PRIMARY KEY, closed_at TEXT, body TEXT)"
        )
        conn.exec_driver_sql(
            "CREATE TABLE subscribers (id INTEGER PRIMARY KEY, withdrawn_at TEXT, "
            "email TEXT, name TEXT)"
        )
        conn.execute(
            sa.text("INSERT INTO tickets VALUES (:id, '2020-01-01', 'x')"),
            [{"id": i} for i in range(rows)],
        )
        conn.execute(
            sa.text("INSERT INTO subscribers VALUES (:id, '2020-01-01', :e, 'N')"),
            [{"id": i, "e": f"s{i}@example.invalid"} for i in range(rows)],
        )
        for table in ("customers", "orders", "order_lines", "payments"):
            spec, _ = ROWS[table]
            conn.exec_driver_sql(f"CREATE TABLE {table} ({spec})")
    engine.dispose()


@pytest.mark.parametrize(
    "kind",
    [
        "sqlite",
        "csv",
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ],
)
def test_two_sweeps_at_once_record_each_row_once(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    rows = 1500 if kind != "csv" else 300
    if kind == "csv":
        folder = tmp_path / "shop"
        folder.mkdir()
        (folder / "tickets.csv").write_text(
            "id,closed_at,body\n" + "".join(f"{i},2020-01-01,x\n" for i in range(rows))
        )
        (folder / "subscribers.csv").write_text(
            "id,withdrawn_at,email,name\n"
            + "".join(f"{i},2020-01-01,s{i}@example.invalid,N\n" for i in range(rows))
        )
        for table in ("customers", "orders", "order_lines", "payments"):
            (folder / f"{table}.csv").write_text(",".join(_columns(ROWS[table][0])) + "\n")
        url, register = "csv://shop", _register("csv")
    else:
        fixture = {"sqlite": "sqlite_url", "postgresql": "pg_url", "mariadb": "mariadb_url"}
        url = str(request.getfixturevalue(fixture[kind]))
        _bulk(url, rows)
        register = _register("mysql" if kind == "mariadb" else kind)
    environ = {"VARNA_SHOP_URL": url}
    totals: list[dict[tuple[str, str], int]] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        pool = ConnectorPool(register, base_dir=tmp_path, environ=environ)
        try:
            plan = plan_retention(register, now=NOW, counts=ConnectorCounts(pool))
            totals.append(execute_retention(plan, connectors=pool, hash_key=KEY, batch=50).counts)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            pool.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for table in ("tickets", "subscribers"):
        assert sum(t.get(("shop", table), 0) for t in totals) == rows, table
    check = ConnectorPool(register, base_dir=tmp_path, environ=environ)
    assert check["shop"].find("tickets", "body", ["x"], columns=["id"]) == []
    check.close()


class _Killed(Exception):
    """Stands in for the process dying at a point of a batch."""


@dataclass
class _DiesAt:
    """Records intents and outcomes in the audit log but "dies" at ``point`` of the first
    batch: after the intent (the system untouched) or before the outcome (the system
    committed)."""

    inner: AuditBracket
    point: str

    def intent(self, table: TablePlan, *, rows: int, digest: str) -> str:
        intent = self.inner.intent(table, rows=rows, digest=digest)
        if self.point == "after_intent":
            raise _Killed
        return intent

    def outcome(self, table: TablePlan, intent: str, *, rows: int) -> None:
        raise _Killed


@pytest.mark.parametrize(
    ("action", "point"),
    [
        (Action.delete_row, "after_intent"),
        (Action.delete_row, "after_system_commit"),
        (Action.anonymise, "after_intent"),
        (Action.anonymise, "after_system_commit"),
    ],
    ids=["delete-rolled-back", "delete-committed", "anonymise-rolled-back", "anonymise-committed"],
)
def test_the_next_run_completes_an_open_batch_on_every_kind(
    shop: tuple[Register, ConnectorPool], tmp_path: Path, action: Action, point: str
) -> None:
    register, pool = shop
    state = open_state(f"sqlite:///{tmp_path / 'state.db'}")
    state.migrate()
    audit = AuditLog(state, key=KEY)
    plan = plan_retention(register, now=NOW, counts=ConnectorCounts(pool))
    table = next(t for t in plan.tables if t.action is action and t.sweep is not None)
    one = replace(plan, tables=(table,))
    with pytest.raises(_Killed):
        execute_retention(
            one,
            connectors=pool,
            hash_key=KEY,
            batch=1,
            bracket=_DiesAt(AuditBracket(audit, NOW), point),
        )
    assert [f.kind for f in audit.verify().findings] == ["unfinished"]

    run_retention(
        register,
        now=NOW,
        base_dir=tmp_path,
        environ={},
        execute=True,
        hash_key=KEY,
        audit=audit,
        connectors=pool,
    )
    events = list(audit.iter_events())
    findings = [f.kind for f in audit.verify().findings]
    state.close()
    assert findings == []
    outcomes = [e for e in events if e.action == BATCH_ACTION]
    completed = [str(e.details["completes"]) for e in outcomes]
    intents = [str(e.details["intent"]) for e in events if e.action == INTENT_ACTION]
    assert sorted(completed) == sorted(intents)
    rows: dict[str, int] = {}
    for event in outcomes:
        rows[str(event.target)] = rows.get(str(event.target), 0) + int(event.details["rows"])
    # Every row changed, in the killed batch or after, recorded once: as a clean run records.
    assert rows == {f"shop.{t}": n for t, n in EXPECTED.items()}
    (late,) = [e for e in outcomes if e.details.get("completed_by_later_run")]
    assert late.target == f"shop.{table.table}"
    assert late.details["rows"] == (1 if point == "after_system_commit" else 0)
