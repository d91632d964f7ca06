"""Where a person's data can be: a pure traversal plan over every system of the register.

:func:`plan_request` reads only the register. It starts from the tables that have an identity
column of a kind the request gives (``identities: {email: Email}``), follows every reference in
both directions (an invoice's ``CustomerId`` leads from the invoice to its customer and from the
customer to all their invoices), across systems (``billing:invoices.customer_id``), and adds the
tables an identity found on the way can seed: a CRM row found by e-mail carries the personnummer
that finds the person in invoicing. References marked ``follow: false`` point at another person
(a support rep) and are never followed (Art. 15(4)); ``direction: to`` or ``from`` follows a
reference one way only (as a Fides dataset says).

The plan says which lookups and links may run; which rows they reach depends on the data, so the
executor (:mod:`varna.dsr.traversal`) runs them to a fixpoint. Cycles end because a value is
looked up at most once per column.

Identity strength (design §3): the plan carries the strength of every kind and, per table, the
identity columns that name the row's own person (:attr:`TablePlan.own`: every identity column
except one that is also a reference not marked ``same_person``, such as the customer number on
a ticket a relative may have written). A weak identity (an IP address) is looked up only when
the request gives it, and erasure by weak identities alone is refused: many people share them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from varna.dsr.identity import Identity
from varna.errors import RequestError
from varna.register.model import Register
from varna.register.systems import Table
from varna.register.types import IdentityStrength


class RequestKind(StrEnum):
    """What the request does with the rows it finds; decides which columns are read."""

    access = "access"
    portability = "portability"
    rectification = "rectification"
    erasure = "erasure"
    restriction = "restriction"


_CHANGES = frozenset({RequestKind.erasure, RequestKind.rectification, RequestKind.restriction})
"""Requests that change rows: never on the strength of weak identities alone."""


@dataclass(frozen=True, slots=True)
class Lookup:
    """Find rows of a table by an identity column."""

    system: str
    table: str
    column: str
    kind: str
    requested: bool
    """True for a kind the request gives; False for one discovered on the way."""


@dataclass(frozen=True, slots=True)
class Link:
    """Follow a register reference from rows of one table to rows of another."""

    system: str
    table: str
    column: str
    to_system: str
    to_table: str
    to_column: str
    direction: Literal["to_parent", "to_child"]
    same_person: bool = False
    """The register marks both rows as about the same person: the rows reached learn."""

    def label(self) -> str:
        source = f"{self.system}:{self.table}.{self.column}"
        target = f"{self.to_system}:{self.to_table}.{self.to_column}"
        what = "the row it refers to" if self.direction == "to_parent" else "rows that refer to it"
        return f"{source} -> {target} ({what})"


@dataclass(frozen=True, slots=True)
class TablePlan:
    """A table the person's rows may be in, and the columns to read from it."""

    system: str
    table: str
    primary_key: tuple[str, ...]
    columns: tuple[str, ...]
    depth: int
    reached_by: str
    identities: tuple[tuple[str, str], ...] = ()
    """(identity kind, column) pairs whose values may seed other lookups."""
    own: frozenset[str] = frozenset()
    """Identity columns that name the row's own person; the others (a reference not marked
    ``same_person``) may name someone else and are never learnt from."""


