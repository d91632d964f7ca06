"""Writing one system's SQLite file: bulk load in one transaction, then indexes, then WAL.

Runs in a worker process; progress goes back as small tuples on a queue (anything with ``put``):
``("rows", "crm.customers", 20000)``, ``("indexing", "crm", 0)``, ``("done", "crm", 0)``.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

from varna.demo.people import derive_seed
from varna.demo.systems import SYSTEMS
from varna.demo.world import World

_BUILD_PRAGMAS = (
    "PRAGMA journal_mode=OFF",
    "PRAGMA synchronous=OFF",
    "PRAGMA locking_mode=EXCLUSIVE",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA cache_size=-262144",
)


def build_system(
    folder: str, system: str, subjects: int, seed: int, queue: Any = None
) -> dict[str, int]:
    """Build ``<folder>/<system>.db`` for ``subjects`` people; return rows per ``system.table``.

    The rows come from the system's generator with its own ``random.Random``, seeded from
    ``(seed, system)``, so the file does not depend on which process builds it or when.
    """
    spec = SYSTEMS[system]
    world = World(seed, subjects)
    rng = random.Random(derive_seed(seed, system))
    inserts = {t.name: t.insert_sql() for t in spec.tables}
    counts = {f"{system}.{t.name}": 0 for t in spec.tables}
    db = sqlite3.connect(Path(folder) / f"{system}.db", isolation_level=None)
    try:
        for pragma in _BUILD_PRAGMAS:
            db.execute(pragma)
        for table in spec.tables:
            db.execute(table.ddl())
        db.execute("BEGIN")
        for name, rows in spec.generate(world, rng):
            db.executemany(inserts[name], rows)
            counts[f"{system}.{name}"] += len(rows)
            if queue is not None:
                queue.put(("rows", f"{system}.{name}", len(rows)))
        db.execute("COMMIT")
        if queue is not None:
            queue.put(("indexing", system, 0))
        for table in spec.tables:
            for statement in table.index_sql():
                db.execute(statement)
        db.execute("PRAGMA locking_mode=NORMAL")
        db.execute("PRAGMA journal_mode=WAL")
    finally:
        db.close()
    if queue is not None:
        queue.put(("done", system, 0))
    return counts
