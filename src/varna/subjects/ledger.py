"""What Varna must remember about people between requests: restrictions and objections.

Two promises outlive the request that made them:

* **Restriction of processing** (GDPR Art. 18). While it lasts the person's data may only be
  stored (Art. 18(2)); retention must not delete it and no list may be drawn from it. A
  restriction records the Art. 18(1) ground, when it began, every identity of the person and the
  rows of the systems that hold their data, so that the retention engine can keep exactly those
  rows. It ends only when lifted, and the person must be told before it is (Art. 18(3)).
* **Objection to direct marketing** (Art. 21(2)-(3)): absolute, with no balancing. The
  suppression list keeps one keyed pseudonym per identity of the person (e-mail, personnummer,
  telephone), so a later import of a purchased or re-exported list can be screened and the
  person is never added back, while the list itself holds no address (Art. 5(1)(c)).

Identities are pseudonymised with a key derived from Varna's audit key, in their normalised form
(the request engine normalises them), so one person is one entry however the address was typed.
The ledger stores no value that identifies a person without that key. Every method takes the
time from its caller (house style: the clock is injected).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

import sqlalchemy as sa

from varna.audit.pseudonym import pseudonymise
from varna.errors import StateError
from varna.state.database import StateDB
from varna.state.schema import (
    request_rows,
    requests,
    restriction_rows,
    restriction_subjects,
    restrictions,
    suppressions,
)

RowKey = tuple[Any, ...]
"""A row's primary-key values, in the register's primary-key column order."""


class Named(Protocol):
    """An identity: its kind and its normalised value (``varna.dsr.identity.Identity``)."""

    @property
    def kind(self) -> str: ...

    @property
    def value(self) -> str: ...


class Ground(StrEnum):
    """Why processing is restricted: the four points of GDPR Art. 18(1)."""

    accuracy_contested = "accuracy_contested"
    """(a) the person contests the accuracy, for the time it takes to check it."""
    unlawful_kept = "unlawful_kept"
    """(b) the processing is unlawful and the person asks for restriction instead of erasure."""
    legal_claims = "legal_claims"
    """(c) the controller no longer needs the data but the person needs it for legal claims."""
    objection_pending = "objection_pending"
    """(d) the person objected under Art. 21(1), pending the balancing of grounds."""

    @property
    def point(self) -> str:
        return "Art. 18(1)(" + "abcd"[list(Ground).index(self)] + ")"


def ledger_key(audit_key: bytes) -> bytes:
    """The key of the ledger's pseudonyms, derived from the audit key (one secret to keep)."""
    return hmac.digest(audit_key, b"varna.subjects.ledger", "sha256")


def _json_value(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | str | float):
        return str(value)
    return value


def encode_key(key: Mapping[str, Any]) -> str:
    """A row's primary key as canonical JSON, in column order: numbers and text as they are
    (so a sweep can compare them with the column), anything else (a date) as text."""
    values = [_json_value(v) for v in key.values()]
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False)


def _iso(at: datetime) -> str:
    if at.tzinfo is None:
        raise StateError("ledger times must be timezone-aware (UTC)")
    return at.isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class Restriction:
    """One restriction of processing (Art. 18), without any identity in clear."""

    id: str
    subject: str
    ground: Ground
    restricted_at: str
    lifted_at: str | None = None
    lift_reason: str | None = None
    rows: int = 0

    @property
    def active(self) -> bool:
        return self.lifted_at is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject": self.subject,
            "ground": self.ground.value,
            "article": self.ground.point,
            "restricted_at": self.restricted_at,
            "lifted_at": self.lifted_at,
            "lift_reason": self.lift_reason,
            "rows": self.rows,
        }


@dataclass(frozen=True, slots=True)
class OpenRequest:
    """A data-subject request received and not yet answered (or answered: ``closed_at``)."""

    id: str
    kind: str
    subject: str
    received_at: str
    due: date
    closed_at: str | None = None
    rows: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "subject": self.subject,
            "received_at": self.received_at,
            "due": self.due.isoformat(),
            "closed_at": self.closed_at,
            "rows": self.rows,
        }


