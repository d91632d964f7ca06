"""Who else refers to a row: the reads an erasure plan needs for ``detach`` and
``delete_if_unshared`` references (:class:`varna.register.systems.ReferenceErasure`).

:func:`find_referrers` runs before planning, read-only, and hands
:func:`varna.dsr.erasure.plan_erasure` the primary keys of every row (the person's or anyone's)
that refers to a row the plan may delete: the rows to repoint (``detach``) and the rows that
share an address (``delete_if_unshared``). The planner stays pure; only keys are read, never
other people's data.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from varna.connectors.base import Connector
from varna.dsr.found import Found, FoundRow
from varna.register.model import Register
from varna.register.systems import Reference, ReferenceErasure

Slot = tuple[str, str, str, str]
"""(system, referring table, referring column, the value referred to as text)."""


@dataclass(frozen=True, slots=True)
class Referrers:
    """Primary keys of the rows whose column holds a value, per (system, table, column, value)."""

    rows: Mapping[Slot, tuple[dict[str, Any], ...]] = field(default_factory=dict)

    def of(self, system: str, table: str, column: str, value: Any) -> tuple[dict[str, Any], ...]:
        return self.rows.get((system, table, column, str(value)), ())


def references_to(
    register: Register, system: str, table: str
) -> Iterator[tuple[str, str, Reference]]:
    """(referring table, column, reference) for every reference to ``table`` in ``system``."""
    for other, spec in register.systems[system].tables.items():
        for column, ref in spec.references.items():
            if ref.table == table and ref.system in (None, system):
                yield other, column, ref


def shared_candidates(register: Register, found: Found) -> list[FoundRow]:
    """Rows the person's rows refer to through a ``delete_if_unshared`` reference."""
    out: dict[int, FoundRow] = {}
    for row in found.all_rows():
        if row.theirs:
            continue
        for child, column, ref in references_to(register, row.system, row.table):
            if ref.erasure is not ReferenceErasure.delete_if_unshared:
                continue
            value = row.values.get(ref.column)
            if value is None:
                continue
            if any(
                r.theirs and str(r.values.get(column)) == str(value)
                for r in found.rows.get((row.system, child), [])
            ):
                out[id(row)] = row
    return list(out.values())


def find_referrers(
    register: Register, found: Found, connectors: Mapping[str, Connector]
) -> Referrers:
    """The keys of the rows referring to the person's rows through ``detach`` references, and
    to the rows a ``delete_if_unshared`` reference may delete, through every reference."""
    wanted: dict[tuple[str, str, str], set[Any]] = {}
    for row in found.all_rows():
        if not row.theirs:
            continue
        for child, column, ref in references_to(register, row.system, row.table):
            value = row.values.get(ref.column)
            if ref.erasure is ReferenceErasure.detach and value is not None:
                wanted.setdefault((row.system, child, column), set()).add(value)
    for row in shared_candidates(register, found):
        for child, column, ref in references_to(register, row.system, row.table):
            value = row.values.get(ref.column)
            if value is not None:
                wanted.setdefault((row.system, child, column), set()).add(value)
    rows: dict[Slot, list[dict[str, Any]]] = {}
    for (system, table, column), values in wanted.items():
        pk = register.table(system, table).primary_key
        for hit in connectors[system].find(
            table, column, sorted(values, key=str), columns=[*pk, column]
        ):
            key = {c: hit[c] for c in pk}
            rows.setdefault((system, table, column, str(hit[column])), []).append(key)
    return Referrers({slot: tuple(keys) for slot, keys in rows.items()})
