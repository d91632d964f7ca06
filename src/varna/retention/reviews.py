"""Review cycles: activities whose data is reviewed by hand every so often (``review_every``).

The cycle counts from the policy's effective date (or, without one, from ``at`` itself): the due
date listed is the first one on or after ``at``. Reviews done are not recorded yet, so an overdue
review cannot be told apart from one done on time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from varna.law.deadlines import add_months
from varna.register.model import Register
from varna.register.types import Unit, parse_period


@dataclass(frozen=True, slots=True)
class Review:
    """One activity's next review."""

    activity: str
    name: str
    every: str
    due: date
    tables: tuple[str, ...]


def _step(day: date, text: str, times: int) -> date:
    period = parse_period(text)
    if period.unit in (Unit.months, Unit.years):
        return add_months(day, times * period.amount * (12 if period.unit is Unit.years else 1))
    return day + timedelta(days=times * period.amount * (7 if period.unit is Unit.weeks else 1))


def plan_reviews(register: Register, *, at: date) -> list[Review]:
    """The next review of each activity with ``review_every``, soonest first."""
    start = register.controller.policy.effective_date or at
    out = []
    for key, activity in register.activities.items():
        if activity.review_every is None:
            continue
        times = 1
        due = _step(start, activity.review_every, times)
        while due < at:
            times += 1
            due = _step(start, activity.review_every, times)
        tables = tuple(f"{s}.{t}" for s, t, table in register.tables() if key in table.activities)
        out.append(Review(key, activity.name.get("en"), activity.review_every, due, tables))
    return sorted(out, key=lambda r: (r.due, r.activity))
