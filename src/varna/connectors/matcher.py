"""Row predicates (:mod:`varna.connectors.predicates`) evaluated in Python, for the file and
memory connectors.

Values compare as the SQL connectors compare them where a CSV cell allows: a cell is text, so a
key matches when equal or equal as text (``51`` and ``'51'``), and a date is read from its ISO
8601 text (``2023-01-01``, ``2023-01-01 10:00:00``, ``2023-01-01T10:00:00+01:00``; an offset is
dropped: cut-offs are in the controller's time). A value that is not a date never expires,
like a NULL in SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from varna.connectors import predicates as p
from varna.connectors.base import Row

RowsOf = Callable[[str], list[Row]]


def as_instant(value: Any) -> datetime | None:
    """A naive datetime from a datetime, a date or ISO 8601 text; None when it is none."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, str) and value.strip():
        try:
            return datetime.fromisoformat(value.strip()).replace(tzinfo=None)
        except ValueError:
            return None
    return None


def text_key(values: tuple[Any, ...]) -> tuple[str, ...]:
    """A key compared as text, as a CSV cell holds it."""
    return tuple(str(v) for v in values)


class Matcher:
    """Tests rows of one system against predicates, with the exclusions of the moment."""

    def __init__(self, rows_of: RowsOf, exclusions: p.Exclusions) -> None:
        self._rows_of = rows_of
        self._exclusions = {
            table: {text_key(k) for k in keys} for table, keys in exclusions.items()
        }
        self._parents: dict[int, set[str]] = {}

    def matches(self, table: str, row: Row, predicate: p.Predicate) -> bool:
        match predicate:
            case p.Before(column, moment):
                found = as_instant(row.get(column))
                return found is not None and found < moment.replace(tzinfo=None)
            case p.IsSet(column):
                return row.get(column) is not None
            case p.Differs(column, value):
                return row.get(column) is None or str(row[column]) != str(value)
            case p.LacksPrefix(column, prefix):
                value = row.get(column)
                return value is not None and not str(value).startswith(prefix)
            case p.Unmasked(column):
                text = None if row.get(column) is None else str(row[column])
                return text is not None and len(text) > 1 and "*" not in text[1:3]
            case p.InParent(column=column):
                value = row.get(column)
                return value is not None and str(value) in self._parent_values(predicate)
            case p.NotReferenced(column=column):
                value = row.get(column)
                return value is None or str(value) not in self._child_values(predicate)
            case p.NotExcluded(primary_key):
                kept = self._exclusions.get(table)
                if not kept:
                    return True
                return text_key(tuple(row.get(c) for c in primary_key)) not in kept
            case p.All(parts):
                return all(self.matches(table, row, q) for q in parts)
            case p.AnyOf(parts):
                return not parts or any(self.matches(table, row, q) for q in parts)
        raise TypeError(f"not a predicate: {type(predicate).__name__}")

    def _parent_values(self, link: p.InParent) -> set[str]:
        """The parent column's values (as text) of parent rows where the inner predicate holds;
        computed once per link and matcher."""
        key = id(link)
        if key not in self._parents:
            self._parents[key] = {
                str(row[link.parent_column])
                for row in self._rows_of(link.parent)
                if row.get(link.parent_column) is not None
                and self.matches(link.parent, row, link.where)
            }
        return self._parents[key]

    def _child_values(self, link: p.NotReferenced) -> set[str]:
        """The values (as text) by which child rows that stay refer to the table; computed
        once per link and matcher."""
        key = id(link)
        if key not in self._parents:
            self._parents[key] = {
                str(row[link.child_column])
                for row in self._rows_of(link.child)
                if row.get(link.child_column) is not None
                and (link.unless is None or not self.matches(link.child, row, link.unless))
            }
        return self._parents[key]
