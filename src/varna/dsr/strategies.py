"""Hold dates, and (re-exported from :mod:`varna.anonymise`) what erasure does to a field.

The field strategies live in :mod:`varna.anonymise`, shared with retention; they are
re-exported here for the request engine's modules.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from varna.anonymise import (
    HASH_PREFIX,
    erased_value,
    erasure_hash_key,
    generalised,
    hashed,
    masked,
)
from varna.law.bookkeeping import FiscalYear, bookkeeping_keep_until
from varna.law.deadlines import add_months
from varna.register.activities import Bookkeeping, PeriodAfter, Retention, WhileActive
from varna.register.types import Unit, parse_period

_ISO_DATE = re.compile(r"(\d{4})-\d{2}-\d{2}")

__all__ = [
    "HASH_PREFIX",
    "as_date",
    "erased_value",
    "erasure_hash_key",
    "generalised",
    "hashed",
    "hold_until",
    "masked",
]


def as_date(value: Any) -> date | None:
    """A stored date, datetime or ISO text as a date; None when it is none of those."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _after(day: date, period_text: str) -> date:
    period = parse_period(period_text)
    if period.unit is Unit.years:
        return add_months(day, 12 * period.amount)
    if period.unit is Unit.months:
        return add_months(day, period.amount)
    days = period.amount * (7 if period.unit is Unit.weeks else 1)
    return date.fromordinal(day.toordinal() + days)


def hold_until(rule: Retention, anchor: Any, *, fiscal_year: FiscalYear) -> date | None:
    """The last day a hold keeps a row whose anchor column holds ``anchor``; None when the end
    cannot be known (no date, a relation still active, a rule with no end date)."""
    day = as_date(anchor)
    if isinstance(rule, Bookkeeping):
        if day is None:
            return None
        return bookkeeping_keep_until(day, fiscal_year=fiscal_year, years=rule.years)
    if isinstance(rule, PeriodAfter):
        return _after(day, rule.period) if day is not None else None
    if isinstance(rule, WhileActive):
        if day is None:
            return None
        return _after(day, rule.then) if rule.then else day
    return None
