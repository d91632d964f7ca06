"""docs/policy-seed-000.md holds the current rendering of seed 000 (docs cannot drift)."""

from __future__ import annotations

from varna.register import Register
from varna.render.policy import compose_policy
from varna.render.writers import to_markdown

from .registers import ROOT

PAGE = ROOT / "docs" / "policy-seed-000.md"
BEGIN, END = "<!-- rendered: begin -->\n", "<!-- rendered: end -->\n"


def test_seed_000_page_is_current(seed_000: Register) -> None:
    page = PAGE.read_text(encoding="utf-8")
    committed = page[page.index(BEGIN) + len(BEGIN) : page.index(END)]
    assert committed == to_markdown(compose_policy(seed_000, "sv").document), (
        "docs/policy-seed-000.md is stale: paste the output of "
        "varna policy render -r examples/seeds/000_70affe82a277601f.yaml --format md"
    )
