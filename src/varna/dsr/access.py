"""Right of access (GDPR Art. 15): every row about the person, with what the law says comes with it.

:func:`build_access` is pure: from the register and the rows found it assembles an
:class:`AccessResult` holding the copy of the data (15(1), 15(3)), grouped by system and table,
each field with its category; and, per category, the purposes and legal bases (15(1)(a)), the
categories themselves (b), the recipients (c) with third-country transfers and their safeguards
(15(2)), the retention period or its criteria (d), the sources where the data was not collected
from the person (g) and automated decisions (h); then the rights (e) and how to complain to the
supervisory authority (f). :func:`execute_access` plans, reads (never writes) and builds.

Rows reached only through references that point at another person are never read (15(4)); the
result lists those references so the extract can say so. A row that names another person's
unique identity (a relative's ticket carrying the customer's number) is left out and listed in
:attr:`AccessResult.conflicts` (system, table, key, kind; never a value) for a human to decide
before the answer goes out (design §3). ``as_dict`` is the JSON form, schema
``varna.access/1`` (docs/dsr.md).

15(3) is a copy of the personal data, not of the columns the register declares: every column of
every row found is read, in the query that finds it (``collect_rows(columns=...)``), the
declared ones with their label, the others as other data in the same record. The context is
given once per activity (:class:`ActivityUse`), with the source per item (15(1)(g)), the
processor holding each system, and whether automated decisions are made (15(1)(h)). A row its
own retention rules have let expire is flagged (:attr:`RowExtract.overdue`): the person is
told, and the caller reports it to the DPO.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from varna.connectors.base import Connector, Introspection
from varna.dsr.context import (
    BasisInfo,
    CategoryUse,
    DecisionInfo,
    HoldInfo,
    Processing,
    RecipientInfo,
    category_uses,
    controller_info,
    recipient_info,
)
from varna.dsr.found import FoundRow
from varna.dsr.identity import Identity
from varna.dsr.planner import RequestKind, plan_request
from varna.dsr.proof import Recorder
from varna.dsr.rights import Right, rights_for
from varna.dsr.traversal import Conflict, Found, collect_rows
from varna.dsr.values import json_value
from varna.register.activities import Retention
from varna.register.model import Register
from varna.texts.catalog import texts_for
from varna.texts.glossary import SOURCES, label

Cutoff = Callable[[Retention], datetime]
"""The instant before which a retention rule's anchor has expired (the retention engine's
``cutoff`` with the controller's fiscal year), given by the caller: ``dsr`` does not import
``retention``."""

SCHEMA = "varna.access/1"


@dataclass(frozen=True, slots=True, repr=False)
class FieldValue:
    """One field of a row: column, category key and label, and the stored value."""

    name: str
    category: str
    label: str
    value: Any
    declared: bool = True
    """False for a column the register does not declare: shown as other data in the record."""

    def __repr__(self) -> str:
        return f"FieldValue({self.name}: {self.category})"


@dataclass(frozen=True, slots=True, repr=False)
class RowExtract:
    """One row: its primary key and its personal-data fields."""

    key: dict[str, Any]
    fields: tuple[FieldValue, ...]
    reached_by: str = ""
    """Which identity reached the row, and through which reference."""
    overdue: bool = False
    """Every retention rule of the row has expired: it should have been erased (Art. 5(1)(e))."""

    def __repr__(self) -> str:
        return f"RowExtract({len(self.fields)} fields)"


@dataclass(frozen=True, slots=True)
class TableExtract:
    """The person's rows in one table of one system."""

    system: str
    system_name: str
    table: str
    description: str | None
    rows: tuple[RowExtract, ...]
    held_by: RecipientInfo | None = None
    """The processor that holds the system for the controller (hosting), if any."""

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.rows if r.overdue)


