"""The engine: both first passes agree, processes agree with one process, overlaps resolve."""

from __future__ import annotations

import pytest

from varna.discovery.corpus import generate_corpus
from varna.discovery.engine import Scanner, ScanOptions, resolve_overlaps, scan_stream
from varna.discovery.matcher import hyperscan_available
from varna.discovery.models import Finding
from varna.errors import DiscoveryError

RECORDS = [(r.id, r.text) for r in generate_corpus(400, seed=7)]


def _spans(results: list[tuple[object, list[Finding]]]) -> list[tuple[object, list[object]]]:
    return [(key, [f.as_span() for f in found]) for key, found in results]


def test_hyperscan_is_installed_here() -> None:
    assert hyperscan_available()


def test_hyperscan_and_python_passes_find_the_same_spans() -> None:
    fast = Scanner.from_options(ScanOptions(backend="hyperscan"))
    slow = Scanner.from_options(ScanOptions(backend="python"))
    assert (fast.backend, slow.backend) == ("hyperscan", "python")
    differing = [key for key, text in RECORDS if fast.scan(text) != slow.scan(text)]
    assert differing == []


@pytest.mark.slow
def test_processes_give_the_same_results_in_order() -> None:
    options = ScanOptions()
    serial = _spans(list(scan_stream(RECORDS, options)))
    parallel = _spans(list(scan_stream(RECORDS, options, processes=2, batch=32)))
    assert parallel == serial
    assert [key for key, _ in parallel] == [key for key, _ in RECORDS]


def test_stream_is_lazy() -> None:
    taken: list[int] = []

    def pieces():  # type: ignore[no-untyped-def]
        for number in range(10_000):
            taken.append(number)
            yield number, "ring 070-123 45 67"

    stream = scan_stream(pieces(), ScanOptions(labels=frozenset({"phone"})))
    first = next(iter(stream))
    assert first[0] == 0
    assert len(taken) == 1


@pytest.mark.parametrize(
    ("findings", "kept"),
    [
        ([(0, 10, "a", 0.9), (5, 15, "b", 0.8)], ["a"]),
        ([(0, 10, "a", 0.7), (5, 15, "b", 0.8)], ["b"]),
        ([(0, 4, "a", 0.8), (0, 10, "b", 0.8)], ["b"]),
        ([(0, 4, "a", 0.8), (4, 10, "b", 0.8)], ["a", "b"]),
    ],
    ids=["higher-score-wins", "higher-score-wins-later", "longer-wins-tie", "adjacent-both"],
)
def test_resolve_overlaps(findings: list[tuple[int, int, str, float]], kept: list[str]) -> None:
    result = resolve_overlaps(Finding(s, e, label, sc, "D", "D: x") for s, e, label, sc in findings)
    assert [f.label for f in result] == kept


def test_unknown_backend_label_is_refused() -> None:
    with pytest.raises(DiscoveryError, match="no detector for label"):
        Scanner.from_options(ScanOptions(labels=frozenset({"shoe_size"})))
