"""One retention run, as the CLI, a cron job or the web app's scheduler calls it.

Plans from the register and the databases; with ``execute`` it sweeps, appends one audit event
with the rows per table, and writes the run report (JSON and HTML) into ``reports/`` beside the
register. Safe to repeat: a run after a finished one finds nothing and records zero rows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from varna.register.model import Register
from varna.retention.engines import Engines, SqlCounts
from varna.retention.executor import BATCH, Progress, RetentionResult, execute_retention
from varna.retention.models import RetentionPlan
from varna.retention.planner import Exclusions, plan_retention
from varna.retention.report import run_dict, run_html

if TYPE_CHECKING:
    from varna.audit.log import AuditLog

ACTOR = "job:retention"
ACTION = "retention.run.executed"


@dataclass(slots=True)
class RetentionRun:
    """A run: the plan, what was done (None when only planned), the reports written."""

    plan: RetentionPlan
    result: RetentionResult | None = None
    reports: list[Path] = field(default_factory=list)


def run_retention(
    register: Register,
    *,
    now: datetime,
    base_dir: Path,
    environ: Mapping[str, str],
    execute: bool = False,
    hash_key: bytes = b"",
    audit: AuditLog | None = None,
    exclusions: Exclusions | None = None,
    batch: int = BATCH,
    progress: Progress | None = None,
) -> RetentionRun:
    """Plan, and with ``execute`` sweep, record and report."""
    engines = Engines(register, base_dir=base_dir, environ=environ)
    try:
        plan = plan_retention(register, now=now, counts=SqlCounts(engines), exclusions=exclusions)
        run = RetentionRun(plan)
        if not execute:
            return run
        run.result = execute_retention(
            plan, engines=engines, hash_key=hash_key, batch=batch, progress=progress
        )
    finally:
        engines.close()
    if audit is not None:
        audit.append(
            at=now,
            actor=ACTOR,
            action=ACTION,
            target="retention",
            details={
                "rows": run.result.total,
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
