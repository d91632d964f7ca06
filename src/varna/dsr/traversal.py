"""Run a traversal plan against the systems, read-only, to a fixpoint.

Each round takes the values waiting for one (system, table, column), asks the connector for the
rows in one batched query, and feeds what the new rows hold back in: the values of their link
columns (to parents and to children) and the identities in their identity columns, which seed
every lookup of that kind. A value is looked up at most once per column and a row is kept once
per primary key, so cycles (a customer's invoices lead back to the customer) end.

Each system is read inside one transaction, opened when the traversal first needs it and closed
at the end: every query of a request sees the same snapshot of that system (where the database
gives one), and costs no BEGIN/COMMIT of its own.

Whose rows are whose (Art. 15(4)): a row is the person's when it was found by one of their
identities, or refers to a row of theirs (their invoices, their invoices' lines). Such rows lead
on through every link. A row the person's row refers to (the address or product it points at) is
part of the answer but leads nowhere: its other children are other people's (the neighbours at
the same address). Identities are learnt only from rows found by an identity lookup, never from
rows reached through a link: a support ticket about the person may carry the e-mail of the
colleague who wrote it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from varna.connectors.base import Connector
from varna.dsr.identity import Identity, discovered_identity
from varna.dsr.planner import TraversalPlan
from varna.errors import ConnectorError

Slot = tuple[str, str, str]
"""(system, table, column)."""


@dataclass(frozen=True, slots=True, repr=False)
class FoundRow:
    """One row about the person: its primary key and the columns the plan reads."""

    system: str
    table: str
    key: dict[str, Any]
    values: dict[str, Any]
    theirs: bool = True
    """False for a row reached only because a row of the person refers to it (an address):
    other people's rows may refer to it too, so erasure leaves it alone."""

    def __repr__(self) -> str:
        return f"FoundRow({self.system}:{self.table}, {len(self.values)} columns)"


@dataclass(slots=True)
class Found:
    """Every row found, by (system, table) in plan order, and every identity learnt."""

    plan: TraversalPlan
    rows: dict[tuple[str, str], list[FoundRow]] = field(default_factory=dict)
    identities: list[Identity] = field(default_factory=list)
    queries: int = 0

    def count(self, system: str, table: str) -> int:
        return len(self.rows.get((system, table), []))

    def all_rows(self) -> list[FoundRow]:
        return [row for rows in self.rows.values() for row in rows]

    def __repr__(self) -> str:
        return f"Found({len(self.all_rows())} rows in {len(self.rows)} tables)"


def collect_rows(plan: TraversalPlan, connectors: Mapping[str, Connector], *, today: date) -> Found:
    """Every row the plan reaches, reading only. ``today`` parses short personnummer found."""
    with ExitStack() as stack:
        opened: dict[str, Connector] = {}

        def open_system(system: str) -> Connector:
            if system not in opened:
                connector = connectors.get(system)
                if connector is None:
                    raise ConnectorError(f"no connector for system '{system}'")
                stack.enter_context(connector.transaction())
                opened[system] = connector
            return opened[system]

        return _collect(plan, open_system, today)


def _collect(plan: TraversalPlan, open_system: Callable[[str], Connector], today: date) -> Found:
    found = Found(plan)
    pending: dict[Slot, dict[str, Any]] = {}
    searched: dict[Slot, set[str]] = {}
    seen_rows: set[tuple[str, str, tuple[str, ...]]] = set()
    rows: dict[tuple[str, str], list[tuple[tuple[str, str, tuple[str, ...]], dict[str, Any]]]] = {}
    taught: set[tuple[str, str, tuple[str, ...]]] = set()
    expanded: set[tuple[str, str, tuple[str, ...]]] = set()
    known: set[tuple[str, str]] = set()
    by_identity: dict[Slot, set[str]] = {}
    owning: dict[Slot, set[str]] = {}

    def want(
        slot: Slot, values: Iterable[Any], *, identity: bool = False, owned: bool = False
    ) -> None:
        done = searched.setdefault(slot, set())
        queue = pending.setdefault(slot, {})
        for value in values:
            if value is None:
                continue
            text = str(value)
            if owned and text not in owning.setdefault(slot, set()):
                owning[slot].add(text)
                done.discard(text)  # found before as a parent only: look again, as theirs
            if text not in done:
                queue.setdefault(text, value)
            if identity:
                by_identity.setdefault(slot, set()).add(text)

    def learn(identity: Identity) -> None:
        if (identity.kind, identity.value) in known:
            return
        known.add((identity.kind, identity.value))
        found.identities.append(identity)
        for lookup in plan.lookups_for(identity.kind):
            slot = (lookup.system, lookup.table, lookup.column)
            want(slot, identity.lookup_values(), identity=True, owned=True)

    for identity in plan.identities:
        learn(identity)
    while pending:
        slot = next(iter(pending))
        values = pending.pop(slot)
        if not values:
            continue
        searched[slot].update(values)
        system, table, column = slot
        tp = plan.table(system, table)
        connector = open_system(system)
        found.queries += 1
        identifying, theirs = by_identity.get(slot, set()), owning.get(slot, set())
        for row in connector.find(table, column, values.values(), columns=tp.columns):
            row_id = (system, table, tuple(str(row[k]) for k in tp.primary_key))
            if row_id not in seen_rows:
                seen_rows.add(row_id)
                rows.setdefault((system, table), []).append((row_id, row))
            if str(row[column]) in theirs and row_id not in expanded:
                expanded.add(row_id)
                for link in plan.links_from(system, table):
                    target = (link.to_system, link.to_table, link.to_column)
                    want(target, [row[link.column]], owned=link.direction == "to_child")
            if str(row[column]) in identifying and row_id not in taught:
                taught.add(row_id)
                for kind, col in tp.identities:
                    learnt = discovered_identity(kind, row[col], today=today)
                    if learnt is not None:
                        learn(learnt)
    order = {(t.system, t.table): i for i, t in enumerate(plan.tables)}
    for (system, table), items in sorted(rows.items(), key=lambda kv: order[kv[0]]):
        pk_columns = plan.table(system, table).primary_key
        found.rows[(system, table)] = [
            FoundRow(system, table, {k: row[k] for k in pk_columns}, row, row_id in expanded)
            for row_id, row in items
        ]
    return found
