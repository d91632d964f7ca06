"""``make bench`` runs every benchmark: each script in benchmarks/ has small sizes in the runner,
and each accepts them (checked by parsing, without running the benchmark)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_runner", BENCHMARKS / "run.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RUNNER = _runner()
SCRIPTS = sorted(p.stem for p in BENCHMARKS.glob("*.py") if p.name != "run.py")


def test_every_benchmark_has_small_sizes() -> None:
    assert RUNNER.benchmarks() == SCRIPTS
    assert sorted(RUNNER.SMALL) == SCRIPTS, "add the new benchmark to SMALL in benchmarks/run.py"


@pytest.mark.parametrize("name", SCRIPTS, ids=SCRIPTS)
def test_small_sizes_are_options_the_benchmark_knows(name: str) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / f"{name}.py"), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    options = [arg for arg in RUNNER.SMALL[name] if arg.startswith("--")]
    unknown = [option for option in options if option not in done.stdout]
    assert not unknown, f"benchmarks/{name}.py has no option {unknown}"
