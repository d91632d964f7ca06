"""``varna register``: check the register, print its JSON schema."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from varna.cli.errors import cli_errors
from varna.cli.options import FormatOption, OutputFormat, build, parse_day
from varna.errors import RegisterLoadError
from varna.register.checks import Finding, Severity
from varna.register.schema import register_json_schema

register_app = typer.Typer(help="The register: check it, print its schema.", no_args_is_help=True)

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
            "--offline", help="Check the register only; do not ask the systems for their indexes."
        ),
    ] = False,
) -> None:
    """Check the register, and that each SQL system has an index for every identity and
    reference column a request looks up by; exit 1 when any finding is an error."""
    day = parse_day(on) or date.today()
    with cli_errors():
        varna = build(path)
        try:
            findings = varna.check_register(on=day, environ=None if offline else os.environ)
        except RegisterLoadError as exc:
            findings = [
                Finding(p.code, Severity.error, p.location, p.message, None, p.hint)
                for p in exc.problems
            ]
    if output is OutputFormat.json:
        counts = {s.value: sum(f.severity is s for f in findings) for s in Severity}
        payload = {"findings": [f.as_dict() for f in findings], "summary": counts}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
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
    typer.echo(json.dumps(register_json_schema(), ensure_ascii=False, indent=2))
