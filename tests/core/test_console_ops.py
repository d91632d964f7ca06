"""The console overview's figures: requests per month and per right, the median time to answer
and the share answered in time, from request timings alone; the next run of a cron schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from varna.core import Varna
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


@pytest.mark.parametrize(
    ("history", "today"),
    [
        pytest.param([], TODAY, id="none"),
        pytest.param([("2026-11-01", 10), ("2026-11-20", None)], TODAY, id="one-closed"),
        pytest.param(
            [("2026-10-01", 45), ("2026-11-01", 10), ("2026-12-01", 0), ("2024-01-05", 20)],
            TODAY,
            id="even-count-and-late-and-old",
        ),
        pytest.param(
            [("2026-06-01", 3), ("2026-06-01", 3), ("2026-07-01", 40), ("2026-08-01", None)],
            TODAY,
            id="odd-count-and-ties",
        ),
    ],
)
def test_the_sql_aggregates_give_the_same_figures(
    varna: Varna, history: list[tuple[str, int | None]], today: date
) -> None:
    from varna.core.console_ops import figures_from_counts
    from varna.dsr.requests import Actor, Kind, Role

    staff = Actor("anna", Role.case_handler)
    kinds = list(Kind)
    for i, (day, wait) in enumerate(history):
        received = at(day)
        status = varna.receive(
            [f"email=person{i}@example.invalid"], kind=kinds[i % len(kinds)], now=received
        )
        if wait is not None:
            varna.refuse(
                status.ref, reason="test", actor=staff, now=received + timedelta(days=wait)
            )
    store = varna.ledger.requests
    from_sql = figures_from_counts(store.figures(since_month="2026-01"), today=today)
    assert from_sql == request_figures(store.timings(), today=today)
    assert from_sql.answered == sum(1 for _, w in history if w is not None)


@pytest.mark.parametrize(
    ("filters", "size"),
    [
        pytest.param({}, 2, id="all-open-by-twos"),
        pytest.param({"open_only": False}, 3, id="with-closed-by-threes"),
        pytest.param({"kind": "erasure"}, 1, id="one-right"),
        pytest.param({"state": "received", "open_only": False}, 2, id="one-state"),
        pytest.param({"due_to": date(2026, 12, 20)}, 2, id="due-by"),
        pytest.param(
            {"due_from": date(2026, 12, 10), "due_to": date(2026, 12, 31)}, 5, id="window"
        ),
    ],
)
def test_the_queue_pages_in_sql_as_the_listing_orders(
    varna: Varna, filters: dict[str, object], size: int
) -> None:
    from varna.dsr.requests import Actor, Kind, Role

    staff = Actor("anna", Role.case_handler)
    kinds = [Kind.access, Kind.erasure, Kind.objection]
    for i in range(7):
        status = varna.receive(
            [f"email=person{i}@example.invalid"],
            kind=kinds[i % 3],
            now=at(f"2026-11-{10 + 2 * i:02d}"),
        )
        if i % 4 == 3:
            varna.refuse(status.ref, reason="test", actor=staff, now=at("2026-11-30"))
    store = varna.ledger.requests
    open_only = bool(filters.get("open_only", True))
    expected = [
        r.ref
        for r in store.listing(open_only=open_only)
        if r.kind == filters.get("kind", r.kind)
        and r.state == filters.get("state", r.state)
        and str(filters.get("due_from", "")) <= (r.extended_due or r.due).isoformat()
        and (r.extended_due or r.due).isoformat() <= str(filters.get("due_to", "9999"))
    ]
    assert expected  # every case finds something
    seen: list[str] = []
    for page in range(8):
        found, total = store.queue_page(**filters, limit=size, offset=page * size)  # type: ignore[arg-type]
        assert total == len(expected)
        seen += [r.ref for r in found]
    assert seen == expected
