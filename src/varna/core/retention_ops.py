"""Operations of the service: retention (gallring) plan and run."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from varna.core.audit_ops import AuditOps

if TYPE_CHECKING:
    from varna.retention.executor import Progress
    from varna.retention.run import RetentionRun
    from varna.state.verification import Purged


RUN_LOCK = "retention.run"
"""The state lock an executing retention run holds from its first to its last batch."""


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
        the run holds the state's retention lock (a second executing run waits), completes
        the batches a killed run left open, and brackets every batch in the audit log with an
        intent before and an outcome after the system's commit (GDPR Art. 5(2),
        accountability); the run's report is written beside the register, and a signed
        checkpoint of the audit chain is appended (``write_checkpoint``). The CLI, cron and
        the background worker all run this.
        """
        from varna.dsr.strategies import erasure_hash_key
        from varna.retention.run import run_retention

        key = self.settings.audit_key_bytes()
        # One executing run at a time, across processes and hosts: an open batch intent the
        # lock's holder finds was left by a run that died, never by one still sweeping, so
        # completing it cannot record a batch twice. Planning takes no lock.
        lock = self.state.exclusive(RUN_LOCK) if execute else nullcontext()
        with lock:
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
        if execute:
            self.purge_centre_data(now=datetime.now(UTC))
            self.write_checkpoint()  # the run wrote to the audit log: anchor it outside
        return run

    def purge_centre_data(self, *, now: datetime) -> Purged:
        """Varna's own gallring of what the privacy centre kept: answers past their expiry,
        the sealed contacts of closed requests, one-time codes older than a day. Recorded in
        the audit log when anything went. Every executing retention run does this."""
        from varna.state.verification import purge_centre_data

        purged = purge_centre_data(self.state, now=now, codes_kept=timedelta(days=1))
        if any(purged.as_dict().values()):
            self.audit.append(
                at=now,
                actor="job:retention",
                action="centre.purged",
                target="state",
                details=purged.as_dict(),
            )
        return purged
