"""The one table that turns Varna's errors into exit codes and messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from varna.errors import (
    AuditChainBroken,
    ConnectorError,
    RegisterError,
    SettingsError,
    StateError,
    VarnaError,
)

#: exit code per error class; the first match in order wins.
EXIT_CODES: list[tuple[type[VarnaError], int]] = [
    (AuditChainBroken, 1),
    (RegisterError, 1),
    (SettingsError, 2),
    (StateError, 3),
    (ConnectorError, 4),
    (VarnaError, 1),
]

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


@contextmanager
def cli_errors() -> Iterator[None]:
    """Print a Varna error without a traceback and exit with its code; at the end, close the
    state database connections of every ``Varna`` the command built (``options.build``)."""
    from varna.cli.options import close_built

    try:
        yield
    except VarnaError as exc:
        code = next(c for cls, c in EXIT_CODES if isinstance(exc, cls))
        err_console.print(f"[bold red]error:[/] {escape(str(exc))}")
        raise typer.Exit(code) from None
    finally:
        close_built()
