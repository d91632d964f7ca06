"""Operations of the service: the request lifecycle (receive, verify, plan, approve, refuse,
extend, withdraw, close), one request and the list of requests; see :mod:`.moves` for how
each move is made."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from varna.core.moves import RequestDetail, RequestMoves, RequestStatus
from varna.dsr.requests import (
    SYSTEM,
    Action,
    Actor,
    Assurance,
    Kind,
    deadline_at_receipt,
    new_reference,
)

if TYPE_CHECKING:
    from varna.dsr.identity import Identity
    from varna.dsr.planner import TraversalPlan
    from varna.dsr.traversal import Found
    from varna.state.database import Transaction
    from varna.state.requests import Also, RequestRecord, Step


class RequestOps(RequestMoves):
    """Operations: the request lifecycle and the list of requests."""

    def search_plan(self, identities: Sequence[str], *, now: datetime) -> TraversalPlan:
        """Where a request for these identities would look (pure: no system is contacted)."""
        from varna.dsr.planner import RequestKind, plan_request

        people = self.parse_identities(identities, now=now)
        return plan_request(self.register, people, kind=RequestKind.access)

    def _reached(
        self, people: Sequence[Identity], *, now: datetime, every_column: bool = False
    ) -> Found:
        """The rows an access request for ``people`` reaches, read-only; with
        ``every_column``, every column of each, as an access reads them (Art. 15(3))."""
        from varna.dsr.access import read_for_access
        from varna.dsr.planner import RequestKind, plan_request
        from varna.dsr.traversal import collect_rows

        with self.connectors() as conns:
            if every_column:
                return read_for_access(self.register, people, conns, today=now.date())
            traversal = plan_request(self.register, people, kind=RequestKind.access)
            return collect_rows(traversal, conns, today=now.date())

    def receive(
        self,
        identities: Sequence[str],
        *,
        kind: Kind,
        now: datetime,
        actor: Actor = SYSTEM,
        every_column: bool = False,
        also: Also | None = None,
        then: Callable[[Found], Sequence[Step]] | None = None,
    ) -> RequestStatus:
        """Record a request received at ``now`` with its Art. 12(3) deadline and keep the
        person's rows from retention until it is answered. The rows it reached come back with
        it (:attr:`RequestStatus.found`; with ``every_column``, read as an access reads them).

        A second receipt of the same kind for the same person while the first is open is merged
        into it (its reference is returned, ``created`` is false, its state is kept: a duplicate
        never skips the verification still owed).

        In the receipt's own transaction: ``also`` with the request, new or merged into (what
        its door keeps with it); for a new request only, the moves ``then`` picks from the rows
        it reached (its door's verification, and the plan that follows from it).
        """
        from varna.state.rows import PinnedRow

        given = self.parse_identities(identities, now=now)
        found = self._reached(given, now=now, every_column=every_column)
        rows = [PinnedRow(r.system, r.table, dict(r.key)) for r in found.all_rows() if r.theirs]
        known = list(found.identities or given)
        due = deadline_at_receipt(now)

        def record(conn: Transaction, after: RequestRecord, _: RequestRecord | None) -> None:
            extra = {"due": due.isoformat()}
            self._request_event(
                conn, after, None, event="received", actor=actor, at=now, extra=extra
            )

        record_, created = self.ledger.requests.receive(
            self.ledger.pseudonyms(known),
            kind=kind.value,
            ref=new_reference(now.year),
            at=now,
            due=due,
            actor=str(actor),
            audit_subject=self._audit_names(known)[0],
            rows=rows,
            record=record,
            also=also,
            then=then(found) if then is not None else (),
        )
        return RequestStatus(record_, created, found)

    def verify(
        self,
        ref: str,
        *,
        method: str,
        assurance: Assurance,
        now: datetime,
        actor: Actor = SYSTEM,
        note: str | None = None,
    ) -> RequestStatus:
        """Record how the person's identity was verified (Art. 12(6)); the assurance must reach
        the policy's minimum for the kind. A staff member's ``note`` (what was seen: a signed
        letter, an ID document) is kept with the request's move; the audit log records only
        that a note exists, since it may name the person."""
        step = self._verify_step(method, assurance, actor=actor, now=now, note=note)
        return self._make(ref, [step], now=now)

    def _verify_step(
        self,
        method: str,
        assurance: Assurance,
        *,
        actor: Actor,
        now: datetime,
        note: str | None = None,
    ) -> Step:
        """The move of :meth:`verify`."""
        return self._step(
            Action.verify,
            actor,
            now=now,
            assurance=assurance,
            verified_by=f"{method[:60]} by {actor}",
            note=(note or "").strip()[:500] or None,
        )

    def plan(self, ref: str, *, now: datetime, actor: Actor = SYSTEM) -> RequestStatus:
        """Plan a verified request, then send it for approval (four-eyes kinds) or approve it."""
        four_eyes = self.policy.four_eyes

        def then(kind: Kind) -> Action:
            return Action.submit if kind in four_eyes else Action.approve

        return self._moves(ref, Action.plan, then, actor, now=now)

    def approve(self, ref: str, *, actor: Actor, now: datetime) -> RequestStatus:
        """Approve a planned request; for four-eyes kinds not by the one who prepared it."""
        return self._move(ref, Action.approve, actor, now=now)

    def refuse(self, ref: str, *, reason: str, actor: Actor, now: datetime) -> RequestStatus:
        """Refuse a request with reasons (Art. 12(4); Art. 12(5) for a manifestly unfounded or
        excessive one). The person must be told the reasons and their right to complain."""
        return self._move(ref, Action.refuse, actor, now=now, reason=reason)

    def extend(
        self,
        ref: str,
        *,
        reason: str,
        actor: Actor,
        now: datetime,
        until: date | None = None,
    ) -> RequestStatus:
        """Extend the deadline by up to two further months (Art. 12(3)), with reasons, within
        the first month; ``until`` defaults to the latest day allowed."""
        return self._move(ref, Action.extend, actor, now=now, reason=reason, extend_to=until)

    def withdraw(self, ref: str, *, actor: Actor, now: datetime) -> RequestStatus:
        """The person withdraws the request (or staff record that they did)."""
        return self._move(ref, Action.withdraw, actor, now=now)

    def close_request(self, ref: str, *, actor: Actor, now: datetime) -> RequestStatus:
        """Mark an approved request answered when staff answered it by hand (``close`` is
        taken: it closes Varna's connections)."""
        return self._move(ref, Action.close, actor, now=now)

    def retry(self, ref: str, *, actor: Actor, now: datetime) -> RequestStatus:
        """Send a failed request back to approved, to be executed again."""
        return self._move(ref, Action.retry, actor, now=now)

    def requests(self, *, open_only: bool = True) -> list[RequestStatus]:
        """The requests (open ones by default), the earliest deadline first."""
        return [RequestStatus(r) for r in self.ledger.requests.listing(open_only=open_only)]

    def status(self, ref: str) -> RequestStatus:
        """One request as it stands (without its moves: one read)."""
        return RequestStatus(self.ledger.requests.get(ref))

    def show(self, ref: str) -> RequestDetail:
        """One request and its moves."""
        store = self.ledger.requests
        return RequestDetail(RequestStatus(store.get(ref)), tuple(store.moves(ref)))
