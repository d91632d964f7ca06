"""``varna dsr restrict|object``, the request lifecycle (``receive``, ``verify``, ``prepare``,
``approve``, ``refuse``, ``extend``, ``withdraw``, ``requests``, ``show``) and ``varna marketing
screen``. Each command parses its input, calls one ``Varna`` method and formats the result."""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from varna.cli.dsr_cmd import (
    AsOption,
    IdentityOption,
    Lang,
    LangOption,
    RoleChoice,
    RoleOption,
    actor_for,
    answered_line,
    dsr_app,
)
from varna.cli.errors import cli_errors
from varna.cli.jsonout import echo_json
from varna.cli.options import (
    AtOption,
    ForceOption,
    FormatOption,
    OutputFormat,
    RegisterOption,
    build,
    check_target,
    moment,
    parse_day,
    writing,
)
from varna.core.moves import RequestStatus
from varna.dsr.requests import Assurance, Kind, describe_open
from varna.errors import RequestError
from varna.spreadsheet import safe_record
from varna.state.restrictions import Ground

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
    as_: AsOption = None,
    receipt: Annotated[
        Path | None,
        typer.Option(
            "--receipt",
            help="With --execute (not --lift): write the receipt for the person as PDF.",
        ),
    ] = None,
    lang: LangOption = Lang.sv,
    force: ForceOption = False,
) -> None:
    """Right to restriction (Art. 18): record it in Varna, keep the person's rows from retention
    and lists, and set the register's restriction_column in each system; --lift ends it."""
    now = moment(at)
    actor = actor_for(as_)
    written = receipt if receipt is not None and execute and not lift_it else None
    with cli_errors():
        if written is not None:  # refused before anything is recorded
            check_target(written, force=force, option="--receipt")
        varna = build(register)
        if lift_it:
            answer = varna.lift(identity, reason=reason, now=now, actor=actor, execute=execute)
        else:
            answer = varna.restrict(
                identity,
                ground=GROUNDS[ground],
                now=now,
                actor=actor,
                execute=execute,
                receipt_lang=lang.value if written is not None else None,
            )
        if written is not None and answer.receipt is not None:
            with writing(written, option="--receipt"):
                written.parent.mkdir(parents=True, exist_ok=True)
                written.write_bytes(answer.receipt)
    outcome = answer.result
    if output is OutputFormat.json:
        payload = {
            "executed": execute,
            "receipt": str(written) if written is not None else None,
            "plan": outcome.plan.as_dict(),
            "restriction": outcome.restriction.as_dict() if outcome.restriction else None,
            "columns_written": outcome.written,
            "request": answer.request.ref if answer.request else None,
        }
        echo_json(payload)
    else:
        lines = outcome.describe(execute=execute, lifting=lift_it)
        if written is not None:
            lines.append(f"receipt: {written}")
        typer.echo("\n".join(lines + answered_line(answer.request)))


@dsr_app.command("object")
def object_command(
    identity: IdentityOption,
    register: RegisterOption = None,
    execute: ExecuteOption = False,
    at: AtOption = None,
    output: FormatOption = OutputFormat.text,
    as_: AsOption = None,
) -> None:
    """Objection to direct marketing (Art. 21(3)): put every identity of the person on the
    suppression list and erase their rows from marketing-only tables."""
    now = moment(at)
    with cli_errors():
        answer = build(register).object(identity, now=now, actor=actor_for(as_), execute=execute)
    outcome = answer.result
    if output is OutputFormat.json:
        payload = {
            "executed": execute,
            "identity_kinds": sorted({i.kind for i in outcome.identities}),
            "suppressed_new": outcome.suppressed_new,
            "erasure": outcome.erasure.as_dict(),
            "receipts": [r.as_dict() for r in outcome.receipts],
            "request": answer.request.ref if answer.request else None,
        }
        echo_json(payload)
    else:
        lines = outcome.describe(execute=execute)
        typer.echo("\n".join(lines + answered_line(answer.request)))


def _print_status(status: RequestStatus, output: OutputFormat, *, line: str) -> None:
    if output is OutputFormat.json:
        today = datetime.now(UTC).date()
        echo_json(status.as_dict(today=today))
    else:
        typer.echo(line)


class AssuranceChoice(StrEnum):
    email_code = "email_code"
    sms_code = "sms_code"
    eid = "eid"
    staff_document = "staff_document"


