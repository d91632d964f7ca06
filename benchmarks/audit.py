"""Audit log throughput: appends (batches and single) and verify, on SQLite and PostgreSQL.

.venv/bin/python benchmarks/audit.py [--events 200000] [--singles 2000] [--url URL]

SQLite always runs in a temporary folder. With ``--url`` (a PostgreSQL server URL, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``) the same steps run in a throwaway
database created on that server and dropped afterwards. Targets: appends in batches of 1,000
>= 20,000 events/s, verify >= 200,000 events/s (SQLite, 2 cores).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from rich.console import Console
from rich.table import Table

from varna.audit import AuditLog, NewEvent, pseudonymise
from varna.state import open_state

KEY = b"benchmark-audit-key-0123456789ab"
T0 = datetime(2025, 1, 31, 12, 0, tzinfo=UTC)
BATCH = 1_000
TARGETS = {"append_many": 20_000, "verify": 200_000}


def events(count: int, *, start: int = 0) -> list[NewEvent]:
    """Realistic entries: a pseudonymised subject, a target table, a few details."""
    subjects = [pseudonymise("email", f"person{i}@example.se", key=KEY) for i in range(100)]
    return [
        NewEvent(
            at=T0 + timedelta(milliseconds=i),
            actor="job:retention",
            action="retention.rows.deleted",
            subject=subjects[i % 100],
            target="crm.customers",
            details={"rows": i % 17, "rule": "kunder-7år", "basis": "bokföringslagen"},
        )
        for i in range(start, start + count)
    ]


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as tmp:
        yield f"sqlite:///{Path(tmp) / 'state.db'}"


@contextmanager
def postgres_url(server: str) -> Iterator[str]:
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    name = f"varna_bench_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def measure(url: str, count: int, singles: int, repeat: int) -> list[tuple[str, int, float]]:
    """(step, events, seconds) for each step, on a fresh migrated database at ``url``."""
    batched, single = events(count), events(singles, start=count)
    with open_state(url) as state:
        state.migrate()
        log = AuditLog(state, key=KEY)

        def append_batches() -> None:
            for offset in range(0, count, BATCH):
                log.append_many(batched[offset : offset + BATCH])

        def append_singles() -> None:
            for e in single:
                log.append(
                    at=e.at,
                    actor=e.actor,
                    action=e.action,
                    subject=e.subject,
                    target=e.target,
                    details=e.details,
                )

        rows = [("append_many", count, timed(append_batches))]
        rows.append(("append", singles, timed(append_singles)))
        reports = []
        seconds = statistics.median(
            timed(lambda: reports.append(log.verify())) for _ in range(repeat)
        )
        if not all(report.ok for report in reports):
            raise SystemExit("verify found problems in a freshly written log")
        rows.append(("verify", count + singles, seconds))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000, help="events appended in batches")
    parser.add_argument("--singles", type=int, default=2_000, help="events appended one by one")
    parser.add_argument("--repeat", type=int, default=3, help="verify runs (median is shown)")
    parser.add_argument("--url", help="a PostgreSQL server URL to measure as well")
    args = parser.parse_args()
    backends: list[tuple[str, Callable[[], AbstractContextManager[str]]]] = [("sqlite", sqlite_url)]
    if args.url:
        backends.append(("postgresql", lambda: postgres_url(args.url)))
    table = Table(title=f"Audit log throughput ({args.events:,} batched + {args.singles:,} single)")
    for column in ("backend", "step", "events", "seconds", "events/s", "target"):
        table.add_column(column, justify="left" if column in ("backend", "step") else "right")
    for backend, url in backends:
        with url() as target_url:
            for step, count, seconds in measure(target_url, args.events, args.singles, args.repeat):
                rate = count / seconds
                goal = TARGETS.get(step)
                verdict = "" if goal is None else f"{'✓' if rate >= goal else '✗'} >= {goal:,}"
                table.add_row(
                    backend, step, f"{count:,}", f"{seconds:.2f}", f"{rate:,.0f}", verdict
                )
    Console().print(table)


if __name__ == "__main__":
    main()
