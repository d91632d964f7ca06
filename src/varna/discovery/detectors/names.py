"""Person names: a first name from the gazetteer followed by a surname, or alone after a greeting.

The pattern finds runs of capitalised words; the validator keeps those that begin with a
gazetteer first name (:mod:`varna.discovery.detectors.gazetteer`) and continue with a gazetteer
surname or a word with a surname ending.
"""

from __future__ import annotations

from varna.discovery.detectors.gazetteer import first_names, is_surname, surnames
from varna.discovery.models import Detector, Finding, Pattern

_UPPER = "A-ZÅÄÖÉÜØÆ"
_LOWER = "a-zåäöéèüøæáíóúçñšžćč'"
_WORD = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_GREETINGS = (
    "Hej|Hejsan|Hallå|Hi|Hello|Dear|Kära|Mvh|MVH|Hälsningar|Tack|Thanks|Regards|Grattis|"
    "God morgon|heter|Heter|[Mm]y name is|[Jj]ag är"
)


class PersonNameDetector(Detector):
    """Person names (``Anna Svensson``, ``Eva-Lena Nilsson Berg``, ``Hej Anna``).

    Accuracy limits: names are found only when written with capitals; a first name outside the
    gazetteer is missed unless a context word precedes it; a first name followed by a
    capitalised word that is not a surname (``Anna Stockholm``) needs a context word; a place
    or company named like a person (``Anna Lindhs plats``) is reported. Names in capitals only
    (``ANNA SVENSSON``) and surname-first forms (``Svensson, Anna``) are not found.
    """

    label = "person_name"
    patterns = (
        Pattern("capitalised words", rf"{_WORD}(?: {_WORD}){{1,3}}", 0.85),
        Pattern(
            "greeting and first name", rf"(?:{_GREETINGS})[,!:]? ?\n?{_WORD}(?: {_WORD})?", 0.7
        ),
    )
    context = (
        "namn",
        "name",
        "med",
        "av",
        "with",
        "kund",
        "kunden",
        "patient",
        "patienten",
        "kontaktperson",
        "handläggare",
        "från",
        "from",
        "till",
        "to",
        "mvh",
        "hälsningar",
        "sökande",
        "anställd",
        "elev",
        "brukare",
        "vårdnadshavare",
        "dr",
        "herr",
        "fru",
        "mr",
        "mrs",
        "ms",
    )
    context_window = 25
    context_boost = 0.3

    def score(self, text: str, start: int, end: int, pattern: Pattern) -> Finding | None:
        matched = text[start:end]
        words = matched.split()
        tokens: list[tuple[int, int]] = []
        at = 0
        for word in words:
            at = matched.find(word, at)
            tokens.append((start + at, start + at + len(word)))
            at += len(word)
        names = first_names()
        first = (
            0 if words[0] in names else next((i for i, w in enumerate(words) if w in names), None)
        )
        greeting = pattern.name.startswith("greeting")
        if first is None:
            # An unknown first name counts before a gazetteer surname, or before a word with a
            # surname ending after a context word.
            if greeting:
                return None
            pair = next((i for i in range(len(words) - 1) if is_surname(words[i + 1])), None)
            if pair is None:
                return None
            listed = words[pair + 1] in surnames()
            if not listed and not self.has_context(text, tokens[pair][0], tokens[pair][0]):
                return None
            first, last, confidence = pair, pair + 1, 0.55 if listed else 0.5
            why = "capitalised word and a surname"
        else:
            last = first
            while last + 2 < len(words) and words[last + 1] in names:
                last += 1  # middle names, when a word follows them
            found = 0
            while last + 1 < len(words) and is_surname(words[last + 1]):
                last += 1
                found += 1
            span_start = tokens[first][0]
            if found:
                confidence, why = 0.85, "first name and surname in the gazetteer"
            elif greeting:
                confidence, why = 0.7, "first name in the gazetteer after a greeting"
                if last + 1 < len(words):
                    last += 1  # a signature's surname, whatever it is
            elif last + 1 < len(words) and self.has_context(text, span_start, span_start):
                last += 1
                confidence, why = 0.5, "first name and a capitalised word"
            else:
                return None
        span_start = tokens[first][0]
        in_context = self.has_context(text, span_start, span_start)
        if in_context:
            confidence = min(1.0, confidence + self.context_boost)
            why += ", context word nearby"
        span_end = tokens[last][0] + len(words[last])
        return Finding(
            span_start, span_end, self.label, confidence, self.name, f"{self.name}: {why}"
        )
