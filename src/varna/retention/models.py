"""The retention plan: what expires where, why, and what happens to it; no personal data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from varna.connectors.predicates import Predicate
from varna.register.systems import FieldSpec


class Action(StrEnum):
    """What a sweep does to an expired row."""

    delete_row = "delete_row"
    anonymise = "anonymise"
    none = "none"


@dataclass(frozen=True, slots=True)
class Sweep:
    """The system side of a table's plan: which rows, and the columns to erase.

    ``where`` is a connector predicate over the table; it already leaves out held rows, the
    rows kept at the moment it runs (``NotExcluded``) and, for anonymisation, rows already
    erased, so running it twice does nothing.
    """

    primary_key: tuple[str, ...]
    where: Predicate
    fields: dict[str, FieldSpec] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TablePlan:
    """One table's part of the plan."""

    system: str
    table: str
    action: Action
    rule: str
    citations: tuple[str, ...]
    total: int = 0
    expiring: int = 0
    held: int = 0
    excluded: int = 0
    referenced: int = 0
    """Expired rows that rows staying in other tables (``referenced_by``) still refer to: not
    deleted; anonymised when the table has fields to erase (``anonymised_referenced``)."""
    referenced_by: tuple[str, ...] = ()
    anonymised_referenced: int = 0
    examples: tuple[tuple[Any, ...], ...] = ()
    reason: str | None = None
    follows: str | None = None
    sweep: Sweep | None = None
    rest: Sweep | None = None
    """After the delete: anonymise the expired rows still referred to."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: counts, words and example primary keys, never a row's data."""
        return {
            "system": self.system,
            "table": self.table,
            "action": self.action.value,
            "total_rows": self.total,
            "expiring_rows": self.expiring,
            "held_rows": self.held,
            "excluded_rows": self.excluded,
            "referenced_rows": self.referenced,
            "referenced_by": list(self.referenced_by),
            "anonymised_referenced_rows": self.anonymised_referenced,
            "rule": self.rule,
            "citations": list(self.citations),
            "example_primary_keys": [list(map(_plain, pk)) for pk in self.examples],
            "follows": self.follows,
            "reason": self.reason,
            "erased_fields": (
                sorted(self.sweep.fields) if self.sweep and self.action is Action.anonymise else []
            )
            or (sorted(self.rest.fields) if self.rest else []),
        }


@dataclass(frozen=True, slots=True)
class RetentionPlan:
    """Per system and table, in execution order (children before their parents)."""

    now: datetime
    tables: tuple[TablePlan, ...]

    @property
    def expiring(self) -> int:
        return sum(t.expiring + t.anonymised_referenced for t in self.tables)

    def to_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "expiring_rows": self.expiring,
            "tables": [t.to_dict() for t in self.tables],
        }


def _plain(value: Any) -> Any:
    return value if isinstance(value, int | float | str) or value is None else str(value)
