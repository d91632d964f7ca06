"""The scanner: candidates from the first pass, validated and scored by their detectors,
overlaps resolved; over a stream of pieces, with bounded memory, on one or many processes.

A *piece* is ``(locator, text)``: a record id, a ``table/column/row``, a file and line. Targets
(SQL tables, folders, mailboxes) yield pieces; the scanner never learns where they came from
and keeps none of their text: it yields ``(locator, findings)`` as it goes.
"""

from __future__ import annotations

import multiprocessing
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Literal

from varna.discovery.matcher import (
    HyperscanMatcher,
    Matcher,
    PythonMatcher,
    compile_pattern,
    hyperscan_available,
)
from varna.discovery.models import Detector, Finding, Pattern
from varna.discovery.registry import default_registry
from varna.errors import DiscoveryError

Backend = Literal["auto", "hyperscan", "python"]
Piece = tuple[object, str]
"""A locator (any value; the scanner only passes it on) and the text to scan."""

BATCH = 256
"""Pieces handed to a worker process at a time; with ``processes`` workers at most
``2 * processes * BATCH`` pieces are in memory at once."""


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """What a scan looks for and how: picklable, so worker processes build the same scanner."""

    labels: frozenset[str] | None = None
    backend: Backend = "auto"
    min_score: float = 0.0


def resolve_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    """Keep the best of overlapping findings: higher score first, then the longer span.

    The result is sorted by start and has no two overlapping spans. Each candidate is checked
    against its neighbours among the kept spans only (they never overlap, so a sorted list of
    starts suffices): O(n log n).
    """
    ranked = sorted(findings, key=lambda f: (-f.score, -(f.end - f.start), f.start, f.label))
    starts: list[int] = []
    taken: list[Finding] = []
    for finding in ranked:
        at = bisect_left(starts, finding.start)
        if at < len(taken) and taken[at].start < finding.end:
            continue
        if at > 0 and taken[at - 1].end > finding.start:
            continue
        starts.insert(at, finding.start)
        taken.insert(at, finding)
    return taken


class Scanner:
    """Detectors, their compiled patterns and a matcher; built once per process."""

    def __init__(self, detectors: Sequence[Detector], *, backend: Backend = "auto") -> None:
        if not detectors:
            raise DiscoveryError("a scan needs at least one detector")
        self.detectors = tuple(detectors)
        # Detectors that share a pattern (personnummer and samordningsnummer) share its
        # candidates: one match, each owner scores it.
        self._owners: list[list[tuple[Detector, Pattern]]] = []
        compiled = []
        known: dict[tuple[str, bool, str | None], int] = {}
        for detector in self.detectors:
            for pattern in detector.patterns:
                key = (pattern.regex, pattern.boundary, pattern.prefilter)
                if key not in known:
                    known[key] = len(self._owners)
                    compiled.append(compile_pattern(len(self._owners), pattern))
                    self._owners.append([])
                self._owners[known[key]].append((detector, pattern))
        if backend == "auto":
            backend = "hyperscan" if hyperscan_available() else "python"
        if backend == "hyperscan" and not hyperscan_available():
            raise DiscoveryError(
                "backend 'hyperscan' asked for but the hyperscan package is not installed "
                "(pip install hyperscan, or use the python backend)"
            )
        self.backend: Literal["hyperscan", "python"] = backend
        self._matcher: Matcher = (
            HyperscanMatcher(compiled) if backend == "hyperscan" else PythonMatcher(compiled)
        )

    @classmethod
    def from_options(cls, options: ScanOptions) -> Scanner:
        """The registered detectors (of ``options.labels``) with ``options.backend``."""
        detectors = default_registry().build(labels=options.labels)
        return cls(detectors, backend=options.backend)

    def scan(self, text: str) -> list[Finding]:
        """Every finding in ``text``, sorted by start, overlaps resolved."""
        found: list[Finding] = []
        owners = self._owners
        for index, start, end in self._matcher.candidates(text):
            for detector, pattern in owners[index]:
                if detector.glued(text, start, end):
                    continue
                finding = detector.score(text, start, end, pattern)
                if finding is not None:
                    found.append(finding)
        return resolve_overlaps(found) if len(found) > 1 else found

    def scan_pieces(self, pieces: Iterable[Piece]) -> Iterator[tuple[object, list[Finding]]]:
        """``(locator, findings)`` for each piece, in order, one at a time."""
        for locator, text in pieces:
            yield locator, self.scan(text)


_WORKER: Scanner | None = None


def _init_worker(options: ScanOptions) -> None:
    global _WORKER
    _WORKER = Scanner.from_options(options)


def _scan_batch(batch: list[Piece]) -> list[tuple[object, list[Finding]]]:
    assert _WORKER is not None, "worker not initialised"
    return list(_WORKER.scan_pieces(batch))


def _batches(pieces: Iterable[Piece], size: int) -> Iterator[list[Piece]]:
    iterator = iter(pieces)
    while batch := list(islice(iterator, size)):
        yield batch


def scan_stream(
    pieces: Iterable[Piece],
    options: ScanOptions,
    *,
    processes: int = 1,
    batch: int = BATCH,
) -> Iterator[tuple[object, list[Finding]]]:
    """Scan pieces in order on ``processes`` worker processes (1: in this process).

    Memory stays bounded: batches are read from ``pieces`` only as workers take them
    (``imap`` with at most ``2 * processes`` batches in flight) and results come back in order.
    """
    if processes <= 1:
        scanner = Scanner.from_options(options)
        yield from scanner.scan_pieces(pieces)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes, initializer=_init_worker, initargs=(options,)) as pool:
        in_flight: list[multiprocessing.pool.AsyncResult[list[tuple[object, list[Finding]]]]]
        in_flight = []
        for chunk in _batches(pieces, batch):
            in_flight.append(pool.apply_async(_scan_batch, (chunk,)))
            if len(in_flight) >= 2 * processes:
                yield from in_flight.pop(0).get()
        for pending in in_flight:
            yield from pending.get()
