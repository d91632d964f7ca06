"""Right to restriction of processing (GDPR Art. 18): mark the person, keep their rows.

:func:`plan_restriction` (pure) takes the rows a traversal found and lists the rows that hold
the person's data, which the restriction pins so that retention keeps them while it lasts
(Art. 18(2): apart from storage, no processing), and the rows of tables whose register entry
names a ``restriction_column``, which get that column set so the system itself knows (a CRM
that hides the customer from mailings). A row reached only because a row of the person refers to
it (a shared address) is not theirs and is neither pinned nor marked.

:func:`restrict` records the restriction in Varna's ledger first (so a sweep that starts a
moment later already keeps the rows), then sets the columns, one transaction per system, and
writes an audit event per system. Re-running it changes nothing twice: the ledger extends the
active restriction and only columns not yet set are written. :func:`lift` ends it (the person
must be told before, Art. 18(3)) and clears the columns.

The column is written as the text ``"1"`` (``"0"`` when lifted), which SQLite, PostgreSQL and
MariaDB all convert to an integer or boolean column's type; name an integer or boolean column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from varna.connectors.base import Connector
from varna.dsr.identity import Identity
from varna.dsr.planner import RequestKind, plan_request
from varna.dsr.proof import Recorder
from varna.dsr.traversal import Found, collect_rows
from varna.errors import ConnectorError
from varna.register.model import Register
from varna.state.restrictions import Ground, RecordChange, Restriction, RestrictionStore
from varna.state.rows import PinnedRow

MARKED = "1"
CLEARED = "0"
_TRUE_TEXT = {"1", "true", "t", "yes", "y"}


def _is_set(value: Any) -> bool:
    return value is True or (value is not None and str(value).strip().lower() in _TRUE_TEXT)


@dataclass(frozen=True, slots=True, repr=False)
class ColumnMark:
    """Set (or clear) the restriction column of one row."""

    system: str
    table: str
    key: dict[str, Any]
    column: str
    value: str

    def __repr__(self) -> str:
        return f"ColumnMark({self.system}:{self.table}.{self.column})"


@dataclass(frozen=True, slots=True)
class RestrictionPlan:
    """The rows to pin in the ledger and the columns to write, per system."""

    created_at: datetime
    identities: tuple[Identity, ...]
    pinned: tuple[PinnedRow, ...]
    marks: tuple[ColumnMark, ...]
    unmarked_tables: tuple[str, ...] = ()
    """Tables with the person's rows but no ``restriction_column``: pinned only."""

    @property
    def systems(self) -> list[str]:
        return list(dict.fromkeys(m.system for m in self.marks))

    def marks_for(self, system: str) -> list[ColumnMark]:
        return [m for m in self.marks if m.system == system]

    def counts(self) -> dict[str, dict[str, int]]:
        """(system:table) -> rows pinned and columns to set, never a value."""
        out: dict[str, dict[str, int]] = {}
        for row in self.pinned:
            out.setdefault(f"{row.system}:{row.table}", {"rows": 0, "marks": 0})["rows"] += 1
        for mark in self.marks:
            out.setdefault(f"{mark.system}:{mark.table}", {"rows": 0, "marks": 0})["marks"] += 1
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "created_at": self.created_at.isoformat(),
            "identity_kinds": sorted({i.kind for i in self.identities}),
            "tables": self.counts(),
            "unmarked_tables": list(self.unmarked_tables),
        }


def plan_restriction(
    register: Register, found: Found, *, now: datetime, value: str = MARKED
) -> RestrictionPlan:
    """Pin every row of the person; mark those whose table names a restriction column."""
    pinned: list[PinnedRow] = []
    marks: list[ColumnMark] = []
    unmarked: list[str] = []
    for row in found.all_rows():
        if not row.theirs:
            continue
        pinned.append(PinnedRow(row.system, row.table, dict(row.key)))
        column = register.table(row.system, row.table).restriction_column
        if column is None:
            unmarked.append(f"{row.system}:{row.table}")
        elif _is_set(row.values.get(column)) != (value == MARKED):
            marks.append(ColumnMark(row.system, row.table, dict(row.key), column, value))
    return RestrictionPlan(
        now,
        tuple(found.identities or found.plan.identities),
        tuple(pinned),
        tuple(marks),
        tuple(dict.fromkeys(unmarked)),
    )


