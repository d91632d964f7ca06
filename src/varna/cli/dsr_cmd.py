"""``varna dsr``: data-subject requests (GDPR Art. 15-21) run against the register's systems."""

from __future__ import annotations

import getpass
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from varna.cli.errors import cli_errors
from varna.cli.jsonout import echo_json
from varna.cli.options import (
    AtOption,
    ForceOption,
    FormatOption,
    OutputFormat,
    RegisterOption,
    build,
    check_folder,
    check_target,
    moment,
    writing,
)
from varna.core.moves import RequestStatus
from varna.documents import ExtractFormat as TextFormat
from varna.documents import (
    extract_filename,
    extract_pdf,
    render_extract,
    write_extract,
)
from varna.dsr.executor import ErasureOutcome
from varna.dsr.planner import describe_plan
from varna.dsr.portability import write_export
from varna.dsr.receipt import describe_erasure, describe_receipts
from varna.dsr.requests import Actor, Role

dsr_app = typer.Typer(
    help="Data-subject requests: plan, access (Art. 15), export (Art. 20), erase (Art. 17).",
    no_args_is_help=True,
)

IdentityOption = Annotated[
    list[str],
    typer.Option(
        "--identity",
        "-i",
        help="KIND=VALUE, e.g. email=name@example.se or personnummer=YYYYMMDD-NNNN; repeatable.",
    ),
]


class ExtractFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    pdf = "pdf"


TEXT_FORMATS: dict[ExtractFormat, TextFormat] = {
    ExtractFormat.text: "text",
    ExtractFormat.json: "json",
    ExtractFormat.html: "html",
}


class Lang(StrEnum):
    sv = "sv"
    en = "en"


LangOption = Annotated[Lang, typer.Option("--lang", "-l", help="Language of the extract.")]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Folder to write the extract to (default: stdout)."),
]


class RoleChoice(StrEnum):
    case_handler = "case_handler"
    dpo = "dpo"
    person = "person"
    system = "system"


AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Who acts (a staff login; default: the operating-system user)."),
]
RoleOption = Annotated[
    RoleChoice, typer.Option("--role", help="In which role (who may do what: docs/dsr.md).")
]


def actor_for(name: str | None, role: RoleChoice = RoleChoice.case_handler) -> Actor:
    """The actor of a command: ``--as`` (default the OS user) in ``--role``."""
    return Actor(name or getpass.getuser(), Role(role.value))


def answered_line(request: RequestStatus | None) -> list[str]:
    """The line that says which request a right answered, if it answered one."""
    if request is None:
        return []
    return [f"request {request.ref} ({request.record.kind}) answered"]


@dsr_app.command("plan")
def plan(
    identity: IdentityOption,
    register: RegisterOption = None,
    at: AtOption = None,
    output: FormatOption = OutputFormat.text,
) -> None:
    """Print where a request would look for the person's data; no system is contacted."""
    now = moment(at)
    with cli_errors():
        the_plan = build(register).search_plan(identity, now=now)
    if output is OutputFormat.json:
        echo_json(the_plan.as_dict())
    else:
        typer.echo("\n".join(describe_plan(the_plan)))


@dsr_app.command("access")
def access(
    identity: IdentityOption,
    register: RegisterOption = None,
    at: AtOption = None,
    output: Annotated[
        ExtractFormat, typer.Option("--format", "-f", help="Output format of the extract.")
    ] = ExtractFormat.text,
    lang: LangOption = Lang.sv,
    out: OutOption = None,
    as_: AsOption = None,
    force: ForceOption = False,
) -> None:
    """Right of access (Art. 15): every row about the person in every system, with purposes,
    legal bases, recipients, retention, sources, rights and how to complain. Read-only; answers
    the person's open access request."""
    now = moment(at)
    with cli_errors():
        writes = out is not None or output is ExtractFormat.pdf
        folder = out or Path(".")
        if writes:  # refused before the access is made and audited
            check_folder(folder)
            check_target(folder / extract_filename(lang.value, output.value), force=force)
        answer = build(register).access(identity, now=now, actor=actor_for(as_), lang=lang.value)
        result = answer.result
        if output is ExtractFormat.pdf:
            path = folder / extract_filename(lang.value, "pdf")
            with writing(path):
                folder.mkdir(parents=True, exist_ok=True)
                path.write_bytes(extract_pdf(result))
        elif out is not None:
            with writing(out / extract_filename(lang.value, output.value)):
                path = write_extract(result, out, TEXT_FORMATS[output])
    if writes and output is ExtractFormat.json:
        request = answer.request.ref if answer.request is not None else None
        echo_json({"written": [str(path)], "request": request})
    elif writes:
        typer.echo("\n".join([f"wrote {path}", *answered_line(answer.request)]))
    elif output is ExtractFormat.json:
        echo_json(json.loads(render_extract(result, "json")))
    else:
        typer.echo(render_extract(result, TEXT_FORMATS[output]), nl=False)


