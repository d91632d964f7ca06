"""Registers for the document tests: the seeds, Chinook, the golden registers and a complete one."""

from __future__ import annotations

import pytest

from varna.register import Register, load_register

from .registers import COMPLETE, SEED_000


@pytest.fixture(scope="session")
def complete() -> Register:
    return load_register(COMPLETE)


@pytest.fixture(scope="session")
def seed_000() -> Register:
    return load_register(SEED_000)
