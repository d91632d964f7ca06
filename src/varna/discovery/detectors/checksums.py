"""The Luhn check (ISO/IEC 7812-1 Annex B) on a digit string, without allocation per digit.

``stdnum.luhn`` gives the same answers (the tests compare them); this one is inlined for the
scanner's hot path, where every numeric candidate is checked.
"""

from __future__ import annotations

_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_valid(digits: str) -> bool:
    """True when the digit string ``digits`` (only 0-9) ends in a valid Luhn check digit."""
    total = 0
    double = False
    for char in reversed(digits):
        value = ord(char) - 48
        total += _DOUBLED[value] if double else value
        double = not double
    return total % 10 == 0