@dataclass(frozen=True, slots=True)
class PinnedRow:
    """A row of a system that holds a restricted person's data."""

    system: str
    table: str
    key: Mapping[str, Any]


class SubjectLedger:
    """Restrictions and the suppression list in Varna's state database."""

    def __init__(self, state: StateDB, *, key: bytes) -> None:
        self._state, self._key = state, key

    def __repr__(self) -> str:
        return f"SubjectLedger({self._state.where!r})"

    def pseudonyms(self, identities: Iterable[Named]) -> list[str]:
        """The ledger pseudonym of each identity, without repeats, in order."""
        return list(dict.fromkeys(pseudonymise(i.kind, i.value, key=self._key) for i in identities))

    # -- restriction (Art. 18) ------------------------------------------------------------

    def active_restriction(self, identities: Sequence[Named]) -> Restriction | None:
        """The active restriction of any of these identities, if there is one."""
        names = self.pseudonyms(identities)
        if not names:
            return None
        with self._state.read("reading restrictions") as conn:
            return _active(conn, names)

    def restrict(
        self,
        identities: Sequence[Named],
        *,
        ground: Ground,
        at: datetime,
        rows: Iterable[PinnedRow] = (),
    ) -> tuple[Restriction, bool]:
        """Record a restriction, or extend the active one of the same person.

        Returns the restriction and whether it is new. Re-running with the same identities adds
        any identity and row found since and changes nothing else (idempotent).
        """
        names = self.pseudonyms(identities)
        if not names:
            raise StateError("a restriction needs at least one identity of the person")
        with self._state.write("recording a restriction") as conn:
            current = _active(conn, names)
            created = current is None
            rid = current.id if current else "rs_" + _digest(names[0], _iso(at))
            if created:
                conn.execute(
                    sa.insert(restrictions).values(
                        id=rid, subject=names[0], ground=ground.value, restricted_at=_iso(at)
                    )
                )
            _insert_missing(
                conn,
                restriction_subjects,
                [{"restriction_id": rid, "pseudonym": n} for n in names],
                ("restriction_id", "pseudonym"),
            )
            _insert_missing(
                conn,
                restriction_rows,
                [
                    {
                        "restriction_id": rid,
                        "system": r.system,
                        "table_name": r.table,
                        "row_key": encode_key(r.key),
                    }
                    for r in rows
                ],
                ("restriction_id", "system", "table_name", "row_key"),
            )
            result = _active(conn, names)
        if result is None:  # pragma: no cover - the row was written in this transaction
            raise StateError("the restriction was not recorded")
        return result, created

    def lift(self, identities: Sequence[Named], *, at: datetime, reason: str) -> Restriction:
        """End the active restriction (Art. 18(3): tell the person before this is done)."""
        names = self.pseudonyms(identities)
        if not reason.strip():
            raise StateError("say why the restriction is lifted, e.g. --reason 'accuracy checked'")
        with self._state.write("lifting a restriction") as conn:
            current = _active(conn, names)
            if current is None:
                raise StateError("this person has no active restriction to lift")
            conn.execute(
                sa.update(restrictions)
                .where(restrictions.c.id == current.id)
                .values(lifted_at=_iso(at), lift_reason=reason.strip()[:200])
            )
        return Restriction(
            current.id,
            current.subject,
            current.ground,
            current.restricted_at,
            _iso(at),
            reason.strip()[:200],
            current.rows,
        )

    def pinned_rows(self) -> dict[tuple[str, str], set[RowKey]]:
        """(system, table) -> primary keys of rows kept for an active restriction (Art. 18(2))
        or a request not yet answered (the answer must show the data as it was asked for)."""
        q = (
            sa.select(
                restriction_rows.c.system, restriction_rows.c.table_name, restriction_rows.c.row_key
            )
            .join(restrictions, restrictions.c.id == restriction_rows.c.restriction_id)
            .where(restrictions.c.lifted_at.is_(None))
        )
        q_requests = (
            sa.select(request_rows.c.system, request_rows.c.table_name, request_rows.c.row_key)
            .join(requests, requests.c.id == request_rows.c.request_id)
            .where(requests.c.closed_at.is_(None))
        )
        out: dict[tuple[str, str], set[RowKey]] = {}
        with self._state.read("reading restricted rows") as conn:
            for query in (q, q_requests):
                for system, table, key in conn.execute(query):
                    out.setdefault((system, table), set()).add(tuple(json.loads(key)))
        return out

    def restricted(self, pseudonyms: Sequence[str]) -> set[str]:
        """Which of these ledger pseudonyms belong to a person under an active restriction."""
        out: set[str] = set()
        with self._state.read("screening against restrictions") as conn:
            for chunk in _chunks(pseudonyms):
                q = (
                    sa.select(restriction_subjects.c.pseudonym)
                    .join(restrictions, restrictions.c.id == restriction_subjects.c.restriction_id)
                    .where(restrictions.c.lifted_at.is_(None))
                    .where(restriction_subjects.c.pseudonym.in_(chunk))
                )
                out.update(conn.scalars(q))
        return out

    # -- requests received, not yet answered (Art. 12(3)) ---------------------------------

    def receive(
        self,
        identities: Sequence[Named],
        *,
        kind: str,
        at: datetime,
        due: date,
        rows: Iterable[PinnedRow] = (),
    ) -> tuple[OpenRequest, bool]:
        """Record a request, or return the open one of the same kind and person (adding any
        row found since); the bool says whether it is new."""
        names = self.pseudonyms(identities)
        if not names:
            raise StateError("a request needs at least one identity of the person")
        with self._state.write("recording a request") as conn:
            current = _open_request(conn, names, kind)
            created = current is None
            rid = current.id if current else "dsr_" + _digest(names[0], kind, _iso(at))
            if created:
                conn.execute(
                    sa.insert(requests).values(
                        id=rid,
                        kind=kind,
                        subject=names[0],
                        pseudonyms=json.dumps(names),
                        received_at=_iso(at),
                        due=due.isoformat(),
                    )
                )
            _insert_missing(
                conn,
                request_rows,
                [
                    {
                        "request_id": rid,
                        "system": r.system,
                        "table_name": r.table,
                        "row_key": encode_key(r.key),
                    }
                    for r in rows
                ],
                ("request_id", "system", "table_name", "row_key"),
            )
            result = _open_request(conn, names, kind)
        if result is None:  # pragma: no cover - written in this transaction
            raise StateError("the request was not recorded")
        return result, created

    def close_requests(
        self, identities: Sequence[Named], *, kind: str, at: datetime
    ) -> list[OpenRequest]:
        """Mark the open requests of this kind and person answered; returns them."""
        names = self.pseudonyms(identities)
        closed = []
        with self._state.write("closing requests") as conn:
            while (current := _open_request(conn, names, kind)) is not None:
                conn.execute(
                    sa.update(requests)
                    .where(requests.c.id == current.id)
                    .values(closed_at=_iso(at))
                )
                closed.append(current)
        return closed

    def open_requests(self) -> list[OpenRequest]:
        """Every request not yet answered, the earliest deadline first."""
        with self._state.read("listing open requests") as conn:
            rows = conn.execute(
                sa.select(requests.c.id)
                .where(requests.c.closed_at.is_(None))
                .order_by(requests.c.due, requests.c.received_at)
            ).all()
            return [_request(conn, r[0]) for r in rows]

    # -- objection to direct marketing (Art. 21(3)) ---------------------------------------

    def suppress(self, identities: Sequence[Named], *, at: datetime, source: str) -> int:
        """Add every identity to the suppression list; returns how many were new."""
        rows = [
            {
                "pseudonym": pseudonymise(i.kind, i.value, key=self._key),
                "kind": i.kind,
                "added_at": _iso(at),
                "source": source[:200],
            }
            for i in identities
        ]
        if not rows:
            raise StateError("an objection needs at least one identity of the person")
        with self._state.write("adding to the suppression list") as conn:
            return _insert_missing(conn, suppressions, rows, ("pseudonym",))

    def suppressed(self, pseudonyms: Sequence[str]) -> set[str]:
        """Which of these ledger pseudonyms are on the suppression list."""
        out: set[str] = set()
        with self._state.read("screening against the suppression list") as conn:
            for chunk in _chunks(pseudonyms):
                q = sa.select(suppressions.c.pseudonym).where(suppressions.c.pseudonym.in_(chunk))
                out.update(conn.scalars(q))
        return out

    def suppression_count(self) -> int:
        with self._state.read("counting the suppression list") as conn:
            return int(conn.scalar(sa.select(sa.func.count()).select_from(suppressions)) or 0)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[list[str]]:
    unique = list(dict.fromkeys(items))
    for i in range(0, len(unique), size):
        yield unique[i : i + size]


