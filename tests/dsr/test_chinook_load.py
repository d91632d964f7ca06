"""The Chinook fixture holds the same rows on every database."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql import quoted_name

from .chinook import CUSTOMER_ID


def count(conn: sa.Connection, table: str, where: dict[str, int] | None = None) -> int:
    t = sa.table(quoted_name(table, True), *(sa.column(quoted_name(c, True)) for c in where or {}))
    query = sa.select(sa.func.count()).select_from(t)
    for column, value in (where or {}).items():
        query = query.where(t.c[column] == value)
    return int(conn.execute(query).scalar_one())


def test_the_same_rows_everywhere(chinook_url: str) -> None:
    engine = sa.create_engine(chinook_url, poolclass=sa.NullPool)
    with engine.connect() as conn:
        counts = [
            count(conn, t) for t in ("Customer", "Invoice", "InvoiceLine", "Employee", "Track")
        ]
        mine = count(conn, "Invoice", {"CustomerId": CUSTOMER_ID})
    engine.dispose()
    assert counts == [59, 412, 2240, 8, 3503]
    assert mine == 7
