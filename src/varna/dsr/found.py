"""What a traversal found: the person's rows, the identities learnt, and the rows left out
because they name another person (:mod:`varna.dsr.traversal` fills them in)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from varna.dsr.identity import Identity
from varna.dsr.planner import TraversalPlan
from varna.dsr.values import json_value


@dataclass(frozen=True, slots=True, repr=False)
class FoundRow:
    """One row about the person: its primary key and the columns the plan reads."""

    system: str
    table: str
    key: dict[str, Any]
    values: dict[str, Any]
    theirs: bool = True
    """False for a row reached only because a row of the person refers to it (an address), or
    found only by a weak identity: other people's rows may refer to it too, or it may be
    another person's, so erasure leaves it alone."""
    reached_by: str = ""
    """Which identity reached the row, and through which reference."""
    weak: bool = False
    """Found only by a weak identity (an IP address): shown, never erased on its strength."""

    def __repr__(self) -> str:
        return f"FoundRow({self.system}:{self.table}, {len(self.values)} columns)"


@dataclass(frozen=True, slots=True)
class Conflict:
    """A row that names another person's unique identity: left out for a human to decide."""

    system: str
    table: str
    key: dict[str, Any]
    kind: str
    """The unique identity kind the row names (never its value)."""
    column: str
    reason: str
    reached_by: str

    def label(self) -> str:
        key = ", ".join(f"{k}={json_value(v)}" for k, v in self.key.items())
        return f"{self.system}:{self.table} [{key}] {self.column} ({self.kind}): {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "system": self.system,
            "table": self.table,
            "key": {k: json_value(v) for k, v in self.key.items()},
            "identity_kind": self.kind,
            "column": self.column,
            "reason": self.reason,
            "reached_by": self.reached_by,
        }


@dataclass(slots=True)
class Found:
    """Every row found, by (system, table) in plan order, every identity learnt, and every row
    left out because it names someone else."""

    plan: TraversalPlan
    rows: dict[tuple[str, str], list[FoundRow]] = field(default_factory=dict)
    identities: list[Identity] = field(default_factory=list)
    queries: int = 0
    conflicts: list[Conflict] = field(default_factory=list)

    def count(self, system: str, table: str) -> int:
        return len(self.rows.get((system, table), []))

    def all_rows(self) -> list[FoundRow]:
        return [row for rows in self.rows.values() for row in rows]

    def __repr__(self) -> str:
        return (
            f"Found({len(self.all_rows())} rows in {len(self.rows)} tables, "
            f"{len(self.conflicts)} conflicts)"
        )
