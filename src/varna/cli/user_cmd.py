"""``varna user``: console users (add, list, disable, reset-2fa)."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

import typer

from varna.cli.errors import cli_errors
from varna.cli.options import FormatOption, OutputFormat, build

user_app = typer.Typer(help="Console users: add, list, disable, reset-2fa.", no_args_is_help=True)


class RoleChoice(StrEnum):
    admin = "admin"
    dpo = "dpo"
    case_handler = "case_handler"
    auditor = "auditor"
    engineer = "engineer"


def _by() -> str:
    return f"cli:{getpass.getuser()}"


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password (12 characters or more): ")
    if getpass.getpass("Again: ") != first:
        typer.echo("The two passwords differ; nothing was changed.", err=True)
        raise typer.Exit(2)
    return first


def _show_otpauth(uri: str) -> None:
    typer.echo("Add this to the user's authenticator app (shown once; a QR code of it works too):")
    typer.echo(uri)


@user_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The sign-in name, e.g. anna.berg.")],
    role: Annotated[
        RoleChoice, typer.Option("--role", help="What the user does (docs/console.md).")
    ],
    special_categories: Annotated[
        bool,
        typer.Option(
            "--special-categories", help="May see Art. 9 data unmasked (roles with personal data)."
        ),
    ] = False,
    no_2fa: Annotated[
        bool, typer.Option("--no-2fa", help="No TOTP code (only for roles without personal data).")
    ] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add a console user; prints the otpauth:// URI for their authenticator app once."""
    from varna.core.user_ops import ConsoleRole

    password = _read_password(password_stdin)
    with cli_errors():
        made = build().add_user(
            name=name,
            role=ConsoleRole(role.value),
            password=password,
            actor=_by(),
            now=datetime.now(UTC),
            special_categories=special_categories,
            two_factor=not no_2fa,
        )
    typer.echo(f"user {made.user.name} added ({made.user.role})")
    if made.otpauth:
        _show_otpauth(made.otpauth)


@user_app.command("list")
def listing(output: FormatOption = OutputFormat.text) -> None:
    """Every console user (never a password hash or a secret)."""
    with cli_errors():
        users = build().console_users()
    if output is OutputFormat.json:
        typer.echo(json.dumps([u.as_dict() for u in users], indent=2))
        return
    for u in users:
        state = f"disabled {u.disabled_at[:10]}" if u.disabled_at else "active"
        extra = " special_categories" if u.special_categories else ""
        factor = "2fa" if u.totp_sealed else "no-2fa"
        typer.echo(f"{u.name}  {u.role}{extra}  {factor}  {state}")


@user_app.command("disable")
def disable(name: Annotated[str, typer.Argument(help="The user's name.")]) -> None:
    """Disable a user: their sessions end at once; they are kept for the audit log."""
    with cli_errors():
        user = build().disable_user(name, actor=_by(), now=datetime.now(UTC))
    typer.echo(f"user {user.name} disabled")


@user_app.command("reset-2fa")
def reset_2fa(name: Annotated[str, typer.Argument(help="The user's name.")]) -> None:
    """Give a user a new TOTP secret (a lost phone); prints the new otpauth:// URI once."""
    with cli_errors():
        made = build().reset_two_factor(name, actor=_by(), now=datetime.now(UTC))
    typer.echo(f"user {made.user.name}: new second factor; their sessions ended")
    if made.otpauth:
        _show_otpauth(made.otpauth)
