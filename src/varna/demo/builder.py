"""Build the demo company: one SQLite file per system in ``<dir>/data/`` and its register.

The build is deterministic (same ``subjects`` and ``seed`` give the same rows), runs the systems
in two worker processes, and writes into a temporary folder that replaces the target only when
everything is built, so a crash never leaves half a demo.

Rows per person (N = ``subjects``; each count is rounded down, with a small floor for tiny N):

=======================  =============  ======================================================
table                    rows           notes
=======================  =============  ======================================================
crm.companies            N / 200        customer organisations (no personal data)
crm.customers            N / 2          people 0 .. N/2; one in five has ended the contract
crm.contacts             N / 20         representatives of the companies
care.end_users           3N / 10        brukare, linked to a customer number (no foreign key)
care.care_notes          5 per end user 1.5 N, free-text notes from templates
billing.invoices         4 per customer 2 N, 2019 to 2026
billing.invoice_lines    6 per customer 3 N (one or two lines an invoice)
billing.payments         1 per customer 0.5 N, IBAN or autogiro mandate
support.tickets          1 per customer 0.5 N; four in five from customers, one in five not
marketing.signups        3N / 10        every third person (so customers too)
recruitment.applicants   N / 20         every twentieth person (so customers too)
web.access_log           3N / 2         three in ten carry a customer number
=======================  =============  ======================================================

About 10.2 rows per person in all. Person ``i`` is the same in every system (see
:mod:`varna.demo.people`), so one e-mail address finds rows across systems. Each table draws its
own values from a hash of (seed, system, table, row), so the systems build independently.
"""

from __future__ import annotations

import multiprocessing as mp
import shutil
import sqlite3
import tempfile
import zlib
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from itertools import islice
from pathlib import Path
from queue import Empty
from typing import Any

from rich.progress import Progress

from varna.demo.people import People, mix
from varna.demo.systems import SYSTEMS, Sizes
from varna.errors import DemoError

MARKER = ".varna-demo"
BATCH = 20_000


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What ``build_demo`` built."""

    directory: Path
    register_path: Path
    subjects: int
    rows: int
    table_rows: dict[str, int] = field(default_factory=dict)


def _batches(rows: Iterator[tuple[object, ...]]) -> Iterator[list[tuple[object, ...]]]:
    while batch := list(islice(rows, BATCH)):
        yield batch


def build_system(
    folder: str, system: str, subjects: int, seed: int, queue: Any = None
) -> dict[str, int]:
    """Build one system's SQLite file; report progress as (table, rows) on ``queue``."""
    people, sizes = People(seed), Sizes(subjects)
    db = sqlite3.connect(Path(folder) / f"{system}.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    counts: dict[str, int] = {}
    for spec in SYSTEMS[system]:
        db.execute(spec.ddl)
        insert = f"INSERT INTO {spec.name} VALUES ({', '.join('?' * len(spec.columns))})"
        salt = mix(seed, zlib.crc32(f"{system}.{spec.name}".encode()))
        done = 0
        db.execute("BEGIN")
        for batch in _batches(spec.rows(people, sizes, salt)):
            db.executemany(insert, batch)
            done += len(batch)
            if queue is not None:
                queue.put((f"{system}.{spec.name}", len(batch)))
        db.execute("COMMIT")
        for column in spec.indexes:
            db.execute(f"CREATE INDEX ix_{spec.name}_{column} ON {spec.name} ({column})")
        counts[f"{system}.{spec.name}"] = done
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    return counts


def expected_rows(subjects: int) -> dict[str, int]:
    """Rows each table gets for ``subjects`` people."""
    sizes = Sizes(subjects)
    return {f"{s}.{t.name}": t.count(sizes) for s, specs in SYSTEMS.items() for t in specs}


def build_demo(
    directory: Path, *, subjects: int, seed: int = 42, progress: bool = False
) -> DemoResult:
    """Build the demo company in ``directory`` (replacing a previous demo there)."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()) and not (directory / MARKER).exists():
        raise DemoError(
            f"'{directory}' exists and is not a Varna demo: choose an empty or new folder (--dir)"
        )
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".varna-demo-", dir=directory.parent))
    try:
        data = staging / "data"
        data.mkdir()
        counts = _run(str(data), subjects, seed, progress)
        register = resources.files("varna.demo").joinpath("register.yaml").read_text("utf-8")
        (staging / "varna.yaml").write_text(register, encoding="utf-8")
        (staging / MARKER).write_text(f"subjects={subjects} seed={seed}\n", encoding="utf-8")
        if directory.exists():
            shutil.rmtree(directory)
        staging.rename(directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return DemoResult(directory, directory / "varna.yaml", subjects, sum(counts.values()), counts)


def _run(folder: str, subjects: int, seed: int, progress: bool) -> dict[str, int]:
    counts: dict[str, int] = {}
    order = sorted(
        SYSTEMS,
        key=lambda s: -sum(n for k, n in expected_rows(subjects).items() if k.startswith(f"{s}.")),
    )
    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager, ProcessPoolExecutor(2, mp_context=ctx) as pool:
        queue = manager.Queue() if progress else None
        futures = [pool.submit(build_system, folder, s, subjects, seed, queue) for s in order]
        if progress and queue is not None:
            _show(futures, queue, subjects)
        for future in futures:
            counts.update(future.result())
    return counts


def _show(futures: list[Any], queue: Any, subjects: int) -> None:
    expected = expected_rows(subjects)
    with Progress() as bar:
        tasks = {name: bar.add_task(name, total=n) for name, n in expected.items()}
        while not all(f.done() for f in futures) or not queue.empty():
            try:
                name, n = queue.get(timeout=0.2)
            except Empty:
                continue
            bar.advance(tasks[name], n)
