"""The erasure journal's entries in Varna's state database (table ``erasure_journal``).

One row per erasure under way (GDPR Art. 17): the request's id and the journal entry as text
(the plan and the systems marked). What the text means is :mod:`varna.dsr.journal`'s business;
this store only keeps it. A mark (:meth:`JournalStore.update`) locks the entry's row, changes it
and runs the caller's ``record`` hook in the same transaction, so the mark and the audit event
that records it are committed together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from varna.state.database import StateDB, Transaction
from varna.state.schema import erasure_journal

Record = Callable[[Transaction], None]
"""A hook run inside the mark's transaction (the audit event written with the mark)."""


class JournalStore:
    """Read, write, mark and remove erasure journal entries in ``state``."""

    def __init__(self, state: StateDB) -> None:
        self.state = state

    def __repr__(self) -> str:
        return f"JournalStore({self.state.where!r})"

    def read(self, request_id: str) -> str | None:
        """The entry of request ``request_id``, or ``None`` when it has none."""
        table = erasure_journal
        with self.state.read("reading the erasure journal") as tx:
            body: str | None = tx.scalar(
                sa.select(table.c.body).where(table.c.request_id == request_id)
            )
        return body

    def write(self, request_id: str, body: str) -> None:
        """Store ``body`` as the entry of request ``request_id``, replacing any there."""
        table = erasure_journal
        with self.state.write("writing the erasure journal") as tx:
            exists = tx.scalar(
                sa.select(table.c.request_id).where(table.c.request_id == request_id)
            )
            if exists is None:
                tx.execute(sa.insert(table).values(request_id=request_id, body=body))
            else:
                tx.execute(
                    sa.update(table).where(table.c.request_id == request_id).values(body=body)
                )

    def update(
        self,
        request_id: str,
        change: Callable[[str], str],
        *,
        record: Record | None = None,
    ) -> bool:
        """Replace the entry by ``change(entry)`` under its row lock, then run ``record`` in the
        same transaction (also when there is no entry); True if there was an entry to change."""
        table = erasure_journal
        with self.state.write("marking the erasure journal") as tx:
            body = tx.scalar(
                sa.select(table.c.body).where(table.c.request_id == request_id).with_for_update()
            )
            if body is not None:
                tx.execute(
                    sa.update(table)
                    .where(table.c.request_id == request_id)
                    .values(body=change(body))
                )
            if record is not None:
                record(tx)
        return body is not None

    def delete(self, request_id: str, *, record: Record | None = None) -> None:
        """Remove the entry of request ``request_id`` (nothing if it has none), running
        ``record`` in the same transaction (the audit event of an abandoned entry)."""
        table = erasure_journal
        with self.state.write("closing the erasure journal entry") as tx:
            tx.execute(sa.delete(table).where(table.c.request_id == request_id))
            if record is not None:
                record(tx)
