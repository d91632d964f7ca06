"""Right to erasure (GDPR Art. 17): a pure plan of what happens to each row found.

:func:`plan_erasure` decides, per row: **delete** it; **anonymise** it (keep the row, apply each
field's strategy, :mod:`varna.dsr.strategies`) when the table says ``erasure: anonymise``; or keep
it under a **legal hold** whose period has not ended, erasing only the fields whose category no
active hold lists, and citing the Art. 17(3) ground and the statute. A hold's end is computed
from the row's anchor column (or its parent's, for child rows such as invoice lines) with
:mod:`varna.law.bookkeeping` and the register's fiscal year; a hold whose end cannot be computed
keeps the row (nothing under a hold is ever deleted).

A row reached only because a row of the person refers to it (an address, a product) is never
changed: other people's rows may refer to it too; nor is a row found only by a weak identity (an
IP address many people share). A row that names another person's unique identity never reaches
the plan: it is listed in :attr:`ErasurePlan.conflicts` for a human to decide (design §3).

Foreign keys without ON DELETE CASCADE: rows are deleted children first (register references give
the order), and a row that rows staying behind still refer to is anonymised instead of deleted.
Two reference strategies finish the job (:class:`varna.register.systems.ReferenceErasure`, with
the referring rows read beforehand by :func:`varna.dsr.sharing.find_referrers`): ``detach``
repoints rows that stay to a placeholder row or NULL so the person's row can go, and
``delete_if_unshared`` deletes the row the person's row refers to (an address) when no row that
stays refers to it, else keeps it and counts who shares it. Tables processed only for another
controller are kept for that controller to decide (Art. 28(3)(e)). Every row that stays carries
a :class:`KeptReason`.
The plan only lists fields that really change, so planning again after an erasure shows nothing
left to do. :func:`varna.dsr.executor.execute_erasure` applies it.
"""

from __future__ import annotations

import graphlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from varna.dsr.holds import Anchors, HoldCite, active_holds
from varna.dsr.identity import Identity
from varna.dsr.sharing import Referrers, references_to, shared_candidates
from varna.dsr.strategies import erased_value
from varna.dsr.traversal import Conflict, Found, FoundRow
from varna.dsr.values import json_value
from varna.register.activities import Role
from varna.register.model import Register
from varna.register.systems import FieldErasure, ReferenceErasure, TableErasure

SCHEMA = "varna.erasure-plan/1"


class Fate(StrEnum):
    delete = "delete"
    anonymise = "anonymise"
    keep = "keep"


class KeptReason(StrEnum):
    """Why a row stays (in the plan, the journal and the receipt): a code for machines; the
    plan's ``reason`` says it in words."""

    held = "held"
    """A legal hold keeps it (Art. 17(3)(b), (e)): ``holds`` names the law."""
    anonymised = "anonymised"
    """The register anonymises rows of this table instead of deleting them."""
    referenced = "referenced"
    """Rows that stay refer to it (a foreign key would forbid the delete): anonymised."""
    shared = "shared"
    """Another person's or the organisation's rows refer to it too: ``shared_with`` counts them."""
    not_theirs = "not_theirs"
    """Reached only because the person's data refers to it (a product, a store)."""
    weak_identity = "weak_identity"
    """Found only by a weak identifier many people share."""
    processor = "processor"
    """Processed for another controller, who decides (Art. 28(3)(e))."""
    detached = "detached"
    """Refers to the person's row, which goes: repointed to a placeholder or NULL."""
    fields_kept = "fields_kept"
    """The register keeps every field that is still set (``erasure: keep``)."""
    already_erased = "already_erased"
    """Every field already holds its erased value (an earlier erasure)."""


@dataclass(frozen=True, slots=True, repr=False)
class RowErasure:
    """What happens to one row. ``changes`` maps column -> new value (only real changes)."""

    system: str
    table: str
    key: dict[str, Any]
    fate: Fate
    changes: dict[str, Any] = field(default_factory=dict)
    kept: tuple[str, ...] = ()
    holds: tuple[HoldCite, ...] = ()
    reason: str = ""
    reached_by: str = ""
    """Which identity reached the row, and through which reference."""
    kept_reason: KeptReason | None = None
    """Why the row stays; None for a row deleted."""
    shared_with: int = 0
    """For ``KeptReason.shared``: how many rows that stay refer to it."""

    def __repr__(self) -> str:
        return f"RowErasure({self.system}:{self.table}, {self.fate.value}, {len(self.changes)})"


