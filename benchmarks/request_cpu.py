"""What one vouched access request costs the service, without HTTP: wall time and CPU time of
``Varna.submit_via_api`` with ``verified`` (received, verified, planned, approved, carried out,
the extract kept), in one process, on a SQLite state and on a PostgreSQL state.

    .venv/bin/python benchmarks/request_cpu.py [--dir DEMO] [--subjects 2000] [--requests 80]
        [--no-pg] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

``DEMO`` is a demo company (built there with ``--subjects`` people unless it holds one). The first
five requests warm the process (pools, connectors, templates); the next ``--requests`` are
timed one by one, each for another customer. CPU time is this process's (the service and its
SQLite systems; a PostgreSQL state's own CPU is not in it). The statements and transactions
are those of the state database per request (its BEGINs; the systems' reads are not counted):
unlike CPU time on shared cores, they are the same on every run. Run it twice with an earlier
``src`` first on ``PYTHONPATH`` to compare two versions on the same machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from api import VARNA, base_env, demo_emails, pg_database  # noqa: E402

from varna.demo.builder import MARKER, build_demo  # noqa: E402


@dataclass
class Measured:
    """Per request: median wall and CPU milliseconds, mean CPU, and the state database's
    statements and transactions (the same every run: what the machine's noise cannot move)."""

    wall: float
    cpu: float
    cpu_mean: float
    statements: float
    transactions: float


def measure(env: dict[str, str], emails: list[str]) -> Measured:
    """What one vouched access costs in a fresh service (see :class:`Measured`)."""
    from varna.core import Varna
    from varna.core.key_ops import Attested
    from varna.dsr.requests import Assurance, Kind
    from varna.settings import Settings

    subprocess.run([VARNA, "state", "upgrade"], env=env, check=True, capture_output=True)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        varna = Varna(Settings())
        token = varna.create_api_key(
            name="bench", scopes=["requests"], created_by="bench", now=datetime.now(UTC)
        ).token
        key = varna.authenticate_api_key(token)
        assert key is not None
        vouched = Attested("caller", Assurance.staff_document)

        def one(email: str) -> None:
            done = varna.submit_via_api(
                key=key,
                kind=Kind.access,
                identities=[f"email={email}"],
                now=datetime.now(UTC),
                attested=vouched,
                wait=30,
            )
            if done.status.record.state != "answered":
                raise SystemExit(f"a request ended {done.status.record.state}")

        for email in emails[:5]:
            one(email)
        counts = {"statements": 0, "transactions": 0}
        engine = varna.state.engine

        def statement(*_: object) -> None:
            counts["statements"] += 1

        def transaction(*_: object) -> None:
            counts["transactions"] += 1

        sa.event.listen(engine, "before_cursor_execute", statement)
        sa.event.listen(engine, "begin", transaction)
        walls, cpus = [], []
        for email in emails[5:]:
            wall, cpu = time.perf_counter(), time.process_time()
            one(email)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        sa.event.remove(engine, "before_cursor_execute", statement)
        sa.event.remove(engine, "begin", transaction)
        varna.close()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    n = len(walls)
    return Measured(
        statistics.median(walls),
        statistics.median(cpus),
        statistics.mean(cpus),
        counts["statements"] / n,
        counts["transactions"] / n,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, help="a demo company (built there if it is none)")
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=80)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    table = Table(title=f"one vouched access, in process ({args.requests} people)")
    for column in ("state", "wall p50", "CPU p50", "CPU mean", "statements", "transactions"):
        table.add_column(column)
    with tempfile.TemporaryDirectory(prefix="varna-bench-cpu-") as tmp:
        demo = (args.dir or Path(tmp) / "demo").resolve()
        if not (demo / MARKER).is_file():
            build_demo(demo, subjects=args.subjects)
        os.chdir(demo)  # the demo's systems are SQLite files relative to it
        emails = demo_emails(demo, args.requests + 5)
        for name in ("SQLite", "PostgreSQL"):
            if name == "PostgreSQL" and args.no_pg:
                continue
            with pg_database(args.pg) if name == "PostgreSQL" else nullcontext() as url:
                extra = {"VARNA_DATABASE_URL": url} if url else {}
                env = base_env(Path(tmp) / name, demo / "varna.yaml", extra)
                m = measure(env, emails)
                table.add_row(
                    name,
                    f"{m.wall:.1f} ms",
                    f"{m.cpu:.1f} ms",
                    f"{m.cpu_mean:.1f} ms",
                    f"{m.statements:.1f}",
                    f"{m.transactions:.1f}",
                )
    Console().print(table)


if __name__ == "__main__":
    main()
