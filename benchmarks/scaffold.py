"""``register scaffold`` of a 100-table PostgreSQL schema with foreign keys and rows
(target: < 5 s).

.venv/bin/python benchmarks/scaffold.py [--tables 100] [--rows 50] [--repeat 3] [--pg-url URL]

The schema is built in a throwaway database: one table of people in every five (e-mail, name,
phone, city, a creation time), each followed by four tables that refer to it or to the table
before (orders, lines, notes: an amount, a date, a shipping address), every table filled with
``--rows`` rows. The time is the service's whole ``scaffold_register``: describe, sample every
text column, count the low-cardinality ones, plan, write, and load the draft to prove it valid.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from rich.console import Console
from rich.table import Table

from varna.core import Varna

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def schema(tables: int, rows: int) -> list[str]:
    """The statements that create and fill ``tables`` tables."""
    out: list[str] = []
    for i in range(tables):
        name = f"t{i:03d}"
        if i % 5 == 0:
            out.append(
                f"CREATE TABLE customers_{name} (id integer PRIMARY KEY, email text NOT NULL, "
                "full_name text, phone text, city text, created_at timestamptz NOT NULL)"
            )
            out.append(
                f"INSERT INTO customers_{name} SELECT g, 'person' || g || '@example.se', "
                "'Anna Svensson', '070-' || (1000000 + g), 'Uppsala', now() "
                f"FROM generate_series(1, {rows}) g"
            )
        else:
            parent = f"customers_t{i - i % 5:03d}" if i % 5 == 1 else f"orders_t{i - 1:03d}"
            out.append(
                f"CREATE TABLE orders_{name} (id integer PRIMARY KEY, "
                f"parent_id integer NOT NULL REFERENCES {parent}(id), amount numeric(10, 2), "
                "order_date date, ship_address text, note text)"
            )
            out.append(
                f"INSERT INTO orders_{name} SELECT g, g, g * 1.5, current_date, "
                f"'Storgatan ' || g, 'n' FROM generate_series(1, {rows}) g"
            )
    return out


@contextmanager
def database(admin_url: str) -> Iterator[str]:
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    name = f"varna_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=100)
    parser.add_argument("--rows", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pg-url", default=PG, help="an admin URL of the PostgreSQL server")
    args = parser.parse_args()
    with database(args.pg_url) as url:
        engine = sa.create_engine(url, poolclass=sa.NullPool)
        with engine.begin() as conn:
            for statement in schema(args.tables, args.rows):
                conn.execute(sa.text(statement))
        engine.dispose()
        times: list[float] = []
        for _ in range(args.repeat):
            varna = Varna()
            start = time.perf_counter()
            result = varna.scaffold_register(url, system="bench")
            times.append(time.perf_counter() - start)
            varna.close()
    draft = result.draft
    references = sum(len(t.references) for t in draft.tables)
    identities = sum(len(t.identities) for t in draft.tables)
    table = Table(title=f"register scaffold of a {args.tables}-table PostgreSQL schema")
    for column in ("tables", "rows each", "declared", "references", "identities", "median s"):
        table.add_column(column, justify="right")
    table.add_column("max s", justify="right")
    table.add_column("target", justify="right")
    slowest = max(times)
    table.add_row(
        str(args.tables),
        str(args.rows),
        str(len(draft.tables)),
        str(references),
        str(identities),
        f"{statistics.median(times):.2f}",
        f"{slowest:.2f}",
        "< 5 s " + ("ok" if slowest < 5 else "MISSED"),
    )
    Console().print(table)
    if len(draft.tables) != args.tables:
        raise SystemExit(f"declared {len(draft.tables)} of {args.tables} tables")


if __name__ == "__main__":
    main()
