"""Data-subject requests on the demo company: access latency, erasure, and a queue of requests.

    .venv/bin/python benchmarks/dsr.py [--subjects 100000] [--requests 1000] [--dir DIR]
                                       [--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Builds the demo company (SQLite, seven systems) unless ``--dir`` already holds one, then, in one
process with the connectors open (warm): ``--requests`` access requests by e-mail for random
customers (plan + read every system + the Art. 15 extract), timed one by one (p50, p99), and
the same requests as a queue worked by ``--workers`` processes (requests per second); then erasure
(plan + apply, one transaction per system) of 20 other customers. With ``--pg`` the same runs
against a copy of every system in throwaway PostgreSQL databases on that server (tables and
indexes copied from the SQLite files), dropped afterwards.

Targets (issue 3, at 1,000,000 subjects): access p50 < 50 ms and p99 < 200 ms; erasure of one
subject < 200 ms; >= 200 access requests per second. The numbers need an index on every identity
column and every column a reference points from or to (the demo has them; ``docs/dsr.md``).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from rich.console import Console
from rich.table import Table

from varna.connectors import Connector, open_connectors
from varna.demo.builder import MARKER, build_demo
from varna.dsr.access import execute_access
from varna.dsr.executor import erase
from varna.dsr.identity import Identity
from varna.register import Register, load_register

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
KEY = b"benchmark-erasure-key-0123456789"
TARGETS = {"access p50": 50.0, "access p99": 200.0, "erasure max": 200.0, "queue": 200.0}


def customers(directory: Path, count: int) -> list[str]:
    with sqlite3.connect(directory / "data" / "crm.db") as crm:
        emails = [
            row[0] for row in crm.execute("SELECT email FROM customers WHERE email IS NOT NULL")
        ]
    return random.Random(42).sample(emails, min(count, len(emails)))


@contextmanager
def postgres_copy(register: Register, directory: Path, server: str) -> Iterator[dict[str, str]]:
    """Every SQLite system copied into its own throwaway PostgreSQL database; yields the env."""
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    env, names = {}, []
    try:
        for key, system in register.systems.items():
            if system.kind != "sqlite" or system.connection is None:
                continue
            name = f"varna_bench_{key}_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            names.append(name)
            url = sa.make_url(server).set(database=name).render_as_string(hide_password=False)
            source = sa.create_engine(f"sqlite:///{directory / 'data' / f'{key}.db'}")
            target = sa.create_engine(url)
            metadata = sa.MetaData()
            metadata.reflect(source)
            metadata.create_all(target)
            with source.connect() as read, target.begin() as write:
                for table in metadata.sorted_tables:
                    rows = read.execute(sa.select(table)).mappings()
                    while batch := rows.fetchmany(20_000):
                        write.execute(sa.insert(table), [dict(r) for r in batch])
            with target.begin() as write:
                write.exec_driver_sql("ANALYZE")
            source.dispose()
            target.dispose()
            env[system.connection.env] = url
        yield env
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def ms(seconds: float) -> float:
    return seconds * 1000


_WORKER: dict[str, object] = {}


def _open_worker(register: Register, base: Path, env: dict[str, str]) -> None:
    _WORKER["register"] = register
    _WORKER["connectors"] = open_connectors(register, base_dir=base, environ=env)


def _access(email: str) -> None:
    register = _WORKER["register"]
    connectors = _WORKER["connectors"]
    assert isinstance(register, Register)
    assert isinstance(connectors, dict)
    execute_access(register, [Identity("email", email)], connectors, now=NOW)


def queue(
    register: Register, base: Path, env: dict[str, str], emails: list[str], workers: int
) -> float:
    """Requests per second for ``emails`` worked by ``workers`` processes, each with its own
    connectors, as ``varna worker`` processes work a queue (one interpreter lock per process)."""
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_open_worker, initargs=(register, base, env)
    ) as pool:
        list(pool.map(_access, emails[: workers * 5]))  # start and warm the workers
        start = time.perf_counter()
        list(pool.map(_access, emails, chunksize=10))
        return len(emails) / (time.perf_counter() - start)


def through_service(directory: Path, env: dict[str, str], emails: list[str]) -> list[float]:
    """Seconds per access through ``Varna.access``, as a door calls it: identities parsed,
    the person's execution lock, the extract composed, every system's read audited."""
    from varna.core import Varna
    from varna.dsr.requests import Actor, Role
    from varna.settings import Settings

    home = Path(tempfile.mkdtemp(prefix="varna-bench-home-"))
    settings = Settings(home=home, audit_key=KEY.hex(), register_file=directory / "varna.yaml")
    varna = Varna(settings, environ={**os.environ, **env})
    actor = Actor("bench", Role.case_handler)
    try:
        for email in emails[:20]:
            varna.access([f"email={email}"], now=NOW, actor=actor)
        times = []
        for email in emails:
            t0 = time.perf_counter()
            varna.access([f"email={email}"], now=NOW, actor=actor)
            times.append(time.perf_counter() - t0)
    finally:
        varna.close()
    return times


def run(
    register: Register, base: Path, env: dict[str, str], emails: list[str], n: int, workers: int
) -> dict[str, float]:
    connectors: dict[str, Connector] = open_connectors(register, base_dir=base, environ=env)
    try:
        asked, erased = emails[:n], emails[n:]
        for email in asked[:20]:  # warm caches and connection pools
            execute_access(register, [Identity("email", email)], connectors, now=NOW)
        times = []
        for email in asked:
            t0 = time.perf_counter()
            execute_access(register, [Identity("email", email)], connectors, now=NOW)
            times.append(time.perf_counter() - t0)
        erase_times = []
        for email in erased:
            t0 = time.perf_counter()
            erase(
                register,
                [Identity("email", email)],
                connectors,
                now=NOW,
                hash_key=KEY,
                execute=True,
            )
            erase_times.append(time.perf_counter() - t0)
    finally:
        for connector in connectors.values():
            connector.close()
    quantiles = statistics.quantiles(times, n=100)
    service = through_service(base, env, asked)
    return {
        "access p50": ms(statistics.median(times)),
        "access p99": ms(quantiles[98]),
        "service access p50": ms(statistics.median(service)),
        "service access p99": ms(statistics.quantiles(service, n=100)[98]),
        "erasure p50": ms(statistics.median(erase_times)),
        "erasure max": ms(max(erase_times)),
        "one by one": len(times) / sum(times),
        "queue": queue(register, base, env, asked, workers),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--pg", default=None, help="PostgreSQL server URL (admin database)")
    parser.add_argument("--workers", type=int, default=4, help="processes working the queue")
    args = parser.parse_args()
    console = Console()
    directory = args.dir or Path(tempfile.mkdtemp(prefix="varna-bench-")) / "demo"
    if not (directory / MARKER).exists():
        t0 = time.perf_counter()
        build_demo(directory, subjects=args.subjects, progress=True)
        console.print(f"demo built in {time.perf_counter() - t0:.1f} s")
    register = load_register(directory / "varna.yaml")
    emails = customers(directory, args.requests + 20)
    results = {"SQLite": run(register, directory, {}, emails, args.requests, args.workers)}
    if args.pg:
        with postgres_copy(register, directory, args.pg) as env:
            fresh = customers(directory, args.requests + 40)[-(args.requests + 20) :]
            results["PostgreSQL"] = run(
                register, directory, env, fresh, args.requests, args.workers
            )
    table = Table(title=f"data-subject requests, demo company, {args.subjects:,} subjects")
    table.add_column("measure")
    for name in results:
        table.add_column(name, justify="right")
    table.add_column("target", justify="right")
    for measure in (
        "access p50",
        "access p99",
        "service access p50",
        "service access p99",
        "erasure p50",
        "erasure max",
        "one by one",
        "queue",
    ):
        unit = "req/s" if measure in ("queue", "one by one") else "ms"
        target = TARGETS.get(measure)
        goal = (">= " if measure == "queue" else "< ") + f"{target:,.0f} {unit}" if target else ""
        label = f"queue, {args.workers} workers" if measure == "queue" else measure
        table.add_row(label, *(f"{r[measure]:,.1f} {unit}" for r in results.values()), goal)
    console.print(table)


if __name__ == "__main__":
    main()
