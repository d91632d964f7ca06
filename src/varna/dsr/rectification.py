"""Right to rectification (GDPR Art. 16) and the recipients to tell (Art. 19).

A correction names what to change and the right value: ``Customer.Email=ny@example.se``,
``store:Customer.Email=...`` or a data category, ``contact.email=...``, meaning every field of
that category (refused where one table holds the category in several columns: name the column).
:func:`plan_rectification` (pure) lists, for every row found, the fields whose stored value
differs. A row reached only because the person's row refers to it (a shared address) is left
alone. A row under an active legal hold keeps the fields of the categories the hold protects:
a correction of an accounting record must show when and by whom it was made (Bokföringslagen
5 kap. 5 §), which overwriting the field does not; the plan says so and leaves it to the books.

Art. 19: the plan lists every recipient of the changed data (the recipients of the activities
that process it, and the processor hosting the system); :func:`record_notified` records that
they were told.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from varna.connectors.base import Connector
from varna.dsr.holds import Anchors, active_holds
from varna.dsr.identity import Identity
from varna.dsr.planner import RequestKind, plan_request
from varna.dsr.proof import Recorder
from varna.dsr.traversal import Found, collect_rows
from varna.errors import RequestError
from varna.register.model import Register

Target = tuple[str, str, str]


@dataclass(frozen=True, slots=True, repr=False)
class RowRectification:
    system: str
    table: str
    key: dict[str, Any]
    changes: dict[str, Any]
    held: tuple[str, ...] = ()
    """Fields left as they are because a legal hold keeps them as recorded."""
    shared: bool = False
    """A row the person's data refers to, which other rows may refer to too: left alone."""

    def __repr__(self) -> str:
        return f"RowRectification({self.system}:{self.table}, {sorted(self.changes)})"


@dataclass(frozen=True, slots=True)
class RectificationPlan:
    created_at: datetime
    identities: tuple[Identity, ...]
    rows: tuple[RowRectification, ...]
    recipients: tuple[str, ...]

    @property
    def systems(self) -> list[str]:
        return list(dict.fromkeys(r.system for r in self.rows if r.changes))

    def describe(self) -> list[str]:
        out = [f"rectification, as of {self.created_at.date().isoformat()}:"]
        for r in self.rows:
            key = ", ".join(f"{k}={v}" for k, v in r.key.items())
            line = f"  {r.system}:{r.table} [{key}]: "
            if r.shared:
                line += "left alone: other people's rows may refer to it (correct it by hand)"
            else:
                line += f"set {', '.join(sorted(r.changes))}" if r.changes else "already right"
            if r.held:
                line += f"; kept as recorded under a legal hold: {', '.join(r.held)}"
            out.append(line)
        if not self.rows:
            out.append("  no field to correct was found")
        names = ", ".join(self.recipients) or "none"
        out.append(f"recipients to tell (GDPR Art. 19): {names}")
        return out


def resolve_target(register: Register, target: str) -> list[Target]:
    """The (system, table, column) fields a correction target names."""
    system, sep, rest = target.partition(":")
    if not sep:
        system, rest = "", target
    table, dot, column = rest.rpartition(".")
    hits = [
        (s, t, column)
        for s, t, spec in register.tables()
        if dot and t == table and column in spec.fields and system in ("", s)
    ]
    if not sep and target in register.category_keys():
        by_category = [
            (s, t, name)
            for s, t, spec in register.tables()
            for name, field in spec.fields.items()
            if field.category == target
        ]
        tables = [(s, t) for s, t, _ in by_category]
        doubled = sorted({f"{s}:{t}" for s, t in tables if tables.count((s, t)) > 1})
        if doubled:
            raise RequestError(
                f"category '{target}' is held in several columns of {', '.join(doubled)}: "
                "name the column (table.column=VALUE)"
            )
        hits += by_category
    if not hits:
        raise RequestError(
            f"'{target}' names no field of the register: write table.column, "
            "system:table.column or a data category"
        )
    return list(dict.fromkeys(hits))


