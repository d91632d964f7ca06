"""``varna notify``: tell people of a policy version with material changes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer

from varna.cli.errors import cli_errors
from varna.cli.options import FormatOption, OutputFormat, build

notify_app = typer.Typer(
    help="Tell people: e-mail those the register names about a material policy change.",
    no_args_is_help=True,
)


@notify_app.command("policy")
def policy(
    execute: Annotated[
        bool, typer.Option("--execute", help="Send the e-mails (without it: only count).")
    ] = False,
    output: FormatOption = OutputFormat.text,
) -> None:
    """E-mail the people of the subject categories marked notify_policy_changes about the newest
    published version, when its changes are material; a rerun skips those already told. On
    PostgreSQL --execute hands the sending to the workers."""
    with cli_errors():
        varna, now = build(), datetime.now(UTC)
        if execute:
            from varna.jobs.queue import policy_dispatcher

            varna.policy_dispatcher = policy_dispatcher(varna.settings)
            run = varna.send_policy_notices(now=now)
        else:
            run = varna.notify_policy_change(now=now)
    if output is OutputFormat.json:
        typer.echo(json.dumps(run.as_dict(), indent=2))
        return
    if not run.tables:
        why = "no material change" if not run.material else "nobody the register marks"
        typer.echo(f"policy {run.version}: {why} to tell by e-mail")
        return
    typer.echo(f"policy {run.version}: {', '.join(run.subjects)} at {', '.join(run.tables)}")
    typer.echo(
        f"{run.people} people, {run.told_before} told before, {run.skipped} skipped "
        "(objected or restricted)"
    )
    if run.queued:
        typer.echo("queued for the workers (varna worker sends them)")
    elif run.executed:
        typer.echo(f"sent {run.sent}, failed {run.failed} (run again to retry)")
    else:
        typer.echo("nothing sent: run with --execute to send")
