"""GDPR deadlines, counted as EU law counts periods.

Sources: GDPR Art. 12(3): act on a data-subject request within one month of receipt, extendable
by two further months (three months from receipt in all); Art. 33(1): notify a breach to the
supervisory authority where feasible within 72 hours of becoming aware. Regulation (EEC, Euratom)
No 1182/71 Art. 3: a period in months ends at the end of the day in the last month with the same
date as the day of the event, or the last day of that month if it has no such date (3(2)(c));
if the last day is a Saturday, Sunday or public holiday the period ends at the end of the
following working day (3(4)); the last rule does not apply to periods in hours.

Public holidays are the Swedish *allmänna helgdagar* (Lag (1989:253) om allmänna helgdagar) as the
``holidays`` package lists them (country SE, category public). Midsommarafton, julafton and
nyårsafton are treated like holidays by some Swedish statutes but are not allmänna helgdagar;
they are working days here, which can only make a deadline earlier, never later.

The 72-hour period is taken literally as 72 elapsed hours from the moment of awareness (Art.
3(2)(a) would let it start at the next full hour; the earlier end is the safe one).
"""

from __future__ import annotations

from calendar import monthrange
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import holidays

from varna.errors import LawError

BREACH_NOTIFICATION_HOURS = 72
"""GDPR Art. 33(1)."""
RESPONSE_MONTHS = 1
"""GDPR Art. 12(3), first sentence."""
EXTENDED_RESPONSE_MONTHS = 3
"""GDPR Art. 12(3), second sentence: one month plus at most two further months."""


@lru_cache(maxsize=64)
def _swedish_public_holidays(year: int) -> frozenset[date]:
    calendar = holidays.country_holidays("SE", years=year, categories=("public",))
    return frozenset(calendar.keys())


def is_working_day(day: date) -> bool:
    """False on Saturdays, Sundays and Swedish public holidays (allmänna helgdagar)."""
    return day.weekday() < 5 and day not in _swedish_public_holidays(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_months(day: date, months: int) -> date:
    """The same date ``months`` later, or that month's last day if it has no such date."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def _require_date(value: date, name: str) -> None:
    if isinstance(value, datetime):
        raise LawError(f"{name} must be a date in the controller's time zone, not a datetime")


def response_deadline(received: date, *, months: int = RESPONSE_MONTHS) -> date:
    """The last day to act on a request received on ``received`` (GDPR Art. 12(3)).

    ``months`` after receipt per Regulation 1182/71 Art. 3(2)(c), moved to the next working day
    when it ends on a Saturday, Sunday or Swedish public holidays (Art. 3(4)).
    """
    _require_date(received, "received")
    if months < 1:
        raise LawError(f"a deadline in months needs months >= 1, got {months}")
    return next_working_day(add_months(received, months))


def extended_deadline(received: date) -> date:
    """The last day when the deadline is extended by two further months (Art. 12(3)).

    Counted as three months from receipt, not two months from the end of the first month.
    """
    return response_deadline(received, months=EXTENDED_RESPONSE_MONTHS)


def breach_notification_deadline(aware_at: datetime) -> datetime:
    """When the 72 hours of GDPR Art. 33(1) run out, in ``aware_at``'s time zone.

    ``aware_at`` must be timezone-aware; the hours are real elapsed hours, so a change to or
    from summer time inside the period is accounted for. Weekends and holidays do not extend it.
    """
    if aware_at.tzinfo is None or aware_at.utcoffset() is None:
        raise LawError("aware_at must be a timezone-aware datetime")
    deadline = aware_at.astimezone(UTC) + timedelta(hours=BREACH_NOTIFICATION_HOURS)
    return deadline.astimezone(aware_at.tzinfo)
