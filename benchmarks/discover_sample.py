"""A big table scanned by sampling: ``varna discover`` on a 10,000,000-row PostgreSQL table.

.venv/bin/python benchmarks/discover_sample.py [--rows 10000000] [--sample 1000]
    [--admin-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--keep]

Builds a fresh database with one table of ``--rows`` rows in one ``INSERT ... SELECT FROM
generate_series`` (a customer number, a free-text note with a personnummer in every 50th row,
an e-mail address, a status), runs ``ANALYZE`` so the planner knows its size, writes a register
that declares the e-mail column only, and times the service's scan (``Varna.discover``, sample
``--sample`` rows: ``TABLESAMPLE SYSTEM``) from start to report. Prints a table; the database is
dropped afterwards unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from varna.core import Varna
from varna.settings import Settings

REGISTER = """\
varna: 1
controller:
  name: Bench AB
  org_number: 559123-4561
  address: {street: Gatan 1, postal_code: "111 11", city: Stockholm}
  contact: {email: a@example.se}
  policy: {version: "1", effective_date: 2026-01-01, languages: [en]}
subjects:
  customer: {label: {sv: Kunder, en: Customers}}
activities: {}
systems:
  big:
    name: {sv: Stor, en: Big}
    kind: postgresql
    connection: {env: BENCH_URL}
    country: SE
    tables:
      events:
        primary_key: [id]
        fields:
          email: contact.email
"""

FILL = """
INSERT INTO events (id, customer_no, note, email, status)
SELECT g, 100000 + g,
       CASE WHEN g % 50 = 0 THEN 'Kunden ringde, pnr 19850312-1231, om larmet'
            ELSE 'Kunden ringde om larmet, ärende ' || g END,
       'kund' || g || '@example.se',
       CASE WHEN g % 3 = 0 THEN 'open' ELSE 'closed' END
FROM generate_series(1, :rows) AS g
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument(
        "--admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    admin = sa.create_engine(args.admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    name = f"varna_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(args.admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        engine = sa.create_engine(url, poolclass=sa.NullPool)
        started = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "CREATE TABLE events (id BIGINT PRIMARY KEY, customer_no BIGINT, "
                    "note TEXT, email TEXT, status TEXT)"
                )
            )
            conn.execute(sa.text(FILL), {"rows": args.rows})
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("ANALYZE events"))
        built = time.perf_counter() - started
        engine.dispose()
        with tempfile.TemporaryDirectory() as tmp:
            register = Path(tmp) / "varna.yaml"
            register.write_text(REGISTER, encoding="utf-8")
            os.chdir(tmp)
            varna = Varna(Settings(), register_path=register)
            started = time.perf_counter()
            cpu = time.process_time()
            report = varna.discover(environ={"BENCH_URL": url}, sample=args.sample)
            scanned = time.perf_counter() - started
            cpu = time.process_time() - cpu
        values = sum(report.survey.scanned.values())
        rules = sorted({f"{f.rule} {f.location}" for f in report.findings})
        print(f"| rows in table | {args.rows:,} |")
        print(f"| table built (generate_series + ANALYZE) | {built:.1f} s |")
        print(f"| sample asked | {args.sample:,} rows |")
        print(f"| values scanned | {values:,} |")
        print(f"| discover, wall clock | {scanned:.2f} s |")
        print(f"| discover, CPU of this process | {cpu:.2f} s |")
        print(f"| findings | {'; '.join(rules) or 'none'} |")
        print(f"| load average (1, 5, 15 min) | {', '.join(f'{x:.2f}' for x in os.getloadavg())} |")
    finally:
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
