"""The direct-marketing suppression list (GDPR Art. 21(3)) in Varna's state.

The objection is absolute: one keyed pseudonym per identity of every person who objected
(e-mail, personnummer, telephone), so a later import of a purchased or re-exported list can be
screened and the person is never added back, while the list itself holds no address (Art.
5(1)(c)). Written with insert-if-missing on the primary key (the pseudonym): serialised by the
write transaction and the per-person lock, and a concurrent duplicate cannot be written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

import sqlalchemy as sa

from varna.errors import StateError
from varna.state.database import StateDB
from varna.state.locks import lock_subjects
from varna.state.rows import Named, Pseudonymise, chunks, insert_missing, iso, pseudonyms_of
from varna.state.schema import suppressions

RecordAdded = Callable[[sa.Connection, int], None]
"""Called inside the write transaction with how many entries were new (the audit)."""


class SuppressionStore:
    """The suppression list in Varna's state database."""

    def __init__(self, state: StateDB, *, pseudonymise: Pseudonymise) -> None:
        self._state, self._pseudonymise = state, pseudonymise

    def __repr__(self) -> str:
        return f"SuppressionStore({self._state.where!r})"

    def pseudonyms(self, identities: Iterable[Named]) -> list[str]:
        return pseudonyms_of(identities, self._pseudonymise)

    def suppress(
        self,
        identities: Sequence[Named],
        *,
        at: datetime,
        source: str,
        record: RecordAdded | None = None,
    ) -> int:
        """Add every identity to the suppression list; returns how many were new."""
        rows = [
            {
                "pseudonym": self._pseudonymise(i.kind, i.value),
                "kind": i.kind,
                "added_at": iso(at),
                "source": source[:200],
            }
            for i in identities
        ]
        if not rows:
            raise StateError("an objection needs at least one identity of the person")
        with self._state.write("adding to the suppression list") as conn:
            lock_subjects(conn, [r["pseudonym"] for r in rows])
            added = insert_missing(conn, suppressions, rows, ("pseudonym",))
            if record is not None:
                record(conn, added)
        return added

    def suppressed(self, pseudonyms: Sequence[str]) -> set[str]:
        """Which of these pseudonyms are on the suppression list."""
        out: set[str] = set()
        with self._state.read("screening against the suppression list") as conn:
            for chunk in chunks(pseudonyms):
                q = sa.select(suppressions.c.pseudonym).where(suppressions.c.pseudonym.in_(chunk))
                out.update(conn.scalars(q))
        return out

    def count(self) -> int:
        with self._state.read("counting the suppression list") as conn:
            return int(conn.scalar(sa.select(sa.func.count()).select_from(suppressions)) or 0)
