"""Render the documents of a large register: 200 activities, 8 subject categories, 40 recipients.

Targets (issue 5): the policy as HTML under 1 s, as PDF under 3 s.

.venv/bin/python benchmarks/render.py [--activities 200] [--repeat 5]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from rich.console import Console
from rich.table import Table

from varna.register import Register
from varna.render import PolicyFormat, RecordFormat, render_policy, render_record
from varna.render.policy import compose_policy

CATEGORIES = [
    "identity.name",
    "contact.email",
    "contact.phone",
    "contact.postal_address",
    "technical.ip_address",
    "usage.behaviour",
    "finance.invoice",
    "payment.bank_account",
]
BASES: list[Any] = [
    "contract",
    "consent",
    {"basis": "legal_obligation", "statute": "bokforingslagen"},
    {
        "basis": "legitimate_interests",
        "interest": {"sv": "att förbättra tjänsten", "en": "improving the service"},
    },
]
RETENTION: list[dict[str, Any]] = [
    {"rule": "period_after", "period": "24 months", "anchor": "relation_ended"},
    {"rule": "while_active", "anchor": "contract_ended", "then": "12 months"},
    {"rule": "bookkeeping"},
    {"rule": "until_withdrawn", "grace": "30 days"},
]
COUNTRIES = ["SE", "DE", "US", "IN", "GB"]
MECHANISM = {"US": {"mechanism": "dpf"}, "IN": {"mechanism": "scc"}}


def synthetic_register(activities: int, *, subjects: int = 8, recipients: int = 40) -> Register:
    """A register whose policy uses every kind of sentence the composer writes."""
    subject_keys = [f"group_{s}" for s in range(subjects)]
    recipient_keys = [f"recipient_{r}" for r in range(recipients)]
    data: dict[str, Any] = {
        "varna": 1,
        "controller": {
            "name": "Prestanda AB",
            "org_number": "556677-8899",
            "address": {"street": "Gatan 1", "postal_code": "111 22", "city": "Stockholm"},
            "contact": {"email": "integritet@prestanda.example", "phone": "08-123 45 67"},
            "dpo": {"email": "dpo@prestanda.example"},
            "policy": {
                "version": "1",
                "effective_date": "2026-01-01",
                "url": "https://prestanda.example/integritet",
                "notify_changes_by": ["email"],
            },
        },
        "subjects": {
            k: {"label": {"sv": f"Grupp {i}", "en": f"Group {i}"}}
            for i, k in enumerate(subject_keys)
        },
        "recipients": {
            k: {
                "name": {"sv": f"Mottagare {i}", "en": f"Recipient {i}"},
                "kind": "processor",
                "purpose": {"sv": "Drift av system.", "en": "Operating systems."},
                "country": COUNTRIES[i % len(COUNTRIES)],
                **(
                    {"transfer": MECHANISM[COUNTRIES[i % len(COUNTRIES)]]}
                    if COUNTRIES[i % len(COUNTRIES)] in MECHANISM
                    else {}
                ),
                "dpa": {"signed": "2025-01-01"},
            }
            for i, k in enumerate(recipient_keys)
        },
        "activities": {
            f"activity_{i}": {
                "name": {"sv": f"Behandling {i}", "en": f"Processing {i}"},
                "purpose": {"sv": f"Att utföra uppgift {i} åt dig.", "en": f"To do task {i}."},
                "legal_bases": [BASES[i % len(BASES)]],
                "subjects": [subject_keys[i % subjects], subject_keys[(i + 1) % subjects]],
                "categories": CATEGORIES[: 3 + i % 6],
                "sources": ["data_subject", "generated"] if i % 3 else ["public_register"],
                "recipients": [recipient_keys[i % recipients]],
                "retention": RETENTION[i % len(RETENTION)],
                **({"direct_marketing": {"channels": ["email"]}} if i % 50 == 7 else {}),
                **({"provision": {"requirement": "contract_prerequisite"}} if i % 4 == 0 else {}),
            }
            for i in range(activities)
        },
        "legal_holds": {
            "bookkeeping": {
                "name": {"sv": "Bokföring", "en": "Bookkeeping"},
                "statute": "bokforingslagen",
                "retention": {"rule": "bookkeeping"},
                "categories": ["finance.invoice"],
            },
        },
        "security": {"measures": [{"sv": "Kryptering", "en": "Encryption"}]},
        "cookies": {
            "session": {
                "provider": "Prestanda AB",
                "category": "necessary",
                "purpose": {"sv": "Inloggning.", "en": "Login."},
                "cookies": [{"name": "sid", "lifetime": "session"}],
            },
        },
    }
    return Register.model_validate(data)


def _pages(pdf: bytes) -> str:
    """Page count by poppler's pdfinfo, where installed."""
    if not shutil.which("pdfinfo"):
        return "?"
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=False).stdout
    found = re.search(rb"Pages:\s+(\d+)", info)
    return found.group(1).decode() if found else "?"


def _time(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--activities", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    register = synthetic_register(args.activities)
    day = date(2026, 1, 1)
    html = render_policy(register, fmt=PolicyFormat.html).content
    pdf = render_policy(register, fmt=PolicyFormat.pdf).content
    pages = _pages(pdf)
    steps: list[tuple[str, Callable[[], object], str]] = [
        ("compose policy (sv)", lambda: compose_policy(register, "sv"), ""),
        ("policy HTML (sv)", lambda: render_policy(register, fmt=PolicyFormat.html), "< 1 s"),
        ("policy Markdown (sv)", lambda: render_policy(register, fmt=PolicyFormat.md), ""),
        ("policy PDF (sv)", lambda: render_policy(register, fmt=PolicyFormat.pdf), "< 3 s"),
        (
            "policy PDF (en)",
            lambda: render_policy(register, lang="en", fmt=PolicyFormat.pdf),
            "< 3 s",
        ),
        ("Art. 30 record xlsx", lambda: render_record(register, on=day), ""),
        ("Art. 30 record PDF", lambda: render_record(register, on=day, fmt=RecordFormat.pdf), ""),
    ]
    table = Table(
        title=f"Rendering documents ({args.activities} activities, "
        f"{len(html) // 1024:,} KiB HTML, {pages} PDF pages)"
    )
    for col in ("step", "median s", "best s", "target"):
        table.add_column(col)
    for name, fn, target in steps:
        xs = _time(fn, args.repeat)
        table.add_row(name, f"{statistics.median(xs):.3f}", f"{min(xs):.3f}", target)
    Console().print(table)


if __name__ == "__main__":
    main()
