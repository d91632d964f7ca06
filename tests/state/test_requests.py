"""The request store: moves made together are written at once (one update, one insert of
moves), and the request they return is the one the database then holds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from varna.state import StateDB, open_state
from varna.state.requests import RequestRecord, RequestStore, Step
from varna.state.rows import PinnedRow

T0 = datetime(2026, 11, 20, 9, tzinfo=UTC)
NAMES = ["pseudonym-a", "pseudonym-b"]


@pytest.fixture
def store(state_url: str) -> Iterator[RequestStore]:
    db: StateDB = open_state(state_url)
    db.migrate()
    try:
        yield RequestStore(db)
    finally:
        db.close()


def step(action: str, minutes: int, **changes: Any) -> Step:
    return Step(action, T0 + timedelta(minutes=minutes), "anna", lambda _: dict(changes))


VERIFY = step("verify", 1, state="verified", assurance="staff_document", verified_by="desk")
PLAN = step("plan", 2, state="awaiting_approval", prepared_by="case_handler:anna")
APPROVE = step("approve", 3, state="approved", approved_by="case_handler:bo")
EXTEND = step(
    "extend", 4, extended_due=date(2027, 2, 20), extension_reason="many systems", state="approved"
)
ANSWER = step("answer", 5, state="answered", closed_at=(T0 + timedelta(minutes=5)).isoformat())


@pytest.mark.parametrize(
    "steps",
    [
        pytest.param([], id="received"),
        pytest.param([VERIFY], id="verified"),
        pytest.param([VERIFY, PLAN, APPROVE], id="approved"),
        pytest.param([VERIFY, PLAN, APPROVE, EXTEND, ANSWER], id="extended-and-answered"),
    ],
)
@pytest.mark.parametrize("where", ["at-receipt", "afterwards"])
def test_moves_made_together_return_the_request_as_stored(
    store: RequestStore, steps: list[Step], where: str
) -> None:
    recorded: list[tuple[str, str | None, str]] = []

    def hooked(s: Step) -> Step:
        def record(_conn: object, after: RequestRecord, before: RequestRecord | None) -> None:
            recorded.append((s.action, before.state if before else None, after.state))

        return s._replace(record=record)

    rows = [PinnedRow("crm", "customers", {"id": 7}), PinnedRow("crm", "orders", {"id": 9})]
    first = steps[:1] if where == "afterwards" else steps
    made, created = store.receive(
        NAMES,
        kind="access",
        ref="R-2026-AAAA-0001",
        at=T0,
        due=date(2026, 12, 21),
        actor="api:desk",
        audit_subject="subject",
        rows=rows,
        then=[hooked(s) for s in first],
    )
    assert created
    if where == "afterwards" and steps[1:]:
        made = store.move_each(made.ref, [hooked(s) for s in steps[1:]])
    assert made == store.get(made.ref)
    assert made.rows == 2
    moves = store.moves(made.ref)
    assert [(m.seq, m.action) for m in moves] == list(
        enumerate(["receive", *(s.action for s in steps)], start=1)
    )
    assert moves[-1].state == made.state
    states = ["received", *(s.decide(made)["state"] for s in steps)]
    assert recorded == [
        (s.action, before, after)
        for s, before, after in zip(steps, states, states[1:], strict=False)
    ]