def _active(conn: sa.Connection, names: Sequence[str]) -> Restriction | None:
    hit = (
        sa.select(restrictions)
        .join(restriction_subjects, restriction_subjects.c.restriction_id == restrictions.c.id)
        .where(restriction_subjects.c.pseudonym.in_(list(names)))
        .where(restrictions.c.lifted_at.is_(None))
        .order_by(restrictions.c.restricted_at)
        .limit(1)
    )
    row = conn.execute(hit).mappings().first()
    if row is None:
        return None
    count = conn.scalar(
        sa.select(sa.func.count())
        .select_from(restriction_rows)
        .where(restriction_rows.c.restriction_id == row["id"])
    )
    return Restriction(
        row["id"],
        row["subject"],
        Ground(row["ground"]),
        row["restricted_at"],
        row["lifted_at"],
        row["lift_reason"],
        int(count or 0),
    )


def _request(conn: sa.Connection, rid: str) -> OpenRequest:
    row = conn.execute(sa.select(requests).where(requests.c.id == rid)).mappings().one()
    count = conn.scalar(
        sa.select(sa.func.count()).select_from(request_rows).where(request_rows.c.request_id == rid)
    )
    return OpenRequest(
        row["id"],
        row["kind"],
        row["subject"],
        row["received_at"],
        date.fromisoformat(row["due"]),
        row["closed_at"],
        int(count or 0),
    )


