"""Build the demo company: one SQLite file per system in ``<dir>/data/`` and its register.

The build is deterministic: the same ``subjects`` and ``seed`` give the same rows, whichever
process builds which system. The seven systems are built by two worker processes (the largest
first) and written into a temporary folder beside the target, which replaces the target only when
everything is built: a crash never leaves half a demo, and a previous demo is replaced whole. A
folder that holds anything but a previous demo is never touched.

Rows per person (N = ``subjects``; ≈ where the count is drawn, so it varies a little with the
seed; small floors keep tiny demos whole):

=============================  ==========  ===================================================
table                          rows        notes
=============================  ==========  ===================================================
crm.companies                  N / 200     municipalities and care companies (legal persons)
crm.customers                  N / 2       6 in 10 private customers, the rest organisation users
crm.contacts                   N / 20      the organisations' representatives
care.end_users                 3N / 10     brukare, linked to an organisation user's number
care.care_notes                ≈ 1.5 N     1 to 9 health notes per care recipient
billing.invoices               ≈ 2 N       private customers, quarterly to yearly, 2018 to 2026
billing.invoice_lines          ≈ 3 N       one or two lines per invoice
billing.payments               ≈ 0.5 N     autogiro and bank transfers (a quarter of invoices)
support.tickets                N / 2       7 in 10 from customers, 1 from representatives, 2 not
marketing.newsletter_signups   ≈ 0.3 N     a quarter of customers, most others
recruitment.applicants         N / 20      1 in 5 is also a customer
web.access_log                 3N / 2      last 180 days; 3 in 10 requests logged in
=============================  ==========  ===================================================

Beside the databases, ``<dir>/mail/support`` is the support inbox, a Maildir of 24 customer
e-mails (:mod:`varna.demo.mailbox`), 16 of them older than the month the register keeps them.

About 10.2 rows per person in all: 1,000,000 people give about 10.2 million rows. Who is who is
described in :mod:`varna.demo.world`, how a person is derived in :mod:`varna.demo.people`.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import queue as queue_module
import shutil
import tempfile
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from varna.demo.mailbox import build_mailbox
from varna.demo.people import MAX_PEOPLE
from varna.demo.shared import build_shared_folder
from varna.demo.systems import SYSTEMS
from varna.demo.world import Sizes
from varna.demo.writer import build_system
from varna.errors import DemoError

MARKER = ".varna-demo"
"""File that marks a folder as built by ``varna demo`` (it may be replaced by the next build)."""
WORKERS = 2


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What :func:`build_demo` built."""

    directory: Path
    register_path: Path
    subjects: int
    seed: int
    rows: int
    table_rows: dict[str, int] = field(default_factory=dict)
    """Rows per ``system.table``."""
    seconds: float = 0.0


def expected_rows(subjects: int) -> dict[str, int]:
    """Rows each ``system.table`` is expected to get for ``subjects`` people (see the table in
    this module's docstring; exact where the count is not drawn)."""
    sizes = Sizes(subjects)
    return {
        f"{name}.{table}": count
        for name, spec in SYSTEMS.items()
        for table, count in spec.planned(sizes).items()
    }


