"""``varna consent``: the consent ledger (grant, withdraw, status, history). Each command parses
its input, calls one ``Varna`` method and formats the result."""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime, time
from typing import Annotated

import typer

from varna.cli.errors import cli_errors
from varna.cli.options import FormatOption, OutputFormat, RegisterOption, build

consent_app = typer.Typer(
    help="The consent ledger: record, withdraw and prove consent (GDPR Art. 7).",
    no_args_is_help=True,
)

IdentityOption = Annotated[
    list[str],
    typer.Option("--identity", "-i", help="KIND=VALUE, e.g. email=name@example.se; repeatable."),
]
PurposeOption = Annotated[
    list[str],
    typer.Option("--purpose", "-p", help="A consent purpose of the register; repeatable."),
]
WhenOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="As of this time: YYYY-MM-DD (the end of that day, UTC) or an ISO-8601 time "
        "(default: now).",
    ),
]


def _when(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        if len(value) == 10:
            day = datetime.strptime(value, "%Y-%m-%d").date()
            return datetime.combine(day, time.max, tzinfo=UTC)
        at = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"'{value}' is not a time: write YYYY-MM-DD or 2026-05-01T12:00:00+00:00"
        ) from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@consent_app.command("grant")
def grant(
    identity: IdentityOption,
    purpose: PurposeOption,
    notice: Annotated[str, typer.Option("--notice", help="Hash of the notice the person saw.")],
    channel: Annotated[str, typer.Option("--channel", help="form, api or import.")] = "form",
    policy_version: Annotated[
        str | None, typer.Option("--policy-version", help="The policy version shown.")
    ] = None,
    vendor: Annotated[
        list[str] | None, typer.Option("--vendor", help="A vendor consented to; repeatable.")
    ] = None,
    register: RegisterOption = None,
) -> None:
    """Record that a person gave consent (a paper form, an import, a call)."""
    with cli_errors():
        done = build(register).grant_consent(
            identity,
            purpose,
            notice=notice,
            channel=channel,
            policy_version=policy_version,
            vendors=vendor or [],
            now=datetime.now(UTC),
            actor=_actor(),
        )
    typer.echo(f"consent recorded as {done.id} at {done.recorded_at.isoformat()}")


@consent_app.command("withdraw")
def withdraw(
    identity: IdentityOption,
    purpose: PurposeOption,
    channel: Annotated[
        str, typer.Option("--channel", help="form, api, banner or import.")
    ] = "form",
    execute: Annotated[
        bool, typer.Option("--execute", help="Apply it; without it, print the plan.")
    ] = False,
    register: RegisterOption = None,
) -> None:
    """Withdraw consent (Art. 7(3)): record it, erase data held only on it, suppress the person
    from marketing when no marketing consent is left. A dry run without --execute."""
    with cli_errors():
        done = build(register).withdraw_consent(
            identity,
            purpose,
            channel=channel,
            now=datetime.now(UTC),
            actor=_actor(),
            execute=execute,
        )
    typer.echo("\n".join(done.describe()))


@consent_app.command("status")
def status(
    identity: IdentityOption,
    purpose: PurposeOption,
    at: WhenOption = None,
    output: FormatOption = OutputFormat.text,
    register: RegisterOption = None,
) -> None:
    """Whether the person has a current consent to each purpose, now or as of --at."""
    when = _when(at)
    with cli_errors():
        found = build(register).consent_statuses([(identity, p) for p in purpose], at=when)
    if output is OutputFormat.json:
        typer.echo(json.dumps([s.as_dict() for s in found], indent=2))
        return
    for s in found:
        since = f" since {s.since.isoformat()}" if s.since else ""
        renew = f", ask again by {s.renew_at.date().isoformat()}" if s.renew_at else ""
        typer.echo(f"{s.purpose}: {s.state}{since}{renew}")


@consent_app.command("history")
def history(
    identity: IdentityOption,
    at: WhenOption = None,
    output: FormatOption = OutputFormat.text,
    register: RegisterOption = None,
) -> None:
    """Every grant and withdrawal of the person up to --at, with the audit entry proving it."""
    when = _when(at)
    with cli_errors():
        found = build(register).consent_history(identity, until=when)
    if output is OutputFormat.json:
        typer.echo(json.dumps([e.as_dict() for e in found], indent=2))
        return
    if not found:
        typer.echo("no consent recorded")
    for e in found:
        verb = "granted" if e.granted else "withdrawn"
        version = f" policy {e.policy_version}" if e.policy_version else ""
        typer.echo(
            f"{e.at.isoformat()}  {e.purpose}: {verb} via {e.channel}, notice "
            f"{e.notice[:12]}{version}, audit #{e.audit_seq} ({e.event})"
        )


@consent_app.command("link")
def link(
    identity: IdentityOption,
    purpose: PurposeOption,
    lang: Annotated[str, typer.Option("--lang", help="sv or en: the page's language.")] = "sv",
    register: RegisterOption = None,
) -> None:
    """The withdrawal link for a newsletter's footer (and its List-Unsubscribe header): one
    click on the page withdraws, without a login; the URL names no address (Art. 7(3))."""
    if lang not in ("sv", "en"):
        raise typer.BadParameter(f"--lang '{lang[:10]}': write sv or en")
    with cli_errors():
        url = build(register).withdrawal_link(identity, purpose, now=datetime.now(UTC), lang=lang)
    typer.echo(url)
