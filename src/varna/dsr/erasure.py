"""Right to erasure (GDPR Art. 17): a pure plan of what happens to each row found.

:func:`plan_erasure` decides, per row: **delete** it; **anonymise** it (keep the row, apply each
field's strategy, :mod:`varna.dsr.strategies`) when the table says ``erasure: anonymise``; or keep
it under a **legal hold** whose period has not ended, erasing only the fields whose category no
active hold lists, and citing the Art. 17(3) ground and the statute. A hold's end is computed
from the row's anchor column (or its parent's, for child rows such as invoice lines) with
:mod:`varna.law.bookkeeping` and the register's fiscal year; a hold whose end cannot be computed
keeps the row (nothing under a hold is ever deleted).

A row reached only because a row of the person refers to it (an address, a product) is never
changed: other people's rows may refer to it too; nor is a row found only by a weak identity (an
IP address many people share). A row that names another person's unique identity never reaches
the plan: it is listed in :attr:`ErasurePlan.conflicts` for a human to decide (design §3).

Foreign keys without ON DELETE CASCADE: rows are deleted children first (register references give
the order), and a row that rows staying behind still refer to is anonymised instead of deleted.
The plan only lists fields that really change, so planning again after an erasure shows nothing
left to do. :func:`varna.dsr.executor.execute_erasure` applies it.
"""

from __future__ import annotations

import graphlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from varna.dsr.holds import Anchors, HoldCite, active_holds
from varna.dsr.identity import Identity
from varna.dsr.strategies import erased_value
from varna.dsr.traversal import Conflict, Found, FoundRow
from varna.dsr.values import json_value
from varna.register.model import Register
from varna.register.systems import FieldErasure, TableErasure

SCHEMA = "varna.erasure-plan/1"


class Fate(StrEnum):
    delete = "delete"
    anonymise = "anonymise"
    keep = "keep"


@dataclass(frozen=True, slots=True, repr=False)
class RowErasure:
    """What happens to one row. ``changes`` maps column -> new value (only real changes)."""

    system: str
    table: str
    key: dict[str, Any]
    fate: Fate
    changes: dict[str, Any] = field(default_factory=dict)
    kept: tuple[str, ...] = ()
    holds: tuple[HoldCite, ...] = ()
    reason: str = ""
    reached_by: str = ""
    """Which identity reached the row, and through which reference."""

    def __repr__(self) -> str:
        return f"RowErasure({self.system}:{self.table}, {self.fate.value}, {len(self.changes)})"


@dataclass(frozen=True, slots=True)
class ErasurePlan:
    """Every row's fate, in execution order per system (updates, then deletes children first)."""

    created_at: datetime
    request_id: str
    identities: tuple[Identity, ...]
    rows: tuple[RowErasure, ...]
    conflicts: tuple[Conflict, ...] = ()
    """Rows naming another person's unique identity: left out, for a human to decide."""

    @property
    def systems(self) -> list[str]:
        return list(dict.fromkeys(r.system for r in self.rows))

    def rows_for(self, system: str) -> list[RowErasure]:
        return [r for r in self.rows if r.system == system]

    @property
    def has_work(self) -> bool:
        return any(r.fate is Fate.delete or r.changes for r in self.rows)

    def as_dict(self) -> dict[str, Any]:
        """The plan for people and machines: keys and field names, never field values."""
        return {
            "schema": SCHEMA,
            "created_at": self.created_at.isoformat(),
            "identity_kinds": sorted({i.kind for i in self.identities}),
            "rows": [
                {
                    "system": r.system,
                    "table": r.table,
                    "key": {k: json_value(v) for k, v in r.key.items()},
                    "fate": r.fate.value,
                    "erased": sorted(r.changes),
                    "kept": list(r.kept),
                    "holds": [
                        {
                            "hold": h.hold,
                            "until": h.until.isoformat() if h.until else None,
                            "ground": h.ground,
                            "statute": h.statute,
                        }
                        for h in r.holds
                    ],
                    "reason": r.reason,
                    "reached_by": r.reached_by,
                }
                for r in self.rows
            ],
            "conflicts": [c.as_dict() for c in self.conflicts],
        }


def request_id(identities: tuple[Identity, ...] | list[Identity], *, key: bytes) -> str:
    """A keyed, stable name for a request by its identities (journal file names)."""
    text = "|".join(sorted(f"{i.kind}:{i.value}" for i in identities))
    return "rq_" + hmac.digest(key, text.encode("utf-8"), "sha256").hex()[:32]


def _erase_fields(
    register: Register, row: FoundRow, protected: set[str], hash_key: bytes
) -> tuple[dict[str, Any], tuple[str, ...]]:
    table = register.table(row.system, row.table)
    changes, kept = {}, []
    for name, spec in table.fields.items():
        if spec.category in protected or spec.erasure is FieldErasure.keep:
            kept.append(name)
            continue
        new = erased_value(spec, row.values.get(name), hash_key=hash_key)
        if new != row.values.get(name):
            changes[name] = new
    return changes, tuple(kept)


