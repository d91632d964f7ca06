"""Legal holds on rows found (GDPR Art. 17(3)): which are active, until when, and why.

A hold applies to a row when the row's table, or an activity the table serves, names it. Its end
comes from the hold's retention rule and the row's anchor column; a child row without the column
(an invoice line) takes its parent's value through a register reference in the same system. A
hold whose end cannot be computed is active: nothing under a hold is ever given up by guesswork.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from varna.dsr.strategies import hold_until
from varna.dsr.traversal import Found, FoundRow
from varna.law.bookkeeping import FiscalYear
from varna.law.citations import STATUTES
from varna.register.model import Register
from varna.register.systems import Table


@dataclass(frozen=True, slots=True)
class HoldCite:
    """An active legal hold on a row: until when, on which ground, under which statute."""

    hold: str
    until: date | None
    ground: str
    statute: str


def table_holds(register: Register, table: Table) -> list[str]:
    keys = [*table.legal_holds]
    for activity in table.activities:
        keys += register.activities[activity].legal_holds
    return list(dict.fromkeys(keys))


class Anchors:
    """Anchor values of found rows, inherited from a parent row in the same system."""

    def __init__(self, register: Register, found: Found) -> None:
        self._register, self._found = register, found

    def value(self, row: FoundRow, anchor: str, seen: frozenset[str] = frozenset()) -> Any:
        table = self._register.table(row.system, row.table)
        if anchor in table.anchors:
            return row.values.get(table.anchors[anchor])
        for column, ref in table.references.items():
            if ref.system not in (None, row.system) or ref.table in seen:
                continue
            for parent in self._found.rows.get((row.system, ref.table), []):
                if str(parent.values.get(ref.column)) == str(row.values.get(column)):
                    value = self.value(parent, anchor, seen | {row.table})
                    if value is not None:
                        return value
        return None


def active_holds(
    register: Register, row: FoundRow, anchors: Anchors, today: date
) -> list[HoldCite]:
    fiscal = FiscalYear(register.controller.fiscal_year_start.month)
    out = []
    for key in table_holds(register, register.table(row.system, row.table)):
        hold = register.legal_holds[key]
        anchor = getattr(hold.retention, "anchor", None)
        value = anchors.value(row, anchor) if anchor else None
        until = hold_until(hold.retention, value, fiscal_year=fiscal)
        if until is None or today <= until:
            statute = STATUTES[hold.statute].short if hold.statute in STATUTES else hold.statute
            out.append(HoldCite(key, until, f"GDPR Art. 17(3)({hold.ground.value})", statute))
    return out
