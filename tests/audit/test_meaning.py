"""verify reads what authentic entries say: times going backwards, and intents to change an
organisation's system that no outcome completes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from varna.audit import AuditLog
from varna.audit.models import VerifyReport
from varna.state import StateDB

KEY = b"test-audit-key-0123456789abcdef!"
T0 = datetime(2025, 1, 31, 12, 0, tzinfo=UTC)
runner = CliRunner()


def findings(report: VerifyReport) -> list[tuple[int, str]]:
    return [(finding.seq, finding.kind) for finding in report.findings]


class ScriptedClock:
    """Returns the given offsets from T0 (in seconds), one per reading."""

    def __init__(self, offsets: list[float]) -> None:
        self.offsets = list(offsets)

    def __call__(self) -> datetime:
        return T0 + timedelta(seconds=self.offsets.pop(0))


@pytest.mark.parametrize(
    ("offsets", "expected"),
    [
        ([0, 1, 2, 3], []),
        ([0, 0, 0, 0], []),
        ([0, 1, -5, 3], [(3, "time_backwards")]),
        ([0, 10, 1, 2], [(3, "time_backwards")]),
        ([5, 4, 3, 2], [(2, "time_backwards"), (3, "time_backwards"), (4, "time_backwards")]),
        ([0, 1, 2, -0.000001], [(4, "time_backwards")]),
    ],
    ids=["forward", "same-instant", "one-back", "after-a-jump", "always-back", "one-microsecond"],
)
def test_time_going_backwards_is_a_finding(
    state: StateDB, offsets: list[float], expected: list[tuple[int, str]]
) -> None:
    log = AuditLog(state, key=KEY, clock=ScriptedClock(offsets))
    for _ in offsets:
        log.append(actor="u:a", action="a.b")
    report = log.verify(batch=2)
    assert findings(report) == expected
    assert report.ok is (not expected)


def intent(log: AuditLog, name: str, target: str) -> None:
    log.append(
        actor="u:a",
        action="dsr.erasure.intent",
        target=target,
        details={"intent": name, "plan_hash": "sha256:00"},
    )


def outcome(log: AuditLog, name: str, target: str) -> None:
    log.append(
        actor="u:a", action="dsr.erasure.executed", target=target, details={"completes": name}
    )


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([("i", "a", "crm"), ("o", "a", "crm")], []),
        ([("i", "a", "crm")], [(1, "unfinished")]),
        ([("i", "a", "crm"), ("i", "b", "billing"), ("o", "a", "crm")], [(2, "unfinished")]),
        ([("i", "a", "crm"), ("i", "a", "crm"), ("o", "a", "crm")], []),
        ([("o", "a", "crm")], []),
        ([("i", "a", "crm"), ("o", "b", "crm")], [(1, "unfinished")]),
    ],
    ids=["completed", "open", "one-of-two-open", "intent-repeated", "outcome-alone", "other-id"],
)
def test_intents_without_an_outcome_are_unfinished(
    log: AuditLog, steps: list[tuple[str, str, str]], expected: list[tuple[int, str]]
) -> None:
    for kind, name, target in steps:
        (intent if kind == "i" else outcome)(log, name, target)
    report = log.verify(batch=2)
    assert findings(report) == expected
    assert all("rerun" in f.message for f in report.findings)


@pytest.mark.parametrize(
    ("prefix", "actions"),
    [
        ("retention.", ["retention.batch.intent", "retention.batch.executed"]),
        ("dsr.", ["dsr.erasure.intent", "dsr.erasure.executed"]),
        ("dsr_", []),  # no wildcard: "_" and "%" in a prefix are matched as themselves
    ],
)
def test_events_are_read_by_action_prefix(log: AuditLog, prefix: str, actions: list[str]) -> None:
    for action in [
        "dsr.erasure.intent",
        "retention.batch.intent",
        "dsrx.erasure",
        "audit.checkpoint",
        "dsr.erasure.executed",
        "retention.batch.executed",
    ]:
        log.append(actor="job:test", action=action)
    assert [e.action for e in log.iter_events(batch=1, prefix=prefix)] == actions


def test_retention_finds_its_open_intents_among_other_events(log: AuditLog) -> None:
    from varna.retention.bracket import unfinished

    def intent(name: str, target: str) -> None:
        log.append(
            actor="job:retention",
            action="retention.batch.intent",
            target=target,
            details={
                "intent": name,
                "action": "delete",
                "rows": 3,
                "digest": "d",
                "plan_as_of": T0.isoformat(),
            },
        )

    intent("rb_1", "crm.customers")
    log.append(actor="job:test", action="dsr.erasure.executed", details={"completes": "rb_2"})
    intent("rb_2", "crm.orders")
    log.append(
        actor="job:retention",
        action="retention.batch.executed",
        target="crm.customers",
        details={"action": "delete", "rows": 3, "completes": "rb_1"},
    )
    open_ = unfinished(log)
    assert [(u.intent, u.system, u.table, u.rows) for u in open_] == [("rb_2", "crm", "orders", 3)]
