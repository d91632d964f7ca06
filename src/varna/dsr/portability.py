"""Right to data portability (GDPR Art. 20): the data the person provided, machine-readable.

Art. 20(1) covers data the person *provided* (``provided_by_subject: true``, the default; a
field the organisation derived, such as an invoice total, says ``false``), processed on consent
(6(1)(a), 9(2)(a)) or a contract (6(1)(b)), by automated means (every system in the register is).
A field is portable when its table serves an activity that processes its category on one of
those bases (an activity listing no categories counts for all of the table's). Processor
activities are left out: the controller answers for them (Art. 28).

:func:`write_export` writes a zip: ``export.json`` (schema ``varna.export/1``) and one CSV per
table (UTF-8 with a header row), with the entries dated ``now`` so the same data gives the same
bytes.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from varna.connectors.base import Connector
from varna.dsr.identity import Identity
from varna.dsr.planner import RequestKind, plan_request
from varna.dsr.proof import Recorder
from varna.dsr.traversal import Found, collect_rows
from varna.dsr.values import json_value, text_value
from varna.register.activities import Art9Exception, Basis, Role
from varna.register.model import Register
from varna.spreadsheet import safe_row

SCHEMA = "varna.export/1"
_PORTABLE_BASES = {Basis.consent, Basis.contract}


@dataclass(frozen=True, slots=True, repr=False)
class PortableTable:
    system: str
    table: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]

    def __repr__(self) -> str:
        return f"PortableTable({self.system}:{self.table}, {len(self.rows)} rows)"


@dataclass(frozen=True, slots=True)
class PortableData:
    created_at: datetime
    controller: str
    tables: tuple[PortableTable, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "created_at": self.created_at.isoformat(),
            "controller": self.controller,
            "systems": [
                {
                    "system": t.system,
                    "table": t.table,
                    "rows": [{k: json_value(v) for k, v in r.items()} for r in t.rows],
                }
                for t in self.tables
            ],
        }


def _portable_activity(register: Register, key: str) -> bool:
    act = register.activities[key]
    if act.role is Role.processor:
        return False
    explicit = act.special_category_condition
    if explicit is not None and explicit.exception is Art9Exception.a:
        return True
    return any(b.basis in _PORTABLE_BASES for b in act.legal_bases)


def portable_fields(register: Register, system: str, table: str) -> list[str]:
    """The fields of a table that fall under Art. 20."""
    spec = register.table(system, table)
    out = []
    for name, field in spec.fields.items():
        if not field.provided_by_subject:
            continue
        acts = [
            a
            for a in spec.activities
            if not register.activities[a].categories
            or field.category in register.activities[a].categories
        ]
        if any(_portable_activity(register, a) for a in acts):
            out.append(name)
    return out


def build_export(register: Register, found: Found, *, now: datetime) -> PortableData:
    """The portable part of the rows found (pure)."""
    tables = []
    for (system, table), rows in found.rows.items():
        columns = tuple(portable_fields(register, system, table))
        if columns and rows:
            data = tuple({c: r.values.get(c) for c in columns} for r in rows)
            tables.append(PortableTable(system, table, columns, data))
    return PortableData(now, register.controller.name or "", tuple(tables))


def execute_export(
    register: Register,
    identities: Sequence[Identity],
    connectors: Mapping[str, Connector],
    *,
    now: datetime,
    recorder: Recorder | None = None,
) -> PortableData:
    """Plan, read (never write) and keep the portable fields; record one event per system."""
    plan = plan_request(register, identities, kind=RequestKind.portability)
    found = collect_rows(plan, connectors, today=now.date())
    data = build_export(register, found, now=now)
    if recorder is not None:
        for system in dict.fromkeys(t.system for t in plan.tables):
            counts = {t.table: len(t.rows) for t in data.tables if t.system == system}
            recorder.record(
                "dsr.export.executed",
                found.identities,
                at=now,
                target=system,
                details={"rows": counts},
            )
    return data


def _entry_name(text: str) -> str:
    """A register name as one safe zip path part (no separators, no ``..``)."""
    cleaned = "".join("_" if ch in "/\\:\0" else ch for ch in text).strip(". ")
    return cleaned or "_"


def _csv(table: PortableTable) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(safe_row(table.columns))
    writer.writerows(safe_row(text_value(r[c]) for c in table.columns) for r in table.rows)
    return buffer.getvalue().encode("utf-8")


def export_zip_bytes(data: PortableData) -> bytes:
    """The zip (``export.json`` and ``<system>/<table>.csv``) as bytes."""
    stamp = data.created_at.timetuple()[:6]
    entries = [("export.json", json.dumps(data.as_dict(), ensure_ascii=False, indent=2).encode())]
    entries += [
        (f"{_entry_name(t.system)}/{_entry_name(t.table)}.csv", _csv(t)) for t in data.tables
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def write_export(data: PortableData, path: Path) -> Path:
    """Write the zip (:func:`export_zip_bytes`) to ``path``; return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(export_zip_bytes(data))
    return path
