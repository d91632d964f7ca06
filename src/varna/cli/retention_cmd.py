"""``varna retention``: plan, run and review retention (gallring). Each command calls the
library (``varna.retention``) and prints; errors are translated by ``cli_errors``."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, time
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from varna.cli.errors import cli_errors
from varna.cli.jsonout import echo_json
from varna.cli.options import FormatOption, OutputFormat, RegisterOption, build, parse_day
from varna.retention.models import TablePlan
from varna.retention.report import plan_json, plan_text
from varna.retention.reviews import plan_reviews

retention_app = typer.Typer(
    help="Retention (gallring): what expires, sweep it, review cycles.", no_args_is_help=True
)
AtOption = Annotated[
    str | None, typer.Option("--at", help="Plan as of this day, YYYY-MM-DD (default: now).")
]


def _now(at: str | None) -> datetime:
    day = parse_day(at)
    return datetime.now(UTC) if day is None else datetime.combine(day, time(), tzinfo=UTC)


@retention_app.command("plan")
def plan(
    at: AtOption = None,
    output: FormatOption = OutputFormat.text,
    register: RegisterOption = None,
) -> None:
    """Show per system and table how many rows expire, what happens to them, and why."""
    with cli_errors():
        varna = build(register)
        run = varna.run_retention(now=_now(at), environ=os.environ)
    if output is OutputFormat.json:
        echo_json(json.loads(plan_json(run.plan)))
    else:
        typer.echo(plan_text(run.plan, varna.register))


@retention_app.command("run")
def run(
    at: AtOption = None,
    execute: Annotated[
        bool, typer.Option("--execute", help="Sweep; without it the plan is only shown.")
    ] = False,
    output: FormatOption = OutputFormat.text,
    register: RegisterOption = None,
) -> None:
    """Plan, and with --execute sweep, record the run in the audit log and write its report."""
    with cli_errors():
        varna = build(register)
        if not execute:
            plan(at=at, output=output, register=register)
            # the note goes to stderr under --format json: stdout is one JSON document
            typer.echo("\nPlanned only: add --execute to sweep.", err=output is OutputFormat.json)
            return
        with Progress(transient=True, console=Console(stderr=True)) as bar:
            task = bar.add_task("sweeping", total=None)

            def step(table: TablePlan, rows: int) -> None:
                bar.update(task, advance=rows, description=f"{table.system}.{table.table}")

            done = varna.run_retention(
                now=_now(at), environ=os.environ, execute=True, progress=step
            )
    assert done.result is not None
    if output is OutputFormat.json:
        payload = {
            "executed": True,
            "total": done.result.total,
            "tables": [
                {
                    "system": system,
                    "table": table,
                    "rows": rows,
                    "action": done.result.actions[(system, table)].value,
                }
                for (system, table), rows in done.result.counts.items()
            ],
            "reports": [str(path) for path in done.reports],
        }
        echo_json(payload)
        return
    for (system, table), rows in done.result.counts.items():
        action = done.result.actions[(system, table)].value
        typer.echo(f"{system}.{table}: {rows:,} rows ({action})")
    typer.echo(f"retention run done: {done.result.total:,} rows; recorded in the audit log")
    for path in done.reports:
        typer.echo(f"report: {path}")


@retention_app.command("reviews")
def reviews(at: AtOption = None, register: RegisterOption = None) -> None:
    """Activities whose data is reviewed by hand, with the next due date."""
    with cli_errors():
        varna = build(register)
        found = plan_reviews(varna.register, at=_now(at).date())
    if not found:
        typer.echo("no activity asks for a periodic review (review_every)")
    for review in found:
        where = ", ".join(review.tables) or "no table"
        typer.echo(
            f"{review.due:%Y-%m-%d}  {review.activity} ({review.name}), every {review.every}: "
            f"{where}"
        )
