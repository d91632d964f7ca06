"""``varna state``: show and upgrade the schema of Varna's own state database."""

from __future__ import annotations

import typer

from varna.cli.errors import cli_errors
from varna.cli.options import build

state_app = typer.Typer(
    help="Varna's own state database: show its schema revision, upgrade it.", no_args_is_help=True
)

_STATUS = {
    "current": "up to date",
    "empty": "empty: Varna creates it at the newest revision on first use",
    "older": "older than this Varna: back it up, then run `varna state upgrade`",
    "newer": "written by a newer Varna: install that version",
}


@state_app.command("show")
def show() -> None:
    """Print the state database's schema revision and the newest this Varna ships."""
    with cli_errors():
        revision = build().state_revision()
    typer.echo(f"state database: {revision.where}")
    typer.echo(f"revision: {revision.current or 'none'} (newest: {revision.head})")
    typer.echo(f"status: {_STATUS[revision.status]}")


@state_app.command("upgrade")
def upgrade() -> None:
    """Migrate the state database to the newest schema revision (back it up first)."""
    with cli_errors():
        done = build().upgrade_state()
    if done.changed:
        typer.echo(
            f"state database {done.after.where} upgraded from "
            f"{done.before.current or 'nothing'} to {done.after.current}"
        )
    else:
        typer.echo(f"state database {done.after.where} is at the newest revision {done.after.head}")
