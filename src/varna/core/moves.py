"""How a request moves: the typed views the doors get, and the one way a move is made.

Each move is one state transaction (:mod:`varna.state.requests`): the per-person lock, the row
locked, the rule of :mod:`varna.dsr.requests` checked on the row as it is, the row and its move
written, and the audit event appended with ``AuditLog.append_at_commit`` in the same transaction.
Both the lifecycle operations (:mod:`.request_ops`) and the rights (:mod:`.rights_ops`) move
requests through :class:`RequestMoves`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from varna.core.base import VarnaBase
from varna.dsr.requests import (
    SYSTEM,
    Action,
    Actor,
    Assurance,
    Kind,
    RequestView,
    State,
    check_move,
    days_left,
    effective_due,
)

if TYPE_CHECKING:
    from varna.dsr.identity import Identity
    from varna.dsr.traversal import Found
    from varna.state.database import Transaction
    from varna.state.requests import Also, Move, RequestRecord, Step

#: The audit action of each move: ``dsr.request.<event>``.
EVENTS: Mapping[Action, str] = {
    Action.verify: "verified",
    Action.plan: "planned",
    Action.hold: "held",
    Action.decide: "decided",
    Action.submit: "submitted",
    Action.approve: "approved",
    Action.handle: "handled",
    Action.execute: "started",
    Action.resume: "resumed",
    Action.answer: "answered",
    Action.fail: "failed",
    Action.retry: "retried",
    Action.refuse: "refused",
    Action.withdraw: "withdrawn",
    Action.close: "closed",
    Action.extend: "extended",
}


def view_of(record: RequestRecord) -> RequestView:
    """The rules' view of a stored request."""
    return RequestView(
        ref=record.ref,
        kind=Kind(record.kind),
        state=State(record.state),
        received_at=record.received_at,
        due=record.due,
        extended_due=record.extended_due,
        prepared_by=record.prepared_by,
        approved_by=record.approved_by,
        assurance=Assurance[record.assurance] if record.assurance else None,
    )


@dataclass(frozen=True, slots=True)
class RequestStatus:
    """A request as the doors show it: the stored row, and whether ``receive`` made it."""

    record: RequestRecord
    created: bool = False
    found: Found | None = field(default=None, repr=False, compare=False)
    """The rows its receipt reached, every column of each when asked (``receive(...,
    every_column=True)``): only within the call that received it, so that a request answered
    in that same call reads the systems once."""

    @property
    def ref(self) -> str:
        return self.record.ref

    @property
    def view(self) -> RequestView:
        return view_of(self.record)

    @property
    def due(self) -> date:
        """The deadline that holds: the extended one if extended."""
        return effective_due(self.view)

    def days_left(self, today: date) -> int:
        return days_left(self.view, today=today)

    def as_dict(self, *, today: date | None = None) -> dict[str, Any]:
        out = {**self.record.as_dict(), "created": self.created}
        if today is not None:
            out["days_left"] = self.days_left(today)
        return out


@dataclass(frozen=True, slots=True)
class RequestDetail:
    """One request with every move it made."""

    status: RequestStatus
    moves: tuple[Move, ...]

    def as_dict(self, *, today: date | None = None) -> dict[str, Any]:
        return {**self.status.as_dict(today=today), "moves": [m.as_dict() for m in self.moves]}


def closing(
    changes: dict[str, Any], *, now: datetime, verified_by: str | None = None
) -> dict[str, Any]:
    """Complete a move's changes: a closed state gets ``closed_at``; a verification its method."""
    state = changes.get("state")
    if state is not None and not State(state).open:
        changes["closed_at"] = now
    if "assurance" in changes and verified_by is not None:
        changes["verified_by"] = verified_by
    return changes


