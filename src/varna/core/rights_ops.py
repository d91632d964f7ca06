"""Operations of the service: the rights (access, export, rectify, erase, restrict and lift,
object); executing a right answers its request.

Every right runs the same way (:meth:`RightsOps._answering`): the person's execution lock is
taken (:func:`varna.state.locks.execution_lock`: one executor per person, on any host); then, if
the person has an open request of that kind, it is claimed in one state transaction that moves
it to ``executing`` (an approved request; or, for a kind without four eyes, staff handling it
themselves; or a request left ``executing`` by a worker that died, which the lock proves, is
resumed). The right is carried out in the organisation's systems; then the request is answered,
or marked failed with the error (visible in ``varna dsr requests``, retryable). Without an open
request the right is the controller's own act, under the same lock. Dry runs touch no request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from varna.core.base import Connectors
from varna.core.moves import RequestMoves, RequestStatus
from varna.core.receipt_ops import ReceiptOps
from varna.dsr.requests import Action, Actor, Kind, State
from varna.errors import RequestError, VarnaError

if TYPE_CHECKING:
    from varna.audit.models import NewEvent
    from varna.dsr.access import AccessResult
    from varna.dsr.executor import ErasureOutcome
    from varna.dsr.identity import Identity
    from varna.dsr.objection import ObjectionOutcome
    from varna.dsr.portability import PortableData
    from varna.dsr.proof import AuditRecorder, DeferredRecorder
    from varna.dsr.rectification import RectificationPlan
    from varna.dsr.restriction import RestrictionOutcome
    from varna.dsr.traversal import Found
    from varna.state.database import Transaction
    from varna.state.requests import Also, RequestRecord, Step
    from varna.state.restrictions import Ground, Restriction

T = TypeVar("T")


@dataclass(slots=True)
class Answered(Generic[T]):
    """The result of a right, and the request it answered (``None``: there was none open)."""

    result: T
    request: RequestStatus | None = None
    receipt: bytes | None = None  # the person's receipt as PDF, when asked for and executed


@dataclass(frozen=True, slots=True)
class Rectified:
    """A rectification: the plan, and per system the rows updated (empty in a dry run)."""

    plan: RectificationPlan
    updated: dict[str, int]


class _Claim:
    """The request a right answers, if any, and where its execution reports what it did;
    filled in by ``_answering``."""

    def __init__(self, recorder: AuditRecorder) -> None:
        self.record: RequestRecord | None = None
        self.answered: RequestRecord | None = None
        self.recorder = recorder
        self.kept: Also | None = None
        """What the answer keeps, written in the transaction that answers the request."""


READ_ONLY = frozenset({Kind.access, Kind.portability})
"""Rights that only read the organisation's systems: their request is claimed when it is
answered, in one transaction with the proof of what was read."""


class RightsOps(ReceiptOps, RequestMoves):
    """Operations: the rights; each answers its request."""

    def _recorder(self, actor: Actor) -> AuditRecorder:
        from varna.dsr.proof import AuditRecorder

        return AuditRecorder(self.audit, key=self.settings.audit_key_bytes(), actor=str(actor))

    def _deferred_recorder(self, actor: Actor) -> DeferredRecorder:
        """A recorder whose events are appended by the transaction that answers the request."""
        from varna.dsr.proof import DeferredRecorder

        return DeferredRecorder(self.audit, key=self.settings.audit_key_bytes(), actor=str(actor))

    def _erasure_key(self) -> bytes:
        from varna.dsr.strategies import erasure_hash_key

        return erasure_hash_key(self.settings.audit_key_bytes())

    def _claim_step(self, current: RequestRecord, *, actor: Actor, now: datetime) -> Step:
        """The move that claims ``current`` for execution: an approved request is started;
        one left ``executing`` is resumed (the caller holds the execution lock, so its
        executor is gone); for a kind without four eyes, staff may handle it themselves."""
        state = State(current.state)
        if state is State.executing:
            action = Action.resume
        else:
            action = Action.execute if state is State.approved else Action.handle
        return self._step(action, actor, now=now, verified_by=f"staff by {actor}")

    def _claim(
        self, kind: Kind, identities: Sequence[Identity], *, actor: Actor, now: datetime
    ) -> RequestRecord | None:
        """Move the person's open request of ``kind`` to ``executing``; None if there is none."""
        store = self.ledger.requests
        names = self.ledger.pseudonyms(identities)
        current = store.find_open(names, kind.value)
        if current is None:
            return None
        step = self._claim_step(current, actor=actor, now=now)
        return store.move_open(
            names,
            kind=kind.value,
            action=step.action,
            at=now,
            actor=step.actor,
            decide=step.decide,
            record=step.record,
        )

    def _finish(
        self,
        ref: str,
        *,
        actor: Actor,
        now: datetime,
        error: BaseException | None = None,
        claimed_here: bool = False,
        proof: Sequence[NewEvent] = (),
        kept: Also | None = None,
    ) -> RequestRecord:
        """Answer the claimed request, or mark it failed with the error (no personal data:
        Varna's errors carry none; of any other error only its type is kept). With
        ``claimed_here``, it is claimed in the same transaction, and the execution's ``proof``
        is appended just before its answer; ``kept`` (the answer's document) is written in
        that transaction too."""
        action = Action.answer if error is None else Action.fail
        if error is None:
            reason = None
        elif isinstance(error, VarnaError):
            reason = f"{type(error).__name__}: {error}"[:500]
        else:
            reason = type(error).__name__
        last = self._with_proof(self._step(action, actor, now=now, reason=reason), proof)
        if not claimed_here:
            return self._make(ref, [last], now=now, also=kept).record

        def claim(current: RequestRecord) -> Step:
            return self._claim_step(current, actor=actor, now=now)

        return self._make(ref, [claim, last], now=now, also=kept).record

    def _with_proof(self, step: Step, proof: Sequence[NewEvent]) -> Step:
        """``step`` (a request's answer) with the execution's ``proof`` appended just before
        its own event, in its transaction."""
        answer_record = step.record
        if not proof or answer_record is None:
            return step

        def record(conn: Transaction, after: RequestRecord, before: Any) -> None:
            self.audit.append_at_commit(conn, proof)
            answer_record(conn, after, before)

        return step._replace(record=record)

    def _extract(
        self,
        people: Sequence[Identity],
        conns: Connectors,
        *,
        now: datetime,
        lang: str,
        recorder: AuditRecorder,
        found: Found | None,
    ) -> AccessResult:
        """The person's extract (Art. 15) from ``found`` (read now when None), each row's
        retention cut-off in the controller's fiscal year; what was read goes to
        ``recorder``."""
        from varna.dsr.access import execute_access
        from varna.law.bookkeeping import FiscalYear
        from varna.retention.rules import cutoff

        fiscal = FiscalYear(self.register.controller.fiscal_year_start.month)
        return execute_access(
            self.register,
            people,
            conns,
            now=now,
            lang=lang,
            recorder=recorder,
            cutoff=lambda rule: cutoff(rule, now=now, fiscal_year=fiscal),
            found=found,
        )

    def _access_at_receipt(
        self,
        identities: Sequence[str],
        found: Found,
        *,
        actor: Actor,
        now: datetime,
        lang: str,
        answer: Callable[[AccessResult], Also],
    ) -> list[Step]:
        """An access request answered in the transaction that receives it (the caller
        verified the person and its plan approves it there): the extract made from ``found``,
        the rows the receipt read (every column of each), and the moves that claim and answer
        the request, the proof of the reading appended before the answer's event and what
        ``answer`` keeps of the extract (its document) written with it. The whole request is
        one transaction: received and answered with its download, or not received at all
        (a receipt merged into an open request makes none of these moves, and keeps nothing).

        No execution lock is taken: an access only reads, and its rows were read before any
        lock by the receipt either way (an executor of another right for the same person
        waits for the receipt's per-person lock)."""
        people = self.parse_identities(identities, now=now)
        proof = self._deferred_recorder(actor)
        with self.connectors() as conns:
            result = self._extract(people, conns, now=now, lang=lang, recorder=proof, found=found)
        start = self._step(Action.execute, actor, now=now, verified_by=f"staff by {actor}")
        last = self._with_proof(self._step(Action.answer, actor, now=now), proof.events)
        answered, keep = last.record, answer(result)
        assert answered is not None  # every move is recorded

        def record(conn: Transaction, after: RequestRecord, before: Any) -> None:
            from varna.faults import fault_point

            answered(conn, after, before)
            keep(conn, after.ref)
            fault_point("request.answered_at_receipt")

        return [start, last._replace(record=record)]

    @contextmanager
    def _answering(
        self,
        kind: Kind,
        identities: Sequence[Identity],
        *,
        actor: Actor,
        now: datetime,
        execute: bool = True,
    ) -> Iterator[tuple[_Claim, Connectors]]:
        """Claim the open request of ``kind`` (if any), lend the block a set of connectors,
        then answer the request or mark it failed. A read-only right's request is claimed
        and answered in one transaction after the block, with the proof the block reported
        to ``claim.recorder``; the execution lock keeps any other executor out meanwhile."""
        from varna.faults import fault_point
        from varna.state.locks import execution_lock

        claim = _Claim(self._recorder(actor))
        if not execute:
            with self.connectors() as conns:
                yield claim, conns
            return
        names = self.ledger.pseudonyms(identities)
        with execution_lock(self.state, names):
            later = kind in READ_ONLY
            if later:
                claim.record = self.ledger.requests.find_open(names, kind.value)
            else:
                claim.record = self._claim(kind, identities, actor=actor, now=now)
            if claim.record is None:
                with self.connectors() as conns:
                    yield claim, conns
                return
            fault_point("request.after_claim")
            ref = claim.record.ref
            deferred = self._deferred_recorder(actor) if later else None
            if deferred is not None:
                claim.recorder = deferred
            try:
                with self.connectors() as conns:
                    yield claim, conns
            except BaseException as exc:
                try:
                    self._finish(ref, actor=actor, now=now, error=exc, claimed_here=later)
                except VarnaError as also:  # the state is unreachable too: keep the first error
                    exc.add_note(f"request {ref} could not be marked failed: {also}")
                raise
            proof = deferred.events if deferred is not None else ()
            if later:
                fault_point("request.after_reading")
            claim.answered = self._finish(
                ref, actor=actor, now=now, claimed_here=later, proof=proof, kept=claim.kept
            )

    @staticmethod
    def _answer(result: T, claim: _Claim) -> Answered[T]:
        return Answered(result, RequestStatus(claim.answered) if claim.answered else None)

    def access(
        self,
        identities: Sequence[str],
        *,
        now: datetime,
        actor: Actor,
        lang: str = "sv",
        found: Found | None = None,
        answer: Callable[[AccessResult], Also] | None = None,
    ) -> Answered[AccessResult]:
        """Right of access (Art. 15): the extract, read-only; answers the open access request.
        ``found``: the rows, every column of each, read for it a moment before (by its plan in
        the same call); read now when not given. ``answer``: what the answer keeps (its
        document), from the result, written in the transaction that answers the request (not
        called when there is none)."""
        people = self.parse_identities(identities, now=now)
        with self._answering(Kind.access, people, actor=actor, now=now) as (claim, conns):
            result = self._extract(
                people, conns, now=now, lang=lang, recorder=claim.recorder, found=found
            )
            if answer is not None and claim.record is not None:
                claim.kept = answer(result)
        return self._answer(result, claim)

    def export(
        self,
        identities: Sequence[str],
        *,
        now: datetime,
        actor: Actor,
        answer: Callable[[PortableData], Also] | None = None,
    ) -> Answered[PortableData]:
        """Data portability (Art. 20): the portable data, read-only; answers its request.
        ``answer``: as for :meth:`access`."""
        from varna.dsr.portability import execute_export

        people = self.parse_identities(identities, now=now)
        with self._answering(Kind.portability, people, actor=actor, now=now) as (claim, conns):
            data = execute_export(self.register, people, conns, now=now, recorder=claim.recorder)
            if answer is not None and claim.record is not None:
                claim.kept = answer(data)
        return self._answer(data, claim)

    def erase(
        self,
        identities: Sequence[str],
        *,
        now: datetime,
        actor: Actor,
        execute: bool = False,
        receipt_lang: str | None = None,
    ) -> Answered[ErasureOutcome]:
        """Right to erasure (Art. 17): the plan; with ``execute`` applied, one transaction per
        system, finishing an interrupted erasure first; answers the open erasure request (which
        must have been approved by a second staff member). With ``receipt_lang`` and
        ``execute``, the answer carries the person's receipt in that language."""
        from varna.dsr.executor import erase

        people = self.parse_identities(identities, now=now)
        with self._answering(Kind.erasure, people, actor=actor, now=now, execute=execute) as (
            claim,
            conns,
        ):
            outcome = erase(
                self.register,
                people,
                conns,
                now=now,
                hash_key=self._erasure_key(),
                journal=self.erasure_journal,
                recorder=self._recorder(actor) if execute else None,
                execute=execute,
            )
        answer = self._answer(outcome, claim)
        if execute and receipt_lang is not None:
            answer.receipt = self.erasure_receipt(outcome, lang=receipt_lang, at=now)
        return answer

    def abandon_erasure(
        self, request: str, *, reason: str, now: datetime, actor: Actor
    ) -> dict[str, Any]:
        """Discard an erasure journal entry that cannot finish (``rq_...``, named by the failed
        erasure), audited with the actor and ``reason``; the next erasure plans afresh."""
        from varna.dsr.executor import abandon_erasure

        return abandon_erasure(
            self.erasure_journal, request, reason=reason, at=now, recorder=self._recorder(actor)
        )

    def rectify(
        self,
        identities: Sequence[str],
        corrections: Sequence[str],
        *,
        now: datetime,
        actor: Actor,
        execute: bool = False,
        notified: Sequence[str] = (),
        receipt_lang: str | None = None,
    ) -> Answered[Rectified]:
        """Right to rectification (Art. 16): correct the named fields (``FIELD=VALUE``) in
        every system, list the recipients to tell (Art. 19) and record those told. With
        ``receipt_lang`` and ``execute``, the answer carries the person's receipt."""
        from varna.dsr.rectification import parse_corrections, rectify

        people = self.parse_identities(identities, now=now)
        wanted = parse_corrections(list(corrections))
        recorder = self._recorder(actor) if execute or notified else None
        with self._answering(Kind.rectification, people, actor=actor, now=now, execute=execute) as (
            claim,
            conns,
        ):
            plan, updated = rectify(
                self.register,
                people,
                conns,
                wanted,
                now=now,
                recorder=recorder,
                execute=execute,
                notified=list(notified),
            )
        answer = self._answer(Rectified(plan, updated), claim)
        if execute and receipt_lang is not None:
            answer.receipt = self.rectification_receipt(
                plan, notified=notified, lang=receipt_lang, at=now
            )
        return answer

    def restrict(
        self,
        identities: Sequence[str],
        *,
        ground: Ground,
        now: datetime,
        actor: Actor,
        execute: bool = False,
        receipt_lang: str | None = None,
    ) -> Answered[RestrictionOutcome]:
        """Right to restriction (Art. 18): record it (with its audit event, in one state
        transaction), keep the person's rows from retention and lists, set the register's
        restriction columns; answers the open restriction request. With ``receipt_lang`` and
        ``execute``, the answer carries the person's receipt."""
        from varna.dsr.restriction import restrict

        people = self.parse_identities(identities, now=now)
        names = self._audit_names(people)

        def record(conn: Transaction, restriction: Restriction, created: bool) -> None:
            self._ledger_event(
                conn,
                "dsr.restriction.recorded",
                names,
                actor=actor,
                at=now,
                details={
                    "restriction": restriction.id,
                    "ground": restriction.ground.value,
                    "created": created,
                },
            )

        with self._answering(Kind.restriction, people, actor=actor, now=now, execute=execute) as (
            claim,
            conns,
        ):
            outcome = restrict(
                self.register,
                people,
                conns,
                self.ledger.restrictions,
                ground=ground,
                now=now,
                recorder=self._recorder(actor) if execute else None,
                execute=execute,
                record=record,
            )
        answer = self._answer(outcome, claim)
        if execute and receipt_lang is not None:
            answer.receipt = self.restriction_receipt(
                outcome, ground=ground, lang=receipt_lang, at=now
            )
        return answer

    def lift(
        self,
        identities: Sequence[str],
        *,
        reason: str,
        now: datetime,
        actor: Actor,
        execute: bool = False,
    ) -> Answered[RestrictionOutcome]:
        """End the restriction (Art. 18(3): tell the person first) and clear the columns."""
        from varna.dsr.restriction import lift

        if execute and not reason.strip():
            raise RequestError("say why the restriction ends: --reason 'accuracy checked'")
        people = self.parse_identities(identities, now=now)
        names = self._audit_names(people)

        def record(conn: Transaction, restriction: Restriction, _: bool) -> None:
            self._ledger_event(
                conn,
                "dsr.restriction.lifted",
                names,
                actor=actor,
                at=now,
                details={"restriction": restriction.id},
            )

        with self.connectors() as conns:
            outcome = lift(
                self.register,
                people,
                conns,
                self.ledger.restrictions,
                reason=reason,
                now=now,
                recorder=self._recorder(actor) if execute else None,
                execute=execute,
                record=record,
            )
        return Answered(outcome)

    def object(
        self,
        identities: Sequence[str],
        *,
        now: datetime,
        actor: Actor,
        execute: bool = False,
    ) -> Answered[ObjectionOutcome]:
        """Objection to direct marketing (Art. 21(3)): the suppression list (with its audit
        event, in one state transaction) and the marketing-only rows erased; answers the open
        objection request."""
        from varna.dsr.objection import object_to_marketing

        people = self.parse_identities(identities, now=now)

        def record(conn: Transaction, added: int) -> None:
            details = {"suppressed_new": added, "identities": len(people)}
            self._ledger_event(
                conn,
                "dsr.objection.recorded",
                self._audit_names(people),
                actor=actor,
                at=now,
                details=details,
            )

        with self._answering(Kind.objection, people, actor=actor, now=now, execute=execute) as (
            c,
            conns,
        ):
            outcome = object_to_marketing(
                self.register,
                people,
                conns,
                self.ledger.suppressions,
                now=now,
                hash_key=self._erasure_key(),
                recorder=self._recorder(actor) if execute else None,
                execute=execute,
                record=record,
            )
        return self._answer(outcome, c)

    def _ledger_event(
        self,
        conn: Transaction,
        action: str,
        names: Sequence[str],
        *,
        actor: Actor,
        at: datetime,
        details: dict[str, Any],
    ) -> None:
        """A ledger change's audit event, in the ledger's own transaction."""
        from varna.audit.models import NewEvent

        full = {**details, "also_known_as": list(names[1:])}
        subject = names[0] if names else None
        self.audit.append_at_commit(conn, [NewEvent(at, str(actor), action, subject, None, full)])