@dsr_app.command("erase")
def erase_command(
    identity: Annotated[
        list[str] | None,
        typer.Option(
            "--identity",
            "-i",
            help="KIND=VALUE, e.g. email=name@example.se or personnummer=YYYYMMDD-NNNN; "
            "repeatable.",
        ),
    ] = None,
    register: RegisterOption = None,
    at: AtOption = None,
    execute: Annotated[
        bool, typer.Option("--execute", help="Apply the plan; without it nothing is changed.")
    ] = False,
    output: FormatOption = OutputFormat.text,
    receipt: Annotated[
        Path | None,
        typer.Option("--receipt", help="With --execute: write the receipt for the person as PDF."),
    ] = None,
    lang: LangOption = Lang.sv,
    as_: AsOption = None,
    force: ForceOption = False,
    abandon: Annotated[
        str | None,
        typer.Option(
            "--abandon",
            help="Discard the unfinished erasure rq_... that cannot finish (the failed run names "
            "it), audited with --reason; the next erasure plans afresh.",
        ),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="With --abandon: why it cannot finish.")
    ] = None,
) -> None:
    """Right to erasure (Art. 17): print what would be deleted, anonymised or kept under a legal
    hold; apply it with --execute, one transaction per system. Run it again after a failure: it
    finishes the interrupted erasure and never touches data under a hold. An erasure that
    cannot finish (a foreign key the register did not declare) is discarded with --abandon
    after the register is fixed. An open erasure request must be approved by a second staff
    member first (varna dsr approve)."""
    now = moment(at)
    if abandon is not None:
        with cli_errors():
            varna = build(register)
            entry = varna.abandon_erasure(
                abandon, reason=reason or "", now=moment(None), actor=actor_for(as_)
            )
        if output is OutputFormat.json:
            echo_json({"abandoned": entry})
        else:
            typer.echo(
                f"abandoned {abandon}: {entry['rows']} planned rows discarded, systems done "
                f"before: {', '.join(entry['done']) or 'none'}; the next erasure plans afresh"
            )
        return
    with cli_errors():
        if receipt is not None and execute:  # refused before anything is erased
            check_target(receipt, force=force, option="--receipt")
        varna = build(register)
        answer = varna.erase(
            identity or [],
            now=now,
            actor=actor_for(as_),
            execute=execute,
            receipt_lang=lang.value if receipt is not None else None,
        )
        outcome = answer.result
        if receipt is not None and answer.receipt is not None:
            with writing(receipt, option="--receipt"):
                receipt.parent.mkdir(parents=True, exist_ok=True)
                receipt.write_bytes(answer.receipt)
    written = receipt if receipt is not None and execute else None
    _print_erasure(outcome, execute=execute, output=output, receipt=written)
    if written is not None and output is OutputFormat.text:
        typer.echo(f"receipt: {written}")
    if output is OutputFormat.text and answer.request is not None:
        typer.echo("\n".join(answered_line(answer.request)))


