"""Demo generation: build the demo company with N people (target: 1,000,000 in under 300 s).

    .venv/bin/python benchmarks/demo.py [--subjects 1000000] [--dir DIR] [--seed 42] [--workers 2]

Builds into a temporary folder (removed afterwards) unless ``--dir`` is given, then prints the
rows per table and a summary: rows, seconds, rows per second and the target, scaled to N.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from varna.demo.builder import WORKERS, build_demo

TARGET_SECONDS = 300  # for 1,000,000 people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workers", type=int, default=WORKERS)
    args = parser.parse_args()
    parent = Path(tempfile.mkdtemp(prefix="varna-bench-"))
    target = args.dir or parent / "demo"
    try:
        start = time.perf_counter()
        result = build_demo(
            target, subjects=args.subjects, seed=args.seed, workers=args.workers, progress=False
        )
        seconds = time.perf_counter() - start
        size = sum(f.stat().st_size for f in (target / "data").glob("*.db"))
    finally:
        shutil.rmtree(parent, ignore_errors=True)
    console = Console()
    tables = Table(title=f"Demo tables ({args.subjects:,} people)")
    tables.add_column("table")
    tables.add_column("rows", justify="right")
    tables.add_column("per person", justify="right")
    for name, rows in result.table_rows.items():
        tables.add_row(name, f"{rows:,}", f"{rows / args.subjects:.3f}")
    console.print(tables)
    target_s = TARGET_SECONDS * args.subjects / 1_000_000
    summary = Table(title=f"Demo generation ({args.workers} worker processes)")
    for column in ("people", "rows", "seconds", "rows/s", "MB on disk", "target", "verdict"):
        summary.add_column(column, justify="right")
    summary.add_row(
        f"{args.subjects:,}",
        f"{result.rows:,}",
        f"{seconds:.1f}",
        f"{result.rows / seconds:,.0f}",
        f"{size / 1e6:,.0f}",
        f"< {target_s:.0f} s",
        "[green]meets" if seconds < target_s else "[red]misses",
    )
    console.print(summary)


if __name__ == "__main__":
    main()
