"""Plan a retention sweep: pure, from the register, a clock and row counts.

A row expires when every controller activity of its table has expired it and every legal hold on
it is over. A hold whose rule is the rule an activity already applies is satisfied by it; any
other hold adds its own cut-off. A table without the anchor column follows the parent it refers
to in the same system (``InvoiceLine`` follows ``Invoice``): its rows expire with their parent
row and are swept first.

What happens to an expired row: it is deleted, unless the register asks to anonymise rows with no
hold on them (then its fields are erased by their strategies), or rows of another table of the
system that stay still refer to it (a foreign key would forbid the delete): then it is anonymised,
or kept when no field would change, and the plan counts it with the tables that keep it. Rows of
the referring table that this run deletes keep nothing: tables are swept children first, so a
rental whose payments leave the bookkeeping hold goes in the same run as they do.

A processor follows the controller's instructions (GDPR Art. 28(3)(a), (g)): a processor
activity's retention rule is the instruction; a table whose processor activities give none is
listed as "kept: processor, controller decides", never skipped in silence.
"""

from __future__ import annotations

import graphlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from varna.connectors import predicates as cp
from varna.connectors.predicates import Predicate
from varna.law.bookkeeping import FiscalYear
from varna.register.activities import Retention, Role
from varna.register.model import Register
from varna.register.systems import FieldErasure, Table, TableErasure
from varna.retention import predicates as p
from varna.retention.models import Action, RetentionPlan, Sweep, TablePlan
from varna.retention.rules import anchor_of, citation, cutoff, describe

EXAMPLES = 3
Exclusions = Mapping[tuple[str, str], Collection[tuple[Any, ...]]]
"""(system, table) -> primary keys to keep: restricted people, open requests."""


class CountSource(Protocol):
    """Answers one COUNT (and the first few primary keys) per table and predicate, leaving
    out the rows kept at that moment (``NotExcluded`` in the predicate)."""

    def count(
        self, system: str, table: str, where: Predicate | None, *, exclusions: cp.Exclusions
    ) -> int: ...

    def examples(
        self,
        system: str,
        table: str,
        primary_key: Sequence[str],
        where: Predicate,
        *,
        limit: int,
        exclusions: cp.Exclusions,
    ) -> list[tuple[Any, ...]]: ...


def for_system(exclusions: Exclusions, system: str) -> cp.Exclusions:
    """The exclusions of one system, by table."""
    return {table: keys for (s, table), keys in exclusions.items() if s == system}


Stage = Literal["rules", "held", "kept"]
"""How far a row's expiry is taken: by the rules alone, past the legal holds too, and past the
rows kept for a person (restrictions, open requests) too."""


@dataclass(frozen=True, slots=True)
class _Expiry:
    """A table's expiry, before counting: ``rules`` alone, then with holds and exclusions."""

    rules: Predicate
    held: Predicate
    kept: Predicate
    words: str
    citations: tuple[str, ...]
    has_holds: bool
    follows: str | None
    own_cutoffs: bool = False
    """A hold adds a cut-off of its own: some rows may stay after their parent expires."""


@dataclass(frozen=True, slots=True)
class _Link:
    """A row's anchor on its parent row: ``column`` refers to ``parent.parent_column``, whose
    row has the anchor in ``anchor`` and expires by ``expiry``."""

    column: str
    parent: str
    parent_column: str
    anchor: str
    expiry: _Expiry


@dataclass(frozen=True, slots=True)
class _Unplanned:
    reason: str


