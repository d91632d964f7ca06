"""Consent: check API requests/s and p99 on loopback against a served uvicorn worker, and
ledger writes/s (grants through ``Varna.grant_consent``, each with its audit entry) on SQLite
and PostgreSQL.

.venv/bin/python benchmarks/consent.py [--people 1000] [--seconds 10] [--concurrency 16]
    [--writes 2000] [--pg URL]

The check load is real HTTP/1.1 with keep-alive over TCP loopback from wrk (a load tool in C,
installed by ``make install``; one thread) against ``uvicorn --workers 1`` in another process
(whose CPU time per check is reported too: unlike the rate, it hardly depends on what else the
machine runs): each request is ``POST /api/v1/consent/check`` with a bearer key and one person
(of ``--people`` granted first) picked at random, for ``--seconds`` after two seconds of warm-up.
Targets: >= 2,000 checks/s per worker and p99 < 20 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


WRK_SCRIPT = """
math.randomseed(42)
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer %(token)s"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local body = '{"identities":["email=person' .. math.random(0, %(people)d - 1)
    .. '@example.se"],"purpose":"newsletter_email"}'
  return wrk.format(nil, "/api/v1/consent/check", nil, body)
end
"""


def check_once(port: int, token: str) -> None:
    """One check by hand: the answer the load will get (200, a current consent)."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = json.dumps({"identities": [person(0)], "purpose": "newsletter_email"})
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn.request("POST", "/api/v1/consent/check", body, headers)
    answer = conn.getresponse()
    text = answer.read()
    conn.close()
    if answer.status != 200 or b'"current":true' not in text:
        raise SystemExit(f"unexpected answer: {answer.status} {text[:200]!r}")


@dataclass(frozen=True)
class Load:
    """What wrk measured."""

    requests: int
    seconds: float
    p50: float
    p99: float


def load(port: int, token: str, people: int, seconds: float, concurrency: int, work: Path) -> Load:
    """``concurrency`` connections checking random people for ``seconds`` (wrk, a load tool in
    C with one thread: it takes one core and leaves the other to the server)."""
    script = work / "check.lua"
    script.write_text(WRK_SCRIPT % {"token": token, "people": people}, encoding="utf-8")
    command = ["wrk", "-t", "1", "-c", str(concurrency), "-d", f"{seconds:g}s", "--latency"]
    out = subprocess.run(
        [*command, "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        raise SystemExit("a check did not answer 200:\n" + out)
    return Load(
        requests=int(_find(out, r"(\d+) requests in")),
        seconds=seconds,
        p50=_ms(_find(out, r"\s50%\s+([\d.]+\w+)")),
        p99=_ms(_find(out, r"\s99%\s+([\d.]+\w+)")),
    )


def _find(out: str, pattern: str) -> str:
    match = re.search(pattern, out)
    if match is None:
        raise SystemExit(f"wrk printed no {pattern!r}:\n{out}")
    return match.group(1)


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", value)
    if match is None:
        raise SystemExit(f"wrk printed a latency of {value!r}")
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]


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
    command += ["--loop", "asyncio"]  # as varna serve runs it
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
    parser.add_argument("--seconds", type=float, default=10.0, help="of checking load")
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
            check_once(port, token)
            load(port, token, args.people, 2, args.concurrency, folder)  # warm up
            cpu_before = cpu_seconds(server.pid)
            measured = load(port, token, args.people, args.seconds, args.concurrency, folder)
            cpu = cpu_seconds(server.pid) - cpu_before
        finally:
            server.terminate()
            server.wait(timeout=10)
        rps = measured.requests / measured.seconds
        p50, p99 = measured.p50, measured.p99
        rows.append(
            (
                "check API, 1 worker",
                f"{rps:,.0f} req/s",
                f">= {TARGET_RPS:,}",
                "ok" if rps >= TARGET_RPS else "below",
            )
        )
        rows.append(("check API p50", f"{p50:.1f} ms", "", ""))
        per_check = cpu / measured.requests * 1000
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
        title=f"consent: {args.seconds:g} s of checks, {args.concurrency} connections, "
        f"{args.people:,} people; {args.writes:,} ledger writes"
    )
    for column in ("measure", "value", "target", "verdict"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


if __name__ == "__main__":
    main()
