"""Eight processes (not threads) hammer one person on a PostgreSQL state: exactly one open
request per kind, one active restriction, one execution of the erasure, and every audit event
exactly once (counted against what the workers were told)."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from varna.core import Varna
from varna.dsr.requests import Actor, Assurance, Kind, Role
from varna.settings import Settings
from varna.state.schema import requests, restrictions

from . import hammer
from .conftest import KEY, first_customers

PROCESSES = 8
ROUNDS = 4

pytestmark = pytest.mark.postgres


def _run(target: Any, args: list[tuple[Any, ...]]) -> list[dict[str, int]]:
    ctx = multiprocessing.get_context("spawn")
    barrier, out = ctx.Barrier(len(args)), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*a, barrier, out)) for a in args]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0] * len(procs)  # a worker that crashed fails here
    return [out.get(timeout=10) for _ in procs]


@dataclass(frozen=True)
class World:
    """What the worker processes share: their settings (as keyword arguments, picklable), the
    person's identity, and this process's service on the migrated state."""

    settings: dict[str, Any]
    identity: str
    main: Varna


@pytest.fixture
def world(demo: Path, pg_url: str, tmp_path: Path) -> Iterator[World]:
    settings = {
        "home": tmp_path / "home",
        "database_url": pg_url,
        "audit_key": KEY,
        "register_file": demo / "varna.yaml",
    }
    main = Varna(Settings(**settings), environ={})
    main.state.migrate()  # once, before the workers start (they would serialise on it anyway)
    try:
        yield World(settings, f"email={first_customers(demo)[0]}", main)
    finally:
        main.close()


def test_eight_processes_one_person(world: World) -> None:
    settings, identity, main = world.settings, world.identity, world.main
    got = Counter[str]()
    for r in _run(
        hammer.receive_and_restrict,
        [(settings, identity, ROUNDS, w) for w in range(PROCESSES)],
    ):
        got.update(r)
    assert sum(got.values()) > 0

    with main.state.read() as conn:
        rows = conn.execute(sa.select(requests.c.kind, requests.c.closed_at)).all()
        restricted = conn.execute(sa.select(restrictions.c.lifted_at)).all()
    open_per_kind = Counter(kind for kind, closed in rows if closed is None)
    assert (open_per_kind["access"], open_per_kind["erasure"]) == (1, 1)
    assert open_per_kind["restriction"] <= 1
    assert restricted == [(None,)]  # one restriction, active, never duplicated

    events = Counter(e.action for e in main.audit.iter_events())
    created = sum(v for k, v in got.items() if k.endswith(".created") and k.startswith("receive"))
    assert events["dsr.request.received"] == created == len(rows)
    for kind in ("access", "erasure"):
        assert got[f"receive.{kind}.created"] == 1
    assert events["dsr.restriction.recorded"] == got["restrict.done"]
    assert got["restrict.created"] == 1
    assert events["dsr.request.handled"] == got["restrict.answered"]
    assert events["dsr.request.answered"] == got["restrict.answered"]
    assert got["restrict.answered"] == len([1 for k, c in rows if k == "restriction" and c])

    # the erasure: approved by two people, then executed by eight workers at once
    (erasure,) = [r for r in main.requests() if r.record.kind == Kind.erasure]
    main.verify(
        erasure.ref,
        method="e-ID",
        assurance=Assurance.eid,
        now=hammer.T0,
        actor=Actor("anna", Role.case_handler),
    )
    main.plan(erasure.ref, now=hammer.T0, actor=Actor("anna", Role.case_handler))
    main.approve(erasure.ref, now=hammer.T0, actor=Actor("bo", Role.dpo))
    before = Counter(e.action for e in main.audit.iter_events())
    results = _run(hammer.erase_once, [(settings, identity, w) for w in range(PROCESSES)])
    answered = [r for r in results if r.get("answered")]
    assert len(answered) == 1
    after = Counter(e.action for e in main.audit.iter_events())
    assert after["dsr.request.started"] - before["dsr.request.started"] == 1
    assert after["dsr.request.answered"] - before["dsr.request.answered"] == 1
    executed = after["dsr.erasure.executed"] - before["dsr.erasure.executed"]
    assert executed == answered[0]["receipts"] > 0
    assert main.show(erasure.ref).status.record.state == "answered"
    assert main.audit.verify().ok


def test_eight_processes_ask_for_one_persons_data_at_once(world: World) -> None:
    """Vouched access requests for one person from eight processes at once, each received and
    answered in one transaction: every one is answered in its call with its own download, no
    request is left open and the audit chain holds every move once."""
    settings, identity, main = world.settings, world.identity, world.main
    got = Counter[str]()
    for r in _run(
        hammer.vouched_access, [(settings, identity, ROUNDS, w) for w in range(PROCESSES)]
    ):
        got.update(r)
    asked = PROCESSES * ROUNDS
    assert got == Counter({"answered.new": asked})
    with main.state.read() as conn:
        rows = conn.execute(sa.select(requests.c.id, requests.c.closed_at)).all()
    assert len(rows) == asked
    assert all(closed is not None for _, closed in rows)
    assert all(len(main._answers().listing(ref)) == 1 for ref, _ in rows)
    events = Counter(e.action for e in main.audit.iter_events())
    assert events["dsr.request.received"] == events["dsr.request.answered"] == asked
    assert main.audit.verify().ok
