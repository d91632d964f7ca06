"""Apply a retention plan through the systems' connectors: short batches, children first,
resumable, every batch reported as it commits.

Per table, batch after batch, each its own transaction in the system:

- delete: up to ``batch`` expired rows are deleted by predicate;
- anonymise: up to ``batch`` expired rows, in key order after the last batch, get their fields
  erased (``null`` and ``fixed`` as constants, ``hash``, ``mask`` and ``generalise`` computed
  from the old value).

Before every batch the rows to keep are read again (``exclusions``: restrictions and open
requests recorded while the sweep runs are honoured from the next batch on). After every
committed batch ``on_batch`` hears the rows the system reports as changed, so the caller
records each batch in the audit log: a sweep killed part-way leaves every committed batch
recorded but the one in flight, and two sweeps at once never record a row twice.

The predicates come from the plan and already leave out what is done (deleted rows are gone,
erased fields no longer match), so a run cut short is finished by the next, and a second run
finds nothing to do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from varna.connectors.base import Connector, sweeping
from varna.connectors.predicates import Change
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
) -> RetentionResult:
    """Carry out ``plan`` table by table in its order; returns the rows changed per table."""
    result = RetentionResult()
    for table in plan.tables:
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
        if table.action is Action.delete_row:
            _delete(connector, table.table, table.sweep, batch, kept, step)
        else:
            _anonymise(connector, table.table, table.sweep, batch, kept, step, hash_key)
    return result


def _delete(
    connector: Connector,
    table: str,
    sweep: Sweep,
    batch: int,
    kept: Callable[[], Mapping[str, Any]],
    step: Callable[[int], None],
) -> None:
    target = sweeping(connector)
    while True:
        count = target.delete_batch(
            table, sweep.where, primary_key=sweep.primary_key, limit=batch, exclusions=kept()
        )
        step(count)
        if count < batch:
            return


def _anonymise(
    connector: Connector,
    table: str,
    sweep: Sweep,
    batch: int,
    kept: Callable[[], Mapping[str, Any]],
    step: Callable[[int], None],
    hash_key: bytes,
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
        count, after = target.update_batch(
            table,
            sweep.where,
            primary_key=sweep.primary_key,
            change=change,
            limit=batch,
            after=after,
            exclusions=kept(),
        )
        if after is None:
            return
        step(count)
