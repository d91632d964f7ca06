"""Where a system is: its URL comes from an environment variable, never from the register."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import sqlalchemy as sa

from varna.errors import ConnectorError
from varna.register.systems import System


def resolve_url(
    system_key: str, system: System, *, base_dir: Path, environ: Mapping[str, str]
) -> str:
    """The URL of ``system``: the value of its environment variable, else its default.

    A relative SQLite path (``sqlite:///data/crm.db``) is resolved against ``base_dir``, the
    folder of the register file, so a register and its demo data move together.
    """
    if system.connection is None:
        raise ConnectorError(
            f"system '{system_key}' has no connection: add connection: {{env: VARNA_...}}"
        )
    url = environ.get(system.connection.env) or system.connection.default
    if not url:
        raise ConnectorError(
            f"system '{system_key}': environment variable {system.connection.env} is not set "
            "and the register gives no default"
        )
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        relative = url.removeprefix("sqlite:///")
        if relative and relative != ":memory:" and not Path(relative).is_absolute():
            url = f"sqlite:///{(base_dir / relative).resolve()}"
    return url


def missing_sqlite_file(system_key: str, url: str) -> ConnectorError | None:
    """The error for a SQLite URL whose file does not exist, else None.

    SQLite creates a missing file on connect; a mistyped path would then read as "no data about
    this person" (a false answer to an Art. 15 request), so a missing file is an error instead.
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        return None
    file = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if not file or file == ":memory:" or file.startswith("file:") or Path(file).is_file():
        return None
    name = Path(file).name
    return ConnectorError(
        f"system '{system_key}': the SQLite database file '{name}' does not exist (or is not "
        "a file); Varna never creates it (fix the path in the system's connection variable, "
        "or create the database)",
        system=system_key,
        file=name,
        code="missing-database-file",
    )


def missing_folder(system_key: str, folder: Path, fmt: str) -> ConnectorError | None:
    """The error for a CSV or JSON-lines folder that does not exist (or is not a folder)."""
    if folder.is_dir():
        return None
    return ConnectorError(
        f"system '{system_key}': the {fmt.upper()} folder '{folder.name}' does not exist (or "
        "is not a folder); fix the path in the system's connection variable, or create the folder",
        system=system_key,
        file=folder.name,
        code="missing-folder",
    )


def safe_url(url: str) -> str:
    """The URL with any password masked, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<unparseable URL>"