RefArgument = Annotated[str, typer.Argument(help="The request's reference, e.g. R-2026-7K3Q-X9MD.")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why (told to the person).")]


@dsr_app.command("receive")
def receive_command(
    identity: IdentityOption,
    kind: Annotated[Kind, typer.Option("--kind", "-k", help="The right the person invokes.")],
    register: RegisterOption = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Received on this day, YYYY-MM-DD (default: now).")
    ] = None,
    output: FormatOption = OutputFormat.text,
    as_: AsOption = None,
    role: RoleOption = RoleChoice.case_handler,
) -> None:
    """Record a request received (by e-mail, letter, the privacy centre) with its Art. 12(3)
    deadline; the person's rows are kept from retention until it is answered."""
    now = moment(at)
    with cli_errors():
        got = build(register).receive(identity, kind=kind, now=now, actor=actor_for(as_, role))
    r = got.record
    state = "recorded" if got.created else f"already open ({r.state})"
    _print_status(
        got,
        output,
        line=f"request {r.ref} ({r.kind}) {state}: answer by {got.due.isoformat()} "
        f"(GDPR Art. 12(3)); {r.rows} row(s) kept until then",
    )


@dsr_app.command("verify")
def verify_command(
    ref: RefArgument,
    assurance: Annotated[
        AssuranceChoice,
        typer.Option(
            "--assurance",
            help="How the identity was checked: email_code, sms_code, eid, staff_document.",
        ),
    ],
    method: Annotated[
        str, typer.Option("--method", help="What was checked, e.g. 'passport at the desk'.")
    ] = "",
    note: Annotated[
        str,
        typer.Option(
            "--note",
            help="What you saw (kept with the request, not in the audit log), e.g. 'signed "
            "letter of 2 Dec, ID card checked'.",
        ),
    ] = "",
    register: RegisterOption = None,
    at: AtOption = None,
    output: FormatOption = OutputFormat.text,
    as_: AsOption = None,
    role: RoleOption = RoleChoice.case_handler,
) -> None:
    """Record that the requester's identity was verified (Art. 12(6))."""
    now = moment(at)
    with cli_errors():
        got = build(register).verify(
            ref,
            method=method or assurance.value,
            assurance=Assurance[assurance.value],
            now=now,
            actor=actor_for(as_, role),
            note=note or None,
        )
    _print_status(got, output, line=f"request {got.ref}: verified ({assurance.value})")


@dsr_app.command("prepare")
def prepare_command(
    ref: RefArgument,
    register: RegisterOption = None,
    at: AtOption = None,
    output: FormatOption = OutputFormat.text,
    as_: AsOption = None,
    role: RoleOption = RoleChoice.case_handler,
) -> None:
    """Plan a verified request: erasure and rectification then await a second staff member's
    approval; other kinds are approved."""
    now = moment(at)
    with cli_errors():
        got = build(register).plan(ref, now=now, actor=actor_for(as_, role))
    _print_status(got, output, line=f"request {got.ref}: {got.record.state}")


@dsr_app.command("approve")
def approve_command(
    ref: RefArgument,
    register: RegisterOption = None,
    at: AtOption = None,
    output: FormatOption = OutputFormat.text,
    as_: AsOption = None,
    role: RoleOption = RoleChoice.case_handler,
) -> None:
    """Approve a planned request (four eyes: not by the one who prepared it)."""
    now = moment(at)
    with cli_errors():
        got = build(register).approve(ref, now=now, actor=actor_for(as_, role))
    _print_status(got, output, line=f"request {got.ref}: approved by {got.record.approved_by}")


@dsr_app.command("decide")
def decide_command(
    ref: RefArgument,
    reason: ReasonOption,
    register: RegisterOption = None,
    at: AtOption = None,
    output: FormatOption = OutputFormat.text,
    as_: AsOption = None,
    role: RoleOption = RoleChoice.case_handler,
) -> None:
    """Let a request held for rows that name another person go on without those rows; a second
    staff member then approves it."""
    now = moment(at)
    with cli_errors():
        got = build(register).decide(ref, reason=reason, now=now, actor=actor_for(as_, role))
    _print_status(got, output, line=f"request {got.ref}: decided, waiting for approval")


@dsr_app.command("refuse")
def refuse_command(
    ref: RefArgument,
    reason: ReasonOption,
    register: RegisterOption = None,
    at: AtOption = None,
    output: FormatOption = OutputFormat.text,
    as_: AsOption = None,
    role: RoleOption = RoleChoice.case_handler,
) -> None:
    """Refuse a request with reasons (Art. 12(4), 12(5)); tell the person they may complain."""
    now = moment(at)
    with cli_errors():
        got = build(register).refuse(ref, reason=reason, now=now, actor=actor_for(as_, role))
    _print_status(got, output, line=f"request {got.ref}: refused (GDPR Art. 12(4))")


@dsr_app.command("extend")
def extend_command(
    ref: RefArgument,
    reason: ReasonOption,
    until: Annotated[
        str | None,
        typer.Option("--until", help="New deadline, YYYY-MM-DD (default: the latest allowed)."),
    ] = None,
    register: RegisterOption = None,
    at: AtOption = None,
    output: FormatOption = OutputFormat.text,
    as_: AsOption = None,
    role: RoleOption = RoleChoice.case_handler,
) -> None:
    """Extend the deadline by up to two further months (Art. 12(3)), within the first month."""
    now = moment(at)
    day = parse_day(until)
    with cli_errors():
        got = build(register).extend(
            ref, reason=reason, until=day, now=now, actor=actor_for(as_, role)
        )
    _print_status(got, output, line=f"request {got.ref}: answer by {got.due.isoformat()}")


