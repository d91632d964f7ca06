"""The request lifecycle's rules: every move from every state, who may make it, four eyes,
verification strength and the Art. 12(3) extension. The expected table is written out here, not
derived from the code's table, so a change to either shows."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from varna.dsr.requests import (
    Action,
    Actor,
    Assurance,
    Kind,
    Policy,
    RequestView,
    Role,
    State,
    check_move,
    days_left,
    new_reference,
)
from varna.errors import RequestError

RECEIVED = datetime(2026, 11, 20, 9, tzinfo=UTC)
DUE = date(2026, 12, 21)
NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)
POLICY = Policy()
ANNA = Actor("anna", Role.case_handler)
BO = Actor("bo", Role.case_handler)
DPO = Actor("dina", Role.dpo)
VARNA = Actor("varna", Role.system)
PERSON = Actor("person", Role.person)

S = State
#: (action, source state) -> target state; every pair not listed must be refused.
ALLOWED: dict[tuple[Action, State], State | None] = {
    (Action.verify, S.received): S.verified,
    (Action.plan, S.verified): S.planned,
    (Action.hold, S.planned): S.awaiting_decision,
    (Action.decide, S.awaiting_decision): S.awaiting_approval,
    (Action.submit, S.planned): S.awaiting_approval,
    (Action.approve, S.awaiting_approval): S.approved,
    (Action.approve, S.planned): S.approved,
    (Action.handle, S.received): S.executing,
    (Action.handle, S.verified): S.executing,
    (Action.handle, S.planned): S.executing,
    (Action.handle, S.approved): S.executing,
    (Action.execute, S.approved): S.executing,
    (Action.resume, S.executing): S.executing,
    (Action.answer, S.executing): S.answered,
    (Action.fail, S.executing): S.failed,
    (Action.retry, S.failed): S.approved,
    (Action.close, S.approved): S.answered,
    **{
        (Action.refuse, s): S.refused
        for s in (
            S.received,
            S.verified,
            S.planned,
            S.awaiting_decision,
            S.awaiting_approval,
            S.approved,
            S.failed,
        )
    },
    **{
        (Action.withdraw, s): S.withdrawn
        for s in (
            S.received,
            S.verified,
            S.planned,
            S.awaiting_decision,
            S.awaiting_approval,
            S.approved,
            S.failed,
        )
    },
    **{
        (Action.extend, s): None
        for s in (
            S.received,
            S.verified,
            S.planned,
            S.awaiting_decision,
            S.awaiting_approval,
            S.approved,
            S.executing,
            S.failed,
        )
    },
}


def request(state: State, kind: Kind = Kind.access, **extra: object) -> RequestView:
    return RequestView("R-2026-TEST-0001", kind, state, RECEIVED, DUE, **extra)  # type: ignore[arg-type]


def move(view: RequestView, action: Action, actor: Actor) -> dict[str, object]:
    return check_move(
        view,
        action,
        actor,
        policy=POLICY,
        now=NOW,
        reason="a reason",
        assurance=Assurance.eid,
    )


def _actor_for(action: Action) -> Actor:
    return PERSON if action is Action.withdraw else DPO


@pytest.mark.parametrize(
    ("action", "state"),
    [
        pytest.param(a, s, id=f"{a.value}-from-{s.value}")
        for a in Action
        for s in State
        if a not in (Action.approve,)  # approve is tested below with four eyes
    ],
)
def test_every_move_from_every_state(action: Action, state: State) -> None:
    view = request(state)
    if (action, state) in ALLOWED:
        changes = move(view, action, _actor_for(action))
        target = ALLOWED[(action, state)]
        assert changes.get("state") == target
    else:
        with pytest.raises(RequestError, match=f"cannot {action.value} now"):
            move(view, action, _actor_for(action))


@pytest.mark.parametrize(
    ("action", "state", "actor", "allowed"),
    [
        pytest.param(Action.verify, S.received, VARNA, True, id="system-verifies"),
        pytest.param(Action.verify, S.received, PERSON, False, id="person-cannot-verify"),
        pytest.param(Action.plan, S.verified, PERSON, False, id="person-cannot-plan"),
        pytest.param(Action.refuse, S.received, VARNA, False, id="system-cannot-refuse"),
        pytest.param(Action.refuse, S.received, PERSON, False, id="person-cannot-refuse"),
        pytest.param(Action.refuse, S.received, ANNA, True, id="case-handler-refuses"),
        pytest.param(Action.withdraw, S.planned, PERSON, True, id="person-withdraws"),
        pytest.param(Action.withdraw, S.planned, VARNA, False, id="system-cannot-withdraw"),
        pytest.param(Action.handle, S.received, VARNA, False, id="system-cannot-handle"),
        pytest.param(Action.handle, S.received, ANNA, True, id="staff-handles-access"),
        pytest.param(Action.execute, S.approved, PERSON, False, id="person-cannot-execute"),
        pytest.param(Action.extend, S.received, PERSON, False, id="person-cannot-extend"),
        pytest.param(Action.decide, S.awaiting_decision, VARNA, False, id="system-cannot-decide"),
        pytest.param(Action.close, S.approved, VARNA, False, id="system-cannot-close"),
    ],
)
def test_who_may_move(action: Action, state: State, actor: Actor, allowed: bool) -> None:
    if allowed:
        move(request(state), action, actor)
    else:
        with pytest.raises(RequestError, match=f"may not {action.value}"):
            move(request(state), action, actor)


@pytest.mark.parametrize(
    ("kind", "state", "prepared_by", "approver", "error"),
    [
        pytest.param(Kind.erasure, S.awaiting_approval, ANNA, BO, None, id="erasure-second-staff"),
        pytest.param(Kind.erasure, S.awaiting_approval, ANNA, DPO, None, id="erasure-dpo"),
        pytest.param(
            Kind.erasure, S.awaiting_approval, ANNA, ANNA, "four eyes", id="erasure-same-person"
        ),
        pytest.param(
            Kind.rectification, S.awaiting_approval, BO, BO, "four eyes", id="rectify-same-person"
        ),
        pytest.param(
            Kind.erasure, S.awaiting_approval, ANNA, VARNA, "staff only", id="erasure-by-system"
        ),
        pytest.param(Kind.erasure, S.planned, ANNA, BO, "submit it", id="erasure-not-submitted"),
        pytest.param(Kind.access, S.planned, VARNA, VARNA, None, id="access-auto-approved"),
        pytest.param(Kind.restriction, S.awaiting_approval, ANNA, ANNA, None, id="no-four-eyes"),
    ],
)
def test_four_eyes(
    kind: Kind, state: State, prepared_by: Actor, approver: Actor, error: str | None
) -> None:
    view = request(state, kind, prepared_by=str(prepared_by))
    if error is None:
        assert move(view, Action.approve, approver) == {
            "state": S.approved,
            "approved_by": str(approver),
        }
    else:
        with pytest.raises(RequestError, match=error):
            move(view, Action.approve, approver)


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [(Kind.erasure, False), (Kind.rectification, False), (Kind.access, True)],
    ids=["erasure", "rectification", "access"],
)
def test_staff_handle_only_kinds_without_four_eyes(kind: Kind, allowed: bool) -> None:
    if allowed:
        assert move(request(S.received, kind), Action.handle, ANNA)["state"] is S.executing
    else:
        with pytest.raises(RequestError, match="approved by a second staff member"):
            move(request(S.received, kind), Action.handle, ANNA)


@pytest.mark.parametrize(
    ("assurance", "allowed"),
    [
        (None, False),
        (Assurance.none, False),
        (Assurance.email_code, True),
        (Assurance.eid, True),
        (Assurance.staff_document, True),
    ],
    ids=["nothing", "none", "email-code", "eid", "staff-document"],
)
def test_verification_must_reach_the_minimum(assurance: Assurance | None, allowed: bool) -> None:
    def verify() -> dict[str, object]:
        return check_move(
            request(S.received), Action.verify, VARNA, policy=POLICY, now=NOW, assurance=assurance
        )

    if allowed:
        assert verify()["assurance"] == assurance
    else:
        with pytest.raises(RequestError, match="too weak"):
            verify()


@pytest.mark.parametrize(
    ("now", "extended_due", "until", "reason", "result"),
    [
        pytest.param(NOW, None, None, "many systems", date(2027, 2, 22), id="latest-by-default"),
        pytest.param(NOW, None, date(2027, 1, 15), "many", date(2027, 1, 15), id="chosen-day"),
        pytest.param(NOW, None, date(2027, 3, 1), "many", "no later than", id="beyond-3-months"),
        pytest.param(NOW, None, date(2026, 12, 1), "many", "must fall after", id="before-due"),
        pytest.param(NOW, date(2027, 1, 5), None, "again", "already extended", id="twice"),
        pytest.param(
            datetime(2026, 12, 22, tzinfo=UTC),
            None,
            None,
            "late",
            "within the first month",
            id="after-first-month",
        ),
        pytest.param(NOW, None, None, "  ", "say why", id="no-reason"),
    ],
)
def test_extension(
    now: datetime,
    extended_due: date | None,
    until: date | None,
    reason: str,
    result: date | str,
) -> None:
    view = request(S.verified, extended_due=extended_due)

    def extend() -> dict[str, object]:
        return check_move(
            view, Action.extend, ANNA, policy=POLICY, now=now, reason=reason, extend_to=until
        )

    if isinstance(result, date):
        changes = extend()
        assert changes == {"extended_due": result, "extension_reason": reason}
        extended = request(S.verified, extended_due=result)
        assert days_left(extended, today=DUE) == (result - DUE).days
    else:
        with pytest.raises(RequestError, match=result):
            extend()


def test_references_carry_no_data_and_do_not_repeat() -> None:
    refs = {new_reference(2026) for _ in range(2000)}
    assert len(refs) == 2000
    assert all(r.startswith("R-2026-") and len(r) == 16 for r in refs)
    assert not any(c in r[7:] for r in refs for c in "01IO")
