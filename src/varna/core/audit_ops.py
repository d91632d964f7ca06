"""Operations of the service: the state schema (show, upgrade), verify the audit log, write and
check checkpoints, export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from varna.core.base import VarnaBase
from varna.errors import StateError

if TYPE_CHECKING:
    from varna.audit.checkpoint import Checkpoint
    from varna.audit.models import VerifyReport
    from varna.state.database import Revision


@dataclass(frozen=True, slots=True)
class Written:
    """A checkpoint and every file it was appended to."""

    checkpoint: Checkpoint
    paths: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class Upgrade:
    """What ``upgrade_state`` did: the revision before and after."""

    before: Revision
    after: Revision

    @property
    def changed(self) -> bool:
        return self.before.current != self.after.current


class AuditOps(VarnaBase):
    """Operations: the state schema, verify the audit log, write and check checkpoints, export."""

    def state_revision(self) -> Revision:
        """Where the state database's schema is, without changing or refusing anything."""
        from varna.state.database import open_state

        with open_state(self.settings.state_url) as db:
            return db.check_revision()

    def upgrade_state(self) -> Upgrade:
        """Migrate the state database to the newest schema this Varna ships (a new database
        too); a schema written by a newer Varna is refused. Back the database up first."""
        from varna.state.database import open_state

        with open_state(self.settings.state_url) as db:
            before = db.check_revision()
            if before.status == "newer":
                raise StateError(
                    f"state database {before.where}: its schema is at revision {before.current}, "
                    f"newer than this Varna's {before.head}; install the newer Varna instead"
                )
            db.migrate()
            return Upgrade(before, db.check_revision())

    def write_checkpoint(self, *, now: datetime | None = None, out: Path | None = None) -> Written:
        """Sign the audit log's head and append it to the checkpoint file (the setting
        ``VARNA_CHECKPOINT_FILE``) and, if given, to ``out``. Retention runs that write to the
        audit log and the worker's daily task call this."""
        from varna.audit.checkpoint import append_checkpoint

        checkpoint = self.audit.checkpoint(now=now or datetime.now(UTC))
        paths = [self.settings.checkpoints, *([out] if out is not None else [])]
        for path in paths:
            append_checkpoint(path, checkpoint)
        return Written(checkpoint, tuple(paths))

    def verify_audit(
        self, *, against: Path | None = None, on_progress: Callable[[int], None] | None = None
    ) -> VerifyReport:
        """Verify every entry of the audit log and, with ``against`` (a checkpoint file), that
        the log still holds the newest valid checkpoint's entry: no reset, rollback or gap."""
        from varna.audit.checkpoint import read_checkpoints

        checkpoints = read_checkpoints(against) if against is not None else []
        return self.audit.verify(against=checkpoints, on_progress=on_progress)
