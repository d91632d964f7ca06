"""Apply a retention plan through the systems' connectors: short batches, children first,
resumable, every batch reported as it commits.

Per table, batch after batch, each its own transaction in the system:

- delete: up to ``batch`` expired rows are deleted by predicate;
- anonymise: up to ``batch`` expired rows, in key order after the last batch, get their fields
  erased (``null`` and ``fixed`` as constants, ``hash``, ``mask`` and ``generalise`` computed
  from the old value).

Before every batch the rows to keep are read again (``exclusions``: restrictions and open
requests recorded while the sweep runs are honoured from the next batch on). Every batch is
bracketed (``Bracket``): its keys are chosen first (the first rows in key order that match), the
caller records an *intent* (how many rows, a keyed digest of their keys) BEFORE the system's
transaction starts, the system changes the batch and commits, and the caller records the
*outcome* (the rows the system reports changed, naming the intent). A kill between the two
leaves an intent without outcome, which the next run completes (:mod:`varna.retention.run`), so
no committed row goes unrecorded. The fault points of :mod:`varna.faults` sit between the steps.

The predicates come from the plan and already leave out what is done (deleted rows are gone,
erased fields no longer match), so a run cut short is finished by the next, and a second run
finds nothing to do.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from varna.connectors.base import Connector, sweeping
from varna.connectors.predicates import Change
from varna.faults import fault_point
from varna.retention.models import Action, RetentionPlan, Sweep, TablePlan
from varna.retention.planner import Exclusions, for_system
from varna.retention.values import IN_SQL, erased

BATCH = 10_000
Progress = Callable[[TablePlan, int], None]
"""Called after each committed batch with the table's plan and the rows it changed."""
ExclusionSource = Callable[[], Exclusions]
"""Reads the rows to keep now: (system, table) -> primary keys."""


@dataclass(slots=True)
class RetentionResult:
    """What a run did: rows per (system, table) and the action taken."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    actions: dict[tuple[str, str], Action] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.total,
            "tables": [
                {"system": s, "table": t, "action": self.actions[(s, t)].value, "rows": n}
                for (s, t), n in self.counts.items()
            ],
        }


class Bracket(Protocol):
    """Records a batch before and after the system's transaction (the audit log, in a run)."""

    def intent(self, table: TablePlan, *, rows: int, digest: str) -> str:
        """Record that ``rows`` rows (keys digested as ``digest``) are about to change; return
        the intent's id. Must be durable before it returns."""
        ...

    def outcome(self, table: TablePlan, intent: str, *, rows: int) -> None:
        """Record that the system committed the batch of ``intent``, changing ``rows`` rows."""
        ...


