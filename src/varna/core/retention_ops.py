"""Operations of the service: retention (gallring) plan and run."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

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

        Rows pinned by an active restriction (Art. 18(2): storage only) or by a request not
        yet answered are kept; they are read again before every batch, so a restriction
        recorded while the sweep runs is honoured from the next batch on. With ``execute``
        every committed batch is recorded in the audit log (GDPR Art. 5(2), accountability),
        the run's report is written beside the register, and the audit chain's checkpoint is
        written when the service has one. The CLI, cron and the background worker all run this.
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
        # The audit chain's checkpoint (issue 12 item 3) is added by another area of the
        # service; write it after every run that appended events, once it exists.
        checkpoint = getattr(self, "write_checkpoint", None)
        if execute and callable(checkpoint):
            checkpoint()
        return run
