"""``varna audit``: verify and export the hash-chained audit log."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from varna.cli.errors import cli_errors, err_console
from varna.cli.options import build

audit_app = typer.Typer(help="The audit log: verify the chain, export it.", no_args_is_help=True)


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


@audit_app.command("verify")
def verify() -> None:
    """Verify every entry of the audit log; exit 1 and name each entry that fails."""
    with cli_errors():
        report = build().audit.verify()
    for finding in report.findings:
        err_console.print(f"[bold red]{finding.kind}[/] entry {finding.seq}: {finding.message}")
    if not report.ok:
        typer.echo(
            f"audit log FAILS verification: {len(report.findings)} finding(s) "
            f"in {report.checked} entries"
        )
        raise typer.Exit(1)
    typer.echo(f"audit log OK: {report.checked} entries verified")


@audit_app.command("export")
def export(
    output: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="jsonl (one event a line) or csv.")
    ] = ExportFormat.jsonl,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File (default: stdout).")] = None,
) -> None:
    """Export the audit log as JSON lines or CSV."""
    with cli_errors():
        audit = build().audit
        if out is None:
            audit.export(sys.stdout, format=output.value)
        else:
            with out.open("w", encoding="utf-8", newline="") as stream:
                audit.export(stream, format=output.value)