def _apply(plan: RestrictionPlan, connectors: Mapping[str, Connector]) -> dict[str, int]:
    missing = [s for s in plan.systems if s not in connectors]
    if missing:
        raise ConnectorError(f"no connector for system '{missing[0]}'")
    written: dict[str, int] = {}
    for system in plan.systems:
        connector = connectors[system]
        with connector.transaction():
            written[system] = sum(
                connector.update(m.table, m.key, {m.column: m.value})
                for m in plan.marks_for(system)
            )
    return written


@dataclass(slots=True)
class RestrictionOutcome:
    """What ``restrict`` or ``lift`` planned and, when executed, did."""

    plan: RestrictionPlan
    restriction: Restriction | None = None
    created: bool = False
    written: dict[str, int] = field(default_factory=dict)

    def describe(self, *, execute: bool, lifting: bool = False) -> list[str]:
        verb = "lift the restriction" if lifting else "restrict processing (GDPR Art. 18)"
        out = [f"{verb}, as of {self.plan.created_at.date().isoformat()}:"]
        for table, n in self.plan.counts().items():
            line = f"  {table}: {n['rows']} row(s) of the person"
            if n["marks"]:
                line += f", restriction column to {'clear' if lifting else 'set'} on {n['marks']}"
            out.append(line)
        if not self.plan.pinned:
            out.append("  no row of the person was found")
        if self.plan.unmarked_tables and not lifting:
            out.append(
                "  kept by Varna only (the register names no restriction_column): "
                + ", ".join(self.plan.unmarked_tables)
            )
        if not execute:
            out.append("dry run: nothing was changed; add --execute to apply it")
            return out
        if self.restriction is not None:
            r = self.restriction
            state = "lifted" if lifting else ("recorded" if self.created else "already recorded")
            out.append(f"restriction {r.id} {state} ({r.ground.point}); {r.rows} row(s) kept")
        out += [f"{system}: {n} row(s) marked" for system, n in self.written.items()]
        return out


def _found(
    register: Register,
    identities: Sequence[Identity],
    connectors: Mapping[str, Connector],
    now: datetime,
) -> Found:
    traversal = plan_request(register, identities, kind=RequestKind.restriction)
    return collect_rows(traversal, connectors, today=now.date())


def restrict(
    register: Register,
    identities: Sequence[Identity],
    connectors: Mapping[str, Connector],
    ledger: RestrictionStore,
    *,
    ground: Ground,
    now: datetime,
    recorder: Recorder | None = None,
    execute: bool = False,
    record: RecordChange | None = None,
) -> RestrictionOutcome:
    """Plan and (with ``execute``) record a restriction and mark the systems. ``record``
    appends the restriction's own audit event in the ledger's transaction (instead of
    ``recorder``, which then records only the systems marked)."""
    plan = plan_restriction(register, _found(register, identities, connectors, now), now=now)
    if not execute:
        return RestrictionOutcome(plan)
    restriction, created = ledger.restrict(
        plan.identities, ground=ground, at=now, rows=plan.pinned, record=record
    )
    written = _apply(plan, connectors)
    if recorder is not None:
        base = {"restriction": restriction.id, "ground": ground.value, "created": created}
        if record is None:
            recorder.record("dsr.restriction.recorded", plan.identities, at=now, details=base)
        for system, count in written.items():
            details = {**base, "columns_set": count}
            recorder.record(
                "dsr.restriction.executed", plan.identities, at=now, target=system, details=details
            )
    return RestrictionOutcome(plan, restriction, created, written)


def lift(
    register: Register,
    identities: Sequence[Identity],
    connectors: Mapping[str, Connector],
    ledger: RestrictionStore,
    *,
    reason: str,
    now: datetime,
    recorder: Recorder | None = None,
    execute: bool = False,
    record: RecordChange | None = None,
) -> RestrictionOutcome:
    """End the active restriction and clear the systems' restriction columns (Art. 18(3))."""
    found = _found(register, identities, connectors, now)
    plan = plan_restriction(register, found, now=now, value=CLEARED)
    if not execute:
        return RestrictionOutcome(plan, ledger.active_restriction(plan.identities))
    restriction = ledger.lift(plan.identities, at=now, reason=reason, record=record)
    written = _apply(plan, connectors)
    if recorder is not None and record is None:
        details = {"restriction": restriction.id, "columns_cleared": sum(written.values())}
        recorder.record("dsr.restriction.lifted", plan.identities, at=now, details=details)
    return RestrictionOutcome(plan, restriction, False, written)
