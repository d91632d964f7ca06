"""``varna discover``: find personal data. ``discover text`` scans JSONL records for evaluation."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from varna.cli.errors import cli_errors, err_console
from varna.cli.options import build

discover_app = typer.Typer(
    help="Find personal data the register may not declare.", no_args_is_help=True
)


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
