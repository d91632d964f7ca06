"""Consent: check API requests/s and p99 on loopback against a served uvicorn worker, and
ledger writes/s (grants through ``Varna.grant_consent``, each with its audit entry) on SQLite
and PostgreSQL.

.venv/bin/python benchmarks/consent.py [--people 1000] [--requests 20000] [--concurrency 16]
    [--writes 2000] [--pg URL]

The check load is real HTTP/1.1 with keep-alive over TCP loopback, from a small asyncio client
in this process, against ``uvicorn --workers 1`` in another (whose CPU time per check is
reported too: unlike the rate, it hardly depends on what else the machine runs): each request is
``POST /api/v1/consent/check`` with a bearer key and one person (of ``--people`` granted first)
picked at random. The client shares the machine's cores with the server, so the figure is a
floor. Targets: >= 2,000 checks/s per worker and p99 < 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from rich.console import Console
from rich.table import Table

from varna.core import Varna
from varna.core.consent_ops import notice_hash
from varna.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
REGISTER = ROOT / "src" / "varna" / "demo" / "register.yaml"
KEY = "benchmark-audit-key-0123456789ab"
NOTICE = notice_hash("Ja, jag vill få nyhetsbrevet per e-post.", "1")
TARGET_RPS, TARGET_P99_MS = 2_000, 20.0


def person(i: int) -> str:
    return f"email=person{i}@example.se"


def grant_all(varna: Varna, people: int) -> float:
    """Grant the newsletter to ``people`` people, one ledger write each; returns seconds."""
    now = datetime.now(UTC)
    started = time.perf_counter()
    for i in range(people):
        varna.grant_consent([person(i)], ["newsletter_email"], notice=NOTICE, now=now, actor="b")
    return time.perf_counter() - started


@contextmanager
def postgres_url(server: str) -> Iterator[str]:
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    name = f"varna_bench_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def ledger_writes(folder: Path, url: str | None, writes: int) -> float:
    settings = Settings(
        home=folder / "home", database_url=url, audit_key=KEY, register_file=folder / "varna.yaml"
    )
    varna = Varna(settings, environ={})
    try:
        return writes / grant_all(varna, writes)
    finally:
        varna.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def one_client(
    port: int, token: str, people: int, count: int, latencies: list[float], seed: int
) -> None:
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for _ in range(count):
            body = json.dumps(
                {"identities": [person(rng.randrange(people))], "purpose": "newsletter_email"}
            ).encode()
            head = (
                f"POST /api/v1/consent/check HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            started = time.perf_counter()
            writer.write(head + body)
            await writer.drain()
            status = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            answer = await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if b" 200 " not in status or b'"current":true' not in answer:
                raise SystemExit(f"unexpected answer: {status!r} {answer[:200]!r}")
    finally:
        writer.close()


async def load(port: int, token: str, people: int, requests: int, concurrency: int) -> list[float]:
    latencies: list[float] = []
    each = requests // concurrency
    await asyncio.gather(
        *(one_client(port, token, people, each, latencies, seed) for seed in range(concurrency))
    )
    return latencies


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of process ``pid`` so far (Linux): what the server spent,
    whatever else the shared machine was doing."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve(folder: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "VARNA_HOME": str(folder / "home"),
        "VARNA_REGISTER": str(folder / "varna.yaml"),
        "VARNA_AUDIT_KEY": KEY,
        "VARNA_SERVE_SURFACES": "internal",
        "VARNA_RATE_LIMIT_API": "0",  # one client making every request: no per-client limit
    }
    env.pop("VARNA_DATABASE_URL", None)
    command = [sys.executable, "-m", "uvicorn", "--factory", "varna.web.app:app_from_settings"]
    command += ["--port", str(port), "--workers", "1", "--log-level", "warning"]
    server = subprocess.Popen(command, env=env, cwd=folder)
    deadline = time.monotonic() + 120  # a loaded machine imports slowly
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"uvicorn exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("uvicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--pg", help="a PostgreSQL server URL for the ledger writes")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(REGISTER, folder / "varna.yaml")
        os.environ["VARNA_AUDIT_KEY"] = KEY
        settings = Settings(
            home=folder / "home", audit_key=KEY, register_file=folder / "varna.yaml"
        )
        varna = Varna(settings, environ={})
        grant_all(varna, args.people)
        token = varna.create_api_key(
            name="bench", scopes=["read"], created_by="bench", now=datetime.now(UTC)
        ).token
        varna.close()
        port = free_port()
        server = serve(folder, port)
        try:
            asyncio.run(load(port, token, args.people, 200, 4))  # warm up
            cpu_before = cpu_seconds(server.pid)
            started = time.perf_counter()
            latencies = asyncio.run(load(port, token, args.people, args.requests, args.concurrency))
            seconds = time.perf_counter() - started
            cpu = cpu_seconds(server.pid) - cpu_before
        finally:
            server.terminate()
            server.wait(timeout=10)
        rps = len(latencies) / seconds
        cuts = statistics.quantiles(latencies, n=100)
        p50, p99 = cuts[49] * 1000, cuts[98] * 1000
        rows.append(
            (
                "check API, 1 worker",
                f"{rps:,.0f} req/s",
                f">= {TARGET_RPS:,}",
                "ok" if rps >= TARGET_RPS else "below",
            )
        )
        rows.append(("check API p50", f"{p50:.1f} ms", "", ""))
        per_check = cpu / len(latencies) * 1000
        rows.append(("server CPU per check", f"{per_check:.2f} ms", "", ""))
        rows.append(
            (
                "check API p99",
                f"{p99:.1f} ms",
                f"< {TARGET_P99_MS:.0f} ms",
                "ok" if p99 < TARGET_P99_MS else "above",
            )
        )
        with tempfile.TemporaryDirectory() as sq:
            shutil.copy(REGISTER, Path(sq) / "varna.yaml")
            rate = ledger_writes(Path(sq), None, args.writes)
        rows.append(("ledger writes, SQLite", f"{rate:,.0f} /s", "", ""))
        if args.pg:
            with postgres_url(args.pg) as url, tempfile.TemporaryDirectory() as pq:
                shutil.copy(REGISTER, Path(pq) / "varna.yaml")
                rate = ledger_writes(Path(pq), url, args.writes)
            rows.append(("ledger writes, PostgreSQL", f"{rate:,.0f} /s", "", ""))
    table = Table(
        title=f"consent: {args.requests:,} checks, {args.concurrency} connections, "
        f"{args.people:,} people; {args.writes:,} ledger writes"
    )
    for column in ("measure", "value", "target", "verdict"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


if __name__ == "__main__":
    main()
