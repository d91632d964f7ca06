"""Apply an erasure plan: one transaction per system, bracketed in the audit log, idempotent.

Changes in an organisation's system cannot share a transaction with Varna's state, so each
system is bracketed (GDPR Art. 5(2): the controller must be able to show what it erased):

1. the whole plan is journalled before anything is touched;
2. a ``dsr.erasure.intent`` event (with the plan's hash and the content hash of what will be
   written) is committed together with the journal's "intended" mark;
3. the system's transaction applies its rows (anonymising updates, then deletes children first);
4. the ``dsr.erasure.executed`` outcome event (counts, content hash, and ``completes`` naming the
   intent) is committed in ONE state transaction with the journal's "done" mark.

A crash between 2 and 4 leaves an intent without an outcome: ``audit verify`` reports it as
unfinished, and the rerun applies the system again (every action sets fixed values or deletes
by primary key, so twice is once) and writes the outcome. A system the journal lists as done is
skipped, so each system's outcome is recorded exactly once. :func:`erase` is what the service
runs: under the request's claim (a lock across processes and hosts) it first finishes an
unfinished plan of the same request, then plans afresh from the data and applies that.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from varna.connectors.base import Connector
from varna.dsr.erasure import ErasurePlan, Fate, plan_erasure, request_id
from varna.dsr.identity import Identity
from varna.dsr.journal import ErasureJournal
from varna.dsr.planner import RequestKind, plan_request
from varna.dsr.proof import AuditRecorder, Recorder
from varna.dsr.sharing import find_referrers
from varna.dsr.traversal import collect_rows
from varna.dsr.values import encode_value
from varna.errors import ConnectorError, RequestError, VarnaError
from varna.faults import fault_point
from varna.register.model import Register

INTENT = "dsr.erasure.intent"
OUTCOME = "dsr.erasure.executed"
ABANDONED = "dsr.erasure.abandoned"


@dataclass(frozen=True, slots=True)
class SystemReceipt:
    """What one system's transaction did."""

    system: str
    updated: int
    deleted: int
    kept: int
    missing: int
    content_hash: str
    skipped: bool = False
    kept_reasons: dict[str, int] = field(default_factory=dict)
    """Rows of the system that stay (changed or not), by reason code
    (:class:`varna.dsr.erasure.KeptReason`: held, shared, processor, detached, ...)."""

    @property
    def rows(self) -> int:
        """Rows the plan holds for the system: updated + deleted + kept + missing."""
        return self.updated + self.deleted + self.kept + self.missing

    def as_dict(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "updated": self.updated,
            "deleted": self.deleted,
            "kept": self.kept,
            "missing": self.missing,
            "content_hash": self.content_hash,
            "skipped_as_done": self.skipped,
            "kept_reasons": dict(self.kept_reasons),
        }


