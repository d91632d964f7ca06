"""``varna apikey``: keys of the REST API (add, list, revoke)."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

import typer

from varna.cli.errors import cli_errors
from varna.cli.jsonout import echo_json
from varna.cli.options import FormatOption, OutputFormat, build

apikey_app = typer.Typer(help="Keys of the REST API: add, list, revoke.", no_args_is_help=True)


class Scope(StrEnum):
    read = "read"
    requests = "requests"
    breaches_read = "breaches_read"
    breaches = "breaches"
    admin = "admin"


@apikey_app.command("add")
def add(
    name: Annotated[str, typer.Option("--name", help="What the key is for (a system's name).")],
    scope: Annotated[
        list[Scope],
        typer.Option(
            "--scope", help="read, requests, breaches_read, breaches or admin; repeatable."
        ),
    ],
) -> None:
    """Make a key; it is printed this once (only its hash is kept)."""
    with cli_errors():
        made = build().create_api_key(
            name=name,
            scopes=[s.value for s in scope],
            created_by=f"cli:{getpass.getuser()}",
            now=datetime.now(UTC),
        )
    typer.echo(f"API key {made.key.id} ({', '.join(sorted(made.key.scopes))}): {made.token}")
    typer.echo("Store it now: it is not shown again.", err=True)


@apikey_app.command("list")
def listing(output: FormatOption = OutputFormat.text) -> None:
    """Every key, newest first (never a secret)."""
    with cli_errors():
        keys = build().api_keys()
    if output is OutputFormat.json:
        echo_json([k.as_dict() for k in keys])
        return
    for k in keys:
        state = f"revoked {k.revoked_at[:10]}" if k.revoked_at else "active"
        typer.echo(f"{k.id}  {k.name}  {' '.join(sorted(k.scopes))}  {state}")


@apikey_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The key's id (from list).")]) -> None:
    """Revoke a key: it stops working at once."""
    with cli_errors():
        key = build().revoke_api_key(
            key_id, actor=f"cli:{getpass.getuser()}", now=datetime.now(UTC)
        )
    typer.echo(f"API key {key.id} revoked")