def _print_erasure(
    outcome: ErasureOutcome, *, execute: bool, output: OutputFormat, receipt: Path | None = None
) -> None:
    if output is OutputFormat.json:
        payload = {
            "executed": execute,
            "receipt": str(receipt) if receipt is not None else None,
            "resumed": outcome.resumed.as_dict() if outcome.resumed else None,
            "stopped": outcome.stopped,
            "plan": outcome.plan.as_dict(),
            "receipts": [r.as_dict() for r in outcome.receipts],
        }
        echo_json(payload)
        return
    lines = []
    if outcome.resumed is not None:
        verb = "finished" if execute else "found (run with --execute to finish it)"
        lines += [
            f"an interrupted erasure of this request ({outcome.resumed.request_id}) was {verb}:"
        ]
        if outcome.stopped is not None:
            where = ", ".join(
                f"{k} {outcome.stopped[k]}"
                for k in ("system", "table", "constraint")
                if outcome.stopped.get(k)
            )
            lines.append(
                f"  it stopped last time: {outcome.stopped.get('error')} ({where}); once the "
                f"register is fixed, discard it with --abandon {outcome.resumed.request_id} "
                "--reason TEXT"
            )
        lines += ["  " + line for line in describe_erasure(outcome.resumed)]
    lines += describe_erasure(outcome.plan)
    if execute:
        lines += describe_receipts(outcome.receipts) or ["nothing was changed"]
    else:
        lines.append("dry run: nothing was changed; add --execute to apply the plan")
    typer.echo("\n".join(lines))


@dsr_app.command("export")
def export(
    identity: IdentityOption,
    register: RegisterOption = None,
    at: AtOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the zip.")] = Path("."),
    as_: AsOption = None,
    force: ForceOption = False,
) -> None:
    """Data portability (Art. 20): the data the person provided, processed on consent or
    contract, as JSON and CSV in a zip. Read-only; answers the open portability request."""
    now = moment(at)
    with cli_errors():
        target = out / f"dataportabilitet-{now:%Y%m%d}.zip"
        check_folder(out)  # refused before the export is made and audited
        check_target(target, force=force)
        answer = build(register).export(identity, now=now, actor=actor_for(as_))
        data = answer.result
        with writing(target):
            path = write_export(data, target)
    rows = sum(len(t.rows) for t in data.tables)
    lines = [f"wrote {path}: {rows} row(s) from {len(data.tables)} table(s)"]
    typer.echo("\n".join(lines + answered_line(answer.request)))


@dsr_app.command("rectify")
def rectify_command(
    identity: IdentityOption,
    correction: Annotated[
        list[str],
        typer.Option(
            "--set",
            "-s",
            help="FIELD=VALUE: table.column, system:table.column or a data category; repeatable.",
        ),
    ],
    register: RegisterOption = None,
    at: AtOption = None,
    execute: Annotated[
        bool, typer.Option("--execute", help="Apply the corrections; without it nothing changes.")
    ] = False,
    notified: Annotated[
        list[str] | None,
        typer.Option("--notified", help="Record that this recipient was told (Art. 19)."),
    ] = None,
    receipt: Annotated[
        Path | None,
        typer.Option("--receipt", help="With --execute: write the receipt for the person as PDF."),
    ] = None,
    lang: LangOption = Lang.sv,
    as_: AsOption = None,
    force: ForceOption = False,
) -> None:
    """Right to rectification (Art. 16): correct the named fields in every system that holds
    them, and list the recipients to tell (Art. 19). An open rectification request must be
    approved by a second staff member first (varna dsr approve)."""
    now = moment(at)
    with cli_errors():
        if receipt is not None and execute:  # refused before anything is corrected
            check_target(receipt, force=force, option="--receipt")
        varna = build(register)
        answer = varna.rectify(
            identity,
            correction,
            now=now,
            actor=actor_for(as_),
            execute=execute,
            notified=notified or [],
            receipt_lang=lang.value if receipt is not None else None,
        )
        plan, updated = answer.result.plan, answer.result.updated
        if receipt is not None and answer.receipt is not None:
            with writing(receipt, option="--receipt"):
                receipt.parent.mkdir(parents=True, exist_ok=True)
                receipt.write_bytes(answer.receipt)
    lines = plan.describe()
    if receipt is not None and execute:
        lines.append(f"receipt: {receipt}")
    if execute:
        lines += [f"{system}: {count} row(s) updated" for system, count in updated.items()]
    else:
        lines.append("dry run: nothing was changed; add --execute to apply the corrections")
    lines += [f"recorded: {key} was told" for key in notified or []]
    typer.echo("\n".join(lines + answered_line(answer.request)))
