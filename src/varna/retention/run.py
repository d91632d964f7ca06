"""One retention run, as the CLI, a cron job or the web app's scheduler calls it.

Plans from the register and the systems (through their connectors, so SQL databases, CSV and
JSON-lines folders and plugin systems alike); with ``execute`` it first completes the batches a
killed run left open (:func:`varna.retention.bracket.complete_unfinished`), then sweeps,
bracketing every batch in the audit log with an intent before the system's transaction
(``retention.batch.intent``) and an outcome after its commit (``retention.batch.executed``:
system, table, action, the rows the system reports changed), appends one closing event with
the totals (``retention.run.executed``), and writes the run report (JSON and HTML) into
``reports/`` beside the register. The rows to keep (restrictions, open requests) are read again
before every batch. Safe to repeat: a run after a finished one finds nothing and records zero
rows; a run killed at any moment leaves every row it changed recorded once the next run has
completed its open intent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from varna.connectors.base import Connector
from varna.connectors.registry import ConnectorPool
from varna.register.model import Register
from varna.retention.bracket import ACTOR, BATCH_ACTION, AuditBracket, complete_unfinished
from varna.retention.counts import ConnectorCounts
from varna.retention.executor import (
    BATCH,
    ExclusionSource,
    Progress,
    RetentionResult,
    execute_retention,
)
from varna.retention.models import RetentionPlan, TablePlan
from varna.retention.planner import plan_retention
from varna.retention.report import run_dict, run_html

if TYPE_CHECKING:
    from varna.audit.log import AuditLog

ACTION = "retention.run.executed"
__all__ = ["ACTION", "ACTOR", "BATCH_ACTION", "RetentionRun", "run_retention", "write_reports"]


@dataclass(slots=True)
class RetentionRun:
    """A run: the plan, what was done (None when only planned), the reports written, and the
    rows of earlier runs' open batches this run recorded."""

    plan: RetentionPlan
    result: RetentionResult | None = None
    reports: list[Path] = field(default_factory=list)
    completed: int = 0
    """Rows of batches a killed run committed, recorded by this run's completion of them."""


def _no_exclusions() -> dict[tuple[str, str], set[tuple[object, ...]]]:
    return {}


def run_retention(
    register: Register,
    *,
    now: datetime,
    base_dir: Path,
    environ: Mapping[str, str],
    execute: bool = False,
    hash_key: bytes = b"",
    audit: AuditLog | None = None,
    exclusions: ExclusionSource = _no_exclusions,
    batch: int = BATCH,
    progress: Progress | None = None,
    connectors: Mapping[str, Connector] | None = None,
) -> RetentionRun:
    """Plan, and with ``execute`` sweep, record and report.

    ``exclusions`` reads the rows to keep; it is called once for the plan and again before
    every batch. ``connectors`` are the systems' connectors (the caller's, kept open); without
    them the run opens its own and closes them at the end.
    """
    pool = None
    if connectors is None:
        pool = ConnectorPool(register, base_dir=base_dir, environ=environ)
        connectors = pool
    try:
        counts = ConnectorCounts(connectors)

        def plan_at(moment: datetime) -> RetentionPlan:
            return plan_retention(register, now=moment, counts=counts, exclusions=exclusions())

        plan = plan_at(now)
        run = RetentionRun(plan)
        if not execute:
            return run
        completed = 0
        if audit is not None:  # first the batches a killed run left open, then the sweep
            completed = complete_unfinished(
                audit,
                plan_at=lambda moment: plan if moment == now else plan_at(moment),
                connectors=connectors,
                hash_key=hash_key,
                exclusions=exclusions,
                now=now,
            )
            if completed:  # the recount changed: plan again before sweeping
                plan = run.plan = plan_at(now)

        def on_batch(table: TablePlan, rows: int) -> None:
            if progress is not None:
                progress(table, rows)

        run.result = execute_retention(
            plan,
            connectors=connectors,
            hash_key=hash_key,
            batch=batch,
            exclusions=exclusions,
            on_batch=on_batch,
            bracket=AuditBracket(audit, now) if audit is not None else None,
        )
        run.completed = completed
    finally:
        if pool is not None:
            pool.close()
    if audit is not None:
        audit.append(
            at=now,
            actor=ACTOR,
            action=ACTION,
            target="retention",
            details={
                "rows": run.result.total,
                "batches_recorded_separately": True,
                "completed_from_earlier_runs": run.completed,
                "tables": {
                    f"{s}.{t}": {"action": run.result.actions[(s, t)].value, "rows": n}
                    for (s, t), n in run.result.counts.items()
                },
            },
        )
    run.reports = write_reports(run, register, folder=base_dir / "reports")
    return run


def write_reports(run: RetentionRun, register: Register, *, folder: Path) -> list[Path]:
    """``retention-<time>.json`` and ``.html`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    base = f"retention-{run.plan.now:%Y%m%dT%H%M%S}"
    stem, n = folder / base, 1
    while stem.with_suffix(".json").exists():  # a second run at the same instant keeps the first
        n += 1
        stem = folder / f"{base}-{n}"
    as_json = stem.with_suffix(".json")
    as_json.write_text(
        json.dumps(run_dict(run.plan, run.result), indent=2, ensure_ascii=False), encoding="utf-8"
    )
    as_html = stem.with_suffix(".html")
    as_html.write_text(run_html(run.plan, run.result, register), encoding="utf-8")
    return [as_json, as_html]
