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
from typing import Any, Protocol

from varna.discovery.models import Pattern
from varna.errors import DiscoveryError

_BOUNDARY_BEFORE = r"(?<![^\W_])"
_BOUNDARY_AFTER = r"(?![^\W_])"
_HS_AFTER = rb"(?:[^0-9A-Za-z\xaa\xb5\xba\xc0-\xd6\xd8-\xf6\xf8-\xff]|$)"
"""Hyperscan has no look-ahead: it matches the character after the span instead (or the end),
so a pattern reports one end per match rather than one per character of a trailing run. A
Latin-1 letter or a digit after the span is ``\\w`` to ``re`` too; ``?`` (any character
outside Latin-1) is not, so Hyperscan reports a superset and ``re`` decides."""


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """One pattern ready for both passes."""

    index: int
    pattern: Pattern
    regex: re.Pattern[str]
    hs_expression: bytes
    caseless: bool
    bounded: bool
    """False when the Hyperscan form has an unbounded repeat (``+``, ``*``)."""


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
    loose = pattern.prefilter or body
    if loose.startswith("(?i)"):
        loose = loose[4:]
    widest = re._parser.parse(loose, flags).getwidth()[1]  # type: ignore[attr-defined]
    expression = b"(?:" + loose.encode("latin-1", "replace") + b")"
    if pattern.boundary:
        expression += _HS_AFTER
    return CompiledPattern(
        index,
        pattern,
        regex,
        expression,
        caseless,
        widest < re._constants.MAXREPEAT,  # type: ignore[attr-defined]
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
    """The patterns in Hyperscan databases, each reporting its leftmost start; ``re`` confirms
    each hit with one anchored match.

    Patterns with bounded repeats share one database; each pattern with an unbounded repeat
    (runs of letters in names and street names) gets its own, because Hyperscan's start-of-match
    tracking makes a database that holds several of them slow to compile (seconds instead of
    tens of milliseconds). A text is scanned once per database.
    """

    def __init__(self, patterns: Sequence[CompiledPattern]) -> None:
        import hyperscan

        self._patterns = tuple(patterns)
        shared = [p for p in self._patterns if p.bounded]
        groups = [shared, *([p] for p in self._patterns if not p.bounded)]
        self._databases: list[tuple[Any, Any]] = []
        for group in groups:
            if not group:
                continue
            database = hyperscan.Database()
            flags = [
                hyperscan.HS_FLAG_SOM_LEFTMOST | (hyperscan.HS_FLAG_CASELESS if p.caseless else 0)
                for p in group
            ]
            try:
                database.compile(
                    expressions=[p.hs_expression for p in group],
                    ids=[p.index for p in group],
                    elements=len(group),
                    flags=flags,
                )
            except hyperscan.error as exc:
                names = ", ".join(p.pattern.name for p in group)
                raise DiscoveryError(
                    f"Hyperscan cannot compile the detector patterns ({names}): {exc}"
                ) from exc
            self._databases.append((database, hyperscan.Scratch(database)))

    def candidates(self, text: str) -> Iterator[tuple[int, int, int]]:
        hits: list[tuple[int, int, int]] = []
        append = hits.append

        def on_match(pattern: int, start: int, end: int, flags: int, context: object) -> None:
            append((pattern, start, -end))

        data = text.encode("latin-1", "replace")
        for database, scratch in self._databases:
            database.scan(data, match_event_handler=on_match, scratch=scratch)
        hits.sort()
        patterns = self._patterns
        last_pattern, covered = -1, -1
        for index, start, negative_end in hits:
            if index != last_pattern:
                last_pattern, covered = index, -1
            if start < covered:
                continue  # inside the previous match of this pattern, as finditer would skip
            compiled = patterns[index]
            reach = compiled.pattern.prefilter_reach
            if reach:
                match = compiled.regex.search(text, max(covered, start - reach, 0), -negative_end)
            else:
                match = compiled.regex.match(text, start, -negative_end)
            if match is not None:
                covered = match.end()
                yield index, match.start(), covered
