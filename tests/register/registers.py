"""Registers for the tests: the minimal valid register as a dict, patched per test row.

A row states its change as ``{dotted.path: value}``; the value ``...`` removes the key. Keys that
themselves contain dots (data categories) are given as a tuple path instead.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent.parent / "data" / "registers"
MINIMAL = DATA / "valid" / "minimal.yaml"
BASE: dict[str, Any] = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
ON = date(2026, 11, 22)
SOURCE = "register.yaml"

Overrides = Mapping[str | tuple[str, ...], Any]


def patched(overrides: Overrides | None = None) -> dict[str, Any]:
    """A deep copy of the minimal register with ``overrides`` applied."""
    data = copy.deepcopy(BASE)
    for dotted, value in (overrides or {}).items():
        path = dotted if isinstance(dotted, tuple) else tuple(dotted.split("."))
        node = data
        for part in path[:-1]:
            node = node.setdefault(part, {})
        if value is ...:
            node.pop(path[-1], None)
        else:
            node[path[-1]] = copy.deepcopy(value)
    return data


def dump(data: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False)
