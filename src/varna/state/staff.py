"""The staff and their policy training in Varna's state: who joined (and left), and who was
trained on, acknowledged or reminded of which published policy version, and when.

The rules (who may record, which version is current, whom to remind) live in
:mod:`varna.core.staff_ops`; this module only reads and writes rows. One event per person,
version and kind (a unique index): recording it twice, or two parallel reminder runs, keep the
first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from varna.errors import StateError
from varna.state.database import StateDB
from varna.state.rows import retry_on_conflict, utc_iso
from varna.state.schema import staff_members, staff_policy_events

KINDS = ("trained", "acknowledged", "reminded")


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A staff member as stored; ``repr`` names them but never their address."""

    name: str
    email: str | None
    joined_at: str
    left_at: str | None

    def __repr__(self) -> str:
        return f"StaffMember({self.name!r})"


@dataclass(frozen=True, slots=True)
class PolicyEvent:
    """One training, acknowledgement or reminder."""

    name: str
    version: int
    kind: str
    at: str
    recorded_by: str


class StaffStore:
    """The staff and their policy events in ``state``."""

    def __init__(self, state: StateDB) -> None:
        self._state = state

    def __repr__(self) -> str:
        return "StaffStore()"

    def add(self, name: str, email: str | None, *, now: datetime) -> StaffMember:
        with self._state.write("adding a staff member") as conn:
            found = conn.execute(
                sa.select(staff_members.c.name).where(staff_members.c.name == name)
            ).first()
            if found is not None:
                raise StateError(
                    f"staff member {name!r} exists already: `varna staff list` shows them"
                )
            conn.execute(
                sa.insert(staff_members).values(
                    name=name, email=email, joined_at=utc_iso(now), left_at=None
                )
            )
        return StaffMember(name, email, utc_iso(now), None)

    def leave(self, name: str, *, now: datetime) -> None:
        with self._state.write("recording that a staff member left") as conn:
            done = conn.execute(
                sa.update(staff_members)
                .where(staff_members.c.name == name, staff_members.c.left_at.is_(None))
                .values(left_at=utc_iso(now))
            )
            if done.rowcount != 1:
                raise StateError(f"no current staff member {name!r}: `varna staff list` shows them")

    def members(self) -> list[StaffMember]:
        with self._state.read("listing the staff") as conn:
            rows = conn.execute(sa.select(staff_members).order_by(staff_members.c.name))
            return [StaffMember(r.name, r.email, r.joined_at, r.left_at) for r in rows]

    def get(self, name: str) -> StaffMember | None:
        with self._state.read("reading a staff member") as conn:
            r = conn.execute(sa.select(staff_members).where(staff_members.c.name == name)).first()
        return None if r is None else StaffMember(r.name, r.email, r.joined_at, r.left_at)

    def record(
        self, names: list[str], *, version: int, kind: str, now: datetime, recorded_by: str
    ) -> list[str]:
        """Record ``kind`` of ``version`` for each of ``names`` not recorded yet; returns the
        names recorded now."""
        if kind not in KINDS:
            raise StateError(f"unknown policy event {kind!r}: use one of {', '.join(KINDS)}")
        return retry_on_conflict(
            lambda: self._record(names, version=version, kind=kind, now=now, by=recorded_by)
        )

    def _record(
        self, names: list[str], *, version: int, kind: str, now: datetime, by: str
    ) -> list[str]:
        t = staff_policy_events.c
        done: list[str] = []
        with self._state.write("recording policy training") as conn:
            known = set(
                conn.scalars(
                    sa.select(t.name).where(t.version == version, t.kind == kind, t.name.in_(names))
                )
            )
            for name in dict.fromkeys(names):
                if name in known:
                    continue
                conn.execute(
                    sa.insert(staff_policy_events).values(
                        name=name,
                        version=version,
                        kind=kind,
                        at=utc_iso(now),
                        recorded_by=by,
                    )
                )
                done.append(name)
        return done

    def events(self) -> list[PolicyEvent]:
        t = staff_policy_events.c
        with self._state.read("reading policy training") as conn:
            rows = conn.execute(
                sa.select(t.name, t.version, t.kind, t.at, t.recorded_by).order_by(t.seq)
            )
            return [PolicyEvent(*r) for r in rows]
