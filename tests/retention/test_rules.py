"""Cut-offs per rule, with a fixed clock; Bokföringslagen against ``law.bookkeeping``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from varna.law.bookkeeping import FiscalYear, bookkeeping_erasable_from
from varna.law.deadlines import add_months
from varna.register.activities import Bookkeeping, PeriodAfter, UntilWithdrawn, WhileActive
from varna.retention.rules import bookkeeping_cutoff, cutoff, describe, first_kept_day

NOW = datetime(2030, 6, 30, 12, 0, tzinfo=UTC)
CALENDAR = FiscalYear()


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            PeriodAfter(rule="period_after", period="24 months", anchor="case_closed"),
            datetime(2028, 6, 30),
        ),
        (
            PeriodAfter(rule="period_after", period="2 weeks", anchor="collected"),
            datetime(2030, 6, 16, 12),
        ),
        (
            PeriodAfter(rule="period_after", period="1 year", anchor="collected"),
            datetime(2029, 6, 30),
        ),
        (WhileActive(rule="while_active", then="36 months"), datetime(2027, 6, 30)),
        (WhileActive(rule="while_active"), datetime(2030, 6, 30, 12)),
        (UntilWithdrawn(rule="until_withdrawn", grace="30 days"), datetime(2030, 5, 31, 12)),
        (UntilWithdrawn(rule="until_withdrawn"), datetime(2030, 6, 30, 12)),
        (Bookkeeping(rule="bookkeeping"), datetime(2023, 1, 1)),
        (Bookkeeping(rule="bookkeeping", years=10), datetime(2020, 1, 1)),
    ],
    ids=[
        "24-months",
        "2-weeks",
        "1-year",
        "while-active-36",
        "while-active-0",
        "withdrawn-30-days",
        "withdrawn-now",
        "bookkeeping",
        "bookkeeping-10",
    ],
)
def test_cutoff(rule, expected):  # type: ignore[no-untyped-def]
    assert cutoff(rule, now=NOW, fiscal_year=CALENDAR) == expected


def test_month_end_is_not_late():
    # an anchor on 28 February with one month ends after 28 March: gone on 31 March
    rule = PeriodAfter(rule="period_after", period="1 month", anchor="collected")
    got = cutoff(rule, now=datetime(2030, 3, 31, tzinfo=UTC), fiscal_year=CALENDAR)
    assert got == datetime(2030, 3, 1)


@pytest.mark.parametrize(
    ("today", "months", "first_kept"),
    [
        (date(2030, 3, 29), 1, date(2030, 3, 1)),  # 28 Feb + 1 month = 28 Mar, before today
        (date(2030, 3, 28), 1, date(2030, 2, 28)),  # ... not before today: 28 Feb still kept
        (date(2030, 3, 1), 1, date(2030, 2, 1)),  # 29-31 Jan ended on 28 Feb: gone on 1 Mar
        (date(2030, 2, 28), 1, date(2030, 1, 28)),
        (date(2030, 2, 28), 2, date(2029, 12, 28)),  # 28-31 Dec + 2 months end on 28 Feb
        (date(2030, 3, 1), 2, date(2030, 1, 1)),
        (date(2028, 3, 1), 12, date(2027, 3, 1)),  # leap year: 29 Feb 2028 exists
        (date(2029, 3, 1), 12, date(2028, 3, 1)),  # 29 Feb 2028 + 1 year ended on 28 Feb 2029
        (date(2030, 6, 30), 24, date(2028, 6, 30)),
    ],
)
def test_first_kept_day(today: date, months: int, first_kept: date) -> None:
    got = first_kept_day(today, months)
    assert got == first_kept
    # the defining property: the day before has ended, the day itself has not
    assert add_months(got - timedelta(days=1), months) < today
    assert add_months(got, months) >= today


@pytest.mark.parametrize(
    ("start_month", "today", "expected"),
    [
        (1, date(2030, 6, 30), date(2023, 1, 1)),
        (1, date(2030, 1, 1), date(2023, 1, 1)),
        (1, date(2029, 12, 31), date(2022, 1, 1)),
        (5, date(2030, 6, 30), date(2022, 5, 1)),  # FY May 2021 - April 2022 ended in 2022
        (5, date(2030, 1, 1), date(2022, 5, 1)),
        (5, date(2029, 12, 31), date(2021, 5, 1)),
        (7, date(2030, 6, 30), date(2022, 7, 1)),
    ],
    ids=["calendar", "calendar-new-year", "calendar-eve", "may", "may-new-year", "may-eve", "july"],
)
def test_bookkeeping_cutoff(start_month, today, expected):  # type: ignore[no-untyped-def]
    fiscal_year = FiscalYear(start_month)
    got = bookkeeping_cutoff(today, fiscal_year=fiscal_year, years=7)
    assert got == expected
    # the newest expired record may go today, the first kept one may not
    assert bookkeeping_erasable_from(got - timedelta(days=1), fiscal_year=fiscal_year) <= today
    assert bookkeeping_erasable_from(got, fiscal_year=fiscal_year) > today


@pytest.mark.parametrize("start_month", range(1, 13))
@pytest.mark.parametrize(
    "today", [date(2030, m, d) for m, d in [(1, 1), (4, 30), (5, 1), (12, 31)]]
)
def test_bookkeeping_cutoff_agrees_with_the_law_module(start_month, today):  # type: ignore[no-untyped-def]
    fiscal_year = FiscalYear(start_month)
    got = bookkeeping_cutoff(today, fiscal_year=fiscal_year, years=7)
    assert bookkeeping_erasable_from(got - timedelta(days=1), fiscal_year=fiscal_year) <= today
    assert bookkeeping_erasable_from(got, fiscal_year=fiscal_year) > today


def test_rules_read_as_english():
    assert describe(Bookkeeping(rule="bookkeeping")).startswith("kept until the end of the seventh")
    rule = PeriodAfter(rule="period_after", period="24 months", anchor="case_closed")
    assert describe(rule) == "kept 24 months after case closed"
