"""Every retention batch in the audit log twice: an intent before, an outcome after.

A batch of one table (:mod:`varna.retention.executor`) is recorded as

1. ``retention.batch.intent`` (target ``system.table``): ``intent`` (its id), ``action``,
   ``rows`` (how many rows are about to change), ``digest`` (a keyed digest of their primary
   keys, never the keys: they may be personal data) and ``plan_as_of`` (the time the plan
   expired rows against). Committed BEFORE the system's transaction starts.
2. the system's transaction, committed;
3. ``retention.batch.executed``: ``action``, ``rows`` (the rows the system reported changed)
   and ``completes`` (the intent's id). Committed after the system's commit.

What a kill can leave: before 1, nothing (the batch is chosen again by the next run). Between 1
and 3, an intent without outcome, which ``audit verify`` reports as *unfinished*; the system
either rolled the batch back (the kill came before its commit) or committed it. The next
executed run completes every such intent before it sweeps (:func:`complete_unfinished`): it
chooses the table's first ``rows`` expiring keys again, with the plan as of the intent's
``plan_as_of``, and compares their digest with the intent's. The same digest means the batch's
rows are still there, unchanged: the outcome records 0 rows (and the run then sweeps them under a
new intent). Another digest means the rows no longer match: the system committed the batch,
and the outcome records the intent's ``rows``. Either way the outcome says it was completed by a
later run and why. So the sum of the outcomes' rows equals the rows the systems changed, as long
as nothing else changed the batch's rows between the kill and the rerun (another sweep, a
writer, or a new restriction pinning one of them: then the batch counts as committed). Records
are GDPR Art. 5(2) and Art. 30(1)(f) evidence: the time limits were applied, row for row.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from varna.connectors.base import Connector, sweeping
from varna.retention.executor import ExclusionSource, batch_digest
from varna.retention.models import RetentionPlan, TablePlan
from varna.retention.planner import for_system

if TYPE_CHECKING:
    from varna.audit.log import AuditLog

ACTOR = "job:retention"
INTENT_ACTION = "retention.batch.intent"
BATCH_ACTION = "retention.batch.executed"

Planner = Callable[[datetime], RetentionPlan]
"""The plan as of a moment (the rerun re-plans at an unfinished intent's ``plan_as_of``)."""


def new_intent_id() -> str:
    """A batch's intent id: 32 random hex digits, which the audit log's guard knows for an
    identifier (with 16, one batch in a few thousand drew ten digits that read as a valid
    personnummer, and the guard refused its event: the sweep failed)."""
    return f"rb_{secrets.token_hex(16)}"


@dataclass(slots=True)
class AuditBracket:
    """Writes each batch's intent and outcome into the audit log (each its own transaction)."""

    audit: AuditLog
    now: datetime

    def intent(self, table: TablePlan, *, rows: int, digest: str) -> str:
        intent = new_intent_id()
        self.audit.append(
            at=self.now,
            actor=ACTOR,
            action=INTENT_ACTION,
            target=f"{table.system}.{table.table}",
            details={
                "intent": intent,
                "action": table.action.value,
                "rows": rows,
                "digest": digest,
                "plan_as_of": self.now.isoformat(),
            },
        )
        return intent

    def outcome(self, table: TablePlan, intent: str, *, rows: int) -> None:
        self.audit.append(
            at=self.now,
            actor=ACTOR,
            action=BATCH_ACTION,
            target=f"{table.system}.{table.table}",
            details={"action": table.action.value, "rows": rows, "completes": intent},
        )


@dataclass(frozen=True, slots=True)
class Unfinished:
    """An intent the log holds without an outcome: a batch a killed run left open."""

    intent: str
    system: str
    table: str
    action: str
    rows: int
    digest: str
    as_of: datetime


def unfinished(audit: AuditLog) -> list[Unfinished]:
    """The retention intents without an outcome, in log order (only retention events are read:
    the database filters them, so a long log of other events costs no decoding)."""
    open_: dict[str, Unfinished] = {}
    for event in audit.iter_events(prefix="retention."):
        details: Mapping[str, Any] = event.details or {}
        completes = details.get("completes")
        if isinstance(completes, str):
            open_.pop(completes, None)
        if event.action != INTENT_ACTION or not isinstance(details.get("intent"), str):
            continue
        system, _, table = (event.target or "").partition(".")
        open_[str(details["intent"])] = Unfinished(
            intent=str(details["intent"]),
            system=system,
            table=table,
            action=str(details.get("action", "")),
            rows=int(details.get("rows", 0)),
            digest=str(details.get("digest", "")),
            as_of=datetime.fromisoformat(str(details["plan_as_of"])),
        )
    return list(open_.values())


def complete_unfinished(
    audit: AuditLog,
    *,
    plan_at: Planner,
    connectors: Mapping[str, Connector],
    hash_key: bytes,
    exclusions: ExclusionSource,
    now: datetime,
) -> int:
    """Record the outcome of every unfinished retention intent; return the rows they record.

    Must run before the sweep changes anything: it tells a committed batch from one rolled
    back by the batch's rows still matching (see the module's docstring)."""
    total = 0
    plans: dict[datetime, RetentionPlan] = {}
    for open_ in unfinished(audit):
        if open_.as_of not in plans:
            plans[open_.as_of] = plan_at(open_.as_of)
        table = next(
            (
                t
                for t in plans[open_.as_of].tables
                if (t.system, t.table) == (open_.system, open_.table)
            ),
            None,
        )
        keys: list[tuple[Any, ...]] = []
        sweep = table.sweep if table is not None else None
        if table is not None and table.rest is not None and open_.action != table.action.value:
            sweep = table.rest  # the anonymisation of referenced rows after a delete
        if sweep is not None and open_.system in connectors:
            keys = sweeping(connectors[open_.system]).keys(
                open_.table,
                sweep.where,
                primary_key=sweep.primary_key,
                limit=open_.rows,
                exclusions=for_system(exclusions(), open_.system),
            )
        still_there = batch_digest(hash_key, open_.system, open_.table, keys) == open_.digest
        rows = 0 if still_there else open_.rows
        reason = (
            "the batch's rows still match: the system did not commit it"
            if still_there
            else "the batch's rows no longer match: the system committed it"
        )
        audit.append(
            at=now,
            actor=ACTOR,
            action=BATCH_ACTION,
            target=f"{open_.system}.{open_.table}",
            details={
                "action": open_.action,
                "rows": rows,
                "completes": open_.intent,
                "completed_by_later_run": True,
                "reason": reason,
            },
        )
        total += rows
    return total
