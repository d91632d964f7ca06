"""The data-subject request and its lifecycle, as pure rules (GDPR Art. 12).

A request is received (by e-mail, letter or the privacy centre), the person's identity is
verified, the request is planned, approved (by a second staff member for erasure and
rectification: four eyes) and executed; executing the right answers it. It can also be refused
(with reasons, Art. 12(4); a manifestly unfounded or excessive request, Art. 12(5)), withdrawn by
the person, or fail (visible, retryable). The deadline is fixed at receipt: one month (Art.
12(3), counted by :mod:`varna.law.deadlines`), extendable once by up to two further months with
reasons, which the person must be told within the first month.

This module holds only rules: the states, the one table of allowed transitions and the roles
that may make each (:data:`TRANSITIONS`), the policy (:class:`Policy`) and :func:`check_move`,
which :mod:`varna.core` calls inside the state transaction that makes the move, on the row it has
locked. Nothing here reads a clock or a database.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Any

from varna.errors import RequestError
from varna.law.deadlines import extended_deadline, response_deadline


class Kind(StrEnum):
    """The rights a request can invoke (Art. 15-21)."""

    access = "access"
    portability = "portability"
    rectification = "rectification"
    erasure = "erasure"
    restriction = "restriction"
    objection = "objection"


class State(StrEnum):
    """Where a request is in its lifecycle (docs/dsr.md draws it)."""

    received = "received"
    verified = "verified"
    planned = "planned"
    awaiting_decision = "awaiting_decision"
    awaiting_approval = "awaiting_approval"
    approved = "approved"
    executing = "executing"
    answered = "answered"
    refused = "refused"
    withdrawn = "withdrawn"
    failed = "failed"

    @property
    def open(self) -> bool:
        """Open states still need work; ``failed`` is open (visible, retryable)."""
        return self not in CLOSED


CLOSED = frozenset({State.answered, State.refused, State.withdrawn})


class Role(StrEnum):
    """Who acts: the person themself, staff (case handler, data protection officer), or Varna."""

    person = "person"
    case_handler = "case_handler"
    dpo = "dpo"
    system = "system"


STAFF = frozenset({Role.case_handler, Role.dpo})
ANYONE = frozenset(Role)
WORKERS = STAFF | {Role.system}


class Assurance(IntEnum):
    """How sure the controller is that the requester is the person (Art. 12(6)), weakest first."""

    none = 0
    email_code = 1
    sms_code = 2
    eid = 3
    staff_document = 4


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a move: a name (a staff login, ``varna``, ``person``) and a role."""

    name: str
    role: Role

    def __post_init__(self) -> None:
        if not self.name.strip() or len(self.name) > 100:
            raise RequestError("an actor needs a name of 1-100 characters, e.g. --as anna")

    def __str__(self) -> str:
        return f"{self.role.value}:{self.name}"


SYSTEM = Actor("varna", Role.system)


class Action(StrEnum):
    """Every move a request can make; each is one row of :data:`TRANSITIONS`."""

    verify = "verify"
    plan = "plan"
    hold = "hold"
    decide = "decide"
    submit = "submit"
    approve = "approve"
    handle = "handle"
    execute = "execute"
    resume = "resume"
    answer = "answer"
    fail = "fail"
    retry = "retry"
    refuse = "refuse"
    withdraw = "withdraw"
    close = "close"
    extend = "extend"


@dataclass(frozen=True, slots=True)
class Transition:
    """One row of the table: from which states, to which, and who may."""

    sources: frozenset[State]
    target: State | None
    """``None``: the state stays (an extension is an attribute, not a state)."""
    roles: frozenset[Role]


_BEFORE_EXECUTION = frozenset(
    {
        State.received,
        State.verified,
        State.planned,
        State.awaiting_decision,
        State.awaiting_approval,
        State.approved,
        State.failed,
    }
)

