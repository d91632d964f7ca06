"""Console sign-in: argon2id as OWASP recommends (19 MiB, 2 passes, 1 lane), timed; and with
``--pages``, the console's pages on a demo company with a history of requests.

.venv/bin/python benchmarks/console.py [--runs 50]
.venv/bin/python benchmarks/console.py --pages [--people 1000000] [--requests 10000]
    [--breaches 50] [--runs 50] [--dir FOLDER]

Builds a Varna on a fresh SQLite state in a temporary folder with the demo register, adds one
user, then times: hashing a password (``user add``), the password step of a sign-in, a whole
sign-in (password and TOTP code, two sessions written), and checking a session on each page
view. Prints p50 / p99 / max in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
from rich.console import Console
from rich.table import Table

from varna.core import Varna
from varna.core.user_ops import (
    ARGON2_MEMORY_KIB,
    ARGON2_PARALLELISM,
    ARGON2_TIME_COST,
    ConsoleRole,
    password_hasher,
)
from varna.settings import Settings

REGISTER = Path(__file__).resolve().parents[1] / "src" / "varna" / "demo" / "register.yaml"
PASSWORD = "a passphrase of several words"
START = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def timed(runs: int, step: Callable[[int], object]) -> list[float]:
    """Milliseconds of ``step(i)`` for i in range(runs)."""
    out = []
    for i in range(runs):
        began = time.perf_counter()
        step(i)
        out.append((time.perf_counter() - began) * 1000)
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def pages(runs: int, people: int, requests: int, breaches: int, where: Path | None) -> None:
    """Build the demo with ``people``, receive ``requests`` requests over the past year (all but
    200 of them answered or refused), sign a DPO in, and time each console page through the
    application (no network): p50 / p99 / max."""
    from fastapi.testclient import TestClient

    from varna.core.user_ops import ConsoleUser
    from varna.demo.builder import build_demo
    from varna.dsr.requests import Kind
    from varna.web.app import create_app
    from varna.web.console_auth import COOKIE

    kinds = list(Kind)
    with tempfile.TemporaryDirectory() as scratch:
        folder = where or Path(scratch)
        began = time.perf_counter()
        register_path = _demo(folder / "demo", people, build_demo)
        built = time.perf_counter() - began
        home = Path(scratch) / "home"  # a fresh state every run, the demo reused
        settings = Settings(home=home, audit_key="bench-audit-key-0123456789abcdef")
        varna = Varna(settings, register_path=register_path)
        now = datetime.now(UTC).replace(microsecond=0)
        varna.clock = lambda: now
        made = varna.add_user(
            name="bench", role=ConsoleRole.dpo, password=PASSWORD, actor="bench", now=now
        )
        assert made.otpauth is not None
        totp = pyotp.TOTP(pyotp.parse_uri(made.otpauth).secret)
        actor = ConsoleUser("bench.handler", ConsoleRole.case_handler).actor
        began = time.perf_counter()
        refs = []
        for i in range(requests):
            at = now - timedelta(minutes=round(i * 525_600 / requests))
            status = varna.receive(
                [f"email=person{i}@bench.invalid"], kind=kinds[i % len(kinds)], now=at
            )
            refs.append(status.ref)
            if i >= 200:
                varna.refuse(status.ref, reason="benchmark history", actor=actor, now=at)
        breach_refs = []
        for i in range(breaches):
            aware = now - timedelta(days=round(i * 365 / max(breaches, 1)))
            made_breach = varna.record_breach(
                {"title": f"benchmark breach {i}"}, aware_at=aware, actor="bench", now=aware
            )
            breach_refs.append(made_breach.ref)
        history = time.perf_counter() - began
        first = varna.sign_in("bench", PASSWORD, now=now)
        session = varna.confirm_sign_in(first.session_id, totp.at(now), now=now).session_id
        paths = [
            "/console",
            "/console/requests",
            "/console/requests?closed=true",
            f"/console/requests/{refs[0]}",
            "/console/audit",
            "/console/staff",
            "/console/policy",
            "/console/register",
            "/console/breaches",
        ]
        if breach_refs:
            paths.append(f"/console/breaches/{breach_refs[0]}")
        rows = []
        with TestClient(create_app(varna)) as client:
            client.cookies.set(COOKIE, session)
            for path in paths:
                assert client.get(path).status_code == 200, path

                def view(i: int, path: str = path) -> None:
                    client.get(path)

                cpu = time.process_time()
                wall = timed(runs, view)
                rows.append((path, wall, (time.process_time() - cpu) * 1000 / runs))
        varna.close()
    table = Table(
        title=f"Console pages: {people:,} people (demo built in {built:.0f} s), {requests:,} "
        f"requests ({requests - min(requests, 200):,} closed), {breaches} breaches (made in "
        f"{history:.0f} s); "
        f"{runs} views each, SQLite state"
    )
    for column in ("page", "p50 ms", "p99 ms", "max ms", "CPU ms/view"):
        table.add_column(column, justify="left" if column == "page" else "right")
    for name, values, cpu_ms in rows:
        table.add_row(
            name,
            f"{statistics.median(values):.1f}",
            f"{percentile(values, 0.99):.1f}",
            f"{max(values):.1f}",
            f"{cpu_ms:.1f}",
        )
    Console().print(table)


def _demo(target: Path, people: int, build: Callable[..., Any]) -> Path:
    """The demo in ``target``: reused when it already holds one of ``people`` people (building
    a million takes a while), else built there."""
    marker = target / ".varna-demo"
    if marker.is_file() and json.loads(marker.read_text())["subjects"] == people:
        return target / "varna.yaml"
    return Path(build(target, subjects=people).register_path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="timed runs of each figure")
    parser.add_argument("--pages", action="store_true", help="time the console's pages")
    parser.add_argument("--people", type=int, default=1_000_000, help="people in the demo")
    parser.add_argument("--requests", type=int, default=10_000, help="requests in the history")
    parser.add_argument("--breaches", type=int, default=50, help="breaches in the history")
    parser.add_argument(
        "--dir", type=Path, default=None, help="build the demo here once and reuse it"
    )
    args = parser.parse_args()
    runs = args.runs
    if args.pages:
        pages(runs, args.people, args.requests, args.breaches, args.dir)
        return
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(home=Path(folder), audit_key="bench-audit-key-0123456789abcdef")  # type: ignore[arg-type]
        varna = Varna(settings, register_path=REGISTER)
        made = varna.add_user(
            name="bench", role=ConsoleRole.dpo, password=PASSWORD, actor="bench", now=START
        )
        assert made.otpauth is not None
        totp = pyotp.TOTP(pyotp.parse_uri(made.otpauth).secret)
        hasher = password_hasher()

        def at(i: int) -> datetime:
            return START + timedelta(seconds=31 * (i + 1))  # a new TOTP step each run

        sessions: list[str] = []

        def password_step(i: int) -> None:
            varna.sign_in("bench", PASSWORD, now=at(i))

        def whole(i: int) -> None:
            now = at(runs + i)
            first = varna.sign_in("bench", PASSWORD, now=now)
            sessions.append(
                varna.confirm_sign_in(first.session_id, totp.at(now), now=now).session_id
            )

        def check(i: int) -> None:
            assert varna.console_session(sessions[-1], now=at(2 * runs)) is not None

        rows = [
            ("argon2id hash (user add)", timed(runs, lambda i: hasher.hash(PASSWORD))),
            ("sign-in, password step", timed(runs, password_step)),
            ("sign-in, password + TOTP code", timed(runs, whole)),
            ("session check per page view", timed(runs, check)),
        ]
        varna.close()
    table = Table(
        title=f"Console sign-in: argon2id m={ARGON2_MEMORY_KIB} KiB, t={ARGON2_TIME_COST}, "
        f"p={ARGON2_PARALLELISM}; {runs} runs each, SQLite state"
    )
    for column in ("figure", "p50 ms", "p99 ms", "max ms"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    for name, values in rows:
        table.add_row(
            name,
            f"{statistics.median(values):.1f}",
            f"{percentile(values, 0.99):.1f}",
            f"{max(values):.1f}",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
