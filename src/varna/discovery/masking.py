"""Masked examples: what a report may show of a value it found (``19xxxxxx-xxx4``).

A report names where personal data is and what kind it is; an example helps a person recognise
the shape without learning the value. The first two characters and the last one are kept
(the century and the check digit of a personnummer, which identify no one), every other letter
or digit becomes ``x`` and separators stay, so ``19850312-1231`` reads ``19xxxxxx-xxx1``. Values
shorter than six characters are masked entirely.
"""

from __future__ import annotations


def mask_example(value: str) -> str:
    """The value with all but its first two and last letters or digits replaced by ``x``."""
    if len(value) < 6:
        return "".join("x" if c.isalnum() else c for c in value)
    middle = "".join("x" if c.isalnum() else c for c in value[2:-1])
    return value[:2] + middle + value[-1]
