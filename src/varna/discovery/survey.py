"""A survey: what a scan of the register's systems observed, per location and label.

The scanner's findings are folded as they come into :class:`Observation` rows (a location, a
label, how many pieces held it out of how many read, the mean confidence, up to three masked
examples) and the text is dropped. Observations of separate units merge by addition, so a scan
split over many workers adds up to the same survey as one scan in one process
(:meth:`Survey.merge`); they serialise to plain JSON for Varna's state.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from varna.discovery.engine import Scanner
from varna.discovery.masking import mask_example
from varna.discovery.targets import Location, Piece

EXAMPLES = 3
"""Masked examples kept per location and label."""


@dataclass(slots=True)
class Observation:
    """One label at one location: counts and masked examples, never a value."""

    location: Location
    label: str
    hits: int = 0
    """Pieces (cells, lines, pages) that held the label at least once."""
    score_sum: float = 0.0
    examples: list[str] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        return round(self.score_sum / self.hits, 3) if self.hits else 0.0

    def as_dict(self, scanned: int) -> dict[str, Any]:
        return {
            "system": self.location.system,
            "table": self.location.table,
            "column": self.location.column,
            "location": str(self.location),
            "label": self.label,
            "hits": self.hits,
            "scanned": scanned,
            "confidence": self.confidence,
            "examples": list(self.examples),
        }


@dataclass(slots=True)
class Survey:
    """Observations and pieces read, per location; units (tables, files) scanned per system."""

    observations: dict[tuple[Location, str], Observation] = field(default_factory=dict)
    scanned: dict[Location, int] = field(default_factory=dict)
    units: dict[str, list[str]] = field(default_factory=dict)

    def add(self, location: Location, text: str, findings: Iterable[Any]) -> None:
        """Fold one piece's findings in; the text is read for masked examples only."""
        self.scanned[location] = self.scanned.get(location, 0) + 1
        best: dict[str, Any] = {}
        for finding in findings:
            kept = best.get(finding.label)
            if kept is None or finding.score > kept.score:
                best[finding.label] = finding
        for label, finding in best.items():
            key = (location, label)
            obs = self.observations.get(key)
            if obs is None:
                obs = self.observations[key] = Observation(location, label)
            obs.hits += 1
            obs.score_sum += finding.score
            if len(obs.examples) < EXAMPLES:
                example = mask_example(text[finding.start : finding.end])
                if example not in obs.examples:
                    obs.examples.append(example)

    def scan(self, scanner: Scanner, pieces: Iterable[Piece]) -> None:
        """Scan ``pieces`` with ``scanner`` and fold them in."""
        for location, text in pieces:
            self.add(location, text, scanner.scan(text))

    def unit_done(self, system: str, unit: str) -> None:
        self.units.setdefault(system, []).append(unit)

    def merge(self, other: Survey) -> None:
        """Add ``other`` (the survey of other units) to this one."""
        for location, n in other.scanned.items():
            self.scanned[location] = self.scanned.get(location, 0) + n
        for key, obs in other.observations.items():
            mine = self.observations.get(key)
            if mine is None:
                self.observations[key] = Observation(
                    obs.location, obs.label, obs.hits, obs.score_sum, list(obs.examples)
                )
                continue
            mine.hits += obs.hits
            mine.score_sum += obs.score_sum
            for example in obs.examples:
                if len(mine.examples) < EXAMPLES and example not in mine.examples:
                    mine.examples.append(example)
        for system, units in other.units.items():
            self.units.setdefault(system, []).extend(units)

    def rows(self) -> Iterator[dict[str, Any]]:
        """Every observation as a dict, sorted by location then label."""
        for key in sorted(self.observations):
            obs = self.observations[key]
            yield obs.as_dict(self.scanned.get(obs.location, 0))

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON: what a job stores in Varna's state and a merge reads back."""
        return {
            "scanned": [[*_loc(loc), n] for loc, n in sorted(self.scanned.items())],
            "observations": [
                [*_loc(o.location), o.label, o.hits, o.score_sum, o.examples]
                for _, o in sorted(self.observations.items())
            ],
            "units": {s: sorted(u) for s, u in sorted(self.units.items())},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Survey:
        out = cls()
        for system, table, column, n in data.get("scanned", []):
            out.scanned[Location(system, table, column)] = int(n)
        for system, table, column, label, hits, score_sum, examples in data.get("observations", []):
            location = Location(system, table, column)
            out.observations[(location, label)] = Observation(
                location, label, int(hits), float(score_sum), list(examples)
            )
        out.units = {s: list(u) for s, u in data.get("units", {}).items()}
        return out


def _loc(location: Location) -> tuple[str, str, str | None]:
    return location.system, location.table, location.column
