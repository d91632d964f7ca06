"""Chinook on each database, reusing the request tests' loader (same data, same names)."""

from __future__ import annotations

import pytest

from dsr.chinook import load_chinook

DATABASES = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.postgres),
    pytest.param("mariadb", marks=pytest.mark.mariadb),
]
_URL_FIXTURES = {"sqlite": "sqlite_url", "postgresql": "pg_url", "mariadb": "mariadb_url"}


@pytest.fixture(params=DATABASES)
def chinook_url(request: pytest.FixtureRequest) -> str:
    """A fresh database of each kind holding Chinook."""
    url = str(request.getfixturevalue(_URL_FIXTURES[request.param]))
    load_chinook(url)
    return url
