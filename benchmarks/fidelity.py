"""Seed fidelity: how many of the facts each seed policy states its rendered policy states too, and
how many statements contradict the seed.

The facts are in examples/seeds/fidelity/NNN.yaml: each has a pattern the Swedish policy rendered
from examples/seeds/NNN_*.yaml must match, or a `limit` (the register cannot express it yet, so it
counts as not reproduced). A contradiction is a claim the policy must never make. Target (issue
14): at least 97 % of the stated facts for each seed, and no contradiction.

.venv/bin/python benchmarks/fidelity.py [--missing]
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console
from rich.table import Table

from varna.register import load_register
from varna.render.policy import compose_policy
from varna.render.writers import to_markdown

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
FACTS = SEEDS / "fidelity"


@dataclass(frozen=True, slots=True)
class SeedFidelity:
    seed: str
    facts: int
    reproduced: int
    missing: tuple[str, ...]
    limits: tuple[str, ...]
    contradictions: tuple[str, ...]

    @property
    def percent(self) -> float:
        return 100.0 * self.reproduced / self.facts if self.facts else 100.0


def visible_text(seed_stem: str) -> str:
    """The Swedish policy of the seed register as Markdown, link targets and escapes removed."""
    register = load_register(SEEDS / f"{seed_stem}.yaml")
    text = to_markdown(compose_policy(register, "sv").document)
    text = re.sub(r"\]\([^)]*\)", "]", text).replace("[", "").replace("]", "")
    return text.replace("\u00a0", " ").replace("\\", "")


def load_table(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def measure(path: Path) -> SeedFidelity:
    table = load_table(path)
    text = visible_text(table["seed"])
    missing, limits, found = [], [], 0
    for fact in table["facts"]:
        if "limit" in fact:
            limits.append(fact["fact"])
        elif re.search(fact["expect"], text, re.S):
            found += 1
        else:
            missing.append(fact["fact"])
    contradictions = tuple(
        c["claim"] for c in table.get("contradictions", []) if re.search(c["pattern"], text, re.S)
    )
    return SeedFidelity(
        path.stem, len(table["facts"]), found, tuple(missing), tuple(limits), contradictions
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missing", action="store_true", help="List facts not reproduced.")
    args = parser.parse_args()
    results = [measure(p) for p in sorted(FACTS.glob("*.yaml"))]
    table = Table(title="Seed fidelity (Swedish policy)")
    for column in ("seed", "facts", "reproduced", "fidelity", "known limits", "contradictions"):
        table.add_column(column, justify="left" if column == "seed" else "right")
    for r in results:
        table.add_row(
            r.seed,
            str(r.facts),
            str(r.reproduced),
            f"{r.percent:.1f} %",
            str(len(r.limits)),
            str(len(r.contradictions)),
        )
    facts = sum(r.facts for r in results)
    found = sum(r.reproduced for r in results)
    table.add_row(
        "all",
        str(facts),
        str(found),
        f"{100.0 * found / facts:.1f} %",
        str(sum(len(r.limits) for r in results)),
        str(sum(len(r.contradictions) for r in results)),
    )
    console = Console(highlight=False)
    console.print(table)
    for r in results:
        for claim in r.contradictions:
            console.print(f"[red]{r.seed} contradicts the seed:[/] {claim}")
        if args.missing:
            for fact in r.missing:
                console.print(f"{r.seed} missing: {fact}")
            for fact in r.limits:
                console.print(f"{r.seed} known limit: {fact}")


if __name__ == "__main__":
    main()
