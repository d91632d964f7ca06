"""``varna discover``: find personal data. ``varna discover [SYSTEM...]`` scans the register's
systems and compares with the register; ``discover text`` scans JSONL records for evaluation."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from typer._click import Context
from typer.core import TyperGroup

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from varna.core import Varna
    from varna.discovery.report import DiscoveryReport

from varna.cli.errors import cli_errors, err_console
from varna.cli.options import RegisterOption, build


class _ScanByDefault(TyperGroup):
    """``varna discover crm`` means ``varna discover scan crm``: a first argument that is not
    a subcommand (or none at all) goes to ``scan``."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["scan", *args]
        return super().parse_args(ctx, args)


discover_app = typer.Typer(
    cls=_ScanByDefault,
    help="Find personal data the register may not declare: `varna discover [SYSTEM...]` scans "
    "the register's systems (all when none is named); `varna discover text` scans JSONL records.",
)


@discover_app.command("scan")
def scan(
    systems: Annotated[
        list[str] | None, typer.Argument(help="Systems of the register to scan (default all).")
    ] = None,
    register: RegisterOption = None,
    sample: Annotated[
        int, typer.Option("--sample", min=1, help="Rows read per table and tabular file.")
    ] = 1000,
    full: Annotated[bool, typer.Option("--full", help="Read every row (slow on big tables).")] = (
        False
    ),
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json or html.")] = "text",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the report here (default stdout).")
    ] = None,
    in_process: Annotated[
        bool,
        typer.Option(
            "--in-process", help="Scan here even on a PostgreSQL state (no workers needed)."
        ),
    ] = False,
) -> None:
    """Scan tables and files for personal data and compare with the register: findings in the
        format of `register check`, labels, counts and masked examples (never values), and register
        lines to add for review. On a PostgreSQL state the scan fans out one job per table or file
    to the `varna worker` processes and waits for them. Exit status 1 when a finding is an error."""
    import os

    from rich.markup import escape
    from rich.progress import Progress

    from varna.state.queue import is_postgresql

    if fmt not in ("text", "json", "html"):
        raise typer.BadParameter("--format must be text, json or html")
    with cli_errors(), Progress(console=err_console, transient=True) as bar:
        task = bar.add_task("discovering", total=None)

        def progress(system: str, unit: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=escape(f"{system}/{unit}"))

        varna = build(register)
        rows = None if full else sample
        if is_postgresql(varna.settings.state_url) and not in_process:
            report = _fanned_out(varna, systems or None, rows, bar, task)
        else:
            report = varna.discover(
                environ=os.environ, systems=systems or None, sample=rows, progress=progress
            )
    rendered = report.render(fmt)
    if out is None:
        typer.echo(rendered, nl=False)
    else:
        out.write_text(rendered, encoding="utf-8")
        err_console.print(f"report: {escape(str(out))}")
    if report.errors:
        raise typer.Exit(1)


@discover_app.command("text")
def text(
    file: Annotated[
        Path, typer.Argument(help='JSONL records {"id": ..., "text": ...}; - for stdin.')
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the spans here (default stdout).")
    ] = None,
    labels: Annotated[
        str | None,
        typer.Option("--labels", help="Comma-separated labels to look for (default all)."),
    ] = None,
    backend: Annotated[
        str, typer.Option("--backend", help="auto, hyperscan or python (the first pass).")
    ] = "auto",
    processes: Annotated[
        int, typer.Option("--processes", min=1, max=64, help="Worker processes for the scan.")
    ] = 1,
    min_score: Annotated[
        float,
        typer.Option("--min-score", min=0.0, max=1.0, help="Leave out spans scored below this."),
    ] = 0.0,
) -> None:
    """Write one line {"id": ..., "spans": [[start, end, label, score], ...]} per record, with
    character offsets into the text. The summary on stderr holds counts, never values."""
    with cli_errors():
        if backend not in ("auto", "hyperscan", "python"):
            raise typer.BadParameter("--backend must be auto, hyperscan or python")
        chosen: Literal["auto", "hyperscan", "python"] = backend  # type: ignore[assignment]
        wanted = [x.strip() for x in labels.split(",")] if labels else None
        source = sys.stdin if str(file) == "-" else file.open(encoding="utf-8")
        sink = sys.stdout if output is None else output.open("w", encoding="utf-8")
        try:
            summary = build().scan_text(
                source,
                sink,
                name=str(file),
                labels=wanted,
                backend=chosen,
                min_score=min_score,
                processes=processes,
            )
        finally:
            if source is not sys.stdin:
                source.close()
            if sink is not sys.stdout:
                sink.close()
        found = ", ".join(f"{label} {n}" for label, n in summary.spans_by_label.items())
        err_console.print(
            f"{summary.records} records, {summary.characters} characters scanned; "
            f"found: {found or 'nothing'}"
        )


def _fanned_out(
    varna: Varna, systems: list[str] | None, sample: int | None, bar: Progress, task: TaskID
) -> DiscoveryReport:
    """Queue one job per table or file and wait until the workers have scanned them all."""
    import os
    import time

    from varna.jobs.queue import defer_discovery

    scan_id, units = varna.start_discovery(environ=os.environ, systems=systems, sample=sample)
    defer_discovery(varna.settings, scan_id, units)
    bar.update(task, total=len(units), description=f"{len(units)} jobs queued for the workers")
    while True:
        done, total = varna.discovery_progress(scan_id)
        bar.update(task, completed=done)
        if done >= total:
            return varna.merged_discovery(scan_id)
        time.sleep(0.5)
