"""Operations of the service: retention (gallring) plan and run."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from varna.core.audit_ops import AuditOps
from varna.core.base import VarnaBase

if TYPE_CHECKING:
    from varna.retention.executor import Progress
    from varna.retention.run import RetentionRun


class RetentionOps(VarnaBase):
    """Operations: retention plan and run."""

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
        register, and a signed audit checkpoint is appended (``write_checkpoint``). The CLI,
        cron and the background worker all run this.
        """
        from varna.dsr.strategies import erasure_hash_key
        from varna.retention.run import run_retention

        key = self.settings.audit_key_bytes()
        run = run_retention(
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
        if execute and isinstance(self, AuditOps):  # the run wrote to the audit log: anchor it
            self.write_checkpoint()
        return run