#: The one table of allowed moves. Receipt (nothing -> received) is open to every role.
TRANSITIONS: Mapping[Action, Transition] = {
    Action.verify: Transition(frozenset({State.received}), State.verified, WORKERS),
    Action.plan: Transition(frozenset({State.verified}), State.planned, WORKERS),
    Action.hold: Transition(frozenset({State.planned}), State.awaiting_decision, WORKERS),
    Action.decide: Transition(frozenset({State.awaiting_decision}), State.awaiting_approval, STAFF),
    Action.submit: Transition(frozenset({State.planned}), State.awaiting_approval, WORKERS),
    Action.approve: Transition(
        frozenset({State.awaiting_approval, State.planned}), State.approved, WORKERS
    ),
    # staff carry out a request themselves (checking the person as they go): no four-eyes kind
    Action.handle: Transition(
        frozenset({State.received, State.verified, State.planned, State.approved}),
        State.executing,
        STAFF,
    ),
    Action.execute: Transition(frozenset({State.approved}), State.executing, WORKERS),
    # the worker that was executing is gone (the core holds the person's execution lock)
    Action.resume: Transition(frozenset({State.executing}), State.executing, WORKERS),
    Action.answer: Transition(frozenset({State.executing}), State.answered, WORKERS),
    Action.fail: Transition(frozenset({State.executing}), State.failed, WORKERS),
    Action.retry: Transition(frozenset({State.failed}), State.approved, WORKERS),
    Action.refuse: Transition(_BEFORE_EXECUTION, State.refused, STAFF),
    Action.withdraw: Transition(
        _BEFORE_EXECUTION, State.withdrawn, frozenset({Role.person}) | STAFF
    ),
    Action.close: Transition(frozenset({State.approved}), State.answered, STAFF),
    Action.extend: Transition(_BEFORE_EXECUTION | {State.executing}, None, STAFF),
}


@dataclass(frozen=True, slots=True)
class Policy:
    """What the controller decided about requests, in one place.

    ``four_eyes``: kinds whose approval needs a second staff member, not the one who prepared
    the plan. ``min_assurance``: the weakest verification that counts, per kind.
    """

    four_eyes: frozenset[Kind] = frozenset({Kind.erasure, Kind.rectification})
    min_assurance: Mapping[Kind, Assurance] = field(
        default_factory=lambda: dict.fromkeys(Kind, Assurance.email_code)
    )


@dataclass(frozen=True, slots=True)
class RequestView:
    """What the rules need to know of a request (the state row, without any identity)."""

    ref: str
    kind: Kind
    state: State
    received_at: datetime
    due: date
    extended_due: date | None = None
    prepared_by: str | None = None
    approved_by: str | None = None
    assurance: Assurance | None = None


