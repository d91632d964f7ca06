"""How long Swedish accounting records must be kept.

Source: Bokföringslagen (1999:1078) 7 kap. 2 §: räkenskapsinformation (defined in 1 kap. 2 §:
verifikationer, the books, annual reports and more) is kept until and including the seventh year
after the end of the calendar year in which the fiscal year ended. 3 kap. 1 §: a fiscal year
(räkenskapsår) covers twelve calendar months, so it starts on the first day of a month.

While kept, a record is under a legal hold (GDPR Art. 17(3)(b)): the record stays, data it does
not need can still go. Limit: a first fiscal year, or one when the start month changes, may be
shorter or longer than twelve months (3 kap.); for such a year compute from its actual last day
with :func:`keep_until_after_year_end`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from varna.errors import LawError

BOOKKEEPING_YEARS = 7
"""Bokföringslagen 7 kap. 2 §: years kept after the calendar year in which the fiscal year ended."""


@dataclass(frozen=True, slots=True)
class FiscalYear:
    """When a fiscal year starts: ``FiscalYear()`` is the calendar year, ``FiscalYear(5)`` May."""

    start_month: int = 1
    start_day: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.start_month <= 12:
            raise LawError(f"fiscal year start month must be 1-12, got {self.start_month}")
        if self.start_day != 1:
            raise LawError(
                "a fiscal year covers twelve calendar months and so starts on the 1st "
                f"(Bokföringslagen 3 kap. 1 §), got day {self.start_day}"
            )

    @property
    def is_calendar_year(self) -> bool:
        return self.start_month == 1


def fiscal_year_end(day: date, fiscal_year: FiscalYear) -> date:
    """The last day of the fiscal year that contains ``day``."""
    start_year = day.year if day.month >= fiscal_year.start_month else day.year - 1
    if fiscal_year.is_calendar_year:
        return date(start_year, 12, 31)
    return date(start_year + 1, fiscal_year.start_month, 1) - timedelta(days=1)


CALENDAR_YEAR = FiscalYear()
"""The default fiscal year: 1 January - 31 December."""


def keep_until_after_year_end(year_end: date, *, years: int = BOOKKEEPING_YEARS) -> date:
    """The last day to keep records of a fiscal year that ended on ``year_end``: a 31 December."""
    if years < 0:
        raise LawError(f"years to keep must not be negative, got {years}")
    return date(year_end.year + years, 12, 31)


def bookkeeping_keep_until(
    day: date, *, fiscal_year: FiscalYear = CALENDAR_YEAR, years: int = BOOKKEEPING_YEARS
) -> date:
    """The last day a record dated ``day`` must be kept (Bokföringslagen 7 kap. 2 §)."""
    return keep_until_after_year_end(fiscal_year_end(day, fiscal_year), years=years)


def bookkeeping_erasable_from(
    day: date, *, fiscal_year: FiscalYear = CALENDAR_YEAR, years: int = BOOKKEEPING_YEARS
) -> date:
    """The first day a record dated ``day`` may be destroyed: the 1 January after keeping ends."""
    return bookkeeping_keep_until(day, fiscal_year=fiscal_year, years=years) + timedelta(days=1)
