"""JSON on stdout for scripts: one document, Varna's timestamps spelt one way.

Every ``--format json`` command prints through :func:`echo_json`. Engines write times with
``isoformat()``, which drops the fraction when it is zero (``--at`` gives midnight); here every
timestamp with an offset is spelt as the audit log spells it: UTC, microseconds, ``+00:00``
(``2026-11-23T00:00:00.000000+00:00``), so a script parses one form from every command. Dates
and times without an offset (values as a system stores them) are left as they are.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import typer

_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}:\d{2}|Z)")


def iso_time(at: datetime) -> str:
    """``at`` in UTC with microseconds and ``+00:00``: the one spelling of a timestamp."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def normalised(value: Any) -> Any:
    """``value`` with every timestamp string that carries an offset re-spelt by
    :func:`iso_time`."""
    if isinstance(value, str):
        if _TIMESTAMP.fullmatch(value):
            try:
                return iso_time(datetime.fromisoformat(value))
            except ValueError:
                return value
        return value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return iso_time(value)
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalised(v) for v in value]
    return value


def echo_json(payload: Any) -> None:
    """Print ``payload`` as one JSON document on stdout."""
    typer.echo(json.dumps(normalised(payload), ensure_ascii=False, indent=2))
