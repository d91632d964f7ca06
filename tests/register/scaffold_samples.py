"""Public sample databases scaffolded, then given only the human decisions.

:func:`scaffold_dict` runs ``register scaffold`` through the service on a loaded database and
reads the draft; :func:`with_decisions` merges one of the committed overlays in ``scaffold/``
(the decisions a person makes on reading the draft: legal holds, a reference not to follow, a
table to leave out; each explained in the overlay) and loads the result as a register. In an
overlay a mapping merges into the draft's, any other value replaces it, and ``null`` removes the
key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from varna.core import Varna
from varna.register import Register, parse_register

OVERLAYS = Path(__file__).resolve().parent / "scaffold"


def scaffold_text(url: str, system: str) -> str:
    """The draft register ``register scaffold URL --system SYSTEM`` writes."""
    varna = Varna()
    try:
        return varna.scaffold_register(url, system=system).text
    finally:
        varna.close()


def scaffold_dict(url: str, system: str) -> dict[str, Any]:
    data = yaml.safe_load(scaffold_text(url, system))
    assert isinstance(data, dict)
    return data


def merged(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """``overlay`` merged into ``base`` (mappings merge, null removes, anything else replaces)."""
    out = dict(base)
    for key, value in overlay.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def decided_text(draft: dict[str, Any], *overlays: str) -> str:
    """The draft with the human decisions of each ``scaffold/<overlay>.yaml`` in turn, as YAML."""
    for overlay in overlays:
        decisions = yaml.safe_load((OVERLAYS / f"{overlay}.yaml").read_text(encoding="utf-8"))
        draft = merged(draft, decisions or {})
    return yaml.safe_dump(draft, allow_unicode=True, sort_keys=False)


def with_decisions(draft: dict[str, Any], *overlays: str) -> Register:
    """The draft with the human decisions of each ``scaffold/<overlay>.yaml``, as a register."""
    return parse_register(decided_text(draft, *overlays), source=f"{overlays[-1]}-decided.yaml")
