"""Start-up of the ``varna`` command: wall time and peak memory of the answers that must come at
once (help pages and ``version``), each run as a fresh process.

.venv/bin/python benchmarks/startup.py [--runs 10] [--varna .venv/bin/varna]

Targets (issue 12): under 0.2 s and under 60 MB peak RSS on the reference machine (2 cores).
The median wall time decides; the slowest run and the CPU time are shown because a loaded machine
shows in the first and not in the second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

COMMANDS = [
    ["--help"],
    ["version"],
    ["dsr", "--help"],
    ["retention", "--help"],
    ["register", "--help"],
]
TARGET_SECONDS = 0.2
TARGET_MB = 60.0


def run_once(varna: str, args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident memory (MB) of one ``varna`` process."""
    start = time.perf_counter()
    process = subprocess.Popen([varna, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"varna {' '.join(args)} exited with {process.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="processes per command")
    parser.add_argument(
        "--varna", default=str(Path(sys.executable).with_name("varna")), help="the executable"
    )
    args = parser.parse_args()
    table = Table(
        title=f"varna start-up: {args.runs} runs each, load {os.getloadavg()[0]:.1f}; "
        f"target < {TARGET_SECONDS} s and < {TARGET_MB:.0f} MB"
    )
    for column in ("command", "median s", "slowest s", "median CPU s", "peak MB", "met"):
        table.add_column(column, justify="left" if column == "command" else "right")
    for command in COMMANDS:
        runs = [run_once(args.varna, command) for _ in range(args.runs)]
        median = statistics.median(s for s, _, _ in runs)
        peak = max(mb for _, _, mb in runs)
        met = median < TARGET_SECONDS and peak < TARGET_MB
        table.add_row(
            f"varna {' '.join(command)}",
            f"{median:.3f}",
            f"{max(s for s, _, _ in runs):.3f}",
            f"{statistics.median(c for _, c, _ in runs):.3f}",
            f"{peak:.1f}",
            "✓" if met else "✗",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
