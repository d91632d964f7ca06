"""``varna dsr restrict|object`` and ``varna marketing screen``: the rights whose promise outlives
the request (GDPR Art. 18 and 21), kept in Varna's subject ledger."""

from __future__ import annotations

import csv
import json
import os
import sys
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from varna.cli.dsr_cmd import IdentityOption, dsr_app, recorder_for
from varna.cli.errors import cli_errors
from varna.cli.options import AtOption, FormatOption, OutputFormat, RegisterOption, build, moment
from varna.connectors.registry import connected
from varna.core import Varna
from varna.dsr.identity import parse_identities
from varna.dsr.objection import object_to_marketing, screen
from varna.dsr.requests import Kind, close, describe_open, receive
from varna.dsr.restriction import lift, restrict
from varna.dsr.strategies import erasure_hash_key
from varna.errors import RequestError
from varna.subjects import Ground

marketing_app = typer.Typer(
    help="Marketing lists: screen them against objections (Art. 21) and restrictions (Art. 18).",
    no_args_is_help=True,
)

ExecuteOption = Annotated[
    bool, typer.Option("--execute", help="Apply it; without it nothing is changed.")
]


class GroundChoice(StrEnum):
    accuracy = "accuracy"
    unlawful = "unlawful"
    legal_claims = "legal-claims"
    objection = "objection"


GROUNDS = {
    GroundChoice.accuracy: Ground.accuracy_contested,
    GroundChoice.unlawful: Ground.unlawful_kept,
    GroundChoice.legal_claims: Ground.legal_claims,
    GroundChoice.objection: Ground.objection_pending,
}


def _base_dir(varna: Varna) -> Path:
    return Path(varna.register_path).resolve().parent


