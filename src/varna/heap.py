"""The garbage collector of a long-running process (``varna serve``'s workers, ``varna
worker``).

Answering one request allocates tens of thousands of short-lived objects (rows, the extract's
cells); with CPython's default thresholds the young generation is collected every 700
allocations, and the oldest, which holds everything imported at start-up (FastAPI's routes,
pydantic's schemas, SQLAlchemy's tables), is scanned again and again though it never becomes
garbage. Once a process has started, its start-up objects are moved out of the collector's
sight (:func:`gc.freeze`) and the young generation is collected less often: measured on the
20-client benchmark, about a quarter of each web process's CPU per request (see
``docs/benchmarks.md``). Reference cycles are still collected; only their timing changes.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 5_000
"""Allocations (net of deallocations) between two collections of the young generation (the
default is 700)."""


def settle() -> None:
    """Call once a serving process has started: freeze what start-up made, collect the young
    generation less often. Idempotent."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
