"""``varna webhook``: receivers of request and consent events (add, list, remove, log)."""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime
from typing import Annotated

import typer

from varna.cli.errors import cli_errors
from varna.cli.options import FormatOption, OutputFormat, build

webhook_app = typer.Typer(
    help="Webhooks: a signed POST to a URL on every move of a request (add, list, remove, log).",
    no_args_is_help=True,
)


@webhook_app.command("add")
def add(
    url: Annotated[str, typer.Argument(help="Where to POST the events (http:// or https://).")],
    events: Annotated[
        list[str] | None,
        typer.Option(
            "--events",
            "--event",
            help="request.received, consent.withdrawn, ..., request.*, consent.* or * (all, the "
            "default); repeatable.",
        ),
    ] = None,
) -> None:
    """Add a webhook; its signing secret is printed this once (kept sealed)."""
    with cli_errors():
        made = build().add_webhook(
            url, events=events or ["*"], by=f"cli:{getpass.getuser()}", now=datetime.now(UTC)
        )
    typer.echo(f"webhook {made.webhook.id} ({' '.join(made.webhook.events)}): {made.secret}")
    typer.echo("Store the secret now: it is not shown again.", err=True)


@webhook_app.command("list")
def listing(output: FormatOption = OutputFormat.text) -> None:
    """The active webhooks (never a secret)."""
    with cli_errors():
        hooks = build().webhooks()
    if output is OutputFormat.json:
        typer.echo(json.dumps([h.as_dict() for h in hooks], indent=2))
        return
    for h in hooks:
        typer.echo(f"{h.id}  {h.url}  {' '.join(h.events)}  added {h.created_at[:10]}")


@webhook_app.command("remove")
def remove(hook_id: Annotated[str, typer.Argument(help="The webhook's id (from list).")]) -> None:
    """Stop sending to a webhook (its delivery log stays)."""
    with cli_errors():
        hook = build().remove_webhook(hook_id, by=f"cli:{getpass.getuser()}", now=datetime.now(UTC))
    typer.echo(f"webhook {hook.id} removed")


@webhook_app.command("log")
def log(
    hook_id: Annotated[str | None, typer.Argument(help="Only this webhook's deliveries.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="How many, newest first.")] = 50,
    output: FormatOption = OutputFormat.text,
) -> None:
    """The newest deliveries and their tries."""
    with cli_errors():
        found = build().webhook_log(hook_id, limit=limit)
    if output is OutputFormat.json:
        typer.echo(json.dumps([d.as_dict() for d in found], indent=2))
        return
    for d in found:
        status = d.last_status if d.last_status is not None else d.last_error or "-"
        typer.echo(
            f"{d.created_at[:19]}  {d.webhook_id}  {d.event}  {d.request_id or '-'}  "
            f"{d.state}  tries {d.attempts}  last {status}"
        )


@webhook_app.command("deliver")
def deliver() -> None:
    """Send the notices and webhook deliveries that are due now (on SQLite, from cron, to
    retry what failed; on PostgreSQL the workers do it)."""
    with cli_errors():
        run = build().deliver_notices(now=datetime.now(UTC))
    typer.echo(
        f"notices: {run.sent} sent, {run.queued} queued for the DPO, {run.skipped} skipped, "
        f"{run.pending} to retry, {run.failed} failed; webhooks: {run.webhooks.delivered} "
        f"delivered, {run.webhooks.retrying} to retry, {run.webhooks.failed} failed"
    )
