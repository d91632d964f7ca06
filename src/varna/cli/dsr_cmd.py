"""``varna dsr``: data-subject requests (GDPR Art. 15-21) run against the register's systems."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer

from varna.cli.errors import cli_errors
from varna.cli.options import FormatOption, OutputFormat, RegisterOption, build
from varna.dsr.identity import parse_identities
from varna.dsr.planner import RequestKind, describe_plan, plan_request

dsr_app = typer.Typer(
    help="Data-subject requests: plan, access (Art. 15), erase (Art. 17).", no_args_is_help=True
)

IdentityOption = Annotated[
    list[str],
    typer.Option(
        "--identity",
        "-i",
        help="KIND=VALUE, e.g. email=name@example.se or personnummer=YYYYMMDD-NNNN; repeatable.",
    ),
]


@dsr_app.command("plan")
def plan(
    identity: IdentityOption,
    register: RegisterOption = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Print where a request would look for the person's data; no system is contacted."""
    now = datetime.now(UTC)
    with cli_errors():
        reg = build(register).register
        identities = parse_identities(identity, kinds=reg.identity_kinds(), today=now.date())
        the_plan = plan_request(reg, identities, kind=RequestKind.access)
    if output is OutputFormat.json:
        typer.echo(json.dumps(the_plan.as_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(describe_plan(the_plan)))
