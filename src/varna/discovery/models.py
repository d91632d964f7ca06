"""What a detector is and what it finds.

A :class:`Detector` is one small class in the style of Presidio's pattern recognisers: its regular
expressions and context words are class data, :meth:`Detector.validate` is the checksum hook, and
every :class:`Finding` carries a confidence and an explanation. Detectors never keep the values
they see; a finding holds offsets, not text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import ClassVar, NamedTuple


@cache
def words_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of ``words`` in lower case, each starting at a word start; search it in
    lower-cased text (faster than ``re.IGNORECASE``)."""
    alternation = "|".join(re.escape(w.lower()) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?![^\W\d_])")


@dataclass(frozen=True, slots=True)
class Pattern:
    """One regular expression of a detector and the confidence a bare match earns.

    ``regex`` is written in the common subset of Python's ``re`` and Hyperscan: no
    look-arounds, no back-references; the value is the whole match. The engine adds digit and
    word boundaries itself (``boundary``).
    """

    name: str
    regex: str
    score: float
    boundary: bool = True
    """Refuse a match glued to a letter or digit on either side (``\\w`` in Unicode)."""
    prefilter: str | None = None
    """A regex Hyperscan runs instead of ``regex``: every match of ``regex`` must end with a
    match of it that starts at most ``prefilter_reach`` characters after the match's start
    (an e-mail address's domain part, found from the ``@``)."""
    prefilter_reach: int = 0


class Finding(NamedTuple):
    """One span of personal data: character offsets into the scanned string, never the value.

    A named tuple: the scanner makes one per candidate that passes, on its hot path.
    """

    start: int
    end: int
    label: str
    score: float
    detector: str
    explanation: str

    def as_span(self) -> list[object]:
        """``[start, end, label, score]`` as the text interface writes it."""
        return [self.start, self.end, self.label, round(self.score, 3)]


class Detector:
    """Base of every detector. Subclasses set the class data and may override the hooks.

    ``label`` is what the finding is (``personnummer``, ``email``); ``patterns`` find
    candidates; ``context`` words within ``context_window`` characters before a candidate raise
    its score by ``context_boost``; a candidate whose score stays below ``min_score`` is dropped
    (so a detector that needs context sets a low pattern score and ``min_score`` above it).
    """

    label: ClassVar[str]
    patterns: ClassVar[tuple[Pattern, ...]]
    context: ClassVar[tuple[str, ...]] = ()
    context_window: ClassVar[int] = 40
    context_boost: ClassVar[float] = 0.35
    min_score: ClassVar[float] = 0.5
    special_category: ClassVar[bool] = False
    """True for Art. 9 GDPR indicators (health, union, religion, ethnic origin)."""

    negative_context: ClassVar[tuple[str, ...]] = ()
    """Words just before a candidate that make it something else (``OCR``, ``order``)."""
    negative_window: ClassVar[int] = 20
    negative_penalty: ClassVar[float] = 0.5

    def validate(self, value: str) -> float | None:
        """The checksum hook: ``None`` rejects the candidate, a number replaces its score.

        The default accepts every candidate at its pattern's score (returns ``-1``).
        """
        return -1.0

    def glued(self, text: str, start: int, end: int) -> bool:
        """True when the candidate continues into its surroundings beyond the letter-or-digit
        boundary the engine enforces: a number joined by ``-``, ``/`` or ``.`` to more digits
        (``4348-6497-0350-6756`` holds no phone number ``0350-6756``). Subclasses widen it."""
        joined_before = (
            start >= 2
            and text[start].isdigit()
            and text[start - 1] in "-/."
            and text[start - 2].isdigit()
        )
        joined_after = (
            end + 1 < len(text)
            and text[end - 1].isdigit()
            and text[end] in "-/."
            and text[end + 1].isdigit()
        )
        return joined_before or joined_after

    def trim(self, text: str, start: int, end: int) -> tuple[int, int]:
        """The reported span within the match (a postal code without its town). Default: all."""
        return start, end

    def explain(self, pattern: Pattern, *, validated: bool, in_context: bool) -> str:
        """Why the span was reported, without the value (built once per combination)."""
        key = (pattern.name, validated, in_context)
        text = self._explanations.get(key)
        if text is None:
            text = self._explanations[key] = self.describe(
                pattern, validated=validated, in_context=in_context
            )
        return text

    def describe(self, pattern: Pattern, *, validated: bool, in_context: bool) -> str:
        """The words of :meth:`explain`; override to say more."""
        parts = [f"{self.name}: pattern '{pattern.name}'"]
        if validated:
            parts.append("checksum/format valid")
        if in_context:
            parts.append("context word nearby")
        return ", ".join(parts)

    def __init__(self) -> None:
        self.name = type(self).__name__
        self._explanations: dict[tuple[str, bool, bool], str] = {}
        self._context = words_regex(self.context) if self.context else None
        self._negative = words_regex(self.negative_context) if self.negative_context else None

    def has_context(self, text: str, start: int, end: int) -> bool:
        """True when a context word occurs within ``context_window`` characters before."""
        if self._context is None:
            return False
        return (
            self._context.search(text[max(0, start - self.context_window) : start].lower())
            is not None
        )

    def has_negative_context(self, text: str, start: int) -> bool:
        """True when a word of ``negative_context`` occurs just before the candidate."""
        if self._negative is None:
            return False
        window = text[max(0, start - self.negative_window) : start].lower()
        return self._negative.search(window) is not None

    def score(self, text: str, start: int, end: int, pattern: Pattern) -> Finding | None:
        """Validate one candidate ``text[start:end]`` and score it; ``None`` drops it."""
        checked = self.validate(text[start:end])
        if checked is None:
            return None
        validated = checked >= 0
        base = checked if validated else pattern.score
        # has_context and has_negative_context, inlined: this runs for every candidate.
        in_context = False
        if self._context is not None:
            window = text[max(0, start - self.context_window) : start].lower()
            in_context = self._context.search(window) is not None
            if in_context:
                base = min(1.0, base + self.context_boost)
        if self._negative is not None:
            window = text[max(0, start - self.negative_window) : start].lower()
            if self._negative.search(window) is not None:
                base -= self.negative_penalty
        if base < self.min_score:
            return None
        start, end = self.trim(text, start, end)
        return Finding(
            start,
            end,
            self.label,
            base,
            self.name,
            self.explain(pattern, validated=validated, in_context=in_context),
        )
