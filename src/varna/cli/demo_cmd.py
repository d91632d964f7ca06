"""``varna demo``: build the demo company."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from varna.cli.errors import cli_errors


def demo(
    subjects: Annotated[
        int, typer.Option("--subjects", "-n", min=10, max=1_000_000, help="People in the demo.")
    ] = 2_000,
    directory: Annotated[Path, typer.Option("--dir", "-d", help="Folder to build it in.")] = Path(
        "demo"
    ),
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same data.")] = 42,
) -> None:
    """Build the demo company (a Swedish care-tech firm) on SQLite, with its register."""
    from varna.demo.builder import build_demo

    with cli_errors():
        result = build_demo(directory, subjects=subjects, seed=seed, progress=True)
    typer.echo(
        f"Demo company built in {directory}/ ({result.rows:,} rows, {result.subjects:,} people)."
    )
    typer.echo(f"  register: {result.register_path}")
    command = _command()
    typer.echo(f"  try:      cd {directory} && {command} register check")
    typer.echo(f"            {command} dsr access --identity email=<a customer's e-mail>")
    typer.echo(f"            {command} retention plan --at 2031-01-01")


def _command() -> str:
    """How to call ``varna`` from the demo folder: by name when it is on PATH, else by path."""
    if shutil.which("varna"):
        return "varna"
    return str(Path(sys.executable).absolute().with_name("varna"))
