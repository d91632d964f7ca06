"""Retention sweep at scale: 10,000,000 rows, 1,000,000 expired, on PostgreSQL and SQLite.

.venv/bin/python benchmarks/retention.py [--rows 10000000] [--expired 1000000] [--sample 20000]
    [--batch 50000] [--pg-url URL] [--skip-sqlite] [--skip-postgres]

Rows are generated set-based (``generate_series`` on PostgreSQL, a recursive CTE on SQLite); every
tenth row is expired (``period_after 12 months after collected``), spread through the table; the
anchor column has an index. Timed: the planner (its COUNT queries) and the executor, deleting in
batches. Then ``--sample`` expired rows are put back and deleted row by row through the ORM (a
``Session.delete`` and flush per row, as a hand-written job would): that time is extrapolated to
the whole expired set (marked as such) and compared. Targets: PostgreSQL < 30 s, SQLite < 60 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from varna.connectors import ConnectorPool
from varna.register import parse_register
from varna.retention.counts import ConnectorCounts
from varna.retention.executor import execute_retention
from varna.retention.planner import plan_retention

NOW = datetime(2030, 6, 30, tzinfo=UTC)
FRESH, OLD = "2030-06-01 00:00:00", "2028-01-01 00:00:00"
TARGETS = {"postgresql": 30.0, "sqlite": 60.0}
REGISTER = """
varna: 1
controller:
  name: Bench AB
  org_number: 556677-8899
  address: {street: Gatan 1, postal_code: "111 22", city: Stockholm}
  contact: {email: privacy@bench.example}
  policy: {version: "1", effective_date: 2026-01-01, languages: [en]}
subjects:
  visitor: {label: {sv: Besökare, en: Visitors}}
activities:
  weblog:
    name: {sv: Webblogg, en: Web log}
    purpose: {sv: Drift och säkerhet., en: Operations and security.}
    legal_bases: [legitimate_interests]
    subjects: [visitor]
    categories: [technical.ip_address]
    retention: {rule: period_after, period: 12 months, anchor: collected}
systems:
  logs:
    name: {sv: Loggar, en: Logs}
    kind: sqlite
    connection: {env: VARNA_BENCH_URL}
    country: SE
    tables:
      events:
        primary_key: [id]
        subjects: [visitor]
        activities: [weblog]
        anchors: {collected: collected_at}
        fields:
          ip: technical.ip_address
"""


class _Base(DeclarativeBase):
    pass


class Event(_Base):
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    collected_at: Mapped[datetime]
    ip: Mapped[str]


@dataclass
class Figures:
    database: str
    rows: int
    expired: int
    load_s: float
    plan_s: float
    sweep_s: float
    swept: int
    orm_rows: int
    orm_s: float

    @property
    def orm_extrapolated_s(self) -> float:
        return self.orm_s / self.orm_rows * self.expired


def _generate(engine: sa.Engine, rows: int, every: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "CREATE TABLE events (id BIGINT PRIMARY KEY, collected_at TIMESTAMP, "
                "ip VARCHAR(45))"
            )
        )
        if engine.dialect.name == "postgresql":
            conn.execute(
                sa.text(
                    "INSERT INTO events SELECT g, CASE WHEN g % :every = 0 THEN TIMESTAMP "
                    f"'{OLD}' ELSE TIMESTAMP '{FRESH}' END, '10.0.' || (g % 250) || '.' || "
                    "(g % 199) FROM generate_series(1, :rows) AS g"
                ),
                {"rows": rows, "every": every},
            )
        else:
            conn.execute(
                sa.text(
                    "WITH RECURSIVE g(n) AS "
                    "(SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < :rows) "
                    f"INSERT INTO events SELECT n, CASE WHEN n % :every = 0 THEN '{OLD}' "
                    f"ELSE '{FRESH}' END, '10.0.' || (n % 250) || '.' || (n % 199) FROM g"
                ),
                {"rows": rows, "every": every},
            )
        conn.execute(sa.text("CREATE INDEX events_collected ON events (collected_at)"))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE events"))


def _orm_sweep(engine: sa.Engine, start: int, sample: int) -> float:
    """Put ``sample`` expired rows back, then delete them one by one through the ORM."""
    with engine.begin() as conn:
        conn.execute(
            sa.insert(Event.__table__),  # type: ignore[arg-type]
            [
                {"id": start + i, "collected_at": datetime(2028, 1, 1), "ip": "10.1.1.1"}
                for i in range(sample)
            ],
        )
    began = time.perf_counter()
    cut = datetime(2029, 6, 30)
    with Session(engine) as session:
        for event in session.scalars(sa.select(Event).where(Event.collected_at < cut)):
            session.delete(event)
            session.flush()
        session.commit()
    return time.perf_counter() - began


def run(url: str, *, rows: int, expired: int, sample: int, batch: int) -> Figures:
    register = parse_register(REGISTER)
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    began = time.perf_counter()
    _generate(engine, rows, rows // expired)
    load_s = time.perf_counter() - began
    engines = ConnectorPool(register, base_dir=Path.cwd(), environ={"VARNA_BENCH_URL": url})
    began = time.perf_counter()
    plan = plan_retention(register, now=NOW, counts=ConnectorCounts(engines))
    plan_s = time.perf_counter() - began
    planned = plan.expiring
    began = time.perf_counter()
    result = execute_retention(plan, connectors=engines, hash_key=b"k" * 32, batch=batch)
    sweep_s = time.perf_counter() - began
    if result.total != planned:
        raise SystemExit(f"executed {result.total} rows, planned {planned}")
    orm_s = _orm_sweep(engine, rows + 1, sample)
    engines.close()
    engine.dispose()
    return Figures(
        engine.dialect.name, rows, planned, load_s, plan_s, sweep_s, result.total, sample, orm_s
    )


@contextmanager
def _pg_database(server: str) -> Iterator[str]:
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    name = f"varna_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _verdict(f: Figures) -> str:
    target = TARGETS[f.database]
    return f"< {target:.0f} s: {'met' if f.sweep_s < target else 'MISSED'}"


def _table(figures: list[Figures]) -> Table:
    table = Table(title="Retention sweep (delete, batches, one statement per batch)")
    for column in (
        "database",
        "rows",
        "expired",
        "load s",
        "plan s",
        "sweep s",
        "rows/s",
        "target",
        "ORM row by row s (extrapolated)",
        "ratio",
    ):
        table.add_column(column, justify="right")
    for f in figures:
        table.add_row(
            f.database,
            f"{f.rows:,}",
            f"{f.expired:,}",
            f"{f.load_s:.1f}",
            f"{f.plan_s:.2f}",
            f"{f.sweep_s:.2f}",
            f"{f.swept / f.sweep_s:,.0f}",
            _verdict(f),
            f"{f.orm_extrapolated_s:,.0f} ({f.orm_rows:,} rows in {f.orm_s:.1f} s)",
            f"{f.orm_extrapolated_s / f.sweep_s:,.0f}x",
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--expired", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=50_000)
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    console = Console(width=180)
    figures = []
    sizes = {"rows": args.rows, "expired": args.expired, "sample": args.sample, "batch": args.batch}
    if not args.skip_postgres:
        with _pg_database(args.pg_url) as url:
            figures.append(run(url, **sizes))
            console.print(_table(figures))
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            figures.append(run(f"sqlite:///{folder}/bench.db", **sizes))
    console.print(_table(figures))


if __name__ == "__main__":
    main()
