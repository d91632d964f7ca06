"""The demo's calendar: a fixed "today" and cheap date and time strings.

The demo is built as of :data:`AS_OF`, never the machine's clock, so the same seed gives the same
rows whenever it runs. Days are counted as integers from :data:`EPOCH`; the lookup tables turn them
into ISO strings without calling ``date.isoformat`` ten million times.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

#: The demo company's "today": every generated date lies on or before it.
AS_OF = date(2026, 10, 31)
#: Day 0 of the integer day numbers used below.
EPOCH = date(1920, 1, 1)
#: The company was founded in 2018; its first customers and invoices date from then.
FOUNDED = date(2018, 1, 1)


def day_number(day: date) -> int:
    """``day`` as days since :data:`EPOCH`."""
    return (day - EPOCH).days


TODAY = day_number(AS_OF)


@cache
def _days() -> tuple[str, ...]:
    return tuple((EPOCH + timedelta(days=n)).isoformat() for n in range(TODAY + 400))


@cache
def _times() -> tuple[str, ...]:
    return tuple(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86_400))


def iso_day(n: int) -> str:
    """Day number ``n`` as ``YYYY-MM-DD``."""
    return _days()[n]


def iso_time(n: int, second: int) -> str:
    """Day number ``n`` at ``second`` past midnight, as ``YYYY-MM-DD HH:MM:SS``."""
    return f"{_days()[n]} {_times()[second]}"


def compact_day(n: int) -> str:
    """Day number ``n`` as ``YYYYMMDD`` (the date part of a personnummer)."""
    return _days()[n].replace("-", "")


def month_start(n: int) -> int:
    """Months since :data:`EPOCH` of day number ``n``."""
    d = EPOCH + timedelta(days=n)
    return (d.year - EPOCH.year) * 12 + d.month - 1


@cache
def first_of_month(month: int) -> int:
    """Day number of the first day of month number ``month`` (see :func:`month_start`)."""
    year, m = divmod(month, 12)
    return day_number(date(EPOCH.year + year, m + 1, 1))
