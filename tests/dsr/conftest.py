"""Fixtures for the request tests (Chinook on each database: ``chinook_url`` in the root
conftest)."""

from __future__ import annotations

import pytest

from connectors.samples import DATABASES

from .chinook import load_chinook

__all__ = ["DATABASES"]


@pytest.fixture
def chinook_sqlite(sqlite_url: str) -> str:
    """Chinook in a fresh SQLite file."""
    load_chinook(sqlite_url)
    return sqlite_url
