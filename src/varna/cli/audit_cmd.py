"""``varna audit``: verify, checkpoint and export the hash-chained audit log."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from varna.cli.errors import cli_errors, err_console
from varna.cli.options import build

audit_app = typer.Typer(
    help="The audit log: verify the chain, anchor it with checkpoints, export it.",
    no_args_is_help=True,
)


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


@audit_app.command("verify")
def verify(
    against: Annotated[
        Path | None,
        typer.Option(
            "--against",
            help="Checkpoint file (from `varna audit checkpoint`): also report a reset, a "
            "rollback to an older copy or a gap behind its newest checkpoint.",
        ),
    ] = None,
) -> None:
    """Verify every entry of the audit log; exit 1 and name each entry that fails."""
    with cli_errors():
        report = build().verify_audit(against=against)
    for finding in report.findings:
        err_console.print(f"[bold red]{finding.kind}[/] entry {finding.seq}: {finding.message}")
    if not report.ok:
        typer.echo(
            f"audit log FAILS verification: {len(report.findings)} finding(s) "
            f"in {report.checked} entries"
        )
        raise typer.Exit(1)
    anchored = " and the checkpoint" if against is not None else ""
    typer.echo(f"audit log OK: {report.checked} entries verified{anchored}")


@audit_app.command("checkpoint")
def checkpoint(
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Also append the checkpoint to this file."),
    ] = None,
) -> None:
    """Sign the audit log's head (count, hash, time) and append it to VARNA_CHECKPOINT_FILE
    (and --out): keep those files where the state database is not."""
    with cli_errors():
        written = build().write_checkpoint(out=out)
    done = written.checkpoint
    typer.echo(f"checkpoint at entry {done.seq} ({done.at}) appended to:")
    for path in written.paths:
        typer.echo(f"  {path}")


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
