"""Bokföringslagen (1999:1078) 7 kap. 2 §: how long räkenskapsinformation is kept."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from varna.errors import LawError
from varna.law.bookkeeping import (
    FiscalYear,
    bookkeeping_erasable_from,
    bookkeeping_keep_until,
    fiscal_year_end,
    keep_until_after_year_end,
)

CALENDAR = FiscalYear()
MAY = FiscalYear(start_month=5)
JULY = FiscalYear(start_month=7)
MARCH = FiscalYear(start_month=3)


@pytest.mark.parametrize(
    ("day", "fiscal_year", "expected"),
    [
        pytest.param(date(2021, 1, 1), CALENDAR, date(2021, 12, 31), id="calendar-first-day"),
        pytest.param(date(2021, 12, 31), CALENDAR, date(2021, 12, 31), id="calendar-last-day"),
        pytest.param(date(2021, 5, 1), MAY, date(2022, 4, 30), id="may-first-day"),
        pytest.param(date(2021, 12, 15), MAY, date(2022, 4, 30), id="may-december"),
        pytest.param(date(2022, 4, 30), MAY, date(2022, 4, 30), id="may-last-day"),
        pytest.param(date(2022, 5, 1), MAY, date(2023, 4, 30), id="may-next-year"),
        pytest.param(date(2021, 6, 30), JULY, date(2021, 6, 30), id="july-last-day"),
        pytest.param(date(2021, 7, 1), JULY, date(2022, 6, 30), id="july-first-day"),
        pytest.param(date(2023, 6, 1), MARCH, date(2024, 2, 29), id="march-ends-on-leap-day"),
        pytest.param(date(2024, 6, 1), MARCH, date(2025, 2, 28), id="march-ends-28-feb"),
    ],
)
def test_fiscal_year_end(day: date, fiscal_year: FiscalYear, expected: date) -> None:
    assert fiscal_year_end(day, fiscal_year) == expected


@pytest.mark.parametrize(
    ("day", "fiscal_year", "keep_until"),
    [
        pytest.param(date(2021, 3, 14), CALENDAR, date(2028, 12, 31), id="calendar-2021"),
        pytest.param(date(2021, 12, 31), CALENDAR, date(2028, 12, 31), id="calendar-last-day"),
        pytest.param(date(2021, 5, 1), MAY, date(2029, 12, 31), id="may-2021-april-2022"),
        pytest.param(date(2021, 9, 1), MAY, date(2029, 12, 31), id="may-2021-mid-year"),
        pytest.param(date(2022, 4, 30), MAY, date(2029, 12, 31), id="may-fiscal-year-last-day"),
        pytest.param(date(2022, 5, 1), MAY, date(2030, 12, 31), id="may-next-fiscal-year"),
        pytest.param(date(2021, 7, 1), JULY, date(2029, 12, 31), id="july-2021-june-2022"),
        pytest.param(date(2021, 6, 30), JULY, date(2028, 12, 31), id="july-2020-june-2021"),
    ],
)
def test_bookkeeping_keep_until(day: date, fiscal_year: FiscalYear, keep_until: date) -> None:
    assert bookkeeping_keep_until(day, fiscal_year=fiscal_year) == keep_until
    erasable = bookkeeping_erasable_from(day, fiscal_year=fiscal_year)
    assert erasable == date(keep_until.year + 1, 1, 1)


def test_default_is_the_calendar_year_and_seven_years() -> None:
    assert bookkeeping_keep_until(date(2021, 6, 1)) == date(2028, 12, 31)
    assert bookkeeping_erasable_from(date(2021, 6, 1)) == date(2029, 1, 1)
    assert bookkeeping_keep_until(date(2021, 6, 1), years=10) == date(2031, 12, 31)
    assert keep_until_after_year_end(date(2022, 4, 30)) == date(2029, 12, 31)


@pytest.mark.parametrize(
    ("start_month", "start_day", "reason"),
    [
        pytest.param(0, 1, "month must be 1-12", id="month-0"),
        pytest.param(13, 1, "month must be 1-12", id="month-13"),
        pytest.param(5, 15, "starts on the 1st", id="mid-month"),
        pytest.param(1, 0, "starts on the 1st", id="day-0"),
    ],
)
def test_fiscal_year_rejects(start_month: int, start_day: int, reason: str) -> None:
    with pytest.raises(LawError, match=reason):
        FiscalYear(start_month=start_month, start_day=start_day)


def test_negative_years_rejected() -> None:
    with pytest.raises(LawError, match="negative"):
        keep_until_after_year_end(date(2021, 12, 31), years=-1)


@given(day=st.dates(date(1990, 1, 1), date(2100, 12, 31)), start_month=st.integers(1, 12))
def test_kept_at_least_seven_full_years_after_the_fiscal_year(day: date, start_month: int) -> None:
    fiscal_year = FiscalYear(start_month=start_month)
    end = fiscal_year_end(day, fiscal_year)
    keep_until = bookkeeping_keep_until(day, fiscal_year=fiscal_year)
    assert day <= end
    assert (end - day).days < 366
    assert (keep_until.month, keep_until.day) == (12, 31)
    assert keep_until.year == end.year + 7
    assert bookkeeping_erasable_from(day, fiscal_year=fiscal_year) == date(end.year + 8, 1, 1)
