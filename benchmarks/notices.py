"""Notices on the demo company: the e-mails about a material policy change, and what queueing
and delivering webhook events adds to a request's moves.

    .venv/bin/python benchmarks/notices.py [--subjects 100000] [--moves 200] [--dir DIR]

Builds the demo company (SQLite) unless ``--dir`` already holds one, marks its customers
``notify_policy_changes: true``, publishes its policy, adds a recipient to the customers'
activity (a material change) and publishes again. Then ``notify_policy_change``: the plan
(every address read through the connectors, normalised and de-duplicated, screened against
objections and restrictions), the sending into a Maildir (one folder write and fsync per
message, no mail server), and a rerun that finds everyone told. Last, ``--moves`` requests
received and refused (two moves each) with no webhook and with one webhook to a local HTTP
receiver, each delivered at once in the process: milliseconds per move.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from varna.core import Varna
from varna.demo.builder import MARKER, build_demo
from varna.dsr.requests import Actor, Kind, Role
from varna.settings import Settings

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
STAFF = Actor("bench", Role.case_handler)


def edit(register: Path, old: str, new: str, *, after: str | None = None) -> None:
    text = register.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    at = text.index(old, start)
    register.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")


@contextmanager
def receiver() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


def service(directory: Path, outbox: Path) -> Varna:
    settings = Settings(
        home=directory / "home",
        register_file=directory / "varna.yaml",
        audit_key="benchmark-audit-key-0123456789abcdef",
        smtp_url=f"maildir:{outbox}",
    )
    return Varna(settings, register_path=directory / "varna.yaml")


def timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def moves(varna: Varna, emails: list[str]) -> list[float]:
    """Milliseconds per move: each request received, then refused."""
    per_move = []
    for email in emails:
        start = time.perf_counter()
        ref = varna.receive([f"email={email}"], kind=Kind.objection, now=NOW, actor=STAFF).ref
        varna.refuse(ref, reason="benchmark", actor=STAFF, now=NOW)
        per_move.append((time.perf_counter() - start) * 500)  # two moves
    return per_move


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory() as scratch:
        directory = args.dir or Path(scratch) / "demo"
        if not (directory / MARKER).exists():
            build_demo(directory, subjects=args.subjects)
        os.chdir(directory)  # the demo's systems are SQLite files relative to it
        register = directory / "varna.yaml"
        edit(
            register,
            "    label: {sv: Kunder och användare, en: Customers and users}\n",
            "    label: {sv: Kunder och användare, en: Customers and users}\n"
            "    notify_policy_changes: true\n",
        )
        outbox = Path(scratch) / "outbox"
        service(directory, outbox).publish_policy(now=NOW, actor="bench")
        edit(register, '    version: "2026.1"\n', '    version: "2026.2"\n')
        edit(
            register,
            "    recipients: [hosting, email_service]\n",
            "    recipients: [hosting, email_service, analytics]\n",
            after="  customer_administration:",
        )
        varna = service(directory, outbox)
        varna.publish_policy(now=NOW, actor="bench")
        cold_s, _ = timed(lambda: varna.notify_policy_change(now=NOW))  # opens the systems
        plan_s, plan = timed(lambda: varna.notify_policy_change(now=NOW))
        send_s, sent = timed(lambda: varna.notify_policy_change(now=NOW, execute=True))
        again_s, again = timed(lambda: varna.notify_policy_change(now=NOW, execute=True))
        with sqlite3.connect(directory / "data" / "crm.db") as crm:
            emails = [
                str(e)
                for (e,) in crm.execute(
                    "SELECT email FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT ?",
                    (args.moves * 2,),
                )
            ]
        bare = moves(varna, emails[: args.moves])
        with receiver() as url:
            varna.add_webhook(url, events=["*"], by="bench", now=NOW)
            hooked = moves(varna, emails[args.moves :])
        varna.close()

    table = Table(title=f"Notices on the demo company ({args.subjects:,} people)")
    for column in ("what", "count", "seconds", "rate / latency"):
        table.add_column(column, justify="left" if column == "what" else "right")
    table.add_row(
        "policy notice plan (warm)",
        f"{plan.people:,} people",
        f"{plan_s:.2f}",
        f"{plan.people / plan_s:,.0f} people/s",
    )
    table.add_row(
        "policy notices sent",
        f"{sent.sent:,}",
        f"{send_s:.2f}",
        f"{sent.sent / send_s:,.0f} e-mails/s",
    )
    table.add_row(
        "rerun (all told)", f"{again.told_before:,}", f"{again_s:.2f}", f"{again.sent} sent"
    )
    for name, ms in (("move, no webhook", bare), ("move, one webhook", hooked)):
        p50 = statistics.median(ms)
        p99 = statistics.quantiles(ms, n=100)[98] if len(ms) >= 2 else ms[0]
        table.add_row(
            name, f"{len(ms) * 2:,}", f"{sum(ms) / 1000:.2f}", f"p50 {p50:.1f} ms, p99 {p99:.1f} ms"
        )
    table.add_row("policy notice plan (cold)", "", f"{cold_s:.2f}", "opens the systems")
    console.print(table)


if __name__ == "__main__":
    main()