@dataclass(frozen=True, slots=True)
class TraversalPlan:
    """The readable plan: lookups, links, tables in order of distance, and what is left out."""

    request: RequestKind
    identities: tuple[Identity, ...]
    lookups: tuple[Lookup, ...]
    links: tuple[Link, ...]
    tables: tuple[TablePlan, ...]
    not_followed: tuple[str, ...] = ()
    unreached: tuple[str, ...] = ()
    strengths: dict[str, IdentityStrength] = field(default_factory=dict)
    """Strength of every identity kind the plan's tables hold or the request gives."""
    _index: dict[tuple[str, str], TablePlan] = field(default_factory=dict, compare=False)
    _links: dict[tuple[str, str], list[Link]] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self._index.update({(t.system, t.table): t for t in self.tables})
        for link in self.links:
            self._links.setdefault((link.system, link.table), []).append(link)

    def table(self, system: str, table: str) -> TablePlan:
        return self._index[(system, table)]

    def links_from(self, system: str, table: str) -> list[Link]:
        return self._links.get((system, table), [])

    def lookups_for(self, kind: str) -> Iterator[Lookup]:
        return (lookup for lookup in self.lookups if lookup.kind == kind)

    def strength(self, kind: str) -> IdentityStrength:
        return self.strengths.get(kind, IdentityStrength.shareable)

    def as_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready data (identity kinds only, never values)."""
        return {
            "request": self.request.value,
            "identity_kinds": sorted({i.kind for i in self.identities}),
            "lookups": [
                {
                    "system": x.system,
                    "table": x.table,
                    "column": x.column,
                    "kind": x.kind,
                    "strength": self.strength(x.kind).value,
                    "requested": x.requested,
                }
                for x in self.lookups
            ],
            "links": [link.label() for link in self.links],
            "tables": [
                {
                    "system": t.system,
                    "table": t.table,
                    "depth": t.depth,
                    "reached_by": t.reached_by,
                    "columns": list(t.columns),
                }
                for t in self.tables
            ],
            "not_followed": list(self.not_followed),
            "unreached": list(self.unreached),
        }


def _columns(table: Table, request: RequestKind) -> tuple[str, ...]:
    cols = [*table.primary_key, *(c for _, c in table.identity_columns())]
    cols += [*table.references, *table.fields]
    if request in (RequestKind.erasure, RequestKind.rectification, RequestKind.restriction):
        cols += [*table.anchors.values()]
        cols += [table.restriction_column] if table.restriction_column else []
    return tuple(dict.fromkeys(cols))


def _links(register: Register) -> tuple[list[Link], list[str]]:
    links, skipped = [], []
    for skey, tname, table in register.tables():
        for column, ref in table.references.items():
            to_system = ref.system or skey
            label = f"{skey}:{tname}.{column} -> {to_system}:{ref.table}.{ref.column}"
            if not ref.follow:
                skipped.append(f"{label} (follow: false: it points at another person)")
                continue
            target = register.systems.get(to_system)
            if target is None or ref.table not in target.tables:
                raise RequestError(f"reference {label}: the target table is not in the register")
            same = ref.same_person
            if ref.direction != "from":
                links.append(
                    Link(skey, tname, column, to_system, ref.table, ref.column, "to_parent", same)
                )
            if ref.direction != "to":
                links.append(
                    Link(to_system, ref.table, ref.column, skey, tname, column, "to_child", same)
                )
    return links, skipped


def _table_plan(
    register: Register,
    system: str,
    name: str,
    kind: RequestKind,
    reached: tuple[int, str],
    links: list[Link],
) -> TablePlan:
    table = register.table(system, name)
    pk, identities = tuple(table.primary_key), tuple(sorted(table.identity_columns()))
    # a column other tables refer to (invoices.invoice_no) is read to follow the link to them
    linked = [link.column for link in links if (link.system, link.table) == (system, name)]
    columns = tuple(dict.fromkeys([*_columns(table, kind), *linked]))
    other = {c for c, ref in table.references.items() if not ref.same_person}
    own = frozenset(c for _, c in identities if c not in other)
    return TablePlan(system, name, pk, columns, reached[0], reached[1], identities, own)


def plan_request(
    register: Register, identities: Sequence[Identity], *, kind: RequestKind
) -> TraversalPlan:
    """The traversal plan for a request of ``kind`` starting from ``identities``."""
    known = register.identity_kinds()
    for identity in identities:
        if identity.kind not in known:
            raise RequestError(f"unknown identity kind '{identity.kind}'")
    if not identities:
        raise RequestError("a request needs at least one identity, e.g. email=name@example.se")
    strengths = {k: register.identity_strength(k) for k in known}
    weak = IdentityStrength.weak
    if kind in _CHANGES and all(strengths[i.kind] is weak for i in identities):
        given = ", ".join(sorted({i.kind for i in identities}))
        raise RequestError(
            f"{kind.value} by {given} alone is refused: a weak identifier is shared by many "
            "people (one IP address, one device), so its rows may be someone else's; identify "
            "the person by an e-mail, a personnummer or a customer number as well"
        )
    requested = {i.kind for i in identities}
    by_kind: dict[str, list[tuple[str, str, str]]] = {}
    for skey, tname, table in register.tables():
        for ikind, column in table.identity_columns():
            by_kind.setdefault(ikind, []).append((skey, tname, column))
    links, skipped = _links(register)

    reached: dict[tuple[str, str], tuple[int, str]] = {}
    lookups: list[Lookup] = []
    queue: deque[tuple[str, str]] = deque()
    seeded: set[str] = set()

    def seed(ikind: str, depth: int) -> None:
        if ikind in seeded or (ikind not in requested and strengths[ikind] is weak):
            return  # a weak identity learnt on the way looks nothing up: it is not theirs alone
        seeded.add(ikind)
        for skey, tname, column in by_kind.get(ikind, []):
            lookups.append(Lookup(skey, tname, column, ikind, ikind in requested))
            if (skey, tname) not in reached:
                reached[(skey, tname)] = (depth, f"identity {ikind} ({column})")
                queue.append((skey, tname))

    for ikind in sorted(requested):
        seed(ikind, 0)
    while queue:
        skey, tname = queue.popleft()
        depth = reached[(skey, tname)][0]
        for link in links:
            target = (link.to_system, link.to_table)
            if (link.system, link.table) == (skey, tname) and target not in reached:
                reached[target] = (depth + 1, f"link {link.label()}")
                queue.append(target)
        for ikind in sorted(register.table(skey, tname).identities):
            seed(ikind, depth + 1)

    used = [link for link in links if (link.system, link.table) in reached]
    tables = [
        _table_plan(register, s, t, kind, how, used)
        for (s, t), how in sorted(reached.items(), key=lambda kv: kv[1][0])
    ]
    unreached = [f"{s}:{t}" for s, t, _ in register.tables() if (s, t) not in reached]
    return TraversalPlan(
        kind,
        tuple(identities),
        tuple(lookups),
        tuple(used),
        tuple(tables),
        tuple(skipped),
        tuple(unreached),
        strengths,
    )


def describe_plan(plan: TraversalPlan) -> list[str]:
    """The plan as lines a person can read (``varna dsr plan``)."""
    kinds = ", ".join(sorted({i.kind for i in plan.identities}))
    out = [f"{plan.request.value} request by {kinds}: {len(plan.tables)} table(s) to search"]
    for t in plan.tables:
        out.append(f"  [{t.depth}] {t.system}:{t.table}  via {t.reached_by}")
    out.append("lookups by identity:")
    out += [
        f"  {x.system}:{x.table}.{x.column} = {x.kind}"
        + ("" if x.requested else " (found on the way)")
        + f" [{plan.strength(x.kind).value}]"
        for x in plan.lookups
    ]
    if plan.links:
        out.append("links followed:")
        out += [
            f"  {link.label()}" + (" [same person]" if link.same_person else "")
            for link in plan.links
        ]
    if plan.not_followed:
        out.append("references not followed:")
        out += [f"  {text}" for text in plan.not_followed]
    if plan.unreached:
        out.append("tables the request cannot reach: " + ", ".join(plan.unreached))
    return out
