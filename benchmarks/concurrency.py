"""Many workers, one PostgreSQL state: duplicates, lost or doubled audit events, throughput.

    .venv/bin/python benchmarks/concurrency.py [--processes 8] [--operations 200] [--people 20]
        [--subjects 2000] [--dir DIR] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Builds the demo company (SQLite systems) unless ``--dir`` holds one, creates a throwaway
PostgreSQL database for Varna's state, and starts ``--processes`` OS processes, each with its
own ``Varna`` (as workers on several hosts would). Each runs ``--operations`` operations on
random people among ``--people`` customers: receive an access, restriction or erasure request
(a duplicate is merged), restrict (answers the open restriction request), access (answers the
open access request). Then it counts, in the state and the audit log:

- duplicates: open requests beyond one per kind and person, restrictions beyond one per person;
- audit events lost or doubled: each request and restriction event against what the workers
  were told happened (a new request, a merge, an answer, a restriction recorded);
- whether the audit chain verifies; throughput and per-operation latency.

Targets (issue 12): 0 duplicates, 0 lost or doubled events.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rich.console import Console
from rich.table import Table

from varna.core import Varna
from varna.demo.builder import MARKER, build_demo
from varna.dsr.requests import Actor, Kind, Role
from varna.errors import RequestError
from varna.settings import Settings
from varna.state.restrictions import Ground
from varna.state.schema import requests, restrictions

T0 = datetime(2026, 11, 20, 9, tzinfo=UTC)
KEY = "benchmark-audit-key-0123456789abcdef"
OPERATIONS = ("receive", "restrict", "access")
KINDS = (Kind.access, Kind.restriction, Kind.erasure)


def customers(directory: Path, count: int) -> list[str]:
    with sqlite3.connect(directory / "data" / "crm.db") as crm:
        emails = [r[0] for r in crm.execute("SELECT email FROM customers WHERE email IS NOT NULL")]
    return random.Random(42).sample(emails, min(count, len(emails)))


def worker(
    settings: dict[str, Any],
    people: list[str],
    operations: int,
    seed: int,
    barrier: Any,
    out: Any,
) -> None:
    """One process: ``operations`` random operations; reports counts and latencies."""
    varna = Varna(Settings(**settings), environ={})
    rng = random.Random(seed)
    actor = Actor(f"worker{seed}", Role.case_handler)
    counts: Counter[str] = Counter()
    times: list[float] = []
    try:
        varna.state  # noqa: B018 - open and check the schema before the clock starts
        barrier.wait()
        for i in range(operations):
            identity = [f"email={rng.choice(people)}"]
            now = T0 + timedelta(seconds=i)
            op = rng.choice(OPERATIONS)
            started = time.perf_counter()
            try:
                if op == "receive":
                    kind = rng.choice(KINDS)
                    got = varna.receive(identity, kind=kind, now=now, actor=actor)
                    counts[f"receive.{'created' if got.created else 'merged'}"] += 1
                elif op == "restrict":
                    done = varna.restrict(
                        identity, ground=Ground.legal_claims, now=now, actor=actor, execute=True
                    )
                    counts["restrict.done"] += 1
                    counts["answered"] += done.request is not None
                else:
                    answer = varna.access(identity, now=now, actor=actor)
                    counts["access.done"] += 1
                    counts["answered"] += answer.request is not None
            except RequestError:  # the request is being executed by another worker right now
                counts[f"{op}.refused"] += 1
            times.append(time.perf_counter() - started)
    finally:
        varna.close()
    out.put({"counts": dict(counts), "times": times})


def create_database(server: str) -> tuple[sa.Engine, str, str]:
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    name = f"varna_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    return admin, name, url


def check(varna: Varna, counts: Counter[str]) -> dict[str, int]:
    """Duplicates in the state and audit events lost or doubled against the workers' reports."""
    with varna.state.read() as conn:
        open_rows = conn.execute(
            sa.select(requests.c.subject, requests.c.kind).where(requests.c.closed_at.is_(None))
        ).all()
        total = int(conn.scalar(sa.select(sa.func.count()).select_from(requests)) or 0)
        active = conn.execute(
            sa.select(restrictions.c.subject).where(restrictions.c.lifted_at.is_(None))
        ).all()
    duplicates = sum(n - 1 for n in Counter(open_rows).values() if n > 1)
    duplicates += sum(n - 1 for n in Counter(active).values() if n > 1)
    events = Counter(e.action for e in varna.audit.iter_events())
    expected = {
        "dsr.request.received": counts["receive.created"],
        "dsr.request.answered": counts["answered"],
        "dsr.restriction.recorded": counts["restrict.done"],
        "dsr.request.handled": counts["answered"],
    }
    lost = sum(max(0, n - events[a]) for a, n in expected.items())
    doubled = sum(max(0, events[a] - n) for a, n in expected.items())
    lost += max(0, total - events["dsr.request.received"])
    return {
        "requests": total,
        "open": len(open_rows),
        "active restrictions": len(active),
        "duplicates": duplicates,
        "lost events": lost,
        "doubled events": doubled,
        "audit events": sum(events.values()),
        "chain ok": int(varna.audit.verify().ok),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--operations", type=int, default=200)
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--subjects", type=int, default=2_000)
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.dir or Path(tmp) / "demo"
        if not (directory / MARKER).exists():
            console.print(f"building the demo company ({args.subjects:,} people) ...")
            build_demo(directory, subjects=args.subjects)
        people = customers(directory, args.people)
        admin, name, url = create_database(args.pg)
        settings = {
            "home": Path(tmp) / "home",
            "database_url": url,
            "audit_key": KEY,
            "register_file": directory / "varna.yaml",
        }
        varna = Varna(Settings(**settings), environ={})
        try:
            varna.state.migrate()
            ctx = multiprocessing.get_context("spawn")
            barrier, out = ctx.Barrier(args.processes + 1), ctx.Queue()
            procs = [
                ctx.Process(
                    target=worker, args=(settings, people, args.operations, s, barrier, out)
                )
                for s in range(args.processes)
            ]
            for p in procs:
                p.start()
            barrier.wait()
            started = time.perf_counter()
            reports = [out.get(timeout=3600) for _ in procs]
            elapsed = time.perf_counter() - started
            for p in procs:
                p.join()
            counts: Counter[str] = Counter()
            times: list[float] = []
            for r in reports:
                counts.update(r["counts"])
                times += r["times"]
            result = check(varna, counts)
        finally:
            varna.close()
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    ops = args.processes * args.operations
    table = Table(
        title=f"{args.processes} processes x {args.operations} operations, "
        f"{len(people)} people, PostgreSQL state"
    )
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    for key in ("duplicates", "lost events", "doubled events"):
        table.add_row(key, str(result[key]), "0")
    table.add_row("audit chain verifies", "yes" if result["chain ok"] else "NO", "yes")
    table.add_row("throughput", f"{ops / elapsed:.0f} op/s", "")
    ordered = sorted(times)
    table.add_row("latency p50", f"{statistics.median(ordered) * 1000:.1f} ms", "")
    table.add_row("latency p99", f"{ordered[int(len(ordered) * 0.99) - 1] * 1000:.1f} ms", "")
    for key in ("requests", "open", "active restrictions", "audit events"):
        table.add_row(key, f"{result[key]:,}", "")
    table.add_row(
        "receipts merged / new", f"{counts['receive.merged']} / {counts['receive.created']}", ""
    )
    table.add_row(
        "refused (being executed)",
        str(sum(v for k, v in counts.items() if k.endswith(".refused"))),
        "",
    )
    console.print(table)


if __name__ == "__main__":
    main()
