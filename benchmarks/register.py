"""Load and check a large register: 200 systems, 1,000 tables, 5,000 fields (target: < 1 s);
with ``--live``, ``register check`` against the live schemas too (target: < 2 s).

.venv/bin/python benchmarks/register.py [--systems 200] [--repeat 5] [--live] [--pg-url URL]

The live check needs PostgreSQL: each system gets its own schema in one throwaway database
(``search_path`` set in its URL), with the register's five tables, so every system is
described on its own connection as 200 separate databases would be.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
import yaml
from rich.console import Console
from rich.table import Table

from varna.core import Varna
from varna.register import load_register
from varna.register.checks import run_checks
from varna.settings import Settings

CATEGORIES = [
    "identity.name",
    "contact.email",
    "contact.phone",
    "contact.postal_address",
    "technical.ip_address",
]


def synthetic_register(systems: int, *, tables: int = 5) -> dict[str, object]:
    """A register of ``systems`` systems x ``tables`` tables x 5 fields, all checks applying."""
    activities = {
        f"activity_{i}": {
            "name": {"sv": f"Behandling {i}", "en": f"Processing {i}"},
            "purpose": {"sv": f"Ändamål {i}", "en": f"Purpose {i}"},
            "legal_bases": ["contract"],
            "subjects": ["customer"],
            "categories": CATEGORIES,
            "recipients": ["hosting"],
            "retention": {
                "rule": "period_after",
                "period": "24 months",
                "anchor": "relation_ended",
            },
        }
        for i in range(systems)
    }
    sys = {}
    for s in range(systems):
        sys[f"system_{s}"] = {
            "name": {"sv": f"System {s}", "en": f"System {s}"},
            "kind": "postgresql",
            "connection": {"env": f"VARNA_SYSTEM_{s}_URL"},
            "country": "SE",
            "hosted_by": "hosting",
            "tables": {
                f"table_{t}": {
                    "primary_key": ["id"],
                    "activities": [f"activity_{s}"],
                    "subjects": ["customer"],
                    "identities": {"email": "email"},
                    "anchors": {"relation_ended": "ended_at"},
                    "references": {"parent_id": f"table_{max(t - 1, 0)}.id"} if t else {},
                    "fields": {
                        c.split(".")[1]: {"category": c, "erasure": "null"} for c in CATEGORIES
                    },
                }
                for t in range(tables)
            },
        }
    return {
        "varna": 1,
        "controller": {
            "name": "Bench AB",
            "org_number": "556677-8899",
            "address": {"street": "Gatan 1", "postal_code": "111 22", "city": "Stockholm"},
            "contact": {"email": "dpo@example.se"},
            "policy": {"version": "1", "effective_date": "2026-01-01"},
        },
        "subjects": {"customer": {"label": {"sv": "Kunder", "en": "Customers"}}},
        "recipients": {
            "hosting": {
                "name": {"sv": "Driftleverantör", "en": "Hosting provider"},
                "kind": "processor",
                "country": "SE",
                "purpose": {"sv": "Drift", "en": "Hosting"},
                "dpa": {"signed": "2025-01-01"},
            }
        },
        "activities": activities,
        "security": {"measures": [{"sv": "Kryptering", "en": "Encryption"}]},
        "systems": sys,
    }


class _Plain(yaml.SafeDumper):
    """Writes every value out: a register written by hand has no anchors and aliases, which
    ``safe_dump`` would make of the values the synthetic register shares between activities
    (the loader measures aliases before building, an extra walk a plain register skips)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def dump(data: dict[str, object]) -> str:
    return yaml.dump(data, Dumper=_Plain, allow_unicode=True, sort_keys=False)


