"""Cut-offs: for each typed retention rule, the instant before which an anchor has expired.

Every rule becomes one comparison ``anchor < cutoff`` (SQL's NULL comparison is never true, so a
row without an anchor never expires):

- ``period_after``: ``anchor < now - period``.
- ``while_active``: ``anchor < now - then`` (the anchor is the end of the relation).
- ``until_withdrawn``: ``consent_withdrawn < now - grace``.
- ``bookkeeping`` (Bokföringslagen 7 kap. 2 §): a record is kept through 31 December of the
  seventh year after the calendar year in which its fiscal year ended, so the newest expired record
  is the last day of the fiscal year that ended in ``today.year - years - 1``; the cut-off is the
  day after it (the first day of the next fiscal year).

Months are calendar months (``add_months``: 31 March minus one month is 28/29 February).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from varna.law.bookkeeping import FiscalYear, fiscal_year_end
from varna.law.deadlines import add_months
from varna.register.activities import Bookkeeping, PeriodAfter, Retention, UntilWithdrawn
from varna.register.types import Unit, parse_period

CONSENT_WITHDRAWN = "consent_withdrawn"
"""The anchor of ``until_withdrawn``: the column recording when consent was withdrawn."""

STORAGE_LIMITATION = "GDPR Art. 5(1)(e)"
BOOKKEEPING_CITATION = "Bokföringslagen (1999:1078) 7 kap. 2 §"


def anchor_of(rule: Retention) -> str:
    """The anchor event the rule counts from."""
    if isinstance(rule, UntilWithdrawn):
        return CONSENT_WITHDRAWN
    return rule.anchor


def first_kept_day(today: date, months: int) -> date:
    """The first anchor day still kept on ``today`` under a period of ``months``.

    A period in months runs to the end of the day with the same date ``months`` later, or the
    last day of that month when it has no such date (Regulation 1182/71 Art. 3(2)(c)): an anchor
    on 28 February with one month expires after 28 March, one on 31 January after 28 February.
    So an anchor day has expired once that end day is before ``today``, and since the end day
    never decreases as the anchor day grows, the expired anchor days are exactly those before
    the first day whose end day is not before ``today``.
    """
    day = add_months(today, -months)
    while add_months(day, months) < today:
        day += timedelta(days=1)
    while add_months(day - timedelta(days=1), months) >= today:
        day -= timedelta(days=1)
    return day


def minus_period(moment: datetime, text: str | None) -> datetime:
    """``moment`` less a period such as ``'24 months'`` (None: no period)."""
    if text is None:
        return moment
    period = parse_period(text)
    if period.unit in (Unit.months, Unit.years):
        months = period.amount * (12 if period.unit is Unit.years else 1)
        return datetime.combine(first_kept_day(moment.date(), months), time())
    days = period.amount * (7 if period.unit is Unit.weeks else 1)
    return moment - timedelta(days=days)


def bookkeeping_cutoff(today: date, *, fiscal_year: FiscalYear, years: int) -> date:
    """The first day whose records are still kept: every record dated before it may go."""
    last_year = today.year - years - 1
    newest_expired = fiscal_year_end(date(last_year, fiscal_year.start_month, 1), fiscal_year)
    if newest_expired.year > last_year:  # a fiscal year starting in last_year ends next year
        newest_expired = fiscal_year_end(
            date(last_year - 1, fiscal_year.start_month, 1), fiscal_year
        )
    return newest_expired + timedelta(days=1)


def cutoff(rule: Retention, *, now: datetime, fiscal_year: FiscalYear) -> datetime:
    """The instant (naive, in the controller's time) before which the rule's anchor has expired."""
    moment = now.replace(tzinfo=None)
    if isinstance(rule, Bookkeeping):
        day = bookkeeping_cutoff(moment.date(), fiscal_year=fiscal_year, years=rule.years)
        return datetime.combine(day, time())
    if isinstance(rule, PeriodAfter):
        return minus_period(moment, rule.period)
    if isinstance(rule, UntilWithdrawn):
        return minus_period(moment, rule.grace)
    return minus_period(moment, rule.then)


def describe(rule: Retention) -> str:
    """The rule in plain English, for the plan a DPO signs."""
    if isinstance(rule, Bookkeeping):
        return (
            f"kept until the end of the {_ordinal(rule.years)} year after the calendar year "
            "in which the fiscal year ended"
        )
    if isinstance(rule, PeriodAfter):
        return f"kept {parse_period(rule.period).label('en')} after {_words(rule.anchor)}"
    if isinstance(rule, UntilWithdrawn):
        grace = f" plus {parse_period(rule.grace).label('en')}" if rule.grace else ""
        return f"kept until consent is withdrawn{grace}"
    then = f" and {parse_period(rule.then).label('en')} after" if rule.then else ""
    return f"kept while active{then} ({_words(rule.anchor)})"


def citation(rule: Retention) -> str:
    """The provision the rule enforces."""
    if isinstance(rule, Bookkeeping):
        return BOOKKEEPING_CITATION
    if isinstance(rule, UntilWithdrawn):
        return "GDPR Art. 7(3), 17(1)(b)"
    return STORAGE_LIMITATION


def _words(key: str) -> str:
    return key.replace("_", " ")


def _ordinal(n: int) -> str:
    names = {7: "seventh", 8: "eighth", 9: "ninth", 10: "tenth"}
    if n in names:
        return names[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
