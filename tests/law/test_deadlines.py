"""GDPR Art. 12(3) and 33(1) deadlines, counted per Regulation 1182/71 Art. 3."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from varna.errors import LawError
from varna.law.deadlines import (
    add_months,
    breach_notification_deadline,
    extended_deadline,
    is_working_day,
    response_deadline,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        pytest.param(date(2026, 3, 9), date(2026, 4, 9), id="9-march-to-9-april-thursday"),
        pytest.param(date(2024, 1, 31), date(2024, 2, 29), id="31-jan-leap-year"),
        pytest.param(date(2025, 1, 31), date(2025, 2, 28), id="31-jan-common-year-friday"),
        pytest.param(date(2026, 1, 31), date(2026, 3, 2), id="31-jan-ends-saturday-28-feb"),
        pytest.param(date(2026, 9, 10), date(2026, 10, 12), id="ends-saturday"),
        pytest.param(date(2026, 9, 11), date(2026, 10, 12), id="ends-sunday"),
        pytest.param(date(2026, 3, 3), date(2026, 4, 7), id="good-friday-to-easter-tuesday"),
        pytest.param(date(2025, 3, 18), date(2025, 4, 22), id="good-friday-2025"),
        pytest.param(date(2026, 4, 14), date(2026, 5, 15), id="ascension-day"),
        pytest.param(date(2025, 4, 1), date(2025, 5, 2), id="first-of-may"),
        pytest.param(date(2025, 5, 6), date(2025, 6, 9), id="national-day-friday"),
        pytest.param(date(2026, 5, 20), date(2026, 6, 22), id="midsommardagen-saturday"),
        pytest.param(date(2026, 5, 19), date(2026, 6, 19), id="midsommarafton-not-moved"),
        pytest.param(date(2025, 11, 24), date(2025, 12, 24), id="julafton-not-moved"),
        pytest.param(date(2025, 11, 25), date(2025, 12, 29), id="christmas-day-to-monday"),
        pytest.param(date(2025, 12, 1), date(2026, 1, 2), id="new-years-day"),
        pytest.param(date(2025, 12, 6), date(2026, 1, 7), id="epiphany"),
        pytest.param(date(2025, 10, 1), date(2025, 11, 3), id="all-saints-saturday"),
        pytest.param(date(2025, 12, 31), date(2026, 2, 2), id="31-dec-to-31-jan-saturday"),
    ],
)
def test_response_deadline(received: date, expected: date) -> None:
    assert response_deadline(received) == expected


def test_nyarsafton_is_not_moved() -> None:
    """No one-month period can end on 31 December; a two-month one can."""
    assert response_deadline(date(2025, 10, 31), months=2) == date(2025, 12, 31)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        pytest.param(date(2026, 1, 31), date(2026, 4, 30), id="31-jan-to-30-april"),
        pytest.param(date(2026, 3, 9), date(2026, 6, 9), id="9-march-to-9-june"),
        pytest.param(date(2025, 11, 30), date(2026, 3, 2), id="to-28-feb-saturday"),
        pytest.param(date(2025, 10, 31), date(2026, 2, 2), id="across-new-year-saturday"),
        pytest.param(date(2023, 11, 29), date(2024, 2, 29), id="to-leap-day"),
    ],
)
def test_extended_deadline_is_three_months_from_receipt(received: date, expected: date) -> None:
    assert extended_deadline(received) == expected
    assert response_deadline(received, months=3) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param(date(2026, 1, 31), 1, date(2026, 2, 28), id="clamp-to-february"),
        pytest.param(date(2024, 3, 31), -1, date(2024, 2, 29), id="backwards-leap"),
        pytest.param(date(2026, 11, 30), 3, date(2027, 2, 28), id="across-year"),
        pytest.param(date(2026, 5, 15), 0, date(2026, 5, 15), id="zero"),
        pytest.param(date(2026, 5, 15), 12 * 10, date(2036, 5, 15), id="ten-years"),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("day", "working"),
    [
        pytest.param(date(2026, 3, 9), True, id="monday"),
        pytest.param(date(2026, 3, 7), False, id="saturday"),
        pytest.param(date(2026, 3, 8), False, id="sunday"),
        pytest.param(date(2026, 1, 6), False, id="trettondedag-jul"),
        pytest.param(date(2026, 4, 3), False, id="langfredagen"),
        pytest.param(date(2026, 4, 6), False, id="annandag-pask"),
        pytest.param(date(2026, 5, 1), False, id="forsta-maj"),
        pytest.param(date(2025, 6, 6), False, id="nationaldagen"),
        pytest.param(date(2026, 6, 19), True, id="midsommarafton-de-facto-only"),
        pytest.param(date(2026, 12, 24), True, id="julafton-de-facto-only"),
        pytest.param(date(2026, 12, 25), False, id="juldagen"),
        pytest.param(date(2026, 12, 31), True, id="nyarsafton-de-facto-only"),
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_holidays_package_still_means_what_we_document() -> None:
    """Public category: allmänna helgdagar only; Sundays are excluded unless asked for."""
    public = holidays.country_holidays("SE", years=2026, categories=("public",))
    assert date(2026, 6, 19) not in public  # midsommarafton is de facto, not public
    assert date(2026, 6, 20) in public  # midsommardagen
    assert date(2026, 3, 8) not in public  # an ordinary Sunday
    assert all(not is_working_day(date(2026, 1, 4) + timedelta(weeks=w)) for w in range(52))


@pytest.mark.parametrize(
    ("received", "months"),
    [
        pytest.param(date(2026, 3, 9), 0, id="zero-months"),
        pytest.param(date(2026, 3, 9), -1, id="negative-months"),
        pytest.param(datetime(2026, 3, 9, 12, tzinfo=UTC), 1, id="datetime-not-date"),
    ],
)
def test_response_deadline_rejects(received: date, months: int) -> None:
    with pytest.raises(LawError):
        response_deadline(received, months=months)


@pytest.mark.parametrize(
    ("aware_at", "expected"),
    [
        pytest.param(
            datetime(2026, 3, 2, 9, 15, tzinfo=UTC),
            datetime(2026, 3, 5, 9, 15, tzinfo=UTC),
            id="utc",
        ),
        pytest.param(
            datetime(2026, 3, 6, 16, 0, tzinfo=STOCKHOLM),
            datetime(2026, 3, 9, 16, 0, tzinfo=STOCKHOLM),
            id="friday-to-monday-weekends-count",
        ),
        pytest.param(
            datetime(2026, 3, 27, 12, 0, tzinfo=STOCKHOLM),
            datetime(2026, 3, 30, 13, 0, tzinfo=STOCKHOLM),
            id="spring-forward-adds-an-hour-on-the-clock",
        ),
        pytest.param(
            datetime(2026, 10, 24, 12, 0, tzinfo=STOCKHOLM),
            datetime(2026, 10, 27, 11, 0, tzinfo=STOCKHOLM),
            id="fall-back-takes-an-hour-off-the-clock",
        ),
        pytest.param(
            datetime(2026, 12, 23, 23, 59, 59, tzinfo=STOCKHOLM),
            datetime(2026, 12, 26, 23, 59, 59, tzinfo=STOCKHOLM),
            id="holidays-count",
        ),
    ],
)
def test_breach_notification_deadline(aware_at: datetime, expected: datetime) -> None:
    deadline = breach_notification_deadline(aware_at)
    assert deadline == expected
    assert deadline.tzinfo is aware_at.tzinfo
    assert deadline.astimezone(UTC) - aware_at.astimezone(UTC) == timedelta(hours=72)


def test_breach_notification_deadline_rejects_naive_datetimes() -> None:
    with pytest.raises(LawError, match="timezone-aware"):
        breach_notification_deadline(datetime(2026, 3, 2, 9, 15))
