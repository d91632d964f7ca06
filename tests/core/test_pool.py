"""The core lends each caller its own set of connectors: several threads answer access requests
through one Varna at once and get what one thread gets alone; the sets are reused, not
multiplied, and closed with the Varna."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from varna.core import Varna
from varna.core.base import ConnectorPool
from varna.dsr.requests import Actor, Role

from .conftest import first_customers

NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)
ANNA = Actor("anna", Role.case_handler)


@pytest.mark.parametrize("threads", [1, 4], ids=["one-thread", "four-threads"])
def test_threads_share_one_varna(varna: Varna, demo: Path, threads: int) -> None:
    people = first_customers(demo, 8)

    def rows(email: str) -> dict[tuple[str, str], int]:
        result = varna.access([f"email={email}"], now=NOW, actor=ANNA).result
        return {(t.system, t.table): len(t.rows) for t in result.tables}

    alone = [rows(p) for p in people]
    with ThreadPoolExecutor(threads) as pool:
        together = list(pool.map(rows, people * 3))
    assert together == alone * 3
    idle = varna.connector_pool._idle.qsize()
    assert 1 <= idle <= threads


def test_a_lease_is_never_shared_and_close_closes_everything() -> None:
    opened: list[dict[str, object]] = []
    closed: list[int] = []

    class Fake:
        def __init__(self, n: int) -> None:
            self.n = n

        def close(self) -> None:
            closed.append(self.n)

    def opener() -> dict[str, object]:
        opened.append({"s": Fake(len(opened))})
        return opened[-1]

    pool = ConnectorPool(opener)  # type: ignore[arg-type]
    with pool.lease() as first, pool.lease() as second:
        assert first is not second
    with pool.lease() as again:
        assert again is first  # the last returned (first, the outer block) is lent first
    assert len(opened) == 2
    with pool.lease():
        pool.close()
        assert closed == [1]  # the idle set; the lent one is still in use
    assert sorted(closed) == [0, 1]
