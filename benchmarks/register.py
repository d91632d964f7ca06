"""Load and check a large register: 200 systems, 1,000 tables, 5,000 fields (target: < 1 s).

.venv/bin/python benchmarks/register.py [--systems 200] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table

from varna.register import load_register
from varna.register.checks import run_checks

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--systems", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = synthetic_register(args.systems)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "varna.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
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


if __name__ == "__main__":
    main()
