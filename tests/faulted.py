"""Running Varna's CLI in a process of its own, with a fault point armed (``VARNA_FAULT``, see
:mod:`varna.faults`) or none: the crash tests kill a run at a point, then rerun it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

VARNA = Path(sys.executable).with_name("varna")


def environment(env: Mapping[str, str], *, fault: str | None = None) -> dict[str, str]:
    """This process's environment with ``env`` over it and only ``fault`` armed (if any)."""
    environ = {k: v for k, v in os.environ.items() if k != "VARNA_FAULT"}
    environ.update(env)
    if fault is not None:
        environ["VARNA_FAULT"] = fault
    return environ


def run_varna(
    env: Mapping[str, str], *args: str, fault: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``varna ARGS`` to its end (five minutes at most), its output captured."""
    return subprocess.run(
        [str(VARNA), *args],
        env=environment(env, fault=fault),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