def build_demo(
    directory: Path | str,
    *,
    subjects: int = 2_000,
    seed: int = 42,
    progress: bool = False,
    workers: int = WORKERS,
) -> DemoResult:
    """Build the demo company in ``directory``, replacing a previous demo there.

    Raises :class:`DemoError` when ``directory`` holds anything but a previous demo, or when
    ``subjects`` is out of range (10 to 10,000,000). ``workers=1`` builds in this process.
    """
    if not 10 <= subjects <= MAX_PEOPLE:
        raise DemoError(f"the demo has 10 to {MAX_PEOPLE:,} people, not {subjects:,}")
    started = time.perf_counter()
    target = Path(os.path.abspath(directory))  # "." has no name; its parent does
    _check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the demo is not
        (staging / "data").mkdir()
        counts = _build_systems(staging / "data", subjects, seed, progress, workers)
        build_shared_folder(staging / "data" / "shared", subjects=subjects, seed=seed)
        build_mailbox(staging / "mail" / "support", seed=seed)
        register = resources.files("varna.demo").joinpath("register.yaml").read_text("utf-8")
        (staging / "varna.yaml").write_text(register, encoding="utf-8")
        manifest = {"subjects": subjects, "seed": seed, "tables": counts}
        (staging / MARKER).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _replace(target, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return DemoResult(
        directory=target,
        register_path=target / "varna.yaml",
        subjects=subjects,
        seed=seed,
        rows=sum(counts.values()),
        table_rows=counts,
        seconds=time.perf_counter() - started,
    )


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _check_target(target: Path) -> None:
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise DemoError(f"'{target}' is not a folder: choose a new or empty folder (--dir)")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise DemoError(
            f"'{target}' exists and is not a Varna demo (it holds files and no {MARKER} "
            "marker), so it is left alone: choose a new or empty folder (--dir)"
        )


def _replace(target: Path, staging: Path) -> None:
    """Move ``staging`` to ``target``; a previous demo there goes aside first, then away."""
    _check_target(target)  # again: the folder may have changed during the build
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        target.rename(old / target.name)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _order(subjects: int) -> list[str]:
    """Systems by expected rows, largest first, so two workers finish close together."""
    expected = expected_rows(subjects)
    return sorted(
        SYSTEMS, key=lambda s: -sum(n for k, n in expected.items() if k.split(".")[0] == s)
    )


def _build_systems(
    folder: Path, subjects: int, seed: int, progress: bool, workers: int
) -> dict[str, int]:
    with _Display(subjects, enabled=progress) as display:
        if workers <= 1:
            return _merge(
                build_system(str(folder), s, subjects, seed, display) for s in _order(subjects)
            )
        ctx = mp.get_context("spawn")
        with ctx.Manager() as manager, ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            q = manager.Queue() if progress else None
            futures = [
                pool.submit(build_system, str(folder), s, subjects, seed, q)
                for s in _order(subjects)
            ]
            display.follow(futures, q)
            return _merge(f.result() for f in futures)


def _merge(parts: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for part in parts:
        counts.update(part)
    return {k: counts[k] for k in sorted(counts, key=_table_order)}


def _table_order(name: str) -> tuple[int, int]:
    system, table = name.split(".")
    names = [t.name for t in SYSTEMS[system].tables]
    return list(SYSTEMS).index(system), names.index(table)


class _Display:
    """A rich progress bar with one task per table, fed by ``put`` (in-process) or by the
    workers' queue (:meth:`follow`). Does nothing when disabled."""

    def __init__(self, subjects: int, *, enabled: bool) -> None:
        self.enabled = enabled
        self._expected = expected_rows(subjects)
        self._bar: Progress | None = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> _Display:
        if self.enabled:
            self._bar = Progress(
                TextColumn("{task.description:<38}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
            )
            self._bar.start()
            for name, total in self._expected.items():
                self._tasks[name] = self._bar.add_task(name, total=max(total, 1))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def put(self, message: tuple[str, str, int]) -> None:
        if self._bar is None:
            return
        kind, name, rows = message
        tables = [t for t in self._tasks if t.split(".")[0] == name]
        if kind == "rows":
            self._bar.advance(self._tasks[name], rows)
        elif kind == "indexing":
            for t in tables:
                self._bar.update(self._tasks[t], description=f"{t} (indexing)")
        elif kind == "done":
            for t in tables:
                done = self._bar.tasks[self._tasks[t]].completed
                self._bar.update(self._tasks[t], description=t, total=max(done, 1), completed=done)

    def follow(self, futures: list[Future[dict[str, int]]], q: Any) -> None:
        """Show the workers' progress until every future is done."""
        if q is None:
            return
        while not all(f.done() for f in futures) or not q.empty():
            try:
                self.put(q.get(timeout=0.1))
            except queue_module.Empty:
                continue
