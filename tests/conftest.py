"""Shared fixtures: paths to the shared test data, and real throwaway databases.

PostgreSQL and MariaDB tests run against the local servers. When a server does not answer the
test fails, it is never skipped (``scripts/check-services`` says how to start them). Tests of the
shared data skip without it (``shared_data.py``); under CI any skip fails the run (``ci_guard.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from connectors.samples import database, kinds, loaded
from shared_data import SHARED_DATA

pytest_plugins = ["pytester", "ci_guard"]

ROOT = Path(__file__).resolve().parent.parent
SHARED = SHARED_DATA.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def own_varna_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets its own Varna home (state, keys, checkpoints) unless it sets one: a test
    never reads or writes a ``.varna`` of the working directory."""
    monkeypatch.setenv("VARNA_HOME", str(tmp_path_factory.mktemp("varna-home")))


#: A schedule that does not come round while the suite runs (the next 29 February, at midnight).
NEVER_NOW = "0 0 29 2 *"


@pytest.fixture(autouse=True)
def schedules_off_the_wall_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker defers the daily sweep, checkpoint and job prune when their time (by the real
    clock) has just passed: a test run at 03:00-03:10 or 03:30-03:40 UTC would get an extra sweep
    or checkpoint. Tests queue those jobs themselves, with their own ticks."""
    monkeypatch.setenv("VARNA_RETENTION_SCHEDULE", NEVER_NOW)
    monkeypatch.setenv("VARNA_CHECKPOINT_SCHEDULE", NEVER_NOW)
    monkeypatch.setenv("VARNA_JOBS_PRUNE_SCHEDULE", NEVER_NOW)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    with database("postgresql") as url:
        yield url


@pytest.fixture
def mariadb_url() -> Iterator[str]:
    """A fresh, empty MariaDB database for one test, dropped afterwards."""
    with database("mariadb") as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database file for one test."""
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def state_url(request: pytest.FixtureRequest) -> str:
    """Varna's own state database: every state test runs on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(params=kinds("chinook"))
def chinook_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database of each kind holding Chinook."""
    with loaded("chinook", request.param, tmp_path) as url:
        yield url


@pytest.fixture
def demo_company(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[int], Path]:
    """Build the demo company with ``subjects`` people and point Varna at it (register, a home
    for the state and a fixed audit key); returns its folder."""
    from varna.demo.builder import build_demo

    def build(subjects: int) -> Path:
        result = build_demo(tmp_path / "demo", subjects=subjects)
        monkeypatch.setenv("VARNA_HOME", str(tmp_path / "home"))
        monkeypatch.setenv("VARNA_AUDIT_KEY", "test-audit-key-0123456789abcdef")
        monkeypatch.setenv("VARNA_REGISTER", str(result.register_path))
        return result.directory

    return build
