"""``varna retention run --execute`` killed at every point of a batch, then run again: every row
the systems no longer hold is covered by outcome events, no intent is left open, the audit log
verifies, and the data equals that of an uninterrupted run.

The command runs as a real subprocess with ``VARNA_FAULT`` naming a point of
:data:`varna.faults.RETENTION_POINTS`; it dies there with ``os._exit`` (no cleanup, no commit),
the first time a batch reaches it. Chinook's expired invoices live in SQLite and PostgreSQL.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from dsr.chinook import REGISTER, load_chinook
from faulted import VARNA, environment, run_varna
from varna.audit import AuditLog
from varna.faults import FAULT_EXIT, RETENTION_POINTS
from varna.retention.bracket import BATCH_ACTION, INTENT_ACTION
from varna.state import open_state

AT = "2030-06-30"
KEY = "crash-test-audit-key-0123456789abcdef"
SWEPT = ("Invoice", "InvoiceLine")  # the tables Chinook's plan deletes from as of AT
CLEAN = {"Invoice": 166, "InvoiceLine": 909}  # the rows an uninterrupted run deletes


def counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {t: int(conn.scalar(sa.text(f'SELECT count(*) FROM "{t}"')) or 0) for t in SWEPT}
    finally:
        engine.dispose()


def setup(tmp_path: Path, url: str) -> tuple[dict[str, str], list[str]]:
    """Chinook at ``url``, a copy of its register, a Varna home; the run command's arguments."""
    load_chinook(url)
    register = tmp_path / "chinook.yaml"
    shutil.copy(REGISTER, register)
    env = {
        "VARNA_CHINOOK_URL": url,
        "VARNA_HOME": str(tmp_path / "home"),
        "VARNA_DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}",
        "VARNA_AUDIT_KEY": KEY,
    }
    return env, ["retention", "run", "--at", AT, "--execute", "-r", str(register)]


def audit_of(env: dict[str, str]) -> tuple[list[tuple[str, str, dict[str, object]]], list[str]]:
    """The retention batch events (action, target, details) and the verify findings' kinds."""
    with open_state(env["VARNA_DATABASE_URL"]) as state:
        log = AuditLog(state, key=KEY.encode())
        events = [
            (e.action, e.target or "", dict(e.details or {}))
            for e in log.iter_events()
            if e.action in (INTENT_ACTION, BATCH_ACTION)
        ]
        findings = [f.kind for f in log.verify().findings]
    return events, findings


def outcome_rows(events: list[tuple[str, str, dict[str, object]]]) -> Counter[str]:
    rows: Counter[str] = Counter()
    for action, target, details in events:
        if action == BATCH_ACTION:
            rows[target.partition(".")[2]] += int(str(details["rows"]))
    return rows


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def system_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind for Chinook."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'chinook.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.mark.parametrize(
    ("point", "changed_at_crash", "open_at_crash"),
    [
        ("retention.after_keys_chosen", False, False),
        ("retention.after_intent", False, True),
        ("retention.after_system_commit", True, True),
        ("retention.after_outcome", True, False),
    ],
    ids=[p.removeprefix("retention.") for p in RETENTION_POINTS],
)
def test_a_kill_at_every_point_of_a_batch_is_completed_by_the_rerun(
    tmp_path: Path, system_url: str, point: str, changed_at_crash: bool, open_at_crash: bool
) -> None:
    env, command = setup(tmp_path, system_url)
    before = counts(system_url)

    killed = run_varna(env, *command, fault=point)
    assert killed.returncode == FAULT_EXIT, killed.stderr
    crashed = counts(system_url)
    assert (crashed != before) is changed_at_crash
    events, findings = audit_of(env)
    assert findings == (["unfinished"] if open_at_crash else [])
    # Whatever the kill left, the outcomes written so far never claim more than was changed.
    gone = Counter({t: before[t] - crashed[t] for t in SWEPT})
    assert outcome_rows(events) + Counter() <= gone + Counter()

    rerun = run_varna(env, *command)
    assert rerun.returncode == 0, rerun.stderr
    after = counts(system_url)
    assert {t: before[t] - after[t] for t in SWEPT} == CLEAN  # as an uninterrupted run
    events, findings = audit_of(env)
    assert findings == []  # `audit verify` passes: nothing unfinished, nothing broken
    intents = {str(d["intent"]) for a, _, d in events if a == INTENT_ACTION}
    completed = [str(d["completes"]) for a, _, d in events if a == BATCH_ACTION]
    assert sorted(completed) == sorted(intents)  # each intent completed exactly once
    # Every row the systems no longer hold is covered by outcome events, and no more.
    assert outcome_rows(events) == Counter({t: before[t] - after[t] for t in SWEPT})
    verify = run_varna(env, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr

    again = run_varna(env, *command)
    assert again.returncode == 0, again.stderr
    assert "retention run done: 0 rows" in again.stdout
    assert counts(system_url) == after


def test_an_uninterrupted_run_changes_what_a_crashed_and_rerun_one_does(
    tmp_path: Path, system_url: str
) -> None:
    """The rows the crash tests expect gone are the rows a clean run removes."""
    env, command = setup(tmp_path, system_url)
    before = counts(system_url)
    done = run_varna(env, *command)
    assert done.returncode == 0, done.stderr
    after = counts(system_url)
    assert {t: before[t] - after[t] for t in SWEPT} == CLEAN
    events, findings = audit_of(env)
    assert findings == []
    assert [a for a, _, _ in events] == [INTENT_ACTION, BATCH_ACTION] * 2


def test_two_reruns_at_once_complete_a_killed_batch_once(tmp_path: Path, system_url: str) -> None:
    """Executing runs take turns (the state's retention lock): the open intent a run finds was
    left by a dead run, so two reruns at once never both complete it."""
    env, command = setup(tmp_path, system_url)
    before = counts(system_url)
    killed = run_varna(env, *command, fault="retention.after_system_commit")
    assert killed.returncode == FAULT_EXIT, killed.stderr
    environ = environment(env)
    reruns = [
        subprocess.Popen(
            [str(VARNA), *command], env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    results = [r.communicate(timeout=300) for r in reruns]
    assert [r.returncode for r in reruns] == [0, 0], [err for _, err in results]
    after = counts(system_url)
    assert {t: before[t] - after[t] for t in SWEPT} == CLEAN
    events, findings = audit_of(env)
    assert findings == []
    completed = [str(d["completes"]) for a, _, d in events if a == BATCH_ACTION]
    assert len(completed) == len(set(completed))  # no intent completed twice
    assert outcome_rows(events) == Counter(CLEAN)
