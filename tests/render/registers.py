"""Paths of the registers the document tests run over."""

from __future__ import annotations

from datetime import date
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
DATA = Path(__file__).resolve().parent / "data"
COMPLETE = DATA / "complete.yaml"
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.yaml"))
CHINOOK = ROOT / "examples" / "chinook.yaml"
SEED_000 = ROOT / "examples" / "seeds" / "000_70affe82a277601f.yaml"
DEMO = ROOT / "src" / "varna" / "demo" / "register.yaml"
ON = date(2026, 3, 1)

#: Every register the render tests run over: the seeds, Chinook, the golden valid registers, the
#: complete one, and the demo company's once it exists.
ALL_REGISTERS = [
    *SEEDS,
    CHINOOK,
    *sorted((TESTS / "data" / "registers" / "valid").glob("*.yaml")),
    COMPLETE,
    *([DEMO] if DEMO.exists() else []),
]


def register_id(path: Path) -> str:
    return path.stem.split("_")[0] if path.parent.name == "seeds" else path.stem
