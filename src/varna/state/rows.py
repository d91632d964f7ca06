"""Pieces the state stores share: times as text, row keys as JSON, insert-if-missing.

Nothing here names a person: the stores keep keyed pseudonyms computed by their caller.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa

from varna.errors import StateError

T = TypeVar("T")

RowKey = tuple[Any, ...]
"""A row's primary-key values, in the register's primary-key column order."""

Pseudonymise = Callable[[str, str], str]
"""(identity kind, normalised value) -> keyed pseudonym; built by the core from the key."""


class Named(Protocol):
    """An identity: its kind and its normalised value (``varna.dsr.identity.Identity``)."""

    @property
    def kind(self) -> str: ...

    @property
    def value(self) -> str: ...


@dataclass(frozen=True, slots=True)
class PinnedRow:
    """A row of a system that holds a person's data, kept from retention for a while."""

    system: str
    table: str
    key: Mapping[str, Any]


def pseudonyms_of(identities: Iterable[Named], pseudonymise: Pseudonymise) -> list[str]:
    """The pseudonym of each identity, without repeats, in order."""
    return list(dict.fromkeys(pseudonymise(i.kind, i.value) for i in identities))


def iso(at: datetime) -> str:
    """A time as stored: ISO-8601 with microseconds; naive times are refused."""
    if at.tzinfo is None:
        raise StateError("state times must be timezone-aware (UTC)")
    return at.isoformat(timespec="microseconds")


def utc_iso(at: datetime) -> str:
    """A time as stored where it is compared as text: :func:`iso` of the time in UTC."""
    return iso(at if at.tzinfo is None else at.astimezone(UTC))


def _json_value(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | str | float):
        return str(value)
    return value


def encode_key(key: Mapping[str, Any]) -> str:
    """A row's primary key as canonical JSON, in column order: numbers and text as they are
    (so a sweep can compare them with the column), anything else (a date) as text."""
    values = [_json_value(v) for v in key.values()]
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False)


def pinned(rows: Iterable[PinnedRow], owner: str, value: str) -> list[dict[str, Any]]:
    """Rows for a ``_pinned_rows`` table (``owner``: its key column) of the entry ``value``."""
    return [
        {owner: value, "system": r.system, "table_name": r.table, "row_key": encode_key(r.key)}
        for r in rows
    ]


def retry_on_conflict(write: Callable[[], T], *, attempts: int = 3) -> T:
    """Run ``write`` (one write transaction) again when a unique index refused it: the rerun
    reads the row the other writer committed and merges into it instead of duplicating."""
    for attempt in range(attempts):
        try:
            return write()
        except StateError as exc:
            if attempt == attempts - 1 or not isinstance(exc.__cause__, sa.exc.IntegrityError):
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def chunks(items: Sequence[str], size: int = 500) -> Iterable[list[str]]:
    unique = list(dict.fromkeys(items))
    for i in range(0, len(unique), size):
        yield unique[i : i + size]


def insert_missing(
    conn: sa.Connection,
    table: sa.Table,
    rows: list[dict[str, Any]],
    key: tuple[str, ...],
    *,
    fresh: bool = False,
) -> int:
    """Insert the rows whose key is not in ``table`` yet; returns how many were inserted.
    ``fresh``: no key can be there yet (they name a row made in this same transaction), so
    the table is not read first.

    Serialised by the caller's write transaction and its per-person lock.
    """
    unique = list({tuple(r[k] for k in key): r for r in rows}.values())
    if not unique:
        return 0
    if fresh:
        conn.execute(sa.insert(table), unique)
        return len(unique)
    existing: set[tuple[Any, ...]] = set()
    cols = [table.c[k] for k in key]
    for i in range(0, len(unique), 300):
        chunk = unique[i : i + 300]
        where = sa.tuple_(*cols).in_([tuple(r[k] for k in key) for r in chunk])
        existing.update(tuple(r) for r in conn.execute(sa.select(*cols).where(where)))
    new = [r for r in unique if tuple(r[k] for k in key) not in existing]
    if new:
        conn.execute(sa.insert(table), new)
    return len(new)
