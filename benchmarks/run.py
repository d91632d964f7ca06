"""``make bench``: every benchmark in this folder, at small sizes, one after the other.

.venv/bin/python benchmarks/run.py [NAME ...]

Each benchmark prints its own table; this runner ends with one line per benchmark (seconds and
exit status) and exits 1 when any of them failed. The sizes here check that every benchmark still
runs, quickly; the figures in docs/benchmarks.md come from each script's own defaults. A new
benchmark needs a row in ``SMALL`` (a test fails until it has one).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
PG = os.environ.get("VARNA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

#: benchmark (file stem) -> arguments for a small run
SMALL: dict[str, list[str]] = {
    "startup": ["--runs", "3"],
    "register": ["--systems", "20", "--repeat", "1"],
    "render": ["--activities", "20", "--repeat", "1"],
    "audit": ["--events", "5000", "--singles", "200", "--repeat", "1", "--url", PG],
    "demo": ["--subjects", "2000"],
    "extract": ["--subjects", "500", "--customers", "5"],
    "dsr": ["--subjects", "2000", "--requests", "40", "--workers", "2", "--pg", PG],
    "retention": ["--rows", "20000", "--expired", "2000", "--sample", "500", "--batch", "1000"],
    "concurrency": ["--processes", "2", "--operations", "20", "--people", "4", "--pg", PG],
    "discovery": ["--records", "2000", "--free-mb", "1", "--repeat", "1", "--skip-presidio"],
    "fidelity": [],
    "fides_import": [],
    "scaffold": ["--tables", "20", "--rows", "20", "--repeat", "1", "--pg-url", PG],
    "notices": ["--subjects", "2000", "--moves", "20"],
    "request_cpu": ["--subjects", "500", "--requests", "20", "--pg", PG],
    "api": [
        "--subjects",
        "500",
        "--requests",
        "5",
        "--clients",
        "4",
        "--page-clients",
        "5",
        "--seconds",
        "2",
        "--pg",
        PG,
    ],
    "console": ["--runs", "5"],
    "consent": ["--people", "200", "--seconds", "2", "--concurrency", "8", "--writes", "200"],
    "banner": ["--runs", "2", "--pages", "3"],
    "discover_sample": ["--rows", "20000", "--sample", "500", "--admin-url", PG],
}
SMALL["consent"] += ["--pg", PG]
SMALL["retention"] += ["--pg-url", PG]


def benchmarks() -> list[str]:
    """The benchmark scripts in this folder (every ``*.py`` but this runner)."""
    return sorted(p.stem for p in HERE.glob("*.py") if p.name != Path(__file__).name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    names = parser.parse_args().names or benchmarks()
    missing = sorted(set(names) - set(SMALL))
    if missing:
        raise SystemExit(
            f"no small sizes for {', '.join(missing)}: add them to SMALL in {__file__}"
        )
    console = Console()
    results: list[tuple[str, float, int]] = []
    for name in names:
        console.rule(f"benchmarks/{name}.py {' '.join(SMALL[name])}")
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(HERE / f"{name}.py"), *SMALL[name]], check=False)
        results.append((name, time.perf_counter() - start, done.returncode))
    table = Table(title="make bench: every benchmark at small sizes")
    for column in ("benchmark", "seconds", "status"):
        table.add_column(column, justify="left" if column == "benchmark" else "right")
    for name, seconds, code in results:
        table.add_row(name, f"{seconds:.1f}", "ok" if code == 0 else f"failed ({code})")
    console.print(table)
    if any(code for _, _, code in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
