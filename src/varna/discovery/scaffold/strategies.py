"""What erasure may do to a column, and which date columns anchor retention.

A NOT NULL column cannot be set to NULL: it gets ``hash`` (unique text; ``mask`` when the
column is shorter than a hash), ``fixed`` (other text), ``generalise`` (dates and numbers) or
``keep`` (nothing neutral exists). Anchors are date columns named for a creation, a last
activity, an end or a transaction.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence

from varna.connectors.catalog import Column
from varna.discovery.columns import column_words
from varna.discovery.scaffold.columns import ColumnGuess
from varna.discovery.scaffold.model import DraftField

_NUMERIC = frozenset({"integer", "number"})
_DATES = frozenset({"date", "datetime"})
HASH_LENGTH = 34
"""Characters of a ``hash`` value (``h:`` and 32 hex digits)."""

_ANCHOR_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("collected", frozenset({"created", "inserted", "registered", "signup", "joined", "skapad"})),
    ("last_activity", frozenset({"last", "visit", "seen", "activity", "updated", "modified"})),
    ("relation_ended", frozenset({"ended", "terminated", "cancelled", "canceled", "closed"})),
    (
        "transaction_date",
        frozenset({"order", "invoice", "payment", "paid", "transaction", "purchase", "sale"}),
    ),
)
_CASE_WORDS = frozenset({"case", "ticket", "request", "issue", "arende", "errand", "support"})


def field_erasure(column: Column, guess: ColumnGuess, *, unique: bool) -> DraftField:
    """The field with the strategy its column accepts."""
    if column.nullable:
        return DraftField(column.name, guess.category, "null", why=guess.why)
    family = column.family
    if family == "text":
        if unique:
            length = _length(column.type)
            if length is None or length >= HASH_LENGTH:
                return DraftField(
                    column.name, guess.category, "hash", why=f"{guess.why}; NOT NULL, unique"
                )
            return DraftField(
                column.name,
                guess.category,
                "mask",
                why=f"{guess.why}; NOT NULL, unique, too short for a hash",
            )
        return DraftField(column.name, guess.category, "fixed", "-", why=f"{guess.why}; NOT NULL")
    if family in _DATES or family in _NUMERIC:
        return DraftField(column.name, guess.category, "generalise", why=f"{guess.why}; NOT NULL")
    return DraftField(
        column.name,
        guess.category,
        "keep",
        why=f"{guess.why}; NOT NULL and no neutral value: TODO decide",
    )


def _length(type_name: str) -> int | None:
    match = re.search(r"\((\d+)\)", type_name)
    return int(match.group(1)) if match else None


_DATE_WORDS = frozenset({"at", "date", "time", "timestamp", "datum", "tid", "when"})
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def is_date(column: Column, values: Sequence[object] = ()) -> bool:
    """A date column, or a text column named like one whose values are ISO dates (SQLite keeps
    dates as text; ``register check`` flags them on servers, with the cast)."""
    if column.family in _DATES:
        return True
    words = column_words(column.name)
    if column.family != "text" or not words or not set(words) & _DATE_WORDS:
        return False
    texts = [str(v) for v in values if v is not None]
    return not texts or sum(bool(_ISO_DATE.match(t)) for t in texts) >= 0.8 * len(texts)


def anchors(
    table: str,
    columns: Iterable[Column],
    *,
    skip: Collection[str],
    samples: Mapping[str, Sequence[object]],
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """(anchor, column) pairs of ``table``'s date columns, and its other date columns."""
    found: dict[str, str] = {}
    others: list[str] = []
    case_table = bool(set(column_words(table)) & _CASE_WORDS)
    for column in columns:
        if column.name in skip or not is_date(column, samples.get(column.name, ())):
            continue
        anchor = _anchor_of(column.name, case_table=case_table)
        if anchor is not None and anchor not in found:
            found[anchor] = column.name
        else:
            others.append(column.name)
    return tuple(found.items()), tuple(others)


def _anchor_of(column: str, *, case_table: bool) -> str | None:
    words = set(column_words(column))
    for anchor, keys in _ANCHOR_WORDS:
        if words & keys:
            if anchor == "relation_ended" and case_table:
                return "case_closed"
            return anchor
    return None
