"""``varna staff``: who among the staff was trained on or acknowledged which policy version
(add, left, record, list, remind)."""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

import typer

from varna.cli.errors import cli_errors
from varna.cli.options import FormatOption, OutputFormat, build

staff_app = typer.Typer(
    help="Accountability: staff trained on and acknowledging the policy, reminders.",
    no_args_is_help=True,
)


class EventChoice(StrEnum):
    trained = "trained"
    acknowledged = "acknowledged"


def _by() -> str:
    return f"cli:{getpass.getuser()}"


@staff_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The staff name, e.g. anna.berg.")],
    email: Annotated[
        str | None, typer.Option("--email", help="Where reminders of new policy versions go.")
    ] = None,
) -> None:
    """Follow a staff member's training on the policy (seed 004: every new employee)."""
    with cli_errors():
        member = build().add_staff(name, email=email, actor=_by(), now=datetime.now(UTC))
    typer.echo(f"staff member {member.name} added")


@staff_app.command("left")
def left(name: Annotated[str, typer.Argument(help="The staff name.")]) -> None:
    """A staff member left: their history is kept, no more reminders."""
    with cli_errors():
        build().staff_left(name, actor=_by(), now=datetime.now(UTC))
    typer.echo(f"staff member {name} left")


@staff_app.command("record")
def record(
    names: Annotated[list[str], typer.Argument(help="One or more staff names.")],
    event: Annotated[
        EventChoice, typer.Option("--event", help="Trained on the policy, or acknowledged it.")
    ],
    version: Annotated[
        int | None,
        typer.Option("--version", min=1, help="Policy version number (default: the newest)."),
    ] = None,
) -> None:
    """Record that staff were trained on or acknowledged a policy version."""
    from varna.core.staff_ops import PolicyEventKind

    with cli_errors():
        done = build().record_policy_training(
            names,
            kind=PolicyEventKind(event.value),
            actor=_by(),
            now=datetime.now(UTC),
            version=version,
        )
    typer.echo(f"{event.value}: recorded for {len(done)} of {len(names)} (others had it already)")


@staff_app.command("list")
def listing(output: FormatOption = OutputFormat.text) -> None:
    """The staff against the newest policy version; exit 1 if anyone has not acknowledged it."""
    with cli_errors():
        status = build().staff_status()
    if output is OutputFormat.json:
        typer.echo(
            json.dumps(
                {
                    "current_version": status.current,
                    "staff": [
                        {
                            "name": line.member.name,
                            "trained": line.trained.version if line.trained else None,
                            "acknowledged": (
                                line.acknowledged.version if line.acknowledged else None
                            ),
                            "up_to_date": line.up_to_date,
                        }
                        for line in status.lines
                    ],
                },
                indent=2,
            )
        )
    else:
        typer.echo(f"newest policy version: {status.current or 'none published'}")
        for line in status.lines:
            trained = f"v{line.trained.version} {line.trained.at[:10]}" if line.trained else "-"
            ack = line.acknowledged
            acked = f"v{ack.version} {ack.at[:10]}" if ack else "-"
            mark = "ok" if line.up_to_date else "BEHIND"
            typer.echo(f"{line.member.name}  trained {trained}  acknowledged {acked}  {mark}")
    if status.behind:
        raise typer.Exit(1)


@staff_app.command("remind")
def remind(
    lang: Annotated[str, typer.Option("--lang", help="Language of the e-mail: sv or en.")] = "sv",
) -> None:
    """E-mail staff who have not acknowledged the newest version (once per version)."""
    with cli_errors():
        done = build().remind_staff(actor=_by(), now=datetime.now(UTC), lang=lang)
    typer.echo(
        f"version {done.version}: {len(done.sent)} reminded, {len(done.failed)} failed, "
        f"{len(done.no_address)} without an address"
    )
    if done.failed:
        raise typer.Exit(1)
