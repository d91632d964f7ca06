"""The register extract and the erasure receipt as PDF, for customers of the demo company.

Times, per customer: the access request (plan, read every system, build the Art. 15 extract)
and then the PDF (compose the document, Typst to PDF); and the erasure receipt PDF. No target
is set by the issue; the policy PDF's target (under 3 s) is the yardstick.

.venv/bin/python benchmarks/extract.py [--subjects 2000] [--customers 20]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from varna.connectors.registry import connected
from varna.demo.builder import build_demo
from varna.documents import extract_pdf, receipt_pdf
from varna.dsr.access import execute_access
from varna.dsr.context import controller_info
from varna.dsr.executor import erase
from varna.dsr.identity import parse_identities
from varna.register import load_register


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--customers", type=int, default=20)
    args = parser.parse_args()
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        demo = build_demo(Path(tmp) / "demo", subjects=args.subjects)
        register = load_register(demo.register_path)
        with sqlite3.connect(demo.directory / "data" / "crm.db") as crm:
            emails = [
                r[0]
                for r in crm.execute(
                    "SELECT email FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT ?",
                    (args.customers,),
                )
            ]
        access_s, pdf_s, receipt_s, sizes = [], [], [], []
        names = {k: s.name.get("sv") for k, s in register.systems.items()}
        with connected(register, base_dir=demo.directory, environ=os.environ) as connectors:
            for email in emails:
                ids = parse_identities(
                    [f"email={email}"], kinds=register.identity_kinds(), today=now.date()
                )
                t0 = time.perf_counter()
                result = execute_access(register, ids, connectors, now=now, lang="sv")
                t1 = time.perf_counter()
                extract_pdf(result)
                t2 = time.perf_counter()
                outcome = erase(
                    register, ids, connectors, now=now, hash_key=b"k" * 32, execute=True
                )
                t3 = time.perf_counter()
                receipt_pdf(
                    outcome.plan,
                    outcome.receipts,
                    controller=controller_info(register),
                    system_names=names,
                    lang="sv",
                    at=now,
                )
                t4 = time.perf_counter()
                access_s.append(t1 - t0)
                pdf_s.append(t2 - t1)
                receipt_s.append(t4 - t3)
                sizes.append(sum(len(t.rows) for t in result.tables))
    table = Table(title=f"Extract and receipt PDFs, demo company of {args.subjects:,} people")
    for column in ("step", "median", "max"):
        table.add_column(column, justify="right" if column != "step" else "left")
    for label, values in (
        ("access request (read + extract)", access_s),
        ("extract PDF (compose + Typst)", pdf_s),
        ("erasure receipt PDF", receipt_s),
    ):
        table.add_row(
            label, f"{statistics.median(values) * 1000:.0f} ms", f"{max(values) * 1000:.0f} ms"
        )
    table.add_row("rows per extract", f"{statistics.median(sizes):.0f}", f"{max(sizes)}")
    Console().print(table)


if __name__ == "__main__":
    main()