@dataclass(frozen=True, slots=True)
class SourceUse:
    """Where some of the person's items came from (Art. 15(1)(g)): the source and the items."""

    text: str
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ActivityUse:
    """One activity that processes the person's data, given once, with the items it uses."""

    key: str
    name: str
    purpose: str
    legal_bases: tuple[BasisInfo, ...]
    retention: str
    items: tuple[str, ...]
    """Labels of the categories of the person's data this activity processes."""
    sources: tuple[SourceUse, ...]
    recipients: tuple[RecipientInfo, ...]
    automated_decision: DecisionInfo | None
    legal_holds: tuple[HoldInfo, ...]

    def as_dict(self) -> dict[str, Any]:
        decision = self.automated_decision
        return {
            "key": self.key,
            "name": self.name,
            "purpose": self.purpose,
            "legal_bases": [json_value(asdict(b)) for b in self.legal_bases],
            "retention": self.retention,
            "items": list(self.items),
            "sources": [{"source": s.text, "items": list(s.items)} for s in self.sources],
            "recipients": [r.key for r in self.recipients],
            "automated_decision": json_value(asdict(decision)) if decision else None,
            "legal_holds": [h.key for h in self.legal_holds],
        }


@dataclass(frozen=True, slots=True)
class AccessResult:
    """A register extract (registerutdrag) in one language."""

    generated_at: datetime
    language: str
    controller: dict[str, Any]
    identity_kinds: tuple[str, ...]
    tables: tuple[TableExtract, ...]
    categories: tuple[CategoryUse, ...]
    recipients: tuple[RecipientInfo, ...]
    rights: tuple[Right, ...]
    complaint: dict[str, Any]
    other_people: tuple[str, ...]
    conflicts: tuple[Conflict, ...] = ()
    """Rows left out because they name another person: a human decides before answering."""
    activities: tuple[ActivityUse, ...] = ()
    """The context, once per activity (15(1)(a)-(d), (g), (h))."""

    @property
    def found(self) -> bool:
        return any(t.rows for t in self.tables)

    @property
    def overdue(self) -> dict[tuple[str, str], int]:
        """Rows past their retention period, counted per (system, table): no values."""
        return {(t.system, t.table): t.overdue for t in self.tables if t.overdue}

    @property
    def automated_decisions(self) -> bool:
        return any(a.automated_decision for a in self.activities)

    def count(self, system: str, table: str) -> int:
        return sum(len(t.rows) for t in self.tables if (t.system, t.table) == (system, table))

    def as_dict(self) -> dict[str, Any]:
        """The JSON form, schema ``varna.access/1``."""
        return {
            "schema": SCHEMA,
            "generated_at": self.generated_at.isoformat(),
            "language": self.language,
            "controller": self.controller,
            "request": {"identity_kinds": list(self.identity_kinds), "found": self.found},
            "systems": _systems(self.tables),
            "categories": [c.as_dict() for c in self.categories],
            "recipients": [r.as_dict() for r in self.recipients],
            "rights": [{"right": r.key, "article": r.article, "text": r.text} for r in self.rights],
            "complaint": self.complaint,
            "other_people_left_out": list(self.other_people),
            "conflicts": [c.as_dict() for c in self.conflicts],
            "activities": [a.as_dict() for a in self.activities],
            "overdue_rows": [
                {"system": s, "table": t, "rows": n} for (s, t), n in self.overdue.items()
            ],
        }


