"""Fixtures for the register tests: build a patched minimal register and check it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from varna.register import Register, parse_register
from varna.register.checks import Finding, run_checks

from .registers import ON, SOURCE, Overrides, dump, patched


@pytest.fixture
def build() -> Callable[..., Register]:
    """``build(overrides)``: the minimal register, patched, parsed from YAML text."""

    def _build(overrides: Overrides | None = None) -> Register:
        return parse_register(dump(patched(overrides)), source=SOURCE)

    return _build


@pytest.fixture
def findings(build: Callable[..., Register]) -> Callable[..., list[Finding]]:
    """``findings(overrides, on=...)``: every finding for the patched register."""

    def _findings(overrides: Overrides | None = None, *, on: date = ON) -> list[Finding]:
        return run_checks(build(overrides), on=on)

    return _findings
