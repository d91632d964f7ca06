"""The resources every operation shares: settings, register, state, audit log, ledger, journal.

Each area of operations (see :mod:`varna.core`) subclasses :class:`VarnaBase`."""

from __future__ import annotations

import weakref
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from varna.register import Register, load_register
from varna.settings import Settings

if TYPE_CHECKING:
    from varna.audit.log import AuditLog
    from varna.dsr.journal import StateErasureJournal
    from varna.state.database import StateDB
    from varna.subjects import SubjectLedger


class VarnaBase:
    """The resources of one Varna: opened on first use, closed by :meth:`close`."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        register_path: Path | None = None,
        register: Register | None = None,
    ) -> None:
        self.settings = settings if settings is not None else Settings()
        self.register_path = register_path or self.settings.register_file
        if register is not None:
            self.__dict__["register"] = register

    @cached_property
    def register(self) -> Register:
        """The register, loaded from ``register_path`` on first use."""
        return load_register(self.register_path)

    @cached_property
    def state(self) -> StateDB:
        """Varna's own database; a new one is created at the newest schema, an older or newer
        schema is refused (``varna state upgrade``; see :meth:`StateDB.open_at_head`)."""
        from varna.state.database import open_state

        db = open_state(self.settings.state_url)
        # pooled connections are closed when this object goes, even if nobody calls close()
        weakref.finalize(self, db.close)
        db.open_at_head()
        return db

    def close(self) -> None:
        """Close the state database's pooled connections, if it was opened."""
        db = self.__dict__.get("state")
        if db is not None:
            db.close()

    @cached_property
    def audit(self) -> AuditLog:
        """The append-only, hash-chained audit log."""
        from varna.audit.log import AuditLog

        return AuditLog(self.state, key=self.settings.audit_key_bytes())

    @cached_property
    def ledger(self) -> SubjectLedger:
        """Restrictions (Art. 18) and the direct-marketing suppression list (Art. 21(3))."""
        from varna.subjects import SubjectLedger, ledger_key

        return SubjectLedger(self.state, key=ledger_key(self.settings.audit_key_bytes()))

    @cached_property
    def erasure_journal(self) -> StateErasureJournal:
        """Erasures under way (Art. 17), in the state database so any process can finish them."""
        from varna.dsr.journal import StateErasureJournal

        return StateErasureJournal(self.state)
