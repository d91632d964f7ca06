"""Operations of the service: retention (gallring) plan and run."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from varna.core.audit_ops import AuditOps

if TYPE_CHECKING:
    from varna.retention.executor import Progress
    from varna.retention.run import RetentionRun


class RetentionOps(AuditOps):
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

        Rows pinned by an active restriction (Art. 18(2): storage only) or by a request not
        yet answered are kept; they are read again before every batch, so a restriction
        recorded while the sweep runs is honoured from the next batch on. With ``execute``
        every committed batch is recorded in the audit log (GDPR Art. 5(2), accountability),
        the run's report is written beside the register, and a signed checkpoint of the audit
        chain is appended (``write_checkpoint``). The CLI, cron and the background worker all
        run this.
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
            exclusions=self.ledger.pinned_rows,
            progress=progress,
        )
        if execute:  # the run wrote to the audit log: anchor the chain outside the database
            self.write_checkpoint()
        return run
