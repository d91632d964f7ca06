"""Options shared by several commands."""

from __future__ import annotations

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