@dataclass(frozen=True, slots=True)
class ErasurePlan:
    """Every row's fate, in execution order per system (updates, then deletes children first)."""

    created_at: datetime
    request_id: str
    identities: tuple[Identity, ...]
    rows: tuple[RowErasure, ...]
    conflicts: tuple[Conflict, ...] = ()
    """Rows naming another person's unique identity: left out, for a human to decide."""

    @property
    def systems(self) -> list[str]:
        return list(dict.fromkeys(r.system for r in self.rows))

    def rows_for(self, system: str) -> list[RowErasure]:
        return [r for r in self.rows if r.system == system]

    @property
    def has_work(self) -> bool:
        return any(r.fate is Fate.delete or r.changes for r in self.rows)

    def counts(self) -> dict[str, int]:
        """Rows by what happens to them; ``deleted + changed + untouched == rows``."""
        deleted = sum(1 for r in self.rows if r.fate is Fate.delete)
        changed = sum(1 for r in self.rows if r.fate is not Fate.delete and r.changes)
        return {
            "rows": len(self.rows),
            "deleted": deleted,
            "changed": changed,
            "untouched": len(self.rows) - deleted - changed,
        }

    def kept_reasons(self) -> dict[str, int]:
        """Rows that stay, by reason code (:class:`KeptReason`)."""
        out: dict[str, int] = {}
        for r in self.rows:
            if r.kept_reason is not None:
                out[r.kept_reason.value] = out.get(r.kept_reason.value, 0) + 1
        return out

    def as_dict(self) -> dict[str, Any]:
        """The plan for people and machines: keys and field names, never field values."""
        return {
            "schema": SCHEMA,
            "created_at": self.created_at.isoformat(),
            "identity_kinds": sorted({i.kind for i in self.identities}),
            "rows": [
                {
                    "system": r.system,
                    "table": r.table,
                    "key": {k: json_value(v) for k, v in r.key.items()},
                    "fate": r.fate.value,
                    "erased": sorted(r.changes),
                    "kept": list(r.kept),
                    "holds": [
                        {
                            "hold": h.hold,
                            "until": h.until.isoformat() if h.until else None,
                            "ground": h.ground,
                            "statute": h.statute,
                        }
                        for h in r.holds
                    ],
                    "reason": r.reason,
                    "kept_reason": r.kept_reason.value if r.kept_reason else None,
                    "shared_with": r.shared_with,
                    "reached_by": r.reached_by,
                }
                for r in self.rows
            ],
            "counts": self.counts(),
            "kept_reasons": self.kept_reasons(),
            "conflicts": [c.as_dict() for c in self.conflicts],
        }


def request_id(identities: tuple[Identity, ...] | list[Identity], *, key: bytes) -> str:
    """A keyed, stable name for a request by its identities (journal file names)."""
    text = "|".join(sorted(f"{i.kind}:{i.value}" for i in identities))
    return "rq_" + hmac.digest(key, text.encode("utf-8"), "sha256").hex()[:32]


def _erase_fields(
    register: Register, row: FoundRow, protected: set[str], hash_key: bytes
) -> tuple[dict[str, Any], tuple[str, ...]]:
    table = register.table(row.system, row.table)
    changes, kept = {}, []
    for name, spec in table.fields.items():
        if spec.category in protected or spec.erasure is FieldErasure.keep:
            kept.append(name)
            continue
        new = erased_value(spec, row.values.get(name), hash_key=hash_key)
        if new != row.values.get(name):
            changes[name] = new
    return changes, tuple(kept)


def _processed_for_others(register: Register, system: str, table: str) -> bool:
    """Every activity of the table is one we carry out as processor."""
    keys = register.table(system, table).activities
    acts = [register.activities[k] for k in keys if k in register.activities]
    return bool(acts) and all(a.role is Role.processor for a in acts)


def _untouched(spec_fields: dict[str, Any], changes: dict[str, Any]) -> KeptReason:
    """Why a row whose fields do not change stays as it is."""
    if changes:
        return KeptReason.anonymised
    erasable = [n for n, f in spec_fields.items() if f.erasure is not FieldErasure.keep]
    return KeptReason.already_erased if erasable else KeptReason.fields_kept


