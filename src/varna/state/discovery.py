"""The units of discovery scans fanned out over workers (``discovery_units``)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from varna.state.database import StateDB
from varna.state.schema import discovery_units as t


class DiscoveryUnits:
    """One row per table or file of a scan: claimed by the job that scans it, then its survey
    (JSON: labels, counts, masked examples, never values)."""

    def __init__(self, state: StateDB) -> None:
        self.state = state

    def __repr__(self) -> str:
        return f"DiscoveryUnits({self.state!r})"

    def add(self, scan_id: str, units: Sequence[tuple[str, str]], sample: int | None) -> None:
        rows = [
            {"scan_id": scan_id, "system": s, "unit": u, "sample": sample, "runs": 0}
            for s, u in units
        ]
        if rows:
            with self.state.write("recording a discovery scan") as conn:
                conn.execute(t.insert(), rows)

    def _key(self, scan_id: str, system: str, unit: str) -> sa.ColumnElement[bool]:
        return (t.c.scan_id == scan_id) & (t.c.system == system) & (t.c.unit == unit)

    def pending(self, scan_id: str, system: str, unit: str) -> tuple[bool, int | None]:
        """(whether the unit is still to scan, its sample size)."""
        with self.state.read("reading a discovery unit") as conn:
            row = conn.execute(
                sa.select(t.c.sample, t.c.done_at).where(self._key(scan_id, system, unit))
            ).first()
        if row is None or row.done_at is not None:
            return False, None
        return True, row.sample

    def finish(self, scan_id: str, system: str, unit: str, survey: str, at: str) -> bool:
        """Store the unit's survey once; False when another run stored it first."""
        with self.state.write("storing a discovery unit") as conn:
            done = conn.execute(
                t.update()
                .where(self._key(scan_id, system, unit) & t.c.done_at.is_(None))
                .values(survey=survey, done_at=at, runs=t.c.runs + 1)
            ).rowcount
        return bool(done)

    def progress(self, scan_id: str) -> tuple[int, int]:
        """(units done, units in all)."""
        with self.state.read("reading a discovery scan") as conn:
            total, done = conn.execute(
                sa.select(sa.func.count(), sa.func.count(t.c.done_at)).where(t.c.scan_id == scan_id)
            ).one()
        return int(done), int(total)

    def surveys(self, scan_id: str) -> list[tuple[str, int | None]]:
        """(survey JSON, sample) of every unit done, by system and unit."""
        with self.state.read("reading a discovery scan") as conn:
            rows = conn.execute(
                sa.select(t.c.survey, t.c.sample)
                .where((t.c.scan_id == scan_id) & t.c.survey.is_not(None))
                .order_by(t.c.system, t.c.unit)
            ).all()
        return [(r.survey, r.sample) for r in rows]

    def runs(self, scan_id: str) -> dict[tuple[str, str], int]:
        """How many times each unit was scanned (each should be once)."""
        with self.state.read("reading a discovery scan") as conn:
            rows = conn.execute(
                sa.select(t.c.system, t.c.unit, t.c.runs).where(t.c.scan_id == scan_id)
            ).all()
        return {(r.system, r.unit): int(r.runs) for r in rows}
