"""Console users in Varna's state: name, role, the argon2id hash of the password, the sealed
TOTP secret and the failed sign-ins that make the next attempt wait.

Hashing, sealing and the rules of sign-in live in :mod:`varna.core.user_ops`; this module only
reads and writes rows. A name is unique (the primary key): two parallel ``user add`` of one
name cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from varna.errors import AccessError, StateError
from varna.state.database import StateDB
from varna.state.rows import utc_iso
from varna.state.schema import console_sessions, users


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A user as stored; ``repr`` never shows the hash or the sealed secret."""

    name: str
    role: str
    special_categories: bool
    password_hash: str
    totp_sealed: str | None
    totp_step: int
    failures: int
    locked_until: str | None
    created_at: str
    disabled_at: str | None

    def __repr__(self) -> str:
        return f"UserRecord({self.name!r}, {self.role})"

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def as_dict(self) -> dict[str, object]:
        """What may be shown: never the hash or the secret."""
        return {
            "name": self.name,
            "role": self.role,
            "special_categories": self.special_categories,
            "two_factor": self.totp_sealed is not None,
            "created_at": self.created_at,
            "disabled_at": self.disabled_at,
        }


class UserStore:
    """The console's users in ``state``."""

    def __init__(self, state: StateDB) -> None:
        self._state = state

    def __repr__(self) -> str:
        return f"UserStore({self._state.where!r})"

    def add(
        self,
        *,
        name: str,
        role: str,
        special_categories: bool,
        password_hash: str,
        totp_sealed: str | None,
        now: datetime,
    ) -> UserRecord:
        """A new user; an AccessError if the name is taken."""
        row = {
            "name": name,
            "role": role,
            "special_categories": special_categories,
            "password_hash": password_hash,
            "totp_sealed": totp_sealed,
            "totp_step": 0,
            "failures": 0,
            "locked_until": None,
            "created_at": utc_iso(now),
            "disabled_at": None,
        }
        try:
            with self._state.write("adding a console user") as conn:
                conn.execute(sa.insert(users).values(**row))
        except StateError as exc:
            if self.get(name) is not None:
                raise AccessError(
                    f"there is already a user '{name}' (list them: varna user list)",
                    reason="user",
                ) from exc
            raise
        return _user(row)

    def get(self, name: str) -> UserRecord | None:
        with self._state.read("reading a console user") as conn:
            row = conn.execute(sa.select(users).where(users.c.name == name)).one_or_none()
        return None if row is None else _user(row._mapping)

    def listing(self) -> list[UserRecord]:
        with self._state.read("listing console users") as conn:
            rows = conn.execute(sa.select(users).order_by(users.c.name)).all()
        return [_user(r._mapping) for r in rows]

    def update(self, name: str, **values: Any) -> UserRecord:
        """Change columns of user ``name``; an AccessError if there is none."""
        with self._state.write("changing a console user") as conn:
            done = conn.execute(sa.update(users).where(users.c.name == name).values(**values))
        if not done.rowcount:
            raise AccessError(
                f"there is no user '{name}' (list them: varna user list)", reason="user"
            )
        found = self.get(name)
        assert found is not None
        return found

    def record_failure(self, name: str, *, locked_until: datetime | None) -> None:
        """One more failed sign-in (counted in the database, so parallel attempts all count)."""
        with self._state.write("recording a failed sign-in") as conn:
            conn.execute(
                sa.update(users)
                .where(users.c.name == name)
                .values(
                    failures=users.c.failures + 1,
                    locked_until=None if locked_until is None else utc_iso(locked_until),
                )
            )

    def accept_step(self, name: str, step: int) -> bool:
        """Record TOTP step ``step`` as used; False if it (or a later one) was used already, so
        a code works once (the update is conditional: of two parallel uses one wins)."""
        with self._state.write("recording a TOTP code") as conn:
            done = conn.execute(
                sa.update(users)
                .where(users.c.name == name, users.c.totp_step < step)
                .values(totp_step=step, failures=0, locked_until=None)
            )
        return bool(done.rowcount)

    def disable(self, name: str, *, now: datetime) -> UserRecord:
        """Disable ``name`` and end every session of theirs, in one transaction."""
        with self._state.write("disabling a console user") as conn:
            conn.execute(
                sa.update(users)
                .where(users.c.name == name, users.c.disabled_at.is_(None))
                .values(disabled_at=utc_iso(now))
            )
            conn.execute(sa.delete(console_sessions).where(console_sessions.c.user_name == name))
        found = self.get(name)
        if found is None:
            raise AccessError(
                f"there is no user '{name}' (list them: varna user list)", reason="user"
            )
        return found


def _user(row: Mapping[Any, Any]) -> UserRecord:
    return UserRecord(
        name=str(row["name"]),
        role=str(row["role"]),
        special_categories=bool(row["special_categories"]),
        password_hash=str(row["password_hash"]),
        totp_sealed=row["totp_sealed"],
        totp_step=int(row["totp_step"]),
        failures=int(row["failures"]),
        locked_until=row["locked_until"],
        created_at=str(row["created_at"]),
        disabled_at=row["disabled_at"],
    )
