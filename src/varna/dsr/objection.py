"""Objection to direct marketing (GDPR Art. 21(2)-(3)) and screening of marketing lists.

The objection is absolute: once made, the person's data may no longer be processed for direct
marketing. :func:`object_to_marketing` therefore

1. puts every identity of the person that the systems know (the e-mail given, and the
   personnummer and telephone number found with it) on the suppression list, under keyed
   pseudonyms (:mod:`varna.state.suppressions`), so no later import adds them back;
2. erases the person's rows from tables that serve direct marketing only (every activity of the
   table has ``direct_marketing``: a newsletter list), by the register's erasure strategies and
   through the erasure executor, so holds and crash safety are the same as for Art. 17.

Other tables are left alone: a customer who objects to newsletters stays a customer.

:func:`screen` is the other half of the promise: it drops from a list (an import, an export to
a mailing service) every row whose identities are suppressed or under a restriction (Art. 18(2)).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from varna.connectors.base import Connector
from varna.dsr.erasure import ErasurePlan, plan_erasure
from varna.dsr.executor import SystemReceipt, execute_erasure
from varna.dsr.identity import Identity, normalise_identity
from varna.dsr.planner import RequestKind, plan_request
from varna.dsr.proof import Recorder
from varna.dsr.traversal import Found, collect_rows
from varna.errors import RequestError
from varna.register.model import Register
from varna.state.ledger import SubjectLedger
from varna.state.suppressions import RecordAdded, SuppressionStore


def marketing_tables(register: Register) -> set[tuple[str, str]]:
    """Tables every activity of which is direct marketing: the person leaves them on objection."""
    out = set()
    for system, name, table in register.tables():
        activities = [register.activities.get(a) for a in table.activities]
        if activities and all(a is not None and a.direct_marketing for a in activities):
            out.add((system, name))
    return out


@dataclass(slots=True)
class ObjectionOutcome:
    """What an objection planned and, with ``execute``, did."""

    identities: tuple[Identity, ...]
    erasure: ErasurePlan
    suppressed_new: int = 0
    receipts: list[SystemReceipt] = field(default_factory=list)

    def describe(self, *, execute: bool) -> list[str]:
        kinds = ", ".join(sorted({i.kind for i in self.identities}))
        out = [
            f"objection to direct marketing (GDPR Art. 21(3)), as of "
            f"{self.erasure.created_at.date().isoformat()}:",
            f"  suppression list: {len(self.identities)} identity/identities ({kinds})",
        ]
        tables: dict[str, int] = {}
        for row in self.erasure.rows:
            tables[f"{row.system}:{row.table}"] = tables.get(f"{row.system}:{row.table}", 0) + 1
        out += [f"  {t}: {n} marketing row(s) to {self._fates(t)}" for t, n in tables.items()]
        if not tables:
            out.append("  no row in a marketing-only table")
        if not execute:
            out.append("dry run: nothing was changed; add --execute to apply it")
            return out
        out.append(f"suppression list: {self.suppressed_new} new entry/entries")
        out += [
            f"{r.system}: {r.deleted} deleted, {r.updated} anonymised, {r.kept} kept"
            for r in self.receipts
        ]
        return out

    def _fates(self, table: str) -> str:
        fates = {r.fate.value for r in self.erasure.rows if f"{r.system}:{r.table}" == table}
        return "/".join(sorted(fates))


def only_tables(found: Found, tables: set[tuple[str, str]]) -> Found:
    """The person's own rows found in ``tables`` only (what a narrower erasure may touch)."""
    out = Found(found.plan, identities=list(found.identities), queries=found.queries)
    out.rows = {k: [r for r in v if r.theirs] for k, v in found.rows.items() if k in tables}
    out.rows = {k: v for k, v in out.rows.items() if v}
    return out


def object_to_marketing(
    register: Register,
    identities: Sequence[Identity],
    connectors: Mapping[str, Connector],
    ledger: SuppressionStore,
    *,
    now: datetime,
    hash_key: bytes,
    recorder: Recorder | None = None,
    execute: bool = False,
    record: RecordAdded | None = None,
) -> ObjectionOutcome:
    """Plan and (with ``execute``) carry out an objection to direct marketing. ``record``
    appends the objection's audit event in the suppression list's transaction (instead of
    ``recorder``, which then records only the erasure)."""
    traversal = plan_request(register, identities, kind=RequestKind.erasure)
    found = collect_rows(traversal, connectors, today=now.date())
    known = tuple(found.identities or identities)
    erasure = plan_erasure(
        register, only_tables(found, marketing_tables(register)), now=now, hash_key=hash_key
    )
    outcome = ObjectionOutcome(known, erasure)
    if not execute:
        return outcome
    outcome.suppressed_new = ledger.suppress(
        known, at=now, source="objection (Art. 21(3))", record=record
    )
    if recorder is not None and record is None:
        details = {"suppressed_new": outcome.suppressed_new, "identities": len(known)}
        recorder.record("dsr.objection.recorded", known, at=now, details=details)
    if erasure.has_work:
        outcome.receipts = execute_erasure(erasure, connectors, now=now, recorder=recorder)
    return outcome


@dataclass(frozen=True, slots=True)
class Screening:
    """A list after screening: the rows kept and how many were dropped, by reason."""

    kept: list[dict[str, Any]]
    suppressed: int
    restricted: int
    unreadable: int
    without_consent: int = 0
    """Dropped for want of a current consent to the list's purpose (Art. 6(1)(a), 7)."""

    @property
    def dropped(self) -> int:
        return self.suppressed + self.restricted + self.without_consent


def screen(
    rows: Iterable[Mapping[str, Any]],
    columns: Mapping[str, str],
    ledger: SubjectLedger,
    *,
    today: date,
    consented: Callable[[list[str]], set[str]] | None = None,
) -> Screening:
    """Drop rows whose identity (``columns``: kind -> column) is suppressed or restricted.

    A value that does not parse as its kind (a misspelt address) cannot be matched and is kept;
    the count says how many, so the list's owner can clean them up. With ``consented`` (the
    pseudonyms, of those given, with a current consent to the list's purpose) a row none of
    whose identities has it is dropped too.
    """
    if not columns:
        raise RequestError("name at least one identity column, e.g. --column email=E-post")
    items = [dict(r) for r in rows]
    names_per_row: list[list[str]] = []
    unreadable = 0
    for row in items:
        found: list[Identity] = []
        for kind, column in columns.items():
            if column not in row:
                raise RequestError(f"the list has no column '{column}' (for {kind})")
            value = row[column]
            if value is None or not str(value).strip():
                continue
            try:
                found.append(normalise_identity(kind, str(value), today=today))
            except RequestError:
                unreadable += 1
        names_per_row.append(ledger.pseudonyms(found))
    every = [n for names in names_per_row for n in names]
    suppressed = ledger.suppressions.suppressed(every)
    restricted = ledger.restrictions.restricted(every)
    allowed = consented(every) if consented is not None else None
    kept, n_suppressed, n_restricted, n_unconsented = [], 0, 0, 0
    for row, names in zip(items, names_per_row, strict=True):
        if suppressed.intersection(names):
            n_suppressed += 1
        elif restricted.intersection(names):
            n_restricted += 1
        elif allowed is not None and not allowed.intersection(names):
            n_unconsented += 1
        else:
            kept.append(row)
    return Screening(kept, n_suppressed, n_restricted, unreadable, n_unconsented)
