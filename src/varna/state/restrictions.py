"""Restrictions of processing (GDPR Art. 18) in Varna's state, under keyed pseudonyms.

While a restriction lasts the person's data may only be stored (Art. 18(2)): retention must not
delete it and no list may be drawn from it. A restriction records the Art. 18(1) ground, when it
began, every identity of the person (as pseudonyms) and the rows of the systems that hold their
data, so the retention engine keeps exactly those rows. It ends only when lifted, and the person
must be told before it is (Art. 18(3)).

Serialised per person: :func:`~varna.state.locks.lock_subjects` in the write transaction, and the
unique partial index ``uq_restrictions_active`` (one active restriction per person). ``record``
hooks run inside that transaction, so the audit event is committed with the change or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from varna.errors import StateError
from varna.state.database import StateDB
from varna.state.locks import lock_subjects
from varna.state.rows import (
    Named,
    PinnedRow,
    Pseudonymise,
    RowKey,
    chunks,
    insert_missing,
    iso,
    pinned,
    pseudonyms_of,
    retry_on_conflict,
)
from varna.state.schema import restriction_rows, restriction_subjects, restrictions


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


RecordChange = Callable[[sa.Connection, Restriction, bool], None]
"""Called inside the write transaction with the result and whether it is new (the audit)."""


class RestrictionStore:
    """Restrictions in Varna's state database."""

    def __init__(self, state: StateDB, *, pseudonymise: Pseudonymise) -> None:
        self._state, self._pseudonymise = state, pseudonymise

    def __repr__(self) -> str:
        return f"RestrictionStore({self._state.where!r})"

    def pseudonyms(self, identities: Iterable[Named]) -> list[str]:
        return pseudonyms_of(identities, self._pseudonymise)

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
        record: RecordChange | None = None,
    ) -> tuple[Restriction, bool]:
        """Record a restriction, or extend the active one of the same person.

        Returns the restriction and whether it is new. Re-running with the same identities adds
        any identity and row found since and changes nothing else (idempotent).
        """
        names = self.pseudonyms(identities)
        if not names:
            raise StateError("a restriction needs at least one identity of the person")
        kept = list(rows)
        return retry_on_conflict(lambda: self._restrict(names, ground, at, kept, record))

    def _restrict(
        self,
        names: list[str],
        ground: Ground,
        at: datetime,
        rows: list[PinnedRow],
        record: RecordChange | None,
    ) -> tuple[Restriction, bool]:
        with self._state.write("recording a restriction") as conn:
            lock_subjects(conn, names)
            current = _active(conn, names)
            created = current is None
            rid = current.id if current else "rs_" + _digest(names[0], iso(at))
            if created:
                conn.execute(
                    sa.insert(restrictions).values(
                        id=rid, subject=names[0], ground=ground.value, restricted_at=iso(at)
                    )
                )
            insert_missing(
                conn,
                restriction_subjects,
                [{"restriction_id": rid, "pseudonym": n} for n in names],
                ("restriction_id", "pseudonym"),
            )
            insert_missing(
                conn,
                restriction_rows,
                pinned(rows, "restriction_id", rid),
                ("restriction_id", "system", "table_name", "row_key"),
            )
            result = _active(conn, names)
            if result is None:  # pragma: no cover - the row was written in this transaction
                raise StateError("the restriction was not recorded")
            if record is not None:
                record(conn, result, created)
        return result, created

    def lift(
        self,
        identities: Sequence[Named],
        *,
        at: datetime,
        reason: str,
        record: RecordChange | None = None,
    ) -> Restriction:
        """End the active restriction (Art. 18(3): tell the person before this is done)."""
        names = self.pseudonyms(identities)
        if not reason.strip():
            raise StateError("say why the restriction is lifted, e.g. --reason 'accuracy checked'")
        with self._state.write("lifting a restriction") as conn:
            lock_subjects(conn, names)
            current = _active(conn, names)
            if current is None:
                raise StateError("this person has no active restriction to lift")
            conn.execute(
                sa.update(restrictions)
                .where(restrictions.c.id == current.id)
                .values(lifted_at=iso(at), lift_reason=reason.strip()[:200])
            )
            result = Restriction(
                current.id,
                current.subject,
                current.ground,
                current.restricted_at,
                iso(at),
                reason.strip()[:200],
                current.rows,
            )
            if record is not None:
                record(conn, result, False)
        return result

    def pinned_rows(self, conn: sa.Connection) -> list[tuple[str, str, str]]:
        """(system, table, key JSON) of rows kept for an active restriction (Art. 18(2))."""
        q = (
            sa.select(
                restriction_rows.c.system, restriction_rows.c.table_name, restriction_rows.c.row_key
            )
            .join(restrictions, restrictions.c.id == restriction_rows.c.restriction_id)
            .where(restrictions.c.lifted_at.is_(None))
        )
        return [(s, t, k) for s, t, k in conn.execute(q)]

    def restricted(self, pseudonyms: Sequence[str]) -> set[str]:
        """Which of these pseudonyms belong to a person under an active restriction."""
        out: set[str] = set()
        with self._state.read("screening against restrictions") as conn:
            for chunk in chunks(pseudonyms):
                q = (
                    sa.select(restriction_subjects.c.pseudonym)
                    .join(restrictions, restrictions.c.id == restriction_subjects.c.restriction_id)
                    .where(restrictions.c.lifted_at.is_(None))
                    .where(restriction_subjects.c.pseudonym.in_(chunk))
                )
                out.update(conn.scalars(q))
        return out


def decode_key(text: str) -> RowKey:
    return tuple(json.loads(text))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


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
