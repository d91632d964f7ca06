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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from varna.connectors.base import Connector
from varna.dsr.context import CategoryUse, RecipientInfo, category_uses, controller_info
from varna.dsr.identity import Identity
from varna.dsr.planner import RequestKind, plan_request
from varna.dsr.proof import Recorder
from varna.dsr.rights import Right, rights_for
from varna.dsr.traversal import Conflict, Found, collect_rows
from varna.dsr.values import json_value
from varna.register.model import Register

SCHEMA = "varna.access/1"


@dataclass(frozen=True, slots=True, repr=False)
class FieldValue:
    """One field of a row: column, category key and label, and the stored value."""

    name: str
    category: str
    label: str
    value: Any

    def __repr__(self) -> str:
        return f"FieldValue({self.name}: {self.category})"


@dataclass(frozen=True, slots=True, repr=False)
class RowExtract:
    """One row: its primary key and its personal-data fields."""

    key: dict[str, Any]
    fields: tuple[FieldValue, ...]
    reached_by: str = ""
    """Which identity reached the row, and through which reference."""

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

    @property
    def found(self) -> bool:
        return any(t.rows for t in self.tables)

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
                    }
                    for f in r.fields
                ],
                "reached_by": r.reached_by,
            }
            for r in t.rows
        ]
        entry = {"name": t.table, "description": t.description, "rows": rows}
        system["tables"].append(entry)
    return list(out.values())


def build_access(register: Register, found: Found, *, now: datetime, lang: str) -> AccessResult:
    """The extract for the rows in ``found`` (pure: reads nothing, writes nothing)."""
    tables: list[TableExtract] = []
    for (skey, tname), rows in found.rows.items():
        table, system = register.table(skey, tname), register.systems[skey]
        extracts = tuple(
            RowExtract(
                dict(row.key),
                tuple(
                    FieldValue(
                        name,
                        spec.category,
                        register.category(spec.category).label.get(lang),
                        row.values.get(name),
                    )
                    for name, spec in table.fields.items()
                ),
                row.reached_by,
            )
            for row in rows
        )
        description = table.description.get(lang) if table.description else None
        tables.append(TableExtract(skey, system.name.get(lang), tname, description, extracts))
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
    )


def execute_access(
    register: Register,
    identities: Sequence[Identity],
    connectors: Mapping[str, Connector],
    *,
    now: datetime,
    lang: str = "sv",
    recorder: Recorder | None = None,
) -> AccessResult:
    """Plan, read every system the plan reaches (read-only), build the extract, and record one
    ``dsr.access.executed`` event per system with the row counts per table, all in one audit
    transaction."""
    plan = plan_request(register, identities, kind=RequestKind.access)
    found = collect_rows(plan, connectors, today=now.date())
    result = build_access(register, found, now=now, lang=lang)
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
    return result