def new_reference(year: int) -> str:
    """A reference the person can quote: ``R-2026-7K3Q-X9MD`` (random, never personal data)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
    body = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"R-{year}-{body[:4]}-{body[4:]}"


def deadline_at_receipt(received: datetime) -> date:
    """The Art. 12(3) deadline, fixed when the request is received."""
    return response_deadline(received.date())


def check_move(
    request: RequestView,
    action: Action,
    actor: Actor,
    *,
    policy: Policy,
    now: datetime,
    reason: str | None = None,
    assurance: Assurance | None = None,
    extend_to: date | None = None,
) -> dict[str, Any]:
    """Check that ``actor`` may make ``action`` on ``request`` now; return the changes to store.

    Raises :class:`RequestError` that names the reference, the state and what would be allowed.
    """
    rule = TRANSITIONS[action]
    where = f"request {request.ref} ({request.kind.value}, {request.state.value})"
    if request.state not in rule.sources:
        allowed = sorted(a.value for a, t in TRANSITIONS.items() if request.state in t.sources)
        raise RequestError(
            f"{where}: cannot {action.value} now; from {request.state.value} it may "
            f"{', '.join(allowed) or 'not move'}"
        )
    if actor.role not in rule.roles:
        roles = ", ".join(sorted(r.value for r in rule.roles))
        raise RequestError(f"{where}: a {actor.role.value} may not {action.value} (only {roles})")
    changes: dict[str, Any] = {}
    if rule.target is not None:
        changes["state"] = rule.target
    four_eyes = request.kind in policy.four_eyes
    if action is Action.verify:
        need = policy.min_assurance.get(request.kind, Assurance.email_code)
        if assurance is None or assurance < need:
            raise RequestError(
                f"{where}: verification by {assurance.name if assurance else 'nothing'} is too "
                f"weak; {request.kind.value} needs at least {need.name}"
            )
        changes["assurance"] = assurance
    elif action is Action.plan:
        changes["prepared_by"] = str(actor)
    elif action is Action.approve:
        if four_eyes and request.state is State.planned:
            raise RequestError(
                f"{where}: {request.kind.value} needs a second staff member's approval; submit "
                "it for approval first"
            )
        if four_eyes and actor.role not in STAFF:
            raise RequestError(f"{where}: {request.kind.value} is approved by staff only")
        if four_eyes and request.prepared_by == str(actor):
            raise RequestError(
                f"{where}: four eyes: {actor.name} prepared this {request.kind.value} and may "
                "not approve it too; ask another case handler or the DPO"
            )
        changes["approved_by"] = str(actor)
    elif action is Action.handle:
        if four_eyes:
            raise RequestError(
                f"{where}: {request.kind.value} needs a plan approved by a second staff member "
                f"before it is executed (varna dsr verify/prepare/approve {request.ref})"
            )
        changes["approved_by"] = str(actor)
        if request.assurance is None:
            changes["assurance"] = Assurance.staff_document
    elif action in (Action.refuse, Action.fail, Action.extend):
        text = (reason or "").strip()
        if not text:
            raise RequestError(f"{where}: say why ({action.value} needs a reason, Art. 12(4))")
        changes["reason" if action is not Action.extend else "extension_reason"] = text[:500]
    if action is Action.extend:
        changes.update(_extension(request, where, now=now, extend_to=extend_to))
    return changes


def _extension(
    request: RequestView, where: str, *, now: datetime, extend_to: date | None
) -> dict[str, Any]:
    if request.extended_due is not None:
        raise RequestError(f"{where}: already extended to {request.extended_due.isoformat()}")
    if now.date() > request.due:
        raise RequestError(
            f"{where}: an extension must be notified within the first month (by "
            f"{request.due.isoformat()}, Art. 12(3))"
        )
    latest = extended_deadline(request.received_at.date())
    target = extend_to or latest
    if not request.due < target <= latest:
        raise RequestError(
            f"{where}: the extended deadline must fall after {request.due.isoformat()} and no "
            f"later than {latest.isoformat()} (two further months, Art. 12(3))"
        )
    return {"extended_due": target}


def effective_due(request: RequestView) -> date:
    """The deadline that holds now: the extended one if the request was extended."""
    return request.extended_due or request.due


def days_left(request: RequestView, *, today: date) -> int:
    """Days until the deadline that holds (negative: overdue)."""
    return (effective_due(request) - today).days


def describe_open(requests: Sequence[RequestView], *, today: date) -> list[str]:
    """The requests as lines: deadline, days left (or overdue), kind, state, reference."""
    if not requests:
        return ["no open request"]
    out = []
    for r in requests:
        left = days_left(r, today=today)
        when = f"{left} day(s) left" if left >= 0 else f"OVERDUE by {-left} day(s)"
        extended = " (extended)" if r.extended_due else ""
        out.append(
            f"{effective_due(r).isoformat()}{extended}  {when:>20}  {r.kind.value:<13} "
            f"{r.state.value:<17} {r.ref}  received {r.received_at.date().isoformat()}"
        )
    return out