def _decide(
    register: Register, row: FoundRow, anchors: Anchors, today: date, hash_key: bytes
) -> RowErasure:
    table = register.table(row.system, row.table)
    base = (row.system, row.table, dict(row.key))
    if row.weak:
        return RowErasure(
            *base,
            Fate.keep,
            reason="kept: found only by a weak identifier many people share",
            reached_by=row.reached_by,
            kept_reason=KeptReason.weak_identity,
        )
    if _processed_for_others(register, row.system, row.table):
        return RowErasure(
            *base,
            Fate.keep,
            reason="kept: processor, controller decides (the request goes to the controller, "
            "GDPR Art. 28(3)(e))",
            reached_by=row.reached_by,
            kept_reason=KeptReason.processor,
        )
    if not row.theirs:
        return RowErasure(
            *base,
            Fate.keep,
            reason="kept: the person's data refers to it, other rows may too",
            reached_by=row.reached_by,
            kept_reason=KeptReason.not_theirs,
        )
    holds = active_holds(register, row, anchors, today)
    if holds:
        protected = {c for h in holds for c in register.legal_holds[h.hold].categories}
        changes, kept = _erase_fields(register, row, protected, hash_key)
        names = ", ".join(h.hold for h in holds)
        return RowErasure(
            *base,
            Fate.anonymise if changes else Fate.keep,
            changes,
            kept,
            tuple(holds),
            f"kept under legal hold: {names}",
            row.reached_by,
            KeptReason.held,
        )
    if table.erasure is TableErasure.anonymise:
        changes, kept = _erase_fields(register, row, set(), hash_key)
        why = _untouched(table.fields, changes)
        words = {
            KeptReason.anonymised: "table erasure: anonymise",
            KeptReason.already_erased: "kept: already anonymised by an earlier erasure",
            KeptReason.fields_kept: "kept: the register keeps every field of this row",
        }
        return RowErasure(
            *base,
            Fate.anonymise if changes else Fate.keep,
            changes,
            kept,
            reason=words[why],
            reached_by=row.reached_by,
            kept_reason=why,
        )
    return RowErasure(*base, Fate.delete, reason="deleted", reached_by=row.reached_by)


def _referrers(
    register: Register, system: str, *, detached: bool = True
) -> Iterator[tuple[str, str, str, str]]:
    """(child table, child column, parent table, parent column) within ``system``; without
    ``detached``, leaving out ``erasure: detach`` references (their rows let go)."""
    for tname, table in register.systems[system].tables.items():
        for column, ref in table.references.items():
            if not detached and ref.erasure is ReferenceErasure.detach:
                continue
            if ref.system in (None, system) and ref.table != tname:
                yield tname, column, ref.table, ref.column


def _protect_referenced(
    register: Register, found: Found, decided: dict[int, RowErasure], hash_key: bytes
) -> None:
    """A row that rows staying behind still refer to is anonymised, not deleted."""
    rows = {id(r): r for r in found.all_rows()}
    changed = True
    while changed:
        changed = False
        for system in {r.system for r in rows.values()}:
            for child, column, parent, pcolumn in _referrers(register, system, detached=False):
                staying = {
                    str(r.values.get(column))
                    for r in found.rows.get((system, child), [])
                    if decided[id(r)].fate is not Fate.delete
                }
                for r in found.rows.get((system, parent), []):
                    if decided[id(r)].fate is Fate.delete and str(r.values.get(pcolumn)) in staying:
                        changes, kept = _erase_fields(register, r, set(), hash_key)
                        decided[id(r)] = RowErasure(
                            r.system,
                            r.table,
                            dict(r.key),
                            Fate.anonymise if changes else Fate.keep,
                            changes,
                            kept,
                            reason=f"anonymised: rows that stay in '{child}' refer to it"
                            if changes
                            else f"kept: rows that stay in '{child}' refer to it",
                            reached_by=r.reached_by,
                            kept_reason=KeptReason.referenced,
                        )
                        changed = True


def _delete_order(register: Register, system: str) -> list[str]:
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for tname in register.systems[system].tables:
        sorter.add(tname)
    for child, _, parent, _ in _referrers(register, system):
        sorter.add(parent, child)  # the parent goes after its children
    try:
        return list(sorter.static_order())
    except graphlib.CycleError:
        return list(register.systems[system].tables)


def _key_text(system: str, table: str, key: dict[str, Any]) -> tuple[str, str, str]:
    return system, table, "|".join(f"{k}={v}" for k, v in sorted(key.items()))


