"""Plan a retention sweep: pure, from the register, a clock and row counts.

A row expires when every controller activity of its table has expired it and every legal hold on
it is over. A hold whose rule is the rule an activity already applies is satisfied by it; any
other hold adds its own cut-off. A table without the anchor column follows the parent it refers
to in the same system (``InvoiceLine`` follows ``Invoice``): its rows expire with their parent
row and are swept first.

What happens to an expired row: it is deleted, unless another table of the system refers to the
table without following it (a foreign key may forbid the delete), or the register asks to
anonymise rows with no hold on them; then its fields are erased by their strategies.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

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

    def rules(self, table: Table) -> list[Retention] | _Unplanned | None:
        found: list[Retention] = []
        for key in table.activities:
            activity = self.register.activities.get(key)
            if activity is None or activity.role is not Role.controller:
                continue
            if activity.retention is None:
                return _Unplanned(f"activity '{key}' has no retention rule: rows are kept")
            found.append(activity.retention)
        return found or None

    def anchor(
        self, system: str, name: str, event: str
    ) -> tuple[Predicate | None, str | None] | _Unplanned:
        """How to find the anchor ``event``: (None, column) locally, or the parent link."""
        table = self.register.table(system, name)
        if event in table.anchors:
            return None, table.anchors[event]
        for column, ref in table.references.items():
            if ref.system not in (None, system) or ref.table == name:
                continue
            parent = self.register.systems[system].tables.get(ref.table)
            if parent is None or event not in parent.anchors:
                continue
            expiry = self.expiry(system, ref.table)
            if not isinstance(expiry, _Expiry):
                reason = expiry.reason if expiry else "it has no retention rule"
                return _Unplanned(f"follows {ref.table}, which is not swept: {reason}")
            return p.in_parent(column, ref.table, ref.column, expiry.kept), ref.table
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
        self, system: str, name: str, rule: Retention
    ) -> tuple[Predicate, str | None] | _Unplanned:
        found = self.anchor(system, name, anchor_of(rule))
        if isinstance(found, _Unplanned):
            return found
        via_parent, column = found
        if via_parent is not None:
            return via_parent, column
        assert column is not None
        moment = cutoff(rule, now=self.now, fiscal_year=self.fiscal_year)
        return p.before(column, moment), None

    def _expiry(self, system: str, name: str) -> _Expiry | _Unplanned | None:
        table = self.register.table(system, name)
        rules = self.rules(table)
        if rules is None or isinstance(rules, _Unplanned):
            return rules
        conditions: list[Predicate] = []
        follows: str | None = None
        for rule in rules:
            found = self._condition(system, name, rule)
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
            found = self._condition(system, name, hold.retention)
            if isinstance(found, _Unplanned):
                return _Unplanned(f"legal hold '{hold_key}': {found.reason}")
            holds.append(found[0])
        rules_where = cp.all_of(*conditions)
        held_where = cp.all_of(rules_where, *holds)
        kept = cp.all_of(held_where, p.not_excluded(tuple(table.primary_key)))
        words = "; ".join(dict.fromkeys(describe(r) for r in rules))
        cites = tuple(dict.fromkeys(["GDPR Art. 5(1)(e)", *(citation(r) for r in rules)]))
        return _Expiry(rules_where, held_where, kept, words, cites, bool(hold_keys), follows)

    def _holds(self, activity: str) -> list[str]:
        found = self.register.activities.get(activity)
        return list(found.legal_holds) if found else []

    def referrers(self, system: str, name: str) -> list[str]:
        """Tables of the system that refer to ``name`` without following it."""
        out = []
        for other, table in self.register.systems[system].tables.items():
            points = any(
                r.table == name and r.system in (None, system) for r in table.references.values()
            )
            if not points:
                continue
            expiry = self.expiry(system, other) if other != name else None
            if not (isinstance(expiry, _Expiry) and expiry.follows == name):
                out.append(other)
        return out

    def action(self, system: str, name: str, expiry: _Expiry) -> tuple[Action, str | None]:
        table = self.register.table(system, name)
        blockers = self.referrers(system, name)
        if blockers:
            reason = f"referred to by {', '.join(blockers)}: anonymised, not deleted"
            return Action.anonymise, reason
        if table.erasure is TableErasure.anonymise and not expiry.has_holds:
            return Action.anonymise, "the register anonymises rows of this table"
        return Action.delete_row, None


def _depth(planner: _Planner, key: tuple[str, str]) -> int:
    depth = 0
    expiry = planner.memo.get(key)
    while isinstance(expiry, _Expiry) and expiry.follows and depth < 50:
        depth += 1
        expiry = planner.memo.get((key[0], expiry.follows))
    return depth


def plan_retention(
    register: Register,
    *,
    now: datetime,
    counts: CountSource,
    exclusions: Exclusions | None = None,
) -> RetentionPlan:
    """The sweep due at ``now``, per system and table, children before parents."""
    planner = _Planner(register, now, exclusions or {})
    plans: list[tuple[int, TablePlan]] = []
    for system, name, _table in register.tables():
        expiry = planner.expiry(system, name)
        if expiry is None:
            continue
        plan = _table_plan(planner, counts, system, name, expiry)
        plans.append((-_depth(planner, (system, name)), plan))
    ordered = [plan for _, plan in sorted(plans, key=lambda item: item[0])]
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
    action, reason = planner.action(system, name, expiry)
    fields = {n: s for n, s in table.fields.items() if s.erasure is not FieldErasure.keep}
    where = expiry.kept
    if action is Action.anonymise:
        if not fields:
            action, reason = Action.none, "anonymisation would erase no field: rows are kept"
        where = cp.all_of(where, p.pending(fields))
    by_rules = count(expiry.rules) if expiry.has_holds else None
    by_holds = count(expiry.held)
    by_kept = count(expiry.kept) if kept else by_holds
    expiring = 0 if action is Action.none else count(where)
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
        examples=tuple(examples),
        reason=reason,
        follows=expiry.follows,
        sweep=Sweep(tuple(table.primary_key), where, fields) if expiring else None,
    )