def _decide(
    register: Register, row: FoundRow, anchors: Anchors, today: date, hash_key: bytes
) -> RowErasure:
    table = register.table(row.system, row.table)
    if row.weak:
        return RowErasure(
            row.system,
            row.table,
            dict(row.key),
            Fate.keep,
            reason="kept: found only by a weak identifier many people share",
            reached_by=row.reached_by,
        )
    if not row.theirs:
        return RowErasure(
            row.system,
            row.table,
            dict(row.key),
            Fate.keep,
            reason="kept: the person's data refers to it, other rows may too",
            reached_by=row.reached_by,
        )
    holds = active_holds(register, row, anchors, today)
    if holds:
        protected = {c for h in holds for c in register.legal_holds[h.hold].categories}
        changes, kept = _erase_fields(register, row, protected, hash_key)
        names = ", ".join(h.hold for h in holds)
        return RowErasure(
            row.system,
            row.table,
            dict(row.key),
            Fate.anonymise if changes else Fate.keep,
            changes,
            kept,
            tuple(holds),
            f"kept under legal hold: {names}",
            row.reached_by,
        )
    if table.erasure is TableErasure.anonymise:
        changes, kept = _erase_fields(register, row, set(), hash_key)
        fate = Fate.anonymise if changes else Fate.keep
        return RowErasure(
            row.system,
            row.table,
            dict(row.key),
            fate,
            changes,
            kept,
            reason="table erasure: anonymise",
            reached_by=row.reached_by,
        )
    return RowErasure(
        row.system,
        row.table,
        dict(row.key),
        Fate.delete,
        reason="deleted",
        reached_by=row.reached_by,
    )


def _referrers(register: Register, system: str) -> Iterator[tuple[str, str, str, str]]:
    """(child table, child column, parent table, parent column) within ``system``."""
    for tname, table in register.systems[system].tables.items():
        for column, ref in table.references.items():
            if ref.system in (None, system) and ref.table != tname:
                yield tname, column, ref.table, ref.column


def _protect_referenced(
    register: Register, found: Found, decided: dict[int, RowErasure], hash_key: bytes
) -> None:
    """A row that rows staying behind still refer to is anonymised, not deleted."""
    rows = {id(r): r for r in found.all_rows()}
    changed = True
    while changed:
        changed = False
        for system in {r.system for r in rows.values()}:
            for child, column, parent, pcolumn in _referrers(register, system):
                staying = {
                    str(r.values.get(column))
                    for r in found.rows.get((system, child), [])
                    if decided[id(r)].fate is not Fate.delete
                }
                for r in found.rows.get((system, parent), []):
                    if decided[id(r)].fate is Fate.delete and str(r.values.get(pcolumn)) in staying:
                        changes, kept = _erase_fields(register, r, set(), hash_key)
                        decided[id(r)] = RowErasure(
                            r.system,
                            r.table,
                            dict(r.key),
                            Fate.anonymise if changes else Fate.keep,
                            changes,
                            kept,
                            reason=f"anonymised: rows that stay in '{child}' refer to it",
                            reached_by=r.reached_by,
                        )
                        changed = True


def _delete_order(register: Register, system: str) -> list[str]:
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for tname in register.systems[system].tables:
        sorter.add(tname)
    for child, _, parent, _ in _referrers(register, system):
        sorter.add(parent, child)  # the parent goes after its children
    try:
        return list(sorter.static_order())
    except graphlib.CycleError:
        return list(register.systems[system].tables)


def plan_erasure(
    register: Register, found: Found, *, now: datetime, hash_key: bytes
) -> ErasurePlan:
    """The erasure plan for the rows in ``found`` (pure). ``hash_key`` keys the hash strategy."""
    anchors, today = Anchors(register, found), now.date()
    decided = {id(r): _decide(register, r, anchors, today, hash_key) for r in found.all_rows()}
    _protect_referenced(register, found, decided, hash_key)
    ordered: list[RowErasure] = []
    for system in dict.fromkeys(r.system for r in found.all_rows()):
        mine = [decided[id(r)] for r in found.all_rows() if r.system == system]
        ordered += [r for r in mine if r.fate is not Fate.delete]
        rank = {t: i for i, t in enumerate(_delete_order(register, system))}
        ordered += sorted((r for r in mine if r.fate is Fate.delete), key=lambda r: rank[r.table])
    identities = tuple(found.plan.identities)
    return ErasurePlan(
        now,
        request_id(identities, key=hash_key),
        identities,
        tuple(ordered),
        tuple(found.conflicts),
    )
