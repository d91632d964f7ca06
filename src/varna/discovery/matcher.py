"""The first pass: every pattern of every detector over a text, as candidate spans.

Two matchers give the same candidates: :class:`HyperscanMatcher` runs all patterns at once with
Hyperscan (one pass over the bytes, reporting where each pattern ends) and re-reads only the
windows around those ends with Python's ``re``; :class:`PythonMatcher` runs each pattern with
``re`` over the whole text. Python's ``re`` decides the final span in both, so the two agree.

Text is handed to Hyperscan as Latin-1 with every other character replaced by ``?``: one byte
per character, so byte offsets are character offsets. Swedish letters are in Latin-1; a pattern
character outside it can only match through the ``re`` pass of a window that Hyperscan found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from varna.discovery.models import Pattern
from varna.errors import DiscoveryError

MAX_WINDOW = 256
"""The longest span re-read before a Hyperscan hit (for patterns without a bounded width)."""

_BOUNDARY_BEFORE = r"(?<![^\W_])"
_BOUNDARY_AFTER = r"(?![^\W_])"


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """One pattern ready for both passes."""

    index: int
    pattern: Pattern
    regex: re.Pattern[str]
    hs_expression: bytes
    caseless: bool
    width: int


def compile_pattern(index: int, pattern: Pattern) -> CompiledPattern:
    """The ``re`` form (with letter-or-digit boundaries) and the Hyperscan form of a pattern."""
    body, flags, caseless = pattern.regex, 0, False
    if body.startswith("(?i)"):
        body, flags, caseless = body[4:], re.IGNORECASE, True
    wrapped = f"(?:{body})"
    if pattern.boundary:
        wrapped = f"{_BOUNDARY_BEFORE}{wrapped}{_BOUNDARY_AFTER}"
    try:
        regex = re.compile(wrapped, flags)
    except re.error as exc:
        raise DiscoveryError(
            f"pattern '{pattern.name}' is not a valid regular expression: {exc}"
        ) from exc
    width = min(MAX_WINDOW, re._parser.parse(body, flags).getwidth()[1])  # type: ignore[attr-defined]
    return CompiledPattern(
        index, pattern, regex, body.encode("latin-1", "replace"), caseless, int(width)
    )


class Matcher(Protocol):
    """Candidate spans ``(pattern index, start, end)`` of a text, in no particular order."""

    def candidates(self, text: str) -> Iterator[tuple[int, int, int]]: ...


class PythonMatcher:
    """Each pattern's ``re`` over the whole text: the path where Hyperscan is not installed."""

    def __init__(self, patterns: Sequence[CompiledPattern]) -> None:
        self._patterns = tuple(patterns)

    def candidates(self, text: str) -> Iterator[tuple[int, int, int]]:
        for compiled in self._patterns:
            for match in compiled.regex.finditer(text):
                yield compiled.index, match.start(), match.end()


def hyperscan_available() -> bool:
    """True when the ``hyperscan`` package imports (its wheels cover x86-64 Linux and macOS)."""
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return False
    return True


class HyperscanMatcher:
    """All patterns in one Hyperscan database; ``re`` re-reads the windows that end at a hit."""

    def __init__(self, patterns: Sequence[CompiledPattern]) -> None:
        import hyperscan

        self._patterns = tuple(patterns)
        self._database = hyperscan.Database()
        flags = [hyperscan.HS_FLAG_CASELESS if p.caseless else 0 for p in self._patterns]
        try:
            self._database.compile(
                expressions=[p.hs_expression for p in self._patterns],
                ids=list(range(len(self._patterns))),
                elements=len(self._patterns),
                flags=flags,
            )
        except hyperscan.error as exc:
            raise DiscoveryError(f"Hyperscan cannot compile the detector patterns: {exc}") from exc
        self._scratch = hyperscan.Scratch(self._database)

    def candidates(self, text: str) -> Iterator[tuple[int, int, int]]:
        ends: dict[int, list[int]] = {}

        def on_match(pattern: int, start: int, end: int, flags: int, context: object) -> None:
            hits = ends.get(pattern)
            if hits is None:
                ends[pattern] = [end]
            elif hits[-1] != end:
                hits.append(end)

        self._database.scan(
            text.encode("latin-1", "replace"), match_event_handler=on_match, scratch=self._scratch
        )
        size = len(text)
        for index, hits in ends.items():
            compiled = self._patterns[index]
            regex, width = compiled.regex, compiled.width
            window_start, window_end = -1, -1
            for end in sorted(hits):
                if end - width <= window_end:
                    window_end = end
                    continue
                if window_end >= 0:
                    for match in regex.finditer(text, window_start, min(size, window_end + 1)):
                        yield index, match.start(), match.end()
                window_start, window_end = max(0, end - width), end
            if window_end >= 0:
                for match in regex.finditer(text, window_start, min(size, window_end + 1)):
                    yield index, match.start(), match.end()