class _Planner:
    def __init__(self, register: Register, now: datetime, exclusions: Exclusions) -> None:
        self.register = register
        self.now = now
        self.exclusions = exclusions
        start = register.controller.fiscal_year_start.month
        self.fiscal_year = FiscalYear(start)
        self.memo: dict[tuple[str, str], _Expiry | _Unplanned | None] = {}
        self.deleting: dict[tuple[str, str], Predicate | None] = {}

    def rules(self, table: Table) -> list[Retention] | _Unplanned | None:
        """The retention rules of the table's activities. A processor follows the controller's
        instructions (Art. 28(3)(a), (g)): a processor activity's rule is the instruction; one
        without a rule leaves the rows to the controller, and the plan says so."""
        found: list[Retention] = []
        processor: _Unplanned | None = None
        for key in table.activities:
            activity = self.register.activities.get(key)
            if activity is None:
                continue
            if activity.role is Role.processor and activity.retention is None:
                processor = _Unplanned(
                    f"kept: processor, controller decides (activity '{key}' records no "
                    "instruction: add the controller's retention rule to it)"
                )
                continue
            if activity.retention is None:
                return _Unplanned(f"activity '{key}' has no retention rule: rows are kept")
            found.append(activity.retention)
        return found or processor

    def anchor(
        self, system: str, name: str, event: str
    ) -> tuple[_Link | None, str | None] | _Unplanned:
        """How to find the anchor ``event``: (None, column) locally, or the parent link."""
        table = self.register.table(system, name)
        if event in table.anchors:
            return None, table.anchors[event]
        for column, ref in table.references.items():
            # a reference not followed (a stock movement naming an order) does not make the
            # row part of the parent's record: it does not lend the row the parent's dates
            if ref.system not in (None, system) or ref.table == name or not ref.follow:
                continue
            parent = self.register.systems[system].tables.get(ref.table)
            if parent is None or event not in parent.anchors:
                continue
            expiry = self.expiry(system, ref.table)
            if not isinstance(expiry, _Expiry):
                reason = expiry.reason if expiry else "it has no retention rule"
                return _Unplanned(f"follows {ref.table}, which is not swept: {reason}")
            link = _Link(column, ref.table, ref.column, parent.anchors[event], expiry)
            return link, ref.table
        return _Unplanned(
            f"rows are kept: the register maps anchor '{event}' to no column of this table "
            "or of a parent table (add it under anchors)"
        )

    def expiry(self, system: str, name: str) -> _Expiry | _Unplanned | None:
        key = (system, name)
        if key not in self.memo:
            self.memo[key] = None  # a reference cycle reads as "no rule"
            self.memo[key] = self._expiry(system, name)
        return self.memo[key]

    def _condition(
        self,
        system: str,
        name: str,
        rule: Retention,
        *,
        hold: bool = False,
        stage: Stage = "kept",
    ) -> tuple[Predicate, str | None] | _Unplanned:
        """Rows past ``rule``. Through a parent, an activity's rule expires the row with its
        parent row at ``stage`` (expired by its rules, also past its holds, or also not kept
        for a person); a legal hold on the row itself ends when the hold's own cut-off has
        passed the parent's date (invoice lines held by the bookkeeping hold while their
        invoice, under no hold, has expired), whatever the parent's rules say."""
        found = self.anchor(system, name, anchor_of(rule))
        if isinstance(found, _Unplanned):
            return found
        link, column = found
        moment = cutoff(rule, now=self.now, fiscal_year=self.fiscal_year)
        if link is not None:
            stages = {
                "rules": link.expiry.rules,
                "held": link.expiry.held,
                "kept": link.expiry.kept,
            }
            parent_where = p.before(link.anchor, moment) if hold else stages[stage]
            return p.in_parent(link.column, link.parent, link.parent_column, parent_where), column
        assert column is not None
        return p.before(column, moment), None

    def _expiry(self, system: str, name: str) -> _Expiry | _Unplanned | None:
        table = self.register.table(system, name)
        rules = self.rules(table)
        if rules is None or isinstance(rules, _Unplanned):
            return rules
        conditions: list[Predicate] = []
        follows: str | None = None
        for rule in rules:
            found = self._condition(system, name, rule, stage="rules")
            if isinstance(found, _Unplanned):
                return found
            conditions.append(found[0])
            follows = follows or found[1]
        holds: list[Predicate] = []
        hold_keys = dict.fromkeys(
            [*table.legal_holds, *(h for a in table.activities for h in self._holds(a))]
        )
        for hold_key in hold_keys:
            hold = self.register.legal_holds.get(hold_key)
            if hold is None or hold.retention in rules:
                continue
            found = self._condition(system, name, hold.retention, hold=True)
            if isinstance(found, _Unplanned):
                return _Unplanned(f"legal hold '{hold_key}': {found.reason}")
            holds.append(found[0])
        # A child follows its parent through each stage: expired by the rules when its parent
        # is, past the holds when its parent is (the parent's holds count as the child's), and
        # kept for a person when its parent is (a restricted order keeps its lines).
        parent_held: list[Predicate] = []
        parent_kept: list[Predicate] = []
        parent_holds = False
        if follows is not None:
            stages: tuple[tuple[Stage, list[Predicate]], ...] = (
                ("held", parent_held),
                ("kept", parent_kept),
            )
            for rule in rules:
                for stage, into in stages:
                    found = self._condition(system, name, rule, stage=stage)
                    assert not isinstance(found, _Unplanned)  # the rules stage found it
                    into.append(found[0])
            parent = self.expiry(system, follows)
            parent_holds = isinstance(parent, _Expiry) and parent.has_holds
        rules_where = cp.all_of(*conditions)
        held_where = cp.all_of(rules_where, *holds, *parent_held)
        kept = cp.all_of(held_where, *parent_kept, p.not_excluded(tuple(table.primary_key)))
        words = "; ".join(dict.fromkeys(describe(r) for r in rules))
        cites = tuple(dict.fromkeys(["GDPR Art. 5(1)(e)", *(citation(r) for r in rules)]))
        has_holds = bool(hold_keys) or parent_holds
        return _Expiry(rules_where, held_where, kept, words, cites, has_holds, follows, bool(holds))

    def _holds(self, activity: str) -> list[str]:
        found = self.register.activities.get(activity)
        return list(found.legal_holds) if found else []

    def referrers(self, system: str, name: str) -> list[_Referrer]:
        """References to ``name`` from tables of the system whose rows may stay when the
        table's expired rows go: all but the children that follow it and are deleted with it,
        every one of them (a child that follows but is anonymised or kept, or whose own hold
        or own referrers keep some of its rows, still refers to its parent)."""
        out = []
        for other, table in self.register.systems[system].tables.items():
            if other == name:
                continue
            if self._goes_with(system, other, name):
                continue
            for column, ref in table.references.items():
                if ref.table == name and ref.system in (None, system):
                    out.append(_Referrer(other, column, ref.column))
        return out

    def _goes_with(self, system: str, child: str, parent: str) -> bool:
        """Every row of ``child`` goes in this run with the expired parent row it follows."""
        expiry = self.expiry(system, child)
        if not isinstance(expiry, _Expiry) or expiry.follows != parent or expiry.own_cutoffs:
            return False
        if self.deleted(system, child) is None:
            return False
        return not self.action(system, child, expiry)[2]

    def deleted(self, system: str, name: str) -> Predicate | None:
        """The rows of the table this run deletes, or None when it deletes none."""
        key = (system, name)
        if key in self.deleting:
            return self.deleting[key]
        self.deleting[key] = None  # a reference cycle deletes nothing
        expiry = self.expiry(system, name)
        if isinstance(expiry, _Expiry):
            action, where, _ = self.action(system, name, expiry)
            self.deleting[key] = where if action is Action.delete_row else None
        return self.deleting[key]

    def action(
        self, system: str, name: str, expiry: _Expiry
    ) -> tuple[Action, Predicate, tuple[_Referrer, ...]]:
        """What happens to the expired rows, the rows it happens to, and the references that
        keep some of them. A row that rows staying behind still refer to cannot be deleted (a
        foreign key may forbid it); one whose referrers are all deleted earlier in this run
        (a rental whose payments leave the bookkeeping hold now) is deleted with them."""
        table = self.register.table(system, name)
        if table.erasure is TableErasure.anonymise and not expiry.has_holds:
            return Action.anonymise, expiry.kept, ()
        blockers = tuple(self.referrers(system, name))
        unreferenced = [
            p.not_referenced(b.column, b.table, b.child_column, self.deleted(system, b.table))
            for b in blockers
        ]
        return Action.delete_row, cp.all_of(expiry.kept, *unreferenced), blockers


