"""Statutory minimum retention periods, per statute key of :data:`varna.law.citations.STATUTES`.

Sources: Bokföringslagen (1999:1078) 7 kap. 2 § (räkenskapsinformation: until and including the
seventh year after the end of the calendar year in which the fiscal year ended); Patientdatalagen
(2008:355) 3 kap. 17 § (a journalhandling: at least ten years after the last entry in it). A
register's retention rule for data under one of these statutes must not end earlier.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from varna.errors import LawError
from varna.law.bookkeeping import CALENDAR_YEAR, FiscalYear, bookkeeping_keep_until
from varna.law.deadlines import add_months


class CountedFrom(StrEnum):
    """The event a statutory minimum is counted from."""

    FISCAL_YEAR_END = "fiscal_year_end"
    """Whole calendar years after the calendar year in which the fiscal year ended."""
    LAST_ENTRY = "last_entry"
    """Years after the last entry in the record."""


@dataclass(frozen=True, slots=True)
class StatutoryMinimum:
    """The shortest time a statute makes an organisation keep a record."""

    statute: str
    years: int
    counted_from: CountedFrom
    description: str


STATUTORY_MINIMUMS: Mapping[str, StatutoryMinimum] = MappingProxyType(
    {
        "bokforingslagen": StatutoryMinimum(
            "bokforingslagen",
            7,
            CountedFrom.FISCAL_YEAR_END,
            "until 31 December of the seventh year after the fiscal year ended",
        ),
        "patientdatalagen": StatutoryMinimum(
            "patientdatalagen",
            10,
            CountedFrom.LAST_ENTRY,
            "at least ten years after the last entry in the patient record",
        ),
    }
)
"""Statutory minimums by statute key; statutes without one are absent."""


def minimum_keep_until(
    statute: str, event: date, *, fiscal_year: FiscalYear = CALENDAR_YEAR
) -> date:
    """The last day a record must be kept under ``statute``, counted from ``event``.

    ``event`` is a day in the fiscal year (Bokföringslagen) or the last entry (Patientdatalagen).
    Raises :class:`LawError` for a statute with no minimum.
    """
    minimum = STATUTORY_MINIMUMS.get(statute)
    if minimum is None:
        raise LawError(f"statute {statute!r} sets no minimum retention period known to Varna")
    if minimum.counted_from is CountedFrom.FISCAL_YEAR_END:
        return bookkeeping_keep_until(event, fiscal_year=fiscal_year, years=minimum.years)
    return add_months(event, 12 * minimum.years)  # 29 February -> 28 February (1182/71 Art. 3)
