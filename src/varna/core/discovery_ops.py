"""Operations of the service: discovery of personal data (detectors, scans)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

from varna.core.base import VarnaBase
from varna.discovery.targets import DEFAULT_SAMPLE

if TYPE_CHECKING:
    from varna.discovery.report import DiscoveryReport
    from varna.discovery.survey import Survey
    from varna.discovery.targets import Target
    from varna.discovery.textio import TextScanSummary
    from varna.state.discovery import DiscoveryUnits


class DiscoveryOps(VarnaBase):
    """Operations: scanning text for personal data."""

    def scan_text(
        self,
        source: IO[str],
        sink: IO[str],
        *,
        name: str,
        labels: Collection[str] | None = None,
        backend: Literal["auto", "hyperscan", "python"] = "auto",
        min_score: float = 0.0,
        processes: int = 1,
    ) -> TextScanSummary:
        """Scan JSON-lines records ``{"id": ..., "text": ...}`` from ``source`` and write one
        line of spans per record to ``sink``; the summary holds counts, never values."""
        from varna.discovery.engine import ScanOptions
        from varna.discovery.textio import execute_text_scan

        wanted = frozenset(labels) if labels is not None else None
        options = ScanOptions(labels=wanted, backend=backend, min_score=min_score)
        return execute_text_scan(source, sink, name=name, options=options, processes=processes)

    def discover(
        self,
        *,
        environ: Mapping[str, str],
        systems: Sequence[str] | None = None,
        sample: int | None = DEFAULT_SAMPLE,
        progress: Callable[[str, str, int, int], None] | None = None,
    ) -> DiscoveryReport:
        """Scan the register's systems (or ``systems``) for personal data, in this process, a
        sample of ``sample`` rows per table (every row when None), and compare what was found
        with what the register declares. ``progress(system, unit, done, total)`` is called
        after each table or file. The report holds labels, counts, confidence and masked
        examples, never values; nothing is kept after it is returned."""
        from varna.discovery.engine import Scanner, ScanOptions
        from varna.discovery.survey import Survey

        planned = self.discovery_units(environ=environ, systems=systems)
        total = sum(len(units) for _, units in planned)
        scanner = Scanner.from_options(ScanOptions())
        survey = Survey()
        done = 0
        for system, units in planned:
            target = self._discovery_target(system, environ=environ, sample=sample)
            try:
                for unit in units:
                    survey.scan(scanner, target.pieces(unit))
                    survey.unit_done(system, unit)
                    done += 1
                    if progress is not None:
                        progress(system, unit, done, total)
            finally:
                target.close()
        return self.discovery_report(survey, sample=sample)

    def discovery_units(
        self, *, environ: Mapping[str, str], systems: Sequence[str] | None = None
    ) -> list[tuple[str, list[str]]]:
        """The tables and files a scan of ``systems`` (all when None) reads, per system."""
        wanted = list(systems) if systems else list(self.register.systems)
        unknown = [s for s in wanted if s not in self.register.systems]
        if unknown:
            from varna.errors import DiscoveryError

            raise DiscoveryError(
                f"no system {', '.join(repr(s) for s in unknown)} in the register "
                f"(systems: {', '.join(self.register.systems)})"
            )
        out: list[tuple[str, list[str]]] = []
        for system in wanted:
            target = self._discovery_target(system, environ=environ, sample=1)
            try:
                out.append((system, target.units()))
            finally:
                target.close()
        return out

    def scan_discovery_unit(
        self, system: str, unit: str, *, environ: Mapping[str, str], sample: int | None
    ) -> Survey:
        """The survey of one table or file (what one job of a fanned-out scan does)."""
        from varna.discovery.engine import Scanner, ScanOptions
        from varna.discovery.survey import Survey

        survey = Survey()
        target = self._discovery_target(system, environ=environ, sample=sample)
        try:
            survey.scan(Scanner.from_options(ScanOptions()), target.pieces(unit))
        finally:
            target.close()
        survey.unit_done(system, unit)
        return survey

    def discovery_report(self, survey: Survey, *, sample: int | None) -> DiscoveryReport:
        """The drift findings and the proposed register fragment for ``survey``."""
        from varna.discovery.drift import drift_findings, proposal_yaml
        from varna.discovery.report import DiscoveryReport

        return DiscoveryReport(
            survey=survey,
            findings=drift_findings(self.register, survey),
            proposal=proposal_yaml(self.register, survey),
            sample=sample,
        )

    def _discovery_target(
        self, system: str, *, environ: Mapping[str, str], sample: int | None
    ) -> Target:
        from varna.connectors.urls import resolve_url
        from varna.discovery.targets import open_target

        spec = self.register.systems[system]
        base_dir = Path(self.register_path).resolve().parent
        url = resolve_url(system, spec, base_dir=base_dir, environ=environ)
        return open_target(system, spec.kind, url, base_dir=base_dir, sample=sample)

    # -- fanned out over workers (PostgreSQL state) ---------------------------------------
    @property
    def discovery_store(self) -> DiscoveryUnits:
        from varna.state.discovery import DiscoveryUnits

        return DiscoveryUnits(self.state)

    def start_discovery(
        self,
        *,
        environ: Mapping[str, str],
        systems: Sequence[str] | None = None,
        sample: int | None = DEFAULT_SAMPLE,
    ) -> tuple[str, list[tuple[str, str]]]:
        """Record a scan to fan out: one row per table or file in ``discovery_units``; the
        scan's id and its units, for one job each (:meth:`run_discovery_unit`)."""
        import uuid

        scan_id = uuid.uuid4().hex
        units = [
            (system, unit)
            for system, names in self.discovery_units(environ=environ, systems=systems)
            for unit in names
        ]
        self.discovery_store.add(scan_id, units, sample)
        return scan_id, units

    def run_discovery_unit(
        self, scan_id: str, system: str, unit: str, *, environ: Mapping[str, str], now: datetime
    ) -> bool:
        """Scan one unit of a fanned-out scan and store its survey; False when the unit is
        unknown or already done (a job run twice does not count twice)."""
        import json

        store = self.discovery_store
        pending, sample = store.pending(scan_id, system, unit)
        if not pending:
            return False
        survey = self.scan_discovery_unit(system, unit, environ=environ, sample=sample)
        stored = json.dumps(survey.as_dict(), ensure_ascii=False)
        return store.finish(scan_id, system, unit, stored, now.isoformat())

    def discovery_progress(self, scan_id: str) -> tuple[int, int]:
        """(units done, units in all) of a fanned-out scan."""
        return self.discovery_store.progress(scan_id)

    def merged_discovery(self, scan_id: str) -> DiscoveryReport:
        """The report of a fanned-out scan: the stored surveys of its units merged (units
        not yet done are left out; see :meth:`discovery_progress`)."""
        import json

        from varna.discovery.survey import Survey

        survey = Survey()
        sample: int | None = DEFAULT_SAMPLE
        for stored, rows_read in self.discovery_store.surveys(scan_id):
            survey.merge(Survey.from_dict(json.loads(stored)))
            sample = rows_read
        return self.discovery_report(survey, sample=sample)