def _systems(tables: Sequence[TableExtract]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for t in tables:
        system = out.setdefault(t.system, {"key": t.system, "name": t.system_name, "tables": []})
        rows = [
            {
                "key": {k: json_value(v) for k, v in r.key.items()},
                "fields": [
                    {
                        "name": f.name,
                        "category": f.category,
                        "label": f.label,
                        "value": json_value(f.value),
                        "declared": f.declared,
                    }
                    for f in r.fields
                ],
                "reached_by": r.reached_by,
                "overdue": r.overdue,
            }
            for r in t.rows
        ]
        entry = {
            "name": t.table,
            "description": t.description,
            "held_by": t.held_by.key if t.held_by else None,
            "rows": rows,
        }
        system["tables"].append(entry)
    return list(out.values())


def _as_datetime(value: Any) -> datetime | None:
    """An anchor value as a naive datetime (a date, a datetime or ISO text), else None."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip()).replace(tzinfo=None)
        except ValueError:
            return None
    return None


def _overdue(register: Register, skey: str, tname: str, row: FoundRow, cutoff: Cutoff) -> bool:
    """Every typed retention rule of the row (its activities' and its holds') has expired by its
    anchor column; a rule whose anchor the table does not map, or whose value is empty, keeps
    the row (a row without an anchor never expires, as in the retention engine)."""
    from varna.register.activities import UntilWithdrawn

    table = register.table(skey, tname)
    rules: list[Retention] = []
    for a in table.activities:
        act = register.activities[a]
        rules += [act.retention] if act.retention is not None else []
        rules += [register.legal_holds[h].retention for h in act.legal_holds]
    rules += [register.legal_holds[h].retention for h in table.legal_holds]
    if not rules:
        return False
    for rule in rules:
        anchor = "consent_withdrawn" if isinstance(rule, UntilWithdrawn) else rule.anchor
        column = table.anchors.get(anchor)
        moment = _as_datetime(row.values.get(column)) if column else None
        if moment is None or moment >= cutoff(rule):
            return False
    return True


def _fields(
    register: Register, skey: str, tname: str, row: FoundRow, lang: str
) -> tuple[FieldValue, ...]:
    table = register.table(skey, tname)
    declared = [
        FieldValue(
            name,
            spec.category,
            (spec.label or register.category(spec.category).label).get(lang),
            row.values.get(name),
        )
        for name, spec in table.fields.items()
    ]
    other = texts_for(lang).gettext("Other data in the same record")
    rest = [
        FieldValue(
            name,
            "",
            table.labels[name].get(lang) if name in table.labels else other,
            value,
            declared=False,
        )
        for name, value in row.values.items()
        if name not in table.fields
    ]
    return (*declared, *rest)


def _activities(
    register: Register, uses: Sequence[CategoryUse], lang: str, on: date
) -> tuple[ActivityUse, ...]:
    """The category uses turned around: each activity once, with the items it processes and the
    source of each item."""
    t = texts_for(lang)
    order: dict[str, tuple[Processing, list[CategoryUse]]] = {}
    for use in uses:
        for p in use.processing:
            entry = order.setdefault(p.activity, (p, []))
            entry[1].append(use)
    out = []
    for key, (p, cats) in order.items():
        act = register.activities[key]
        found = {c.key: c.label for c in cats}
        sources = []
        for s in act.sources:
            items = [found[c] for c in s.categories if c in found] if s.categories else []
            if s.categories and not items:
                continue  # none of the items from this source is in the person's data
            text = t.gettext("From {source}", source=label(SOURCES, s.kind, t))
            name = s.name.get(lang) if s.name else None
            sources.append(SourceUse(f"{text} ({name})" if name else text, tuple(items)))
        holds = {h.key: h for c in cats for h in c.legal_holds if h.key in act.legal_holds}
        out.append(
            ActivityUse(
                key,
                p.name,
                p.purpose,
                p.legal_bases,
                p.retention,
                tuple(dict.fromkeys(found.values())),
                tuple(sources),
                p.recipients,
                p.automated_decision,
                tuple(holds.values()),
            )
        )
    return tuple(out)


def build_access(
    register: Register,
    found: Found,
    *,
    now: datetime,
    lang: str,
    cutoff: Cutoff | None = None,
) -> AccessResult:
    """The extract for the rows in ``found`` (pure: reads nothing, writes nothing). With
    ``cutoff``, rows past their retention period are flagged."""
    tables: list[TableExtract] = []
    for (skey, tname), rows in found.rows.items():
        table, system = register.table(skey, tname), register.systems[skey]
        extracts = tuple(
            RowExtract(
                dict(row.key),
                _fields(register, skey, tname, row, lang),
                row.reached_by,
                overdue=cutoff is not None and _overdue(register, skey, tname, row, cutoff),
            )
            for row in rows
        )
        description = table.description.get(lang) if table.description else None
        host = (
            recipient_info(register, system.hosted_by, lang, now.date())
            if system.hosted_by in register.recipients
            else None
        )
        tables.append(TableExtract(skey, system.name.get(lang), tname, description, extracts, host))
    uses, recipients, activities = category_uses(
        register, [(t.system, t.table) for t in tables if t.rows], lang=lang, on=now.date()
    )
    authority = register.controller.supervisory_authority
    complaint = {
        "article": "GDPR Art. 77",
        "authority": authority.name.get(lang),
        "website": authority.website,
        "email": authority.email,
        "address": authority.address.model_dump(mode="json") if authority.address else None,
    }
    return AccessResult(
        generated_at=now,
        language=lang,
        controller=controller_info(register),
        identity_kinds=tuple(sorted({i.kind for i in found.plan.identities})),
        tables=tuple(tables),
        categories=uses,
        recipients=recipients,
        rights=tuple(rights_for(list(activities), lang)),
        complaint=complaint,
        other_people=found.plan.not_followed,
        conflicts=tuple(found.conflicts),
        activities=_activities(register, uses, lang, now.date()),
    )


_COLUMNS: weakref.WeakKeyDictionary[object, dict[str, list[str]]] = weakref.WeakKeyDictionary()


def _columns(connector: object, table: str) -> list[str]:
    """Every column of ``table``, described once per open connector (describing a SQL table
    reads its keys and indexes too: a queue of requests should not repeat it)."""
    try:
        known = _COLUMNS.setdefault(connector, {})
    except TypeError:  # a connector that cannot be weakly referenced: describe every time
        known = {}
    if table not in known:  # (the protocol check costs more than the lookup: only here)
        if not isinstance(connector, Introspection):
            return []
        info = connector.describe([table]).get(table)
        known[table] = [c.name for c in info.columns] if info else []
    return known[table]


def read_for_access(
    register: Register,
    identities: Sequence[Identity],
    connectors: Mapping[str, Connector],
    *,
    today: date,
) -> Found:
    """Every row an access request for ``identities`` reaches, with every column (Art. 15(3))."""
    plan = plan_request(register, identities, kind=RequestKind.access)
    return collect_rows(plan, connectors, today=today, columns=_columns)


def execute_access(
    register: Register,
    identities: Sequence[Identity],
    connectors: Mapping[str, Connector],
    *,
    now: datetime,
    lang: str = "sv",
    recorder: Recorder | None = None,
    cutoff: Cutoff | None = None,
    found: Found | None = None,
) -> AccessResult:
    """Plan, read every system the plan reaches (read-only), build the extract, and record one
    ``dsr.access.executed`` event per system with the row counts per table, all in one audit
    transaction. ``found``: the rows already read for this access, every column of each
    (:func:`read_for_access`), when the caller planned the request a moment before."""
    if found is None:
        found = read_for_access(register, identities, connectors, today=now.date())
    plan = found.plan
    result = build_access(register, found, now=now, lang=lang, cutoff=cutoff)
    if recorder is not None:
        per_system = {
            system: {
                "rows": {
                    t.table: found.count(system, t.table) for t in plan.tables if t.system == system
                },
                "language": lang,
            }
            for system in dict.fromkeys(t.system for t in plan.tables)
        }
        recorder.record_each(
            "dsr.access.executed", found.identities, at=now, details_by_target=per_system
        )
        if result.overdue:
            recorder.record_each(
                OVERDUE_FINDING, found.identities, at=now, details_by_target=_overdue_by(result)
            )
    return result


OVERDUE_FINDING = "retention.overdue_found"
"""The audit event that reports rows past their retention period to the DPO (Art. 5(1)(e)):
per system, the tables and how many rows, never a value."""


def _overdue_by(result: AccessResult) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for (system, table), rows in result.overdue.items():
        entry = out.setdefault(system, {"found_by": "dsr.access", "overdue_rows": {}})
        entry["overdue_rows"][table] = rows
    return out