@contextmanager
def live_systems(server: str, systems: int, *, tables: int = 5) -> Iterator[dict[str, str]]:
    """A database with one schema per system holding the register's tables; yields environ."""
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    name = f"varna_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(server).set(database=name)
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.begin() as conn:
            for s in range(systems):
                conn.exec_driver_sql(f"CREATE SCHEMA sys_{s}")
                for t in range(tables):
                    parent = (
                        f", parent_id integer REFERENCES sys_{s}.table_{max(t - 1, 0)} (id)"
                        if t
                        else ""
                    )
                    conn.exec_driver_sql(
                        f"CREATE TABLE sys_{s}.table_{t} (id integer PRIMARY KEY, email text, "
                        f"ended_at timestamp, name text, phone text, postal_address text, "
                        f"ip_address text{parent})"
                    )
                    conn.exec_driver_sql(f"CREATE INDEX ON sys_{s}.table_{t} (lower(email))")
                    if t:
                        conn.exec_driver_sql(f"CREATE INDEX ON sys_{s}.table_{t} (parent_id)")
        base = url.render_as_string(hide_password=False)
        yield {
            f"VARNA_SYSTEM_{s}_URL": f"{base}?options={quote(f'-csearch_path=sys_{s}')}"
            for s in range(systems)
        }
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def live_check(
    path: Path, environ: dict[str, str], repeat: int
) -> tuple[list[float], list[float], int]:
    """``register check`` with the live schemas, as the CLI runs it: seconds per run, and the
    seconds of the live part alone (the systems asked with the register already loaded)."""
    times, lives, findings = [], [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        varna = Varna(Settings(), register_path=path)
        found = varna.check_register(on=date(2026, 11, 22), environ=environ)
        times.append(time.perf_counter() - t0)
        t1 = time.perf_counter()
        varna.check_indexes(environ)
        lives.append(time.perf_counter() - t1)
        live = [f for f in found if f.rule.startswith(("live-", "undeclared-", "unindexed"))]
        if any(f.severity.value == "error" for f in live):
            raise SystemExit(f"the live check found errors: {live[:3]}")
        findings = len(found)
    return times, lives, findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--systems", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--live", action="store_true", help="also check the live schemas")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    data = synthetic_register(args.systems)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "varna.yaml"
        path.write_text(dump(data))
        loads, checks, findings, fields = [], [], 0, 0
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            reg = load_register(path)
            t1 = time.perf_counter()
            found = run_checks(reg, on=date(2026, 11, 22))
            t2 = time.perf_counter()
            loads.append(t1 - t0)
            checks.append(t2 - t1)
            findings, fields = len(found), sum(1 for _ in reg.fields())
    table = Table(title=f"Register load and check ({args.systems} systems, {fields:,} fields)")
    for col in ("step", "median s", "best s", "target"):
        table.add_column(col)
    total = [a + b for a, b in zip(loads, checks, strict=True)]
    for name, xs, target in (
        ("load", loads, ""),
        ("check", checks, ""),
        ("load + check", total, "< 1 s"),
    ):
        table.add_row(name, f"{statistics.median(xs):.3f}", f"{min(xs):.3f}", target)
    Console().print(table)
    Console().print(f"findings: {findings}")
    if args.live:
        with tempfile.TemporaryDirectory() as tmp, live_systems(args.pg_url, args.systems) as env:
            path = Path(tmp) / "varna.yaml"
            path.write_text(dump(data))
            times, lives, found = live_check(path, env, args.repeat)
        live = Table(title=f"register check with the live schemas ({args.systems} systems)")
        for col in ("step", "median s", "best s", "target"):
            live.add_column(col)
        live.add_row(
            f"live schemas only ({Settings().check_workers} at once)",
            f"{statistics.median(lives):.3f}",
            f"{min(lives):.3f}",
            "",
        )
        live.add_row(
            "load + check + live schemas",
            f"{statistics.median(times):.3f}",
            f"{min(times):.3f}",
            "< 2 s: met" if statistics.median(times) < 2 else "< 2 s: NOT met",
        )
        Console().print(live)
        Console().print(f"findings: {found}")


if __name__ == "__main__":
    main()
