"""A ``Varna`` on the demo company, with its state on SQLite or PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from varna.core import Varna
from varna.settings import Settings

KEY = "test-audit-key-0123456789abcdef"


def first_customers(demo: Path, n: int = 3) -> list[str]:
    """E-mail addresses of the demo's first customers (test input only, never asserted on)."""
    with sqlite3.connect(demo / "data" / "crm.db") as crm:
        return [r[0] for r in crm.execute("SELECT email FROM customers ORDER BY id LIMIT ?", (n,))]


@pytest.fixture
def demo(demo_company: Callable[[int], Path]) -> Path:
    return demo_company(40)


@pytest.fixture
def varna(demo: Path, state_url: str, tmp_path: Path) -> Iterator[Varna]:
    settings = Settings(
        home=tmp_path / "home",
        database_url=state_url,
        audit_key=KEY,  # type: ignore[arg-type]
        register_file=demo / "varna.yaml",
    )
    service = Varna(settings, environ={})
    try:
        yield service
    finally:
        service.close()
