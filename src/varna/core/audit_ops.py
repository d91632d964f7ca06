"""Operations of the service: the state schema (show, upgrade), verify the audit log, write and
check checkpoints, export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from varna.core.base import VarnaBase
from varna.errors import StateError

if TYPE_CHECKING:
    from varna.state.database import Revision


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
