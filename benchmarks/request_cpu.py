"""What one vouched access request costs the service, without HTTP: wall time and CPU time of
``Varna.submit_via_api`` with ``verified`` (received, verified, planned, approved, carried out,
the extract kept), in one process, on a SQLite state and on a PostgreSQL state.

    .venv/bin/python benchmarks/request_cpu.py [--dir DEMO] [--subjects 2000] [--requests 80]
        [--no-pg] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

``DEMO`` is a demo company (built there with ``--subjects`` people unless it holds one). The first
five requests warm the process (pools, connectors, templates); the next ``--requests`` are
timed one by one, each for another customer. CPU time is this process's (the service and its
SQLite systems; a PostgreSQL state's own CPU is not in it). Run it twice with an earlier
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
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from api import VARNA, base_env, demo_emails, pg_database  # noqa: E402

from varna.demo.builder import MARKER, build_demo  # noqa: E402


def measure(env: dict[str, str], emails: list[str]) -> tuple[float, float, float]:
    """Median wall and CPU milliseconds per request, and the mean CPU, in a fresh service."""
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
        walls, cpus = [], []
        for email in emails[5:]:
            wall, cpu = time.perf_counter(), time.process_time()
            one(email)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        varna.close()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return statistics.median(walls), statistics.median(cpus), statistics.mean(cpus)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, help="a demo company (built there if it is none)")
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=80)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    table = Table(title=f"one vouched access, in process ({args.requests} people)")
    for column in ("state", "wall p50", "CPU p50", "CPU mean"):
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
                wall, cpu, mean = measure(env, emails)
                table.add_row(name, f"{wall:.1f} ms", f"{cpu:.1f} ms", f"{mean:.1f} ms")
    Console().print(table)


if __name__ == "__main__":
    main()