def content_hash(plan: ErasurePlan, system: str) -> str:
    """SHA-256 over the canonical JSON of what the plan writes to ``system``."""
    actions = [
        [
            r.table,
            {k: encode_value(v) for k, v in r.key.items()},
            r.fate.value,
            {k: encode_value(v) for k, v in sorted(r.changes.items())},
        ]
        for r in plan.rows_for(system)
    ]
    text = json.dumps(actions, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def plan_hash(plan: ErasurePlan) -> str:
    """SHA-256 over the request and what the plan writes to each system: names the plan."""
    parts = [plan.request_id, [[system, content_hash(plan, system)] for system in plan.systems]]
    text = json.dumps(parts, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _apply(plan: ErasurePlan, system: str, connector: Connector) -> SystemReceipt:
    updated = deleted = kept = missing = 0
    with connector.transaction():
        for row in plan.rows_for(system):
            if row.fate is Fate.delete:
                n = connector.delete(row.table, row.key)
                deleted, missing = deleted + n, missing + (n == 0)
            elif row.changes:
                n = connector.update(row.table, row.key, row.changes)
                updated, missing = updated + n, missing + (n == 0)
            else:
                kept += 1
    reasons: dict[str, int] = {}
    for row in plan.rows_for(system):
        if row.kept_reason is not None:
            reasons[row.kept_reason.value] = reasons.get(row.kept_reason.value, 0) + 1
    return SystemReceipt(
        system, updated, deleted, kept, missing, content_hash(plan, system), False, reasons
    )


class _Bracket:
    """Writes the intent and the outcome of each system, with the journal's marks."""

    def __init__(
        self,
        plan: ErasurePlan,
        *,
        at: datetime,
        journal: ErasureJournal | None,
        recorder: Recorder | None,
    ) -> None:
        self.plan, self.at, self.journal, self.recorder = plan, at, journal, recorder
        self.hash = plan_hash(plan)
        self.intended = journal.intended(plan.request_id) if journal is not None else set()

    def intent_id(self, system: str) -> str:
        return f"{self.plan.request_id}/{system}/{self.hash[7:39]}"

    def _record(self, action: str, system: str, details: dict[str, Any], mark: str) -> None:
        plan, journal, recorder = self.plan, self.journal, self.recorder
        if isinstance(recorder, AuditRecorder) and journal is not None:
            event = recorder.event(
                action, plan.identities, at=self.at, target=system, details=details
            )
            marker = journal.mark_intended if mark == "intended" else journal.mark_done
            marker(plan.request_id, system, audit=recorder.log, events=[event])
            return
        if journal is not None:
            marker = journal.mark_intended if mark == "intended" else journal.mark_done
            marker(plan.request_id, system)
        if recorder is not None:
            recorder.record(action, plan.identities, at=self.at, target=system, details=details)

    def intend(self, system: str) -> None:
        """Commit the intent before ``system`` is touched (once: a rerun keeps the first)."""
        if system in self.intended:
            return
        rows = self.plan.rows_for(system)
        details = {
            "intent": self.intent_id(system),
            "plan_hash": self.hash,
            "content_hash": content_hash(self.plan, system),
            "rows": len(rows),
        }
        self._record(INTENT, system, details, "intended")

    def done(self, system: str, receipt: SystemReceipt) -> None:
        """Commit the outcome and the "done" mark together, after the system committed."""
        held = sum(1 for r in self.plan.rows_for(system) if r.holds)
        details = {
            **receipt.as_dict(),
            "held_rows": held,
            "completes": self.intent_id(system),
            "resumed": system in self.intended,
        }
        self._record(OUTCOME, system, details, "done")


def execute_erasure(
    plan: ErasurePlan,
    connectors: Mapping[str, Connector],
    *,
    now: datetime | None = None,
    journal: ErasureJournal | None = None,
    recorder: Recorder | None = None,
    on_system_done: Callable[[str], None] | None = None,
) -> list[SystemReceipt]:
    """Apply ``plan``: one bracketed transaction per system; re-running it changes nothing
    twice and records each system's outcome once. Call it under ``journal.claim``."""
    at = now or plan.created_at
    missing = [s for s in plan.systems if s not in connectors]
    if missing:
        raise ConnectorError(f"no connector for system '{missing[0]}'")
    if journal is not None:
        journal.start(plan)
    fault_point("erasure.after_plan_journalled")
    done = journal.done(plan.request_id) if journal is not None else set()
    bracket = _Bracket(plan, at=at, journal=journal, recorder=recorder)
    receipts = []
    for system in plan.systems:
        if system in done:
            receipts.append(SystemReceipt(system, 0, 0, 0, 0, content_hash(plan, system), True))
            continue
        bracket.intend(system)
        fault_point("erasure.after_intent")
        try:
            receipt = _apply(plan, system, connectors[system])
        except VarnaError as exc:
            if journal is not None:
                journal.mark_stopped(plan.request_id, stop_record(exc, system))
            _stuck(exc, plan.request_id)
            raise
        fault_point("erasure.after_system_change")
        bracket.done(system, receipt)
        fault_point("erasure.after_outcome")
        receipts.append(receipt)
        if on_system_done is not None:
            on_system_done(system)
    fault_point("erasure.before_journal_closed")
    if journal is not None:
        journal.finish(plan.request_id)
    fault_point("erasure.after_journal_closed")
    return receipts


def stop_record(exc: VarnaError, system: str) -> dict[str, Any]:
    """Why an erasure stopped, for the journal: the error's code, system, table and constraint;
    never a row's values (the error's fields name places, not data)."""
    fields = exc.fields
    return {
        "error": type(exc).__name__,
        "system": str(fields.get("system") or system),
        "table": fields.get("table"),
        "constraint": fields.get("constraint"),
        "kind": fields.get("kind"),
    }


def _stuck(exc: VarnaError, request: str) -> VarnaError:
    """The error, told how to get past it: fix the register, abandon the entry, run again."""
    exc.args = (
        f"{exc}; the erasure journal keeps entry {request}: after fixing the register, discard "
        f"it with 'varna dsr erase --abandon {request} --reason TEXT' and run the erasure again",
    )
    exc.fields["journal_entry"] = request
    return exc


@dataclass(slots=True)
class ErasureOutcome:
    """What ``erase`` planned and, with ``execute``, did."""

    plan: ErasurePlan
    resumed: ErasurePlan | None = None
    receipts: list[SystemReceipt] = field(default_factory=list)
    stopped: dict[str, Any] | None = None
    """Why the unfinished erasure (``resumed``) stopped last time, if it did."""


def erase(
    register: Register,
    identities: Sequence[Identity],
    connectors: Mapping[str, Connector],
    *,
    now: datetime,
    hash_key: bytes,
    journal: ErasureJournal | None = None,
    recorder: Recorder | None = None,
    execute: bool = False,
    on_system_done: Callable[[str], None] | None = None,
) -> ErasureOutcome:
    """Finish any unfinished erasure of this request, then plan from the data and (with
    ``execute``) apply the plan; with a journal, all of it under the request's claim, so two
    simultaneous erasures of one person run one after the other."""
    if journal is None:
        return _erase(
            register,
            identities,
            connectors,
            now=now,
            hash_key=hash_key,
            journal=None,
            recorder=recorder,
            execute=execute,
            on_system_done=on_system_done,
        )
    with journal.claim(request_id(list(identities), key=hash_key)):
        return _erase(
            register,
            identities,
            connectors,
            now=now,
            hash_key=hash_key,
            journal=journal,
            recorder=recorder,
            execute=execute,
            on_system_done=on_system_done,
        )


def _erase(
    register: Register,
    identities: Sequence[Identity],
    connectors: Mapping[str, Connector],
    *,
    now: datetime,
    hash_key: bytes,
    journal: ErasureJournal | None,
    recorder: Recorder | None,
    execute: bool,
    on_system_done: Callable[[str], None] | None,
) -> ErasureOutcome:
    resumed, stopped = None, None
    if journal is not None:
        rid = request_id(list(identities), key=hash_key)
        resumed = journal.pending(rid, identities)
        stopped = journal.stopped(rid) if resumed is not None else None
    receipts: list[SystemReceipt] = []
    if resumed is not None and execute:
        receipts += execute_erasure(
            resumed,
            connectors,
            now=now,
            journal=journal,
            recorder=recorder,
            on_system_done=on_system_done,
        )
    traversal = plan_request(register, identities, kind=RequestKind.erasure)
    found = collect_rows(traversal, connectors, today=now.date())
    referrers = find_referrers(register, found, connectors)
    plan = plan_erasure(register, found, now=now, hash_key=hash_key, referrers=referrers)
    if execute and plan.has_work:
        receipts += execute_erasure(
            plan,
            connectors,
            now=now,
            journal=journal,
            recorder=recorder,
            on_system_done=on_system_done,
        )
    return ErasureOutcome(plan, resumed, receipts, stopped)


_REQUEST_ID = re.compile(r"rq_[0-9a-f]{32}")


def abandon_erasure(
    journal: ErasureJournal,
    request: str,
    *,
    reason: str,
    at: datetime,
    recorder: AuditRecorder | None,
) -> dict[str, Any]:
    """Discard the unfinished erasure ``request`` (an ``rq_...`` journal entry that cannot
    finish, e.g. stopped by a foreign key the register did not declare), audited with who and
    why (Art. 5(2)); the next erasure of the person plans afresh. Returns the entry discarded
    (systems marked, why it stopped; no row data)."""
    if not _REQUEST_ID.fullmatch(request):
        raise RequestError(
            "--abandon takes an erasure journal entry such as rq_0123...(32 hex digits), as "
            "the failed erasure named it"
        )
    if not reason.strip():
        raise RequestError("--abandon needs --reason: say why the erasure cannot finish")
    with journal.claim(request):
        entry = journal.entry(request)
        if entry is None:
            raise RequestError(
                f"no unfinished erasure {request} in the journal: it finished or was abandoned"
            )
        details = {
            "entry": request,
            "reason": reason.strip(),
            "stopped": entry["stopped"],
            "planned_at": entry["created_at"],
            "rows": entry["rows"],
            "systems_intended": entry["intended"],
            "systems_done": entry["done"],
        }
        plan = journal.pending(request, ())
        hashed = plan_hash(plan) if plan is not None else ""
        # an intent whose system never committed is closed by the abandonment (audit verify
        # stops reporting it unfinished): its transaction rolled back, nothing was changed
        open_systems = [s for s in entry["intended"] if s not in entry["done"]]
        targets = {
            s: {**details, "completes": f"{request}/{s}/{hashed[7:39]}", "changed_rows": 0}
            for s in open_systems
        } or {request: details}
        events = (
            [
                recorder.event(ABANDONED, (), at=at, target=target, details=d)
                for target, d in targets.items()
            ]
            if recorder is not None
            else []
        )
        journal.abandon(request, audit=recorder.log if recorder else None, events=events)
    return {**entry, "reason": reason.strip()}
