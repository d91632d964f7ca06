"""Requests received and not yet answered (GDPR Art. 12(3)): deadlines, and data kept meanwhile.

A request arrives by e-mail, letter or the privacy centre and is answered later, within one
month of receipt (extendable by two months, Art. 12(3)). :func:`receive` records it in the
subject ledger with its deadline (counted by :func:`varna.law.deadlines.response_deadline`:
Regulation 1182/71, Swedish public holidays) and pins the rows the traversal finds, so a
retention sweep in the meantime does not delete what the person asked to see or have
corrected. Executing the request closes it (the CLI does so after a successful ``--execute``
or access), and ``varna dsr requests`` lists what is open, earliest deadline first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from varna.connectors.base import Connector
from varna.dsr.identity import Identity
from varna.dsr.planner import RequestKind, plan_request
from varna.dsr.proof import Recorder
from varna.dsr.traversal import collect_rows
from varna.law.deadlines import response_deadline
from varna.register.model import Register
from varna.subjects import OpenRequest, PinnedRow, SubjectLedger


class Kind(StrEnum):
    """The rights a request can invoke (Art. 15-21)."""

    access = "access"
    portability = "portability"
    rectification = "rectification"
    erasure = "erasure"
    restriction = "restriction"
    objection = "objection"


@dataclass(frozen=True, slots=True)
class Received:
    """A request as recorded: the ledger entry and whether it was new."""

    request: OpenRequest
    created: bool


def receive(
    register: Register,
    identities: Sequence[Identity],
    connectors: Mapping[str, Connector],
    ledger: SubjectLedger,
    *,
    kind: Kind,
    now: datetime,
    recorder: Recorder | None = None,
) -> Received:
    """Record a request received at ``now`` and pin the person's rows until it is answered."""
    traversal = plan_request(register, identities, kind=RequestKind.access)
    found = collect_rows(traversal, connectors, today=now.date())
    rows = [PinnedRow(r.system, r.table, dict(r.key)) for r in found.all_rows() if r.theirs]
    known = tuple(found.identities or identities)
    due = response_deadline(now.date())
    request, created = ledger.receive(known, kind=kind.value, at=now, due=due, rows=rows)
    if recorder is not None and created:
        details = {"request": request.id, "kind": kind.value, "due": due.isoformat()}
        recorder.record("dsr.request.received", known, at=now, details=details)
    return Received(request, created)


def close(
    ledger: SubjectLedger,
    identities: Sequence[Identity],
    *,
    kind: Kind,
    now: datetime,
    recorder: Recorder | None = None,
) -> list[OpenRequest]:
    """Close the open requests of ``kind`` of this person, after they were answered."""
    closed = ledger.close_requests(identities, kind=kind.value, at=now)
    if recorder is not None:
        for request in closed:
            late = now.date() > request.due
            details = {"request": request.id, "kind": kind.value, "late": late}
            recorder.record("dsr.request.answered", identities, at=now, details=details)
    return closed


def describe_open(requests: Sequence[OpenRequest], *, today: date) -> list[str]:
    """The open requests as lines: deadline, days left (or overdue), kind, id, rows kept."""
    if not requests:
        return ["no open request"]
    out = []
    for r in requests:
        left = (r.due - today).days
        when = f"{left} day(s) left" if left >= 0 else f"OVERDUE by {-left} day(s)"
        out.append(
            f"{r.due.isoformat()}  {when:>20}  {r.kind:<13} {r.id}  "
            f"received {r.received_at[:10]}, {r.rows} row(s) kept"
        )
    return out
