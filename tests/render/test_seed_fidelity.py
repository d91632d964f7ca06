"""Fidelity to the seeds: what each original policy states, the rendered Swedish policy states too,
and nothing it says contradicts the original.

The tables are examples/seeds/fidelity/NNN.yaml (benchmarks/fidelity.py prints the figures from the
same tables). Where the register keeps a flaw of the original (Datainspektionen, consent for
everything), the rendering states it as the register does: fixing the register is the DPO's call,
not the renderer's. A fact with ``limit`` is one the register cannot express yet (docs:
policy-documents.md, known limits).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from varna.register import load_register
from varna.render.policy import compose_policy
from varna.render.writers import to_markdown

from .registers import ROOT, SEEDS

TABLES = sorted((ROOT / "examples" / "seeds" / "fidelity").glob("*.yaml"))
TARGET = 97.0


@cache
def _table(seed: str) -> dict[str, Any]:
    path = next(p for p in TABLES if p.stem == seed)
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@cache
def _rendered(seed: str) -> str:
    path = next(p for p in SEEDS if p.name.startswith(seed))
    text = to_markdown(compose_policy(load_register(path), "sv").document)
    text = re.sub(r"\]\([^)]*\)", "]", text).replace("[", "").replace("]", "")
    return text.replace("\u00a0", " ").replace("\\", "")


FACTS = [
    pytest.param(t.stem, f["fact"], f["expect"], id=f"{t.stem}-{f['fact']}")
    for t in TABLES
    for f in _table(t.stem)["facts"]
    if "expect" in f
]
CONTRADICTIONS = [
    pytest.param(t.stem, c["claim"], c["pattern"], id=f"{t.stem}-{c['claim']}")
    for t in TABLES
    for c in _table(t.stem).get("contradictions", [])
]


@pytest.mark.parametrize(("seed", "fact", "pattern"), FACTS)
def test_rendered_policy_states_what_the_original_did(seed: str, fact: str, pattern: str) -> None:
    assert re.search(pattern, _rendered(seed), re.S), f"seed {seed}: the policy lost '{fact}'"


@pytest.mark.parametrize(("seed", "claim", "pattern"), CONTRADICTIONS)
def test_rendered_policy_never_contradicts_the_original(
    seed: str, claim: str, pattern: str
) -> None:
    found = re.search(pattern, _rendered(seed), re.S)
    assert found is None, f"seed {seed} {claim}: {found.group(0)!r}"


@pytest.mark.parametrize("table", TABLES, ids=[t.stem for t in TABLES])
def test_fidelity_meets_the_target(table: Path) -> None:
    facts = _table(table.stem)["facts"]
    stated = sum("expect" in f for f in facts)
    assert 100.0 * stated / len(facts) >= TARGET
    assert all(("expect" in f) != ("limit" in f) for f in facts)


def test_every_seed_has_a_fact_table() -> None:
    assert {Path(p).name[:3] for p in SEEDS} == {t.stem for t in TABLES}
