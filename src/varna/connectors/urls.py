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


def safe_url(url: str) -> str:
    """The URL with any password masked, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<unparseable URL>"
