"""Words for the register's enumerations in the policy and the record, from the text catalogs.

The tables themselves live in :mod:`varna.texts.glossary`, shared with the register extract and
the receipts; this module keeps the names the policy composers import.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from varna.render.wording import Words
from varna.texts.glossary import (
    ALL_TABLES,
    COOKIE_CATEGORIES,
    MARKETING_CHANNELS,
    NOTICE_CHANNELS,
    RECIPIENT_KINDS,
    RECORD_SOURCES,
    REQUIREMENTS,
    SOURCES,
)

__all__ = [
    "ALL_TABLES",
    "COOKIE_CATEGORIES",
    "MARKETING_CHANNELS",
    "NOTICE_CHANNELS",
    "RECIPIENT_KINDS",
    "RECORD_SOURCES",
    "REQUIREMENTS",
    "SOURCES",
    "label",
]

E = TypeVar("E", bound=StrEnum)


def label(table: Mapping[E, str], value: E, w: Words) -> str:
    """The words for ``value`` from ``table`` in ``w``'s language."""
    return w.texts.gettext(table[value])