@dsr_app.command("withdraw")
def withdraw_command(
    ref: RefArgument,
    register: RegisterOption = None,
    at: AtOption = None,
    output: FormatOption = OutputFormat.text,
    as_: AsOption = None,
    role: RoleOption = RoleChoice.case_handler,
) -> None:
    """Record that the person withdrew the request."""
    now = moment(at)
    with cli_errors():
        got = build(register).withdraw(ref, now=now, actor=actor_for(as_, role))
    _print_status(got, output, line=f"request {got.ref}: withdrawn")


@dsr_app.command("show")
def show_command(
    ref: RefArgument,
    register: RegisterOption = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Count days left as of this day (default: today).")
    ] = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """One request: its state, deadline, verification, who prepared and approved, every move."""
    today = moment(at).date()
    with cli_errors():
        detail = build(register).show(ref)
    if output is OutputFormat.json:
        echo_json(detail.as_dict(today=today))
        return
    r = detail.status.record
    lines = [
        f"request {r.ref}: {r.kind}, {r.state}",
        f"  received {r.received_at.date().isoformat()}, answer by "
        f"{detail.status.due.isoformat()} ({detail.status.days_left(today)} day(s) left)",
    ]
    if r.extended_due:
        lines.append(f"  extended (Art. 12(3)): {r.extension_reason}")
    if r.assurance:
        lines.append(f"  verified: {r.assurance} ({r.verified_by})")
    lines += [f"  prepared by {r.prepared_by}"] if r.prepared_by else []
    lines += [f"  approved by {r.approved_by}"] if r.approved_by else []
    lines += [f"  reason: {r.reason}"] if r.reason else []
    lines += [f"  {r.rows} row(s) kept from retention while open"]
    lines += [f"  {m.seq}. {m.at[:19]} {m.action} -> {m.state} by {m.actor}" for m in detail.moves]
    typer.echo("\n".join(lines))


@dsr_app.command("requests")
def requests_command(
    register: RegisterOption = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Count days left as of this day (default: today).")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Also the closed ones.")] = False,
    output: FormatOption = OutputFormat.text,
) -> None:
    """List the requests not yet answered, earliest deadline first, with days left."""
    today = moment(at).date()
    with cli_errors():
        found = build(register).requests(open_only=not all_)
    if output is OutputFormat.json:
        payload = [r.as_dict(today=today) for r in found]
        echo_json(payload)
    else:
        typer.echo("\n".join(describe_open([r.view for r in found], today=today)))


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
    purpose: Annotated[
        str | None,
        typer.Option(
            "--purpose", help="The list's consent purpose: drop everyone without a current consent."
        ),
    ] = None,
    register: RegisterOption = None,
    force: ForceOption = False,
) -> None:
    """Drop from a list everyone who objected to direct marketing (Art. 21(3)) or whose data is
    restricted (Art. 18(2)), and with --purpose everyone without a current consent to it, before
    it is imported or sent to a mailing service. Prints counts only."""
    now = datetime.now(UTC)
    with cli_errors():
        columns = _columns(column)
        if out is not None:
            check_target(out, force=force)
        varna = build(register)
        try:
            with source.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle, delimiter=delimiter)
                header = list(reader.fieldnames or [])
                result = varna.screen(reader, columns, now=now, purpose=purpose)
        except OSError as exc:
            raise RequestError(
                f"{source.name}: cannot read the list ({exc.strerror})", file=source.name
            ) from None
        except UnicodeDecodeError as exc:
            line = source.read_bytes().count(b"\n", 0, exc.start) + 1
            raise RequestError(
                f"{source.name}:{line}: the list is not UTF-8 text; save it as UTF-8 "
                "(in Excel: CSV UTF-8)",
                file=source.name,
                line=line,
            ) from None
        except csv.Error as exc:
            raise RequestError(
                f"{source.name}: not a CSV file ({exc}); check --delimiter", file=source.name
            ) from None
        if out is not None:
            with writing(out), out.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=header, delimiter=delimiter)
                writer.writerow(safe_record({h: h for h in header}))
                writer.writerows(safe_record(row) for row in result.kept)
    lines = [
        f"{len(result.kept)} row(s) kept, {result.suppressed} dropped as objected to direct "
        f"marketing, {result.restricted} dropped as restricted",
    ]
    if purpose is not None:
        lines.append(f"{result.without_consent} dropped without a current consent to {purpose}")
    if result.unreadable:
        lines.append(f"{result.unreadable} value(s) could not be read as their kind: check them")
    typer.echo("\n".join(lines), err=out is None)
    if out is None:
        writer = csv.DictWriter(sys.stdout, fieldnames=header, delimiter=delimiter)
        writer.writerow(safe_record({h: h for h in header}))
        writer.writerows(safe_record(row) for row in result.kept)