class RequestMoves(VarnaBase):
    """Parsing identities, naming the person in the audit log, and making a move."""

    def parse_identities(self, texts: Sequence[str], *, now: datetime) -> list[Identity]:
        """``KIND=VALUE`` texts as identities of the register's kinds, normalised."""
        from varna.dsr.identity import parse_identities

        return parse_identities(texts, kinds=self.register.identity_kinds(), today=now.date())

    def _audit_names(self, identities: Sequence[Identity]) -> list[str]:
        from varna.dsr.proof import pseudonyms

        return pseudonyms(identities, key=self.settings.audit_key_bytes())

    def _request_event(
        self,
        conn: Transaction,
        after: RequestRecord,
        before: RequestRecord | None,
        *,
        event: str,
        actor: Actor,
        at: datetime,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        """Append the move's audit event inside its state transaction."""
        from varna.audit.models import NewEvent

        details: dict[str, Any] = {"request": after.ref, "kind": after.kind, "state": after.state}
        if before is not None:
            details["from"] = before.state
        details.update(extra or {})
        new = NewEvent(
            at,
            str(actor),
            f"dsr.request.{event}",
            subject=after.audit_subject,
            details=details,
        )
        self.audit.append_at_commit(conn, [new])

    def _move(
        self,
        ref: str,
        action: Action,
        actor: Actor,
        *,
        now: datetime,
        reason: str | None = None,
        assurance: Assurance | None = None,
        extend_to: date | None = None,
        verified_by: str | None = None,
        note: str | None = None,
    ) -> RequestStatus:
        """Make one move; ``note`` (a verification's note) is kept with the move, not audited."""
        step = self._step(
            action,
            actor,
            now=now,
            reason=reason,
            assurance=assurance,
            extend_to=extend_to,
            verified_by=verified_by,
            note=note,
        )
        return self._make(ref, [step], now=now)

    def _moves(
        self,
        ref: str,
        first: Action,
        then: Callable[[Kind], Action],
        actor: Actor,
        *,
        now: datetime,
    ) -> RequestStatus:
        """Two moves in one transaction (all or none): ``first`` by ``actor``, then the one
        ``then`` picks for the request's kind (an approval by the system, anything else by
        ``actor``): a plan, then its approval or its submission for four eyes."""

        def second(planned: RequestRecord) -> Step:
            action = then(Kind(planned.kind))
            return self._step(action, SYSTEM if action is Action.approve else actor, now=now)

        return self._make(ref, [self._step(first, actor, now=now), second], now=now)

    def _make(
        self,
        ref: str,
        steps: Sequence[Step | Callable[[RequestRecord], Step]],
        *,
        now: datetime,
        also: Also | None = None,
    ) -> RequestStatus:
        """Make ``steps`` of request ``ref`` in one transaction (all or none) at ``now``, then
        ``also`` in it; every move of an existing request is made here."""
        return RequestStatus(self.ledger.requests.move_each(ref, steps, also=also))

    def _step(
        self,
        action: Action,
        actor: Actor,
        *,
        now: datetime,
        reason: str | None = None,
        assurance: Assurance | None = None,
        extend_to: date | None = None,
        verified_by: str | None = None,
        note: str | None = None,
    ) -> Step:
        """A move as the request store takes it: how it is decided and how it is recorded."""
        from varna.state.requests import Step

        policy = self.policy

        def decide(before: RequestRecord) -> dict[str, Any]:
            changes = check_move(
                view_of(before),
                action,
                actor,
                policy=policy,
                now=now,
                reason=reason,
                assurance=assurance,
                extend_to=extend_to,
            )
            return closing(changes, now=now, verified_by=verified_by)

        def record(conn: Transaction, after: RequestRecord, before: RequestRecord | None) -> None:
            extra: dict[str, Any] = {"reason_given": bool(reason)} if reason else {}
            if note:
                extra["note_given"] = True
            if action is Action.extend and after.extended_due is not None:
                extra["extended_due"] = after.extended_due.isoformat()
            if action is Action.verify and assurance is not None:
                extra["assurance"] = assurance.name
            if after.closed_at is not None:
                extra["late"] = now.date() > effective_due(view_of(after))
            self._request_event(
                conn, after, before, event=EVENTS[action], actor=actor, at=now, extra=extra
            )

        return Step(action.value, now, str(actor), decide, note or reason, record)