def plan_rectification(
    register: Register, found: Found, corrections: Mapping[str, str], *, now: datetime
) -> RectificationPlan:
    """Which fields of which rows change to the corrected values (pure)."""
    wanted: dict[Target, str] = {}
    for target, value in corrections.items():
        for hit in resolve_target(register, target):
            wanted[hit] = value
    anchors, rows, recipients = Anchors(register, found), [], []
    for row in found.all_rows():
        fields = {c: v for (s, t, c), v in wanted.items() if (s, t) == (row.system, row.table)}
        if not fields:
            continue
        if not row.theirs:
            rows.append(RowRectification(row.system, row.table, dict(row.key), {}, shared=True))
            continue
        table = register.table(row.system, row.table)
        holds = active_holds(register, row, anchors, now.date())
        kept = {c for h in holds for c in register.legal_holds[h.hold].categories}
        held = tuple(c for c in fields if table.fields[c].category in kept)
        changes = {c: v for c, v in fields.items() if c not in held and str(row.values.get(c)) != v}
        rows.append(RowRectification(row.system, row.table, dict(row.key), changes, held))
        if changes:
            categories = {table.fields[c].category for c in changes}
            for key in table.activities:
                act = register.activities[key]
                if not act.categories or categories & set(act.categories):
                    recipients += act.recipients
            hosted_by = register.systems[row.system].hosted_by
            recipients += [hosted_by] if hosted_by else []
    return RectificationPlan(
        now, tuple(found.plan.identities), tuple(rows), tuple(dict.fromkeys(recipients))
    )


def execute_rectification(
    plan: RectificationPlan,
    connectors: Mapping[str, Connector],
    *,
    recorder: Recorder | None = None,
) -> dict[str, int]:
    """Apply the plan, one transaction per system; return rows updated per system."""
    updated: dict[str, int] = {}
    for system in plan.systems:
        connector = connectors[system]
        with connector.transaction():
            updated[system] = sum(
                connector.update(r.table, r.key, r.changes)
                for r in plan.rows
                if r.system == system and r.changes
            )
        if recorder is not None:
            fields = sorted(
                {f"{r.table}.{c}" for r in plan.rows if r.system == system for c in r.changes}
            )
            recorder.record(
                "dsr.rectification.executed",
                plan.identities,
                at=plan.created_at,
                target=system,
                details={"rows": updated[system], "fields": fields},
            )
    return updated


def record_notified(
    plan: RectificationPlan,
    recipients: Sequence[str],
    *,
    recorder: Recorder,
    at: datetime,
) -> None:
    """Record that each recipient was told of the rectification (Art. 19)."""
    unknown = [r for r in recipients if r not in plan.recipients]
    if unknown:
        raise RequestError(
            f"recipient '{unknown[0]}' did not receive the corrected data; "
            f"the recipients to tell are: {', '.join(plan.recipients) or 'none'}"
        )
    for key in recipients:
        recorder.record(
            "dsr.recipient.notified",
            plan.identities,
            at=at,
            target=key,
            details={"request": "rectification", "article": "GDPR Art. 19"},
        )


def parse_corrections(texts: Sequence[str]) -> dict[str, str]:
    """``FIELD=VALUE`` pairs from the command line (the value may contain ``=``)."""
    out: dict[str, str] = {}
    for text in texts:
        target, sep, value = text.partition("=")
        if not sep or not target.strip():
            raise RequestError("write a correction as FIELD=VALUE, e.g. Customer.City=Uppsala")
        out[target.strip()] = value
    return out


def rectify(
    register: Register,
    identities: Sequence[Identity],
    connectors: Mapping[str, Connector],
    corrections: Mapping[str, str],
    *,
    now: datetime,
    recorder: Recorder | None = None,
    execute: bool = False,
    notified: Sequence[str] = (),
) -> tuple[RectificationPlan, dict[str, int]]:
    """Plan the corrections; with ``execute`` apply them; record the recipients ``notified``."""
    for target in corrections:
        resolve_target(register, target)  # refuse a bad target before reading any system
    traversal = plan_request(register, identities, kind=RequestKind.rectification)
    found = collect_rows(traversal, connectors, today=now.date())
    plan = plan_rectification(register, found, corrections, now=now)
    updated = execute_rectification(plan, connectors, recorder=recorder) if execute else {}
    if notified:
        if recorder is None:
            raise RequestError("recording notifications needs the audit log")
        record_notified(plan, notified, recorder=recorder, at=now)
    return plan, updated
