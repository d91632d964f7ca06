"""Field strategies are what the register says and idempotent; hold ends follow the law."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from varna.dsr.strategies import as_date, erased_value, hold_until
from varna.law.bookkeeping import FiscalYear
from varna.register.activities import (
    Bookkeeping,
    PeriodAfter,
    UntilWithdrawn,
    WhileActive,
)
from varna.register.systems import FieldErasure, FieldSpec

KEY = b"k" * 32


def spec(strategy: str, value: str | None = None) -> FieldSpec:
    return FieldSpec(category="contact.email", erasure=FieldErasure(strategy), value=value)


@pytest.mark.parametrize(
    ("strategy", "value", "expected"),
    [
        pytest.param("null", "anna@example.se", None, id="null"),
        pytest.param("keep", "anna@example.se", "anna@example.se", id="keep"),
        pytest.param("mask", "anna@example.se", "a***@*******.**", id="mask-email"),
        pytest.param("mask", "195704289999", "1***********", id="mask-digits"),
        pytest.param("mask", 42, None, id="mask-non-text"),
        pytest.param("mask", None, None, id="mask-none"),
        pytest.param("generalise", date(1957, 4, 28), date(1957, 1, 1), id="gen-date"),
        pytest.param("generalise", datetime(1957, 4, 28, 13, 5), datetime(1957, 1, 1), id="gen-dt"),
        pytest.param("generalise", "1957-04-28", "1957-01-01", id="gen-iso-text"),
        pytest.param("generalise", "1957-04-28 13:05:00", "1957-01-01 00:00:00", id="gen-iso-dt"),
        pytest.param("generalise", 47, 40, id="gen-int"),
        pytest.param("generalise", Decimal("47.5"), Decimal("4E+1"), id="gen-decimal"),
        pytest.param("generalise", "111 57", "111", id="gen-text"),
        pytest.param("hash", None, None, id="hash-none"),
    ],
)
def test_strategies(strategy: str, value: Any, expected: Any) -> None:
    assert erased_value(spec(strategy), value, hash_key=KEY) == expected


def test_fixed() -> None:
    assert erased_value(spec("fixed", "-"), "Anna", hash_key=KEY) == "-"


def test_hash_is_keyed_stable_and_short() -> None:
    one = erased_value(spec("hash"), "anna@example.se", hash_key=KEY)
    assert one == erased_value(spec("hash"), "anna@example.se", hash_key=KEY)
    assert one != erased_value(spec("hash"), "anna@example.se", hash_key=b"x" * 32)
    assert one.startswith("h:")
    assert len(one) == 34


@settings(derandomize=True, max_examples=300)
@given(
    strategy=st.sampled_from(["null", "mask", "hash", "generalise", "keep"]),
    value=st.one_of(
        st.none(),
        st.text(),
        st.integers(),
        st.dates(),
        st.datetimes(),
        st.decimals(allow_nan=False),
        st.floats(allow_nan=False),
    ),
)
def test_every_strategy_is_idempotent(strategy: str, value: Any) -> None:
    once = erased_value(spec(strategy), value, hash_key=KEY)
    assert erased_value(spec(strategy), once, hash_key=KEY) == once


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(date(2021, 7, 6), date(2021, 7, 6), id="date"),
        pytest.param(datetime(2021, 7, 6, 12), date(2021, 7, 6), id="datetime"),
        pytest.param("2021-07-06 00:00:00", date(2021, 7, 6), id="sqlite-text"),
        pytest.param("2021-02-30", None, id="no-such-day"),
        pytest.param("06/07/2021", None, id="not-iso"),
        pytest.param(None, None, id="none"),
    ],
)
def test_as_date(value: Any, expected: date | None) -> None:
    assert as_date(value) == expected


CALENDAR, MAY = FiscalYear(), FiscalYear(5)


@pytest.mark.parametrize(
    ("rule", "anchor", "fiscal", "until"),
    [
        pytest.param(
            Bookkeeping(rule="bookkeeping"),
            "2021-07-06",
            CALENDAR,
            date(2028, 12, 31),
            id="bfl-2021",
        ),
        pytest.param(
            Bookkeeping(rule="bookkeeping"),
            date(2021, 6, 1),
            MAY,
            date(2029, 12, 31),
            id="bfl-broken-year",
        ),
        pytest.param(
            Bookkeeping(rule="bookkeeping"),
            date(2021, 3, 1),
            MAY,
            date(2028, 12, 31),
            id="bfl-broken-year-earlier",
        ),
        pytest.param(Bookkeeping(rule="bookkeeping"), None, CALENDAR, None, id="bfl-no-date"),
        pytest.param(
            PeriodAfter(rule="period_after", period="24 months", anchor="relation_ended"),
            date(2024, 1, 31),
            CALENDAR,
            date(2026, 1, 31),
            id="period",
        ),
        pytest.param(
            PeriodAfter(rule="period_after", period="30 days", anchor="collected"),
            date(2024, 1, 31),
            CALENDAR,
            date(2024, 3, 1),
            id="period-days",
        ),
        pytest.param(
            WhileActive(rule="while_active", then="2 years"),
            None,
            CALENDAR,
            None,
            id="still-active",
        ),
        pytest.param(
            WhileActive(rule="while_active", then="2 years"),
            date(2024, 2, 29),
            CALENDAR,
            date(2026, 2, 28),
            id="ended-leap",
        ),
        pytest.param(
            UntilWithdrawn(rule="until_withdrawn"),
            date(2024, 1, 1),
            CALENDAR,
            None,
            id="no-end-date",
        ),
    ],
)
def test_hold_until(rule: Any, anchor: Any, fiscal: FiscalYear, until: date | None) -> None:
    assert hold_until(rule, anchor, fiscal_year=fiscal) == until
