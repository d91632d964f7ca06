"""``varna worker``: run background jobs (scheduled retention sweeps) from the PostgreSQL queue."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated

import typer

from varna.cli.errors import cli_errors
from varna.cli.options import parse_day


def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Run the queued jobs, then stop (no waiting).")
    ] = False,
    sweep_now: Annotated[
        bool, typer.Option("--sweep-now", help="Queue a retention sweep before starting.")
    ] = False,
    at: Annotated[
        str | None,
        typer.Option("--at", help="With --sweep-now: sweep as of this day, YYYY-MM-DD."),
    ] = None,
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, max=64, help="Jobs this worker runs at once.")
    ] = 1,
) -> None:
    """Run background jobs from the queue in Varna's PostgreSQL state (VARNA_DATABASE_URL): the
    retention sweep every VARNA_RETENTION_SCHEDULE. Start as many workers as you like; each job
    runs once. On SQLite, schedule `varna retention run --execute` with cron instead."""
    from varna.jobs import defer_sweep, ensure_schema, run_worker
    from varna.settings import Settings

    with cli_errors():
        settings = Settings()
        if ensure_schema(settings):
            typer.echo("job queue tables created in the state database")
        if sweep_now:
            day = parse_day(at)
            when = datetime.now(UTC) if day is None else datetime.combine(day, time(), tzinfo=UTC)
            queued = defer_sweep(settings, at=when)
            typer.echo(
                "retention sweep queued" if queued else "a retention sweep is queued already"
            )
        run_worker(settings, once=once, concurrency=concurrency)
    if once:
        typer.echo("queue empty: worker stopped")
