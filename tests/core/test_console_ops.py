"""The console overview's figures: requests per month and per right, the median time to answer
and the share answered in time, from request timings alone; the next run of a cron schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from varna.core.console_ops import next_run, request_figures
from varna.state.requests import RequestTiming

TODAY = date(2026, 12, 2)


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T10:00:00+00:00")


TIMINGS = [
    RequestTiming("access", at("2026-11-01"), "2026-11-11T09:00:00+00:00", date(2026, 12, 1)),
    RequestTiming("access", at("2026-11-20"), None, date(2026, 12, 20)),
    RequestTiming("erasure", at("2026-10-01"), "2026-11-15T09:00:00+00:00", date(2026, 11, 1)),
    RequestTiming("erasure", at("2026-12-01"), "2026-12-01T12:00:00+00:00", date(2027, 1, 1)),
    RequestTiming("objection", at("2024-01-05"), "2024-01-25T12:00:00+00:00", date(2024, 2, 5)),
]


def test_figures_count_months_rights_and_deadlines() -> None:
    figures = request_figures(TIMINGS, today=TODAY)
    months = dict(figures.per_month)
    assert next(iter(months)) == "2026-01"
    assert list(months)[-1] == "2026-12"
    assert len(months) == 12
    assert (months["2026-10"], months["2026-11"], months["2026-12"]) == (1, 2, 1)
    assert "2024-01" not in months  # older than twelve months: only in the per-right figures
    assert dict(figures.per_kind) == {
        "access": 2,
        "portability": 0,
        "rectification": 0,
        "erasure": 2,
        "restriction": 0,
        "objection": 1,
    }
    assert figures.answered == 4
    assert figures.on_time == 3  # the October erasure closed two weeks late
    assert figures.compliance == 0.75
    assert figures.median_days == 15  # waits 10, 45, 0, 20


def test_no_closed_request_has_no_median_and_no_compliance() -> None:
    figures = request_figures(TIMINGS[1:2], today=TODAY)
    assert (figures.answered, figures.median_days, figures.compliance) == (0, None, None)


@pytest.mark.parametrize(
    ("schedule", "after", "expected"),
    [
        ("0 3 * * *", datetime(2026, 12, 2, 9, 0, tzinfo=UTC), datetime(2026, 12, 3, 3, 0)),
        ("0 3 * * *", datetime(2026, 12, 2, 2, 0, tzinfo=UTC), datetime(2026, 12, 2, 3, 0)),
        ("0 4 1 * *", datetime(2026, 12, 2, 9, 0, tzinfo=UTC), datetime(2027, 1, 1, 4, 0)),
    ],
)
def test_the_next_retention_run(schedule: str, after: datetime, expected: datetime) -> None:
    assert next_run(schedule, after=after) == expected.replace(tzinfo=UTC)