def batch_digest(hash_key: bytes, system: str, table: str, keys: Sequence[tuple[Any, ...]]) -> str:
    """A keyed digest of a batch's primary keys: names the rows without holding them (the keys
    may be personal data, GDPR Art. 5(1)(c)); recomputed by a rerun to tell whether the batch
    was committed."""
    text = json.dumps([system, table, [list(k) for k in keys]], default=str, sort_keys=True)
    return hmac.new(hash_key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def _none() -> Exclusions:
    return {}


def execute_retention(
    plan: RetentionPlan,
    *,
    connectors: Mapping[str, Connector],
    hash_key: bytes,
    batch: int = BATCH,
    exclusions: ExclusionSource = _none,
    on_batch: Progress | None = None,
    bracket: Bracket | None = None,
) -> RetentionResult:
    """Carry out ``plan`` table by table in its order; returns the rows changed per table.

    With ``bracket`` each batch is recorded as an intent before and an outcome after the
    system's transaction; without it (planning tools, tests) batches are only counted."""
    result = RetentionResult()
    for table in plan.tables:
        if (table.sweep is None or table.action is Action.none) and table.rest is not None:
            table = replace(table, action=Action.anonymise, sweep=table.rest, rest=None)
        if table.sweep is None or table.action is Action.none:
            continue
        key = (table.system, table.table)
        result.actions[key] = table.action
        result.counts[key] = 0

        def step(rows: int, table: TablePlan = table) -> None:
            result.counts[(table.system, table.table)] += rows
            if on_batch is not None and rows:
                on_batch(table, rows)

        connector = connectors[table.system]
        kept = lambda system=table.system: for_system(exclusions(), system)  # noqa: E731
        brackets = _Brackets(bracket, table, hash_key)
        if table.action is Action.delete_row:
            _delete(connector, table.table, table.sweep, batch, kept, step, brackets)
        else:
            _anonymise(connector, table.table, table.sweep, batch, kept, step, hash_key, brackets)
        if table.rest is not None:
            # the expired rows that rows staying elsewhere still refer to: anonymised
            rest = replace(table, action=Action.anonymise, sweep=table.rest, rest=None)
            brackets = _Brackets(bracket, rest, hash_key)
            _anonymise(connector, table.table, table.rest, batch, kept, step, hash_key, brackets)
    return result


@dataclass(slots=True)
class _Brackets:
    """One table's batches: intent before, outcome after, with the fault points between."""

    bracket: Bracket | None
    table: TablePlan
    hash_key: bytes

    def before(self, keys: Sequence[tuple[Any, ...]]) -> str | None:
        fault_point("retention.after_keys_chosen")
        if self.bracket is None:
            return None
        digest = batch_digest(self.hash_key, self.table.system, self.table.table, keys)
        intent = self.bracket.intent(self.table, rows=len(keys), digest=digest)
        fault_point("retention.after_intent")
        return intent

    def after(self, intent: str | None, rows: int) -> None:
        fault_point("retention.after_system_commit")
        if self.bracket is not None and intent is not None:
            self.bracket.outcome(self.table, intent, rows=rows)
            fault_point("retention.after_outcome")


def _delete(
    connector: Connector,
    table: str,
    sweep: Sweep,
    batch: int,
    kept: Callable[[], Mapping[str, Any]],
    step: Callable[[int], None],
    brackets: _Brackets,
) -> None:
    target = sweeping(connector)
    while True:
        excluded = kept()
        chosen = target.keys(
            table, sweep.where, primary_key=sweep.primary_key, limit=batch, exclusions=excluded
        )
        if not chosen:
            return
        intent = brackets.before(chosen)
        # The first len(chosen) matching rows in key order: the rows just chosen, unless a
        # concurrent writer changed the table in between (then the count the system reports).
        count = target.delete_batch(
            table,
            sweep.where,
            primary_key=sweep.primary_key,
            limit=len(chosen),
            exclusions=excluded,
        )
        brackets.after(intent, count)
        step(count)
        if count == 0:
            return  # the chosen rows were taken by a concurrent sweep or writer


def _anonymise(
    connector: Connector,
    table: str,
    sweep: Sweep,
    batch: int,
    kept: Callable[[], Mapping[str, Any]],
    step: Callable[[int], None],
    hash_key: bytes,
    brackets: _Brackets,
) -> None:
    target = sweeping(connector)
    fixed = {
        n: erased(s, None, hash_key=hash_key)
        for n, s in sweep.fields.items()
        if s.erasure in IN_SQL
    }
    computed = {
        n: (lambda value, spec=s: erased(spec, value, hash_key=hash_key))
        for n, s in sweep.fields.items()
        if s.erasure not in IN_SQL
    }
    change = Change(fixed=fixed, computed=computed)
    after: tuple[Any, ...] | None = None
    while True:
        excluded = kept()
        chosen = target.keys(
            table, sweep.where, primary_key=sweep.primary_key, limit=batch, exclusions=excluded
        )
        if not chosen:
            return
        # ``after`` (the database's key order) only matters on a table whose rows still match
        # once changed (``generalise`` only): there ``chosen`` starts with rows already done,
        # and the intent's digest names the batch only approximately (docs/retention.md).
        intent = brackets.before(chosen)
        count, after = target.update_batch(
            table,
            sweep.where,
            primary_key=sweep.primary_key,
            change=change,
            limit=len(chosen),
            after=after,
            exclusions=excluded,
        )
        brackets.after(intent, count)
        if after is None:
            return
        step(count)