def _open_request(conn: sa.Connection, names: Sequence[str], kind: str) -> OpenRequest | None:
    """The open request of ``kind`` whose person has any of ``names``. Open requests are few
    (each is answered within a month), so their pseudonym lists are read and compared here."""
    wanted = set(names)
    rows = conn.execute(
        sa.select(requests.c.id, requests.c.pseudonyms)
        .where(requests.c.closed_at.is_(None), requests.c.kind == kind)
        .order_by(requests.c.received_at)
    ).all()
    for rid, pseudonyms in rows:
        if wanted.intersection(json.loads(pseudonyms)):
            return _request(conn, rid)
    return None


def _insert_missing(
    conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]], key: tuple[str, ...]
) -> int:
    """Insert the rows whose key is not in ``table`` yet; returns how many were inserted.

    Runs inside the caller's write transaction, which serialises writers (SQLite's write lock;
    on PostgreSQL a concurrent insert of the same key fails the transaction, and the caller's
    re-run then finds the row).
    """
    unique = list({tuple(r[k] for k in key): r for r in rows}.values())
    if not unique:
        return 0
    existing: set[tuple[Any, ...]] = set()
    cols = [table.c[k] for k in key]
    for i in range(0, len(unique), 300):
        chunk = unique[i : i + 300]
        where = sa.tuple_(*cols).in_([tuple(r[k] for k in key) for r in chunk])
        existing.update(tuple(r) for r in conn.execute(sa.select(*cols).where(where)))
    new = [r for r in unique if tuple(r[k] for k in key) not in existing]
    if new:
        conn.execute(sa.insert(table), new)
    return len(new)
