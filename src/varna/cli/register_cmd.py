"""``varna register``: check the register, print its JSON schema, import Fides datasets."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from varna.cli.errors import cli_errors, err_console
from varna.cli.jsonout import echo_json
from varna.cli.options import FormatOption, OutputFormat, build, parse_day
from varna.errors import RegisterLoadError
from varna.register.checks import Finding, Severity
from varna.register.fides import load_fides_datasets, merge_systems
from varna.register.loader import load_register
from varna.register.schema import register_json_schema

register_app = typer.Typer(
    help="The register: check it, print its schema, import Fides datasets.", no_args_is_help=True
)

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


@register_app.command("check")
def check(
    path: Annotated[
        Path | None, typer.Argument(help="Register file (default: VARNA_REGISTER or varna.yaml).")
    ] = None,
    output: FormatOption = OutputFormat.text,
    on: Annotated[
        str | None, typer.Option("--on", help="Check as of this date (YYYY-MM-DD); default today.")
    ] = None,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline",
            help="Check the register only; do not compare it with the live systems' schemas "
            "and indexes.",
        ),
    ] = False,
) -> None:
    """Check the register, and against each live system: every declared table, column, key
    and reference exists with a compatible type (did-you-mean on typos), foreign keys the
    register does not declare, undeclared columns, partitions, views over personal data, dates
    kept as text, and an index for every column a request looks up by; exit 1 when any finding
    is an error."""
    day = parse_day(on) or date.today()
    with cli_errors():
        varna = build(path)
        try:
            findings = varna.check_register(on=day, environ=None if offline else os.environ)
        except RegisterLoadError as exc:
            findings = [Finding.from_problem(p) for p in exc.problems]
    if output is OutputFormat.json:
        counts = {s.value: sum(f.severity is s for f in findings) for s in Severity}
        payload = {"findings": [f.as_dict() for f in findings], "summary": counts}
        echo_json(payload)
    else:
        _print_findings(findings)
    if any(f.severity is Severity.error for f in findings):
        raise typer.Exit(1)


def _print_findings(findings: list[Finding]) -> None:
    console = Console(highlight=False, soft_wrap=True)
    for f in findings:
        style = _STYLE[f.severity.value]
        console.print(f"[{style}]{f.severity.value:7}[/] {escape(f.location)}: {escape(f.message)}")
        console.print(f"         rule {f.rule}" + (f"; {escape(f.citation)}" if f.citation else ""))
        if f.hint:
            console.print(f"         fix: {escape(f.hint)}")
    counts = {s: sum(f.severity is s for f in findings) for s in Severity}
    console.print(
        f"{counts[Severity.error]} error(s), {counts[Severity.warning]} warning(s), "
        f"{counts[Severity.info]} note(s)"
    )


@register_app.command("schema")
def schema() -> None:
    """Print the register's JSON schema (for editor completion)."""
    echo_json(register_json_schema())


@register_app.command("import-fides")
def import_fides(
    datasets: Annotated[list[Path], typer.Argument(help="fideslang dataset YAML files.")],
    register: Annotated[
        Path | None,
        typer.Option(
            "--register",
            help="Register to add the systems to; without it a 'systems:' fragment is printed.",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write here instead of standard output.")
    ] = None,
    kind: Annotated[
        str, typer.Option("--kind", help="Connector kind of the imported systems.")
    ] = "postgresql",
    country: Annotated[
        str, typer.Option("--country", help="Where the data is stored (ISO 3166-1 alpha-2).")
    ] = "SE",
    subject: Annotated[
        list[str] | None,
        typer.Option("--subject", help="Subject category of every imported table (repeatable)."),
    ] = None,
    activity: Annotated[
        list[str] | None,
        typer.Option("--activity", help="Activity every imported table serves (repeatable)."),
    ] = None,
) -> None:
    """Turn Fides datasets into register systems: print them as a 'systems:' fragment, or add
    them to the register given with --register and check the result loads."""
    with cli_errors():
        base = load_register(register) if register is not None else None
        imported = load_fides_datasets(
            datasets,
            register=base,
            kind=kind,
            country=country,
            subjects=subject or (),
            activities=activity or (),
        )
        if register is None:
            text = imported.as_yaml()
        else:
            source = str(out or register)
            text = merge_systems(register.read_text(encoding="utf-8"), imported, source=source)
    for note in imported.notes:
        err_console.print(f"[yellow]warning[/] {escape(str(note))}")
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


@register_app.command("scaffold")
def scaffold(
    url: Annotated[
        str,
        typer.Argument(
            help="The system to describe: sqlite:///file.db, postgresql+psycopg://host/db, "
            "mysql+pymysql://host/db, csv:///folder or jsonl:///folder."
        ),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the draft here instead of standard output.")
    ] = None,
    system: Annotated[
        str | None,
        typer.Option("--system", help="The system's key in the register (default: from the URL)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the --out file if it exists.")
    ] = False,
) -> None:
    """Read a live database or folder (read-only) and write a draft register for it: tables,
    keys, references (lookups marked follow: false), identities, categories, erasure
    strategies that NOT NULL and foreign keys allow, retention anchors, and a TODO wherever a
    person must decide (purpose, legal basis, retention). Fill the TODOs, then run
    `varna register check`."""
    if out is not None and out.exists() and not force:
        raise typer.BadParameter(
            f"{out} exists: choose another file, or add --force to replace it", param_hint="--out"
        )
    with cli_errors():
        result = build().scaffold_register(url, system=system)
    draft = result.draft
    if out is None:
        typer.echo(result.text, nl=False)
    else:
        out.write_text(result.text, encoding="utf-8")
    err_console.print(
        f"{len(draft.tables)} table(s) declared, {len(draft.left_out)} left out (see the "
        "comments); fill every TODO, then run: varna register check"
    )
