"""Erasure bracketed by intent and outcome, proven with real crashes and real concurrency.

A subprocess erases the shop with Varna's state journal and audit log and dies (``os._exit``,
no cleanup) at each fault point of ``varna.faults``; ``audit verify`` then reports an intent
without outcome where a system was left half done, and a rerun leaves data equal to a clean run
and an audit log with each system's outcome exactly once and no intent open. Several processes
erasing the same person at once record each system once."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from faulted import environment
from varna.audit import AuditLog
from varna.faults import FAULT_EXIT, POINTS
from varna.state import open_state
from varna.state.schema import erasure_journal

from . import bracket_worker
from .shop import dump_sqlite, shop_sqlite

WORKER = Path(bracket_worker.__file__)
SYSTEMS = {"crm", "support", "billing"}


def spawn(
    register: Path, state_url: str, env: dict[str, str], fault: str | None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(register), state_url],
        env=environment(env, fault=fault),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def audit_of(state_url: str) -> tuple[list[tuple[str, str | None, dict[str, object]]], list[str]]:
    """The erasure events (action, target, details) and the verify findings."""
    with open_state(state_url) as state:
        log = AuditLog(state, key=bracket_worker.KEY)
        events = [(e.action, e.target, e.details) for e in log.iter_events()]
        findings = [f"{f.kind}:{f.seq}" for f in log.verify().findings]
    return events, findings


def open_journal(state_url: str) -> int:
    with open_state(state_url) as state, state.read() as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(erasure_journal)) or 0)


@pytest.fixture
def clean(tmp_path: Path) -> dict[str, object]:
    """Data after an uninterrupted erasure."""
    register, env = shop_sqlite(tmp_path / "clean")
    url = f"sqlite:///{tmp_path / 'clean-state.db'}"
    assert bracket_worker.run(register, url, env) == 3
    return dump_sqlite(env)


def assert_complete(state_url: str) -> None:
    events, findings = audit_of(state_url)
    assert findings == []
    outcomes = Counter(t for a, t, _ in events if a == "dsr.erasure.executed")
    assert outcomes == Counter(SYSTEMS)  # each system's outcome exactly once
    intents = {str(d["intent"]) for a, _, d in events if a == "dsr.erasure.intent"}
    completed = {str(d["completes"]) for a, _, d in events if a == "dsr.erasure.executed"}
    assert intents == completed  # no intent left open
    assert open_journal(state_url) == 0


@pytest.mark.parametrize("point", POINTS, ids=[p.removeprefix("erasure.") for p in POINTS])
def test_a_crash_at_every_point_is_completed_by_a_rerun(
    tmp_path: Path, clean: dict[str, object], state_url: str, point: str
) -> None:
    register, env = shop_sqlite(tmp_path / "shop")
    url = state_url
    before = dump_sqlite(env)
    code, _, err = finish(spawn(register, url, env, point))
    assert code == FAULT_EXIT, err
    events, findings = audit_of(url)
    crm_changed = dump_sqlite(env)["crm"] != before["crm"]
    half_done = point in ("erasure.after_intent", "erasure.after_system_change")
    assert crm_changed is (
        point != "erasure.after_plan_journalled" and point != "erasure.after_intent"
    )
    if half_done:
        assert [f.split(":")[0] for f in findings] == ["unfinished"]
        assert [a for a, _, _ in events] == ["dsr.erasure.intent"]
    else:
        assert findings == []
    code, out, err = finish(spawn(register, url, env, None))
    assert code == 0, err
    assert dump_sqlite(env) == clean
    assert_complete(url)
    rerun_changed = int(out.strip())
    if point == "erasure.after_journal_closed":
        assert rerun_changed == 0  # everything was done and recorded before the crash


@pytest.mark.parametrize(
    "state", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_simultaneous_erasures_of_one_person_record_each_system_once(
    tmp_path: Path, clean: dict[str, object], state: str, request: pytest.FixtureRequest
) -> None:
    register, env = shop_sqlite(tmp_path / "shop")
    url = (
        f"sqlite:///{tmp_path / 'state.db'}"
        if state == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    with open_state(url) as db:
        db.open_at_head()
    processes = [spawn(register, url, env, None) for _ in range(4)]
    results = [finish(p) for p in processes]
    assert [code for code, _, _ in results] == [0] * 4, [err for _, _, err in results]
    assert sum(int(out.strip()) for _, out, _ in results) == 3  # three systems, changed once
    assert dump_sqlite(env) == clean
    assert_complete(url)