@dataclass(frozen=True, slots=True)
class _Referrer:
    """``table.child_column`` refers to ``column`` of the table planned."""

    table: str
    child_column: str
    column: str


def _order(planner: _Planner, keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Children before the parents they refer to (a referrer's rows go first, so the rows it
    kept can go after it); tables in a reference cycle keep the register's order."""
    sorter: graphlib.TopologicalSorter[tuple[str, str]] = graphlib.TopologicalSorter()
    planned = set(keys)
    for key in keys:
        sorter.add(key)
        table = planner.register.table(*key)
        for ref in table.references.values():
            parent = (key[0], ref.table)
            if ref.system in (None, key[0]) and parent in planned and parent != key:
                sorter.add(parent, key)
    try:
        return list(sorter.static_order())
    except graphlib.CycleError:
        return keys


def plan_retention(
    register: Register,
    *,
    now: datetime,
    counts: CountSource,
    exclusions: Exclusions | None = None,
) -> RetentionPlan:
    """The sweep due at ``now``, per system and table, children before parents."""
    planner = _Planner(register, now, exclusions or {})
    plans: dict[tuple[str, str], TablePlan] = {}
    for system, name, _table in register.tables():
        expiry = planner.expiry(system, name)
        if expiry is None:
            continue
        plans[(system, name)] = _table_plan(planner, counts, system, name, expiry)
    ordered = [plans[key] for key in _order(planner, list(plans))]
    return RetentionPlan(now=now, tables=tuple(ordered))


def _table_plan(
    planner: _Planner,
    counts: CountSource,
    system: str,
    name: str,
    expiry: _Expiry | _Unplanned,
) -> TablePlan:
    table = planner.register.table(system, name)
    kept = for_system(planner.exclusions, system)

    def count(where: Predicate | None) -> int:
        return counts.count(system, name, where, exclusions=kept)

    total = count(None)
    if isinstance(expiry, _Unplanned):
        return TablePlan(
            system, name, Action.none, "not swept", (), total=total, reason=expiry.reason
        )
    action, where, blockers = planner.action(system, name, expiry)
    fields = {n: s for n, s in table.fields.items() if s.erasure is not FieldErasure.keep}
    reason: str | None = None
    if action is Action.anonymise:
        reason = "the register anonymises rows of this table"
        if not fields:
            action, reason = Action.none, "anonymisation would erase no field: rows are kept"
        where = cp.all_of(where, p.pending(fields))
    by_rules = count(expiry.rules) if expiry.has_holds else None
    by_holds = count(expiry.held)
    by_kept = count(expiry.kept) if kept else by_holds
    expiring = 0 if action is Action.none else count(where)
    referenced, rest, rest_count = 0, None, 0
    if blockers:
        referenced = by_kept - expiring
        names = ", ".join(dict.fromkeys(b.table for b in blockers))
        if referenced and fields:
            # after the delete, the expired rows left are the referenced ones
            rest_where = cp.all_of(expiry.kept, p.pending(fields))
            rest_count = count(rest_where) - count(cp.all_of(where, p.pending(fields)))
            rest = Sweep(tuple(table.primary_key), rest_where, fields) if rest_count else None
            reason = (
                f"{referenced:,} expired rows are referred to by rows of {names} that stay: "
                "anonymised, not deleted"
            )
        elif referenced:
            reason = (
                f"{referenced:,} expired rows are kept: rows of {names} that stay refer to them "
                "(they go in the run after those rows go)"
            )
    examples = (
        counts.examples(system, name, table.primary_key, where, limit=EXAMPLES, exclusions=kept)
        if expiring
        else []
    )
    return TablePlan(
        system,
        name,
        action,
        expiry.words,
        expiry.citations,
        total=total,
        expiring=expiring,
        held=(by_rules - by_holds) if by_rules is not None else 0,
        excluded=by_holds - by_kept,
        referenced=referenced,
        referenced_by=tuple(dict.fromkeys(b.table for b in blockers)),
        anonymised_referenced=rest_count,
        examples=tuple(examples),
        reason=reason,
        follows=expiry.follows,
        sweep=Sweep(tuple(table.primary_key), where, fields) if expiring else None,
        rest=rest,
    )