def _delete_unshared(
    register: Register, found: Found, decided: dict[int, RowErasure], referrers: Referrers
) -> None:
    """A row the person's deleted rows refer to through ``delete_if_unshared`` goes when no row
    that stays refers to it after this run; otherwise it stays and says how many share it."""
    going = {_key_text(r.system, r.table, r.key) for r in decided.values() if r.fate is Fate.delete}
    for row in shared_candidates(register, found):
        owners = [
            r
            for child, column, ref in references_to(register, row.system, row.table)
            if ref.erasure is ReferenceErasure.delete_if_unshared
            for r in found.rows.get((row.system, child), [])
            if r.theirs and str(r.values.get(column)) == str(row.values.get(ref.column))
        ]
        if not any(decided[id(r)].fate is Fate.delete for r in owners):
            continue  # the person's row stays, and so does what it refers to
        staying: dict[str, int] = {}
        for child, column, ref in references_to(register, row.system, row.table):
            for key in referrers.of(row.system, child, column, row.values.get(ref.column)):
                if _key_text(row.system, child, key) not in going:
                    staying[child] = staying.get(child, 0) + 1
        base = (row.system, row.table, dict(row.key))
        if not staying:
            decided[id(row)] = RowErasure(
                *base,
                Fate.delete,
                reason="deleted: no other row refers to it (delete_if_unshared)",
                reached_by=row.reached_by,
            )
            continue
        n = sum(staying.values())
        where = ", ".join(f"{t}: {c}" for t, c in staying.items())
        decided[id(row)] = RowErasure(
            *base,
            Fate.keep,
            reason=f"kept: shared with {n} other row{'s' if n != 1 else ''} ({where})",
            reached_by=row.reached_by,
            kept_reason=KeptReason.shared,
            shared_with=n,
        )


def _detach(
    register: Register, found: Found, decided: dict[int, RowErasure], referrers: Referrers
) -> list[RowErasure]:
    """Rows that stay and refer to a deleted row of the person through ``erasure: detach``:
    repointed to the reference's placeholder or NULL (changes merged into rows already
    planned; new rows returned)."""
    planned = {_key_text(r.system, r.table, r.key): k for k, r in decided.items()}
    extra: dict[tuple[str, str, str], RowErasure] = {}
    for row in found.all_rows():
        if decided[id(row)].fate is not Fate.delete:
            continue
        for child, column, ref in references_to(register, row.system, row.table):
            if ref.erasure is not ReferenceErasure.detach:
                continue
            for key in referrers.of(row.system, child, column, row.values.get(ref.column)):
                name = _key_text(row.system, child, key)
                target = "the placeholder row" if ref.placeholder is not None else "NULL"
                reason = f"detached: {column} repointed to {target} (the row it named is erased)"
                if name in planned:
                    known = decided[planned[name]]
                    if known.fate is Fate.delete:
                        continue
                    decided[planned[name]] = replace(
                        known,
                        fate=Fate.anonymise,
                        changes={**known.changes, column: ref.placeholder},
                        reason=f"{known.reason}; {reason}",
                    )
                    continue
                known_extra = extra.get(name)
                changes = {**(known_extra.changes if known_extra else {}), column: ref.placeholder}
                extra[name] = RowErasure(
                    row.system,
                    child,
                    dict(key),
                    Fate.anonymise,
                    changes,
                    reason=reason,
                    reached_by=f"refers to an erased row of {row.table} ({column})",
                    kept_reason=KeptReason.detached,
                )
    return list(extra.values())


def plan_erasure(
    register: Register,
    found: Found,
    *,
    now: datetime,
    hash_key: bytes,
    referrers: Referrers | None = None,
) -> ErasurePlan:
    """The erasure plan for the rows in ``found`` (pure). ``hash_key`` keys the hash strategy;
    ``referrers`` (:func:`varna.dsr.sharing.find_referrers`) are the rows that refer to the
    person's, read before planning, for ``detach`` and ``delete_if_unshared`` references."""
    anchors, today = Anchors(register, found), now.date()
    decided = {id(r): _decide(register, r, anchors, today, hash_key) for r in found.all_rows()}
    _protect_referenced(register, found, decided, hash_key)
    more: list[RowErasure] = []
    if referrers is not None:
        _delete_unshared(register, found, decided, referrers)
        more = _detach(register, found, decided, referrers)
    ordered: list[RowErasure] = []
    for system in dict.fromkeys(r.system for r in found.all_rows()):
        mine = [decided[id(r)] for r in found.all_rows() if r.system == system]
        mine += [r for r in more if r.system == system]
        ordered += [r for r in mine if r.fate is not Fate.delete]
        rank = {t: i for i, t in enumerate(_delete_order(register, system))}
        ordered += sorted((r for r in mine if r.fate is Fate.delete), key=lambda r: rank[r.table])
    identities = tuple(found.plan.identities)
    return ErasurePlan(
        now,
        request_id(identities, key=hash_key),
        identities,
        tuple(ordered),
        tuple(found.conflicts),
    )
