"""Apply an erasure plan: one transaction per system, journalled, recorded, idempotent.

:func:`execute_erasure` applies each system's rows in one transaction (anonymising updates, then
deletes children first), marks the system done in the journal right after the commit, and
records a ``dsr.erasure.executed`` audit event with counts and a content hash of what was
written. A system the journal lists as done is skipped. :func:`erase` is what the CLI runs: it
first finishes an unfinished plan of the same request, then plans afresh from the data and
applies that, so a crash at any point is repaired by running the same command again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from varna.connectors.base import Connector
from varna.dsr.erasure import ErasurePlan, Fate, plan_erasure, request_id
from varna.dsr.identity import Identity
from varna.dsr.journal import ErasureJournal
from varna.dsr.planner import RequestKind, plan_request
from varna.dsr.proof import Recorder
from varna.dsr.traversal import collect_rows
from varna.dsr.values import encode_value
from varna.errors import ConnectorError
from varna.register.model import Register


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "updated": self.updated,
            "deleted": self.deleted,
            "kept": self.kept,
            "missing": self.missing,
            "content_hash": self.content_hash,
            "skipped_as_done": self.skipped,
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
    return SystemReceipt(system, updated, deleted, kept, missing, content_hash(plan, system))


def execute_erasure(
    plan: ErasurePlan,
    connectors: Mapping[str, Connector],
    *,
    now: datetime | None = None,
    journal: ErasureJournal | None = None,
    recorder: Recorder | None = None,
    on_system_done: Callable[[str], None] | None = None,
) -> list[SystemReceipt]:
    """Apply ``plan``: one transaction per system; re-running it changes nothing twice."""
    at = now or plan.created_at
    missing = [s for s in plan.systems if s not in connectors]
    if missing:
        raise ConnectorError(f"no connector for system '{missing[0]}'")
    if journal is not None:
        journal.start(plan)
    done = journal.done(plan.request_id) if journal is not None else set()
    receipts = []
    for system in plan.systems:
        if system in done:
            receipts.append(SystemReceipt(system, 0, 0, 0, 0, content_hash(plan, system), True))
            continue
        receipt = _apply(plan, system, connectors[system])
        if journal is not None:
            journal.mark_done(plan.request_id, system)
        if recorder is not None:
            held = sum(1 for r in plan.rows_for(system) if r.holds)
            details = {**receipt.as_dict(), "held_rows": held}
            recorder.record(
                "dsr.erasure.executed", plan.identities, at=at, target=system, details=details
            )
        receipts.append(receipt)
        if on_system_done is not None:
            on_system_done(system)
    if journal is not None:
        journal.finish(plan.request_id)
    return receipts


@dataclass(slots=True)
class ErasureOutcome:
    """What ``erase`` planned and, with ``execute``, did."""

    plan: ErasurePlan
    resumed: ErasurePlan | None = None
    receipts: list[SystemReceipt] = field(default_factory=list)


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
    ``execute``) apply the plan."""
    resumed = None
    if journal is not None:
        resumed = journal.pending(request_id(list(identities), key=hash_key), identities)
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
    plan = plan_erasure(register, found, now=now, hash_key=hash_key)
    if execute and plan.has_work:
        receipts += execute_erasure(
            plan,
            connectors,
            now=now,
            journal=journal,
            recorder=recorder,
            on_system_done=on_system_done,
        )
    return ErasureOutcome(plan, resumed, receipts)
