"""The one object the CLI, the web app and the tests build: settings, register and state."""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from varna.register import Register, load_register
from varna.register.checks import Finding, run_checks
from varna.settings import Settings

if TYPE_CHECKING:
    from varna.audit.log import AuditLog
    from varna.dsr.journal import StateErasureJournal
    from varna.retention.executor import Progress
    from varna.retention.run import RetentionRun
    from varna.state.database import StateDB
    from varna.subjects import SubjectLedger


class Varna:
    """Varna for one organisation: its register, its state database and its audit log.

    Nothing is opened until it is used, so building a ``Varna`` is cheap.
    """

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
        """Varna's own database, migrated to the newest schema on first use."""
        from varna.state.database import open_state

        db = open_state(self.settings.state_url)
        # pooled connections are closed when this object goes, even if nobody calls close()
        weakref.finalize(self, db.close)
        db.migrate()
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

    def run_retention(
        self,
        *,
        now: datetime,
        environ: Mapping[str, str],
        execute: bool = False,
        progress: Progress | None = None,
    ) -> RetentionRun:
        """Plan, and with ``execute`` sweep, the retention of every system as of ``now``.

        Rows pinned by an active restriction (Art. 18(2): storage only) are kept. With
        ``execute`` the run is recorded in the audit log and its report written beside the
        register. The CLI, cron and the background worker all run this.
        """
        from varna.dsr.strategies import erasure_hash_key
        from varna.retention.run import run_retention

        key = self.settings.audit_key_bytes()
        return run_retention(
            self.register,
            now=now,
            base_dir=Path(self.register_path).resolve().parent,
            environ=environ,
            execute=execute,
            hash_key=erasure_hash_key(key),
            audit=self.audit if execute else None,
            exclusions=self.ledger.pinned_rows(),
            progress=progress,
        )

    def check_register(
        self, *, on: date, environ: Mapping[str, str] | None = None
    ) -> list[Finding]:
        """Semantic findings for the register, as of ``on``; with ``environ`` (the variables
        that hold the systems' URLs) also the live systems' missing indexes."""
        findings = run_checks(self.register, on=on)
        if environ is not None:
            findings += self.check_indexes(environ)
        return findings

    def check_indexes(self, environ: Mapping[str, str]) -> list[Finding]:
        """Lookup columns of the live SQL systems that no index serves."""
        from varna.connectors.indexes import index_findings
        from varna.connectors.registry import connected

        base_dir = Path(self.register_path).resolve().parent
        with connected(self.register, base_dir=base_dir, environ=environ) as connectors:
            return index_findings(self.register, connectors)
