"""Run a traversal plan against the systems, read-only, to a fixpoint, never crossing to another
person (house style 13, design §3).

Each round takes the values waiting for one (system, table, column), nearest the request first,
asks the connector for the rows in one batched query, and feeds what the new rows hold back in:
the values of their link columns (to parents and to children) and the identities in their
identity columns, which seed every lookup of that kind. A value is looked up at most once per
column and a row is kept once per primary key, so cycles (a customer's invoices lead back to the
customer) end. Values are bound as the column's type (:func:`varna.dsr.values.column_value`): a
requested value the column cannot hold (``5abc`` for an integer key) is an error before any
query, and an e-mail is compared case-insensitively (``find_casefold``) where the connector can.

Each system is read inside one transaction, opened when the traversal first needs it and closed
at the end: every query of a request sees the same snapshot of that system (where the database
gives one), and costs no BEGIN/COMMIT of its own.

Whose rows are whose (Art. 15(4)):

- A row is the person's when one of their identities found it, or it refers to a row of theirs
  (their invoices), or a reference marked ``same_person`` leads to it. Such rows lead on through
  every link. A row the person's row refers to through another reference (an address, a product)
  is part of the answer but leads nowhere: its other children are other people's.
- Identities are learnt only from the person's rows, and only from the columns that name the
  row's own person (:attr:`varna.dsr.planner.TablePlan.own`): a ticket found by the customer
  number may have been written by a relative, whose e-mail is not the customer's.
- A weak identity (an IP address) finds only the rows keyed by it: they lead nowhere, teach
  nothing, and are never the person's alone (erasure keeps them).
- Every row is checked against the unique identities (personnummer, customer number) the request
  established: the ones it gives, else the one it learnt nearest the request (several at the
  same distance: none, the request is ambiguous). A row naming another unique identity is a
  :class:`Conflict`: it is left out, leads nowhere, and is listed (system, table, key, which
  kind; never a value) for a human to decide. A conflict found only at the end (against a
  learnt identity) reruns the traversal with that row held back, until no new one appears, so
  nothing reached through it stays in the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, cast, runtime_checkable

from varna.connectors.base import Connector, Row
from varna.dsr.found import Conflict, Found, FoundRow
from varna.dsr.identity import Identity, discovered_identity
from varna.dsr.planner import TablePlan, TraversalPlan
from varna.dsr.values import UNFIT, column_value
from varna.errors import ConnectorError, RequestError
from varna.register.types import IdentityStrength

__all__ = ["Conflict", "Found", "FoundRow", "check_requested_types", "collect_rows"]

Slot = tuple[str, str, str]
"""(system, table, column)."""

RowId = tuple[str, str, tuple[str, ...]]
"""(system, table, primary-key values as text)."""

MAX_RUNS = 25
"""Reruns with conflicting rows held back; a request that needs more reaches too many people."""


@runtime_checkable
class TypedColumns(Protocol):
    """A connector that knows the Python type of its columns (SQL)."""

    def column_types(self, table: str) -> dict[str, type]: ...


@runtime_checkable
class CaseFolding(Protocol):
    """A connector that can compare text case-insensitively (SQL)."""

    def find_casefold(
        self, table: str, column: str, values: Iterable[Any], *, columns: Any
    ) -> list[Row]: ...


def collect_rows(
    plan: TraversalPlan,
    connectors: Mapping[str, Connector],
    *,
    today: date,
    columns: Callable[[Connector, str], Sequence[str]] | None = None,
) -> Found:
    """Every row the plan reaches, reading only. ``today`` parses short personnummer found.
    ``columns`` names further columns to read of a table beside those the plan needs (an
    access reads every column, Art. 15(3)), in the same query that finds the row."""
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

        types = _ColumnTypes(open_system)
        check_requested_types(plan, types)
        held: dict[RowId, Conflict] = {}
        queries = 0
        for _ in range(MAX_RUNS):
            run = _Run(plan, open_system, types, today, held, columns)
            run.collect()
            queries += run.queries
            fresh = run.judge()
            if not fresh:
                found = run.found()
                found.queries = queries
                return found
            held.update(fresh)
    raise RequestError(
        f"the request reaches more than {MAX_RUNS} rounds of rows naming other people; "
        "narrow it with a unique identity (a personnummer or a customer number)"
    )


class _ColumnTypes:
    """Column types per (system, table), asked of connectors that know them, once."""

    def __init__(self, open_system: Callable[[str], Connector]) -> None:
        self._open = open_system
        self._types: dict[tuple[str, str], dict[str, type]] = {}
        self._typed: dict[str, TypedColumns | None] = {}

    def of(self, system: str, table: str, column: str) -> type | None:
        types = self._types.get((system, table))
        if types is None:
            if system not in self._typed:
                connector = self._open(system)
                self._typed[system] = connector if isinstance(connector, TypedColumns) else None
            typed = self._typed[system]
            types = self._types[(system, table)] = typed.column_types(table) if typed else {}
        return types.get(column)


def check_requested_types(plan: TraversalPlan, types: _ColumnTypes) -> None:
    """A requested value some column of its kind cannot hold is an error, before any query."""
    for identity in plan.identities:
        for lookup in plan.lookups_for(identity.kind):
            python_type = types.of(lookup.system, lookup.table, lookup.column)
            if python_type is None:
                continue
            if all(column_value(v, python_type) is UNFIT for v in identity.lookup_values()):
                where = f"{lookup.system}:{lookup.table}.{lookup.column}"
                raise RequestError(
                    f"{identity.kind}: the value is not a valid {python_type.__name__}, as "
                    f"column {where} holds; check the value (an integer key takes digits only)"
                )


@dataclass(slots=True)
class _Why:
    """Why a value waits for a lookup in one column; merged when several reasons meet."""

    depth: int
    how: str
    owned: bool
    teach: bool
    weak: bool
    casefold: bool = False

    def merge(self, other: _Why) -> bool:
        """Take in ``other``; True when the value must be looked up again (it now leads on)."""
        upgraded = (other.owned and not self.owned) or (other.teach and not self.teach)
        upgraded = upgraded or (self.weak and not other.weak)
        if other.depth < self.depth:
            self.depth, self.how = other.depth, other.how
        self.owned, self.teach = self.owned or other.owned, self.teach or other.teach
        self.weak = self.weak and other.weak
        return upgraded


@dataclass(slots=True)
class _Entry:
    """A row found in this run."""

    row: dict[str, Any]
    depth: int
    how: str
    theirs: bool = False
    weak: bool = True
    expanded: bool = False
    taught: bool = False
    conflict: Conflict | None = None


class _Run:
    """One traversal to a fixpoint, with the rows in ``held`` found but never followed."""

    def __init__(
        self,
        plan: TraversalPlan,
        open_system: Callable[[str], Connector],
        types: _ColumnTypes,
        today: date,
        held: Mapping[RowId, Conflict],
        columns: Callable[[Connector, str], Sequence[str]] | None = None,
    ) -> None:
        self.plan, self.open, self.types = plan, open_system, types
        self.today, self.held = today, held
        self.extra = columns
        self.read: dict[tuple[str, str], list[str]] = {}
        """Per table, the columns its lookups read: the plan's, then any further ones."""
        self.folds: dict[str, bool] = {}
        self.parsed: dict[tuple[str, Any], Identity | None] = {}
        self.pending: dict[Slot, dict[str, Any]] = {}
        self.nearest: dict[Slot, int] = {}
        """Per slot waiting, the smallest depth among its values: the next slot searched."""
        self.why: dict[tuple[Slot, str], _Why] = {}
        self.searched: dict[Slot, set[str]] = {}
        self.entries: dict[RowId, _Entry] = {}
        self.known: dict[tuple[str, str], int] = {}
        self.identities: list[Identity] = []
        self.queries = 0
        self.unique = {k for k, s in plan.strengths.items() if s is IdentityStrength.unique}
        self.requested: dict[str, set[str]] = {}
        for identity in plan.identities:
            if identity.kind in self.unique:
                self.requested.setdefault(identity.kind, set()).add(identity.value)

    # -- waiting values ---------------------------------------------------------------------
    def _folds(self, system: str) -> bool:
        """Can the system compare case-insensitively? Else the spellings are looked up."""
        if system not in self.folds:
            self.folds[system] = isinstance(self.open(system), CaseFolding)
        return self.folds[system]

    def want(self, slot: Slot, values: Iterable[Any], why: _Why) -> None:
        done = self.searched.setdefault(slot, set())
        casefold = why.casefold and self._folds(slot[0])
        python_type = self.types.of(*slot)
        for value in values:
            if value is None:
                continue
            # bound as the column's type; a value no row of the column can hold is dropped
            typed = value if type(value) is python_type else column_value(value, python_type)
            if typed is UNFIT:
                continue
            text = str(typed)
            if casefold:
                text = typed = text.lower()
            old = self.why.get((slot, text))
            if old is None:
                old = self.why[(slot, text)] = _Why(
                    why.depth, why.how, why.owned, why.teach, why.weak, casefold
                )
            elif old.merge(why):
                done.discard(text)  # found before as a parent or by a weak identity: again
            if text not in done:
                self.pending.setdefault(slot, {}).setdefault(text, typed)
                nearest = self.nearest.get(slot)
                if nearest is None or old.depth < nearest:
                    self.nearest[slot] = old.depth

    def learn(self, identity: Identity, depth: int, how: str, *, requested: bool) -> None:
        key = (identity.kind, identity.value)
        if key in self.known:
            self.known[key] = min(self.known[key], depth)
            return
        self.known[key] = depth
        self.identities.append(identity)
        weak = self.plan.strength(identity.kind) is IdentityStrength.weak
        if weak and not requested:
            return  # a weak identity learnt on the way is not the person's alone
        for lookup in self.plan.lookups_for(identity.kind):
            slot = (lookup.system, lookup.table, lookup.column)
            teach = lookup.column in self.plan.table(lookup.system, lookup.table).own
            where = f"{lookup.system}:{lookup.table}.{lookup.column}"
            why = _Why(depth, f"{how} ({where})", True, teach, weak, identity.fold_case)
            self.want(slot, identity.lookup_values(), why)

    # -- the fixpoint -----------------------------------------------------------------------
    def collect(self) -> None:
        for identity in self.plan.identities:
            self.learn(identity, 0, f"identity {identity.kind}", requested=True)
        while self.pending:
            slot = min(self.pending, key=self.nearest.__getitem__)
            values = self.pending.pop(slot)
            del self.nearest[slot]
            self.searched[slot].update(values)
            self._search(slot, values)

    def _search(self, slot: Slot, values: dict[str, Any]) -> None:
        system, table, column = slot
        tp = self.plan.table(system, table)
        connector = self.open(system)
        casefold = any(self.why[(slot, t)].casefold for t in values)
        self.queries += 1
        columns = self.read.get((system, table))
        if columns is None:
            further = self.extra(connector, table) if self.extra is not None else ()
            columns = self.read[(system, table)] = list(dict.fromkeys([*tp.columns, *further]))
        if casefold and self._folds(system):  # known per system: a protocol check is slow
            folding = cast("CaseFolding", connector)
            rows = folding.find_casefold(table, column, values.values(), columns=columns)
        else:
            rows = connector.find(table, column, values.values(), columns=columns)
        for row in rows:
            text = str(row[column]).lower() if casefold else str(row[column])
            why = self.why.get((slot, text))
            if why is None:  # a database that compares more loosely than we do: not a match
                continue
            self._take(tp, row, why)

    def _take(self, tp: TablePlan, row: Row, why: _Why) -> None:
        row_id: RowId = (tp.system, tp.table, tuple(str(row[k]) for k in tp.primary_key))
        entry = self.entries.get(row_id)
        if entry is None:
            entry = self.entries[row_id] = _Entry(row, why.depth, why.how)
            entry.conflict = self.held.get(row_id) or self._against_request(tp, row, why.how)
        if entry.conflict is not None:
            return  # another person's: leads nowhere, teaches nothing
        if why.depth < entry.depth:
            entry.depth, entry.how = why.depth, why.how
        entry.weak = entry.weak and why.weak
        if why.weak:
            return  # a weak identity finds only the rows keyed by it
        if why.owned and not entry.expanded:
            entry.theirs = entry.expanded = True
            for link in self.plan.links_from(tp.system, tp.table):
                target = (link.to_system, link.to_table, link.to_column)
                owned = link.direction == "to_child" or link.same_person
                how = f"{why.how.split(' (', 1)[0]} via {link.label()}"
                step = _Why(why.depth + 1, how, owned, link.same_person, weak=False)
                self.want(target, [row[link.column]], step)
        if why.teach and not entry.taught:
            entry.taught = True
            for kind, col in tp.identities:
                if col in tp.own:
                    learnt = self._discover(kind, row[col])
                    if learnt is not None:
                        self.learn(learnt, why.depth + 1, f"identity {kind}", requested=False)

    # -- whose rows -------------------------------------------------------------------------
    def _discover(self, kind: str, value: Any) -> Identity | None:
        """The identity a row holds, normalised once per request (phone and personnummer
        parsing is the costly part of a traversal)."""
        if not isinstance(value, str | int):  # a list in a JSON-lines file is no key
            return discovered_identity(kind, value, today=self.today)
        key = (kind, value)
        if key not in self.parsed:
            self.parsed[key] = discovered_identity(kind, value, today=self.today)
        return self.parsed[key]

    def _names(self, tp: TablePlan, row: Row) -> Iterable[tuple[str, str, str]]:
        """(kind, column, normalised value) of every unique identity the row names."""
        for kind, col in tp.identities:
            if kind in self.unique:
                named = self._discover(kind, row.get(col))
                if named is not None:
                    yield kind, col, named.value

    def _against_request(self, tp: TablePlan, row: Row, how: str) -> Conflict | None:
        for kind, col in tp.identities:
            given = self.requested.get(kind)
            if not given:
                continue
            named = self._discover(kind, row.get(col))
            if named is not None and named.value not in given:
                reason = f"names another {kind} than the request gives"
                return Conflict(tp.system, tp.table, _key(tp, row), kind, col, reason, how)
        return None

    def judge(self) -> dict[RowId, Conflict]:
        """Rows that name a unique identity the request did not establish (new ones only)."""
        learnt: dict[str, dict[str, int]] = {}
        for (kind, value), depth in self.known.items():
            if kind in self.unique:
                learnt.setdefault(kind, {})[value] = depth
        valid: dict[str, set[str]] = {}
        for kind in self.unique:
            if self.requested.get(kind):
                valid[kind] = self.requested[kind]
                continue
            depths = learnt.get(kind, {})
            nearest = min(depths.values(), default=None)
            first = {v for v, d in depths.items() if d == nearest}
            valid[kind] = first if len(first) == 1 else set()
        fresh: dict[RowId, Conflict] = {}
        for row_id, entry in self.entries.items():
            if entry.conflict is not None:
                continue
            tp = self.plan.table(row_id[0], row_id[1])
            for kind, col, value in self._names(tp, entry.row):
                if value in valid[kind]:
                    continue
                if value in learnt.get(kind, {}):
                    reason = f"the request reaches more than one {kind}: a human decides"
                else:
                    reason = f"names a {kind} the request does not tie to the person"
                key = _key(tp, entry.row)
                fresh[row_id] = Conflict(tp.system, tp.table, key, kind, col, reason, entry.how)
                break
        return fresh

    def found(self) -> Found:
        out = Found(self.plan, identities=list(self.identities), queries=self.queries)
        order = {(t.system, t.table): i for i, t in enumerate(self.plan.tables)}
        for row_id, entry in sorted(
            self.entries.items(), key=lambda kv: (order[kv[0][:2]], kv[1].depth)
        ):
            system, table, _ = row_id
            tp = self.plan.table(system, table)
            if entry.conflict is not None:
                out.conflicts.append(entry.conflict)
                continue
            found = FoundRow(
                system,
                table,
                _key(tp, entry.row),
                entry.row,
                entry.theirs and not entry.weak,
                entry.how,
                entry.weak,
            )
            out.rows.setdefault((system, table), []).append(found)
        return out


def _key(tp: TablePlan, row: Row) -> dict[str, Any]:
    return {k: row[k] for k in tp.primary_key}
