"""Options shared by several commands."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from varna.core import Varna


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


RegisterOption = Annotated[
    Path | None,
    typer.Option("--register", "-r", help="Register file (default: VARNA_REGISTER or varna.yaml)."),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace an output file that already exists.")
]


def check_target(path: Path, *, force: bool, option: str = "--out") -> None:
    """Refuse an output file Varna must not write, before any work is done or audited: a
    folder, a file under something that is not a folder, or (without ``--force``) a file that
    exists. The message names the file, never its folder's full path."""
    from varna.errors import RequestError

    if path.is_dir():
        raise RequestError(
            f"{option}: '{path.name}' is a folder; name a file in it instead",
            code="output-is-folder",
        )
    parent = next((p for p in path.parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise RequestError(
            f"{option}: '{parent.name}' is a file, not a folder; choose another place",
            code="output-folder-is-file",
        )
    if parent is not None and not os.access(parent, os.W_OK):
        raise RequestError(
            f"{option}: cannot write in the folder '{parent.name}'; check its permissions",
            code="output-not-writable",
        )
    if path.exists() and not force:
        raise RequestError(
            f"{option}: '{path.name}' already exists; pass --force to replace it, or choose "
            "another name",
            code="output-exists",
        )


@contextmanager
def writing(path: Path, *, option: str = "--out") -> Iterator[None]:
    """Turn a failed write of ``path`` (no space, no permission) into an error naming the file."""
    from varna.errors import RequestError

    try:
        yield
    except OSError as exc:
        raise RequestError(
            f"{option}: cannot write '{path.name}' ({exc.strerror or type(exc).__name__}); "
            "check the folder's permissions and free space",
            code="output-not-written",
        ) from None


def check_folder(folder: Path, *, option: str = "--out") -> None:
    """Refuse an output folder that is a file (or lies under one), before any work is done."""
    from varna.errors import RequestError

    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise RequestError(
            f"{option}: '{existing.name}' is a file, not a folder; choose a folder",
            code="output-folder-is-file",
        )


def parse_day(value: str | None) -> date | None:
    """Parse ``--on``/``--at`` dates (YYYY-MM-DD)."""
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date: write YYYY-MM-DD") from None


_BUILT: list[Varna] = []


AtOption = Annotated[
    str | None,
    typer.Option(
        "--at", help="Act as of this day, YYYY-MM-DD (default: now); for replays and tests."
    ),
]


def moment(at: str | None) -> datetime:
    """The clock of a command: now, or midnight UTC of the ``--at`` day."""
    day = parse_day(at)
    return datetime.now(UTC) if day is None else datetime.combine(day, time(), tzinfo=UTC)


def build(register: Path | None = None) -> Varna:
    """The Varna object for a command; ``cli_errors`` closes its connections at the end."""
    from varna.core import Varna
    from varna.settings import Settings

    varna = Varna(Settings(), register_path=register)
    _BUILT.append(varna)
    return varna


def close_built() -> None:
    """Close the state connections of every Varna built by this command (they reopen if used)."""
    while _BUILT:
        _BUILT.pop().close()