@dsr_app.command("restrict")
def restrict_command(
    identity: IdentityOption,
    ground: Annotated[
        GroundChoice,
        typer.Option(
            "--ground",
            help="Art. 18(1): accuracy (a, contested), unlawful (b), legal-claims (c), "
            "objection (d, pending).",
        ),
    ] = GroundChoice.accuracy,
    lift_it: Annotated[
        bool, typer.Option("--lift", help="End the restriction (tell the person first).")
    ] = False,
    reason: Annotated[
        str, typer.Option("--reason", help="With --lift: why it ends, e.g. 'accuracy checked'.")
    ] = "",
    register: RegisterOption = None,
    execute: ExecuteOption = False,
    at: AtOption = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Right to restriction (Art. 18): record it in Varna, keep the person's rows from retention
    and lists, and set the register's restriction_column in each system; --lift ends it."""
    now = moment(at)
    with cli_errors():
        varna = build(register)
        kinds = varna.register.identity_kinds()
        identities = parse_identities(identity, kinds=kinds, today=now.date())
        if lift_it and execute and not reason.strip():
            raise RequestError("say why the restriction ends: --reason 'accuracy checked'")
        recorder = recorder_for(varna) if execute else None
        with connected(varna.register, base_dir=_base_dir(varna), environ=os.environ) as conns:
            if lift_it:
                outcome = lift(
                    varna.register,
                    identities,
                    conns,
                    varna.ledger,
                    reason=reason,
                    now=now,
                    recorder=recorder,
                    execute=execute,
                )
            else:
                outcome = restrict(
                    varna.register,
                    identities,
                    conns,
                    varna.ledger,
                    ground=GROUNDS[ground],
                    now=now,
                    recorder=recorder,
                    execute=execute,
                )
        if execute and not lift_it:
            close(varna.ledger, identities, kind=Kind.restriction, now=now, recorder=recorder)
    if output is OutputFormat.json:
        payload = {
            "executed": execute,
            "plan": outcome.plan.as_dict(),
            "restriction": outcome.restriction.as_dict() if outcome.restriction else None,
            "columns_written": outcome.written,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(outcome.describe(execute=execute, lifting=lift_it)))


@dsr_app.command("object")
def object_command(
    identity: IdentityOption,
    register: RegisterOption = None,
    execute: ExecuteOption = False,
    at: AtOption = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Objection to direct marketing (Art. 21(3)): put every identity of the person on the
    suppression list and erase their rows from marketing-only tables."""
    now = moment(at)
    with cli_errors():
        varna = build(register)
        kinds = varna.register.identity_kinds()
        identities = parse_identities(identity, kinds=kinds, today=now.date())
        key = erasure_hash_key(varna.settings.audit_key_bytes())
        with connected(varna.register, base_dir=_base_dir(varna), environ=os.environ) as conns:
            outcome = object_to_marketing(
                varna.register,
                identities,
                conns,
                varna.ledger,
                now=now,
                hash_key=key,
                recorder=recorder_for(varna) if execute else None,
                execute=execute,
            )
        if execute:
            close(
                varna.ledger, identities, kind=Kind.objection, now=now, recorder=recorder_for(varna)
            )
    if output is OutputFormat.json:
        payload = {
            "executed": execute,
            "identity_kinds": sorted({i.kind for i in outcome.identities}),
            "suppressed_new": outcome.suppressed_new,
            "erasure": outcome.erasure.as_dict(),
            "receipts": [r.as_dict() for r in outcome.receipts],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(outcome.describe(execute=execute)))


@dsr_app.command("receive")
def receive_command(
    identity: IdentityOption,
    kind: Annotated[Kind, typer.Option("--kind", "-k", help="The right the person invokes.")],
    register: RegisterOption = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Received on this day, YYYY-MM-DD (default: now).")
    ] = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Record a request received (by e-mail, letter, the privacy centre) with its Art. 12(3)
    deadline; the person's rows are kept from retention until it is answered."""
    now = moment(at)
    with cli_errors():
        varna = build(register)
        identities = parse_identities(
            identity, kinds=varna.register.identity_kinds(), today=now.date()
        )
        with connected(varna.register, base_dir=_base_dir(varna), environ=os.environ) as conns:
            got = receive(
                varna.register,
                identities,
                conns,
                varna.ledger,
                kind=kind,
                now=now,
                recorder=recorder_for(varna),
            )
    if output is OutputFormat.json:
        payload = {**got.request.as_dict(), "created": got.created}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    r = got.request
    state = "recorded" if got.created else "already open"
    typer.echo(
        f"request {r.id} ({r.kind}) {state}: answer by {r.due.isoformat()} (GDPR Art. 12(3)); "
        f"{r.rows} row(s) kept until then"
    )


@dsr_app.command("requests")
def requests_command(
    register: RegisterOption = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Count days left as of this day (default: today).")
    ] = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """List the requests not yet answered, earliest deadline first, with days left."""
    today = moment(at).date()
    with cli_errors():
        varna = build(register)
        found = varna.ledger.open_requests()
    if output is OutputFormat.json:
        payload = [{**r.as_dict(), "days_left": (r.due - today).days} for r in found]
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(describe_open(found, today=today)))


def _columns(specs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for spec in specs:
        kind, sep, column = spec.partition("=")
        if not sep or not kind.strip() or not column.strip():
            raise RequestError(f"--column '{spec}': write KIND=COLUMN, e.g. email=E-post")
        out[kind.strip()] = column.strip()
    return out


@marketing_app.command("screen")
def screen_command(
    source: Annotated[Path, typer.Argument(help="CSV file of the list (header row first).")],
    column: Annotated[
        list[str],
        typer.Option("--column", "-c", help="KIND=COLUMN, e.g. email=E-post; repeatable."),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the screened list here.")
    ] = None,
    delimiter: Annotated[str, typer.Option("--delimiter", help="CSV field separator.")] = ",",
    register: RegisterOption = None,
) -> None:
    """Drop from a list everyone who objected to direct marketing (Art. 21(3)) or whose data is
    restricted (Art. 18(2)) before it is imported or sent to a mailing service. Prints counts
    only."""
    today: date = datetime.now(UTC).date()
    with cli_errors():
        columns = _columns(column)
        varna = build(register)
        try:
            with source.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle, delimiter=delimiter)
                header = list(reader.fieldnames or [])
                result = screen(reader, columns, varna.ledger, today=today)
        except OSError as exc:
            raise RequestError(f"{source}: cannot read the list ({exc.strerror})") from None
        if out is not None:
            with out.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=header, delimiter=delimiter)
                writer.writeheader()
                writer.writerows(result.kept)
    lines = [
        f"{len(result.kept)} row(s) kept, {result.suppressed} dropped as objected to direct "
        f"marketing, {result.restricted} dropped as restricted",
    ]
    if result.unreadable:
        lines.append(f"{result.unreadable} value(s) could not be read as their kind: check them")
    typer.echo("\n".join(lines), err=out is None)
    if out is None:
        writer = csv.DictWriter(sys.stdout, fieldnames=header, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(result.kept)
