"""Operations of the service: discovery of personal data (detectors, scans)."""

from __future__ import annotations

from collections.abc import Collection
from typing import IO, TYPE_CHECKING, Literal

from varna.core.base import VarnaBase

if TYPE_CHECKING:
    from varna.discovery.textio import TextScanSummary


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
