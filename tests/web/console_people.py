"""The console's staff for tests: one user per role, a clock the test moves, and signing in
through the pages with a TOTP code computed in the test."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.core.execution_ops import Contact
from varna.core.user_ops import ConsoleRole
from varna.dsr.requests import Kind

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
PASSWORD = "a long enough passphrase"

#: One user per role; two case handlers, so four eyes can be tried.
STAFF: dict[str, ConsoleRole] = {
    "admin.ada": ConsoleRole.admin,
    "dpo.dag": ConsoleRole.dpo,
    "handler.anna": ConsoleRole.case_handler,
    "handler.bo": ConsoleRole.case_handler,
    "auditor.aud": ConsoleRole.auditor,
    "engineer.eve": ConsoleRole.engineer,
    "dpo.siv": ConsoleRole.dpo,
    "handler.sam": ConsoleRole.case_handler,
}

#: Users granted ``special_categories`` (Art. 9 data unmasked, after a reason).
SPECIAL = frozenset({"dpo.siv", "handler.sam"})


@dataclass
class Clock:
    """The console's time, moved by the test."""

    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Staff:
    """The users made, with their TOTP secrets, and the clock the service reads."""

    clock: Clock
    secrets: dict[str, str] = field(default_factory=dict)

    def code(self, name: str) -> str:
        return pyotp.TOTP(self.secrets[name]).at(self.clock.now)


def make_staff(varna: Varna) -> Staff:
    clock = Clock()
    varna.clock = clock  # type: ignore[method-assign]
    staff = Staff(clock)
    for name, role in STAFF.items():
        made = varna.add_user(
            name=name,
            role=role,
            password=PASSWORD,
            actor="test",
            now=NOW,
            special_categories=name in SPECIAL,
        )
        assert made.otpauth is not None
        staff.secrets[name] = pyotp.parse_uri(made.otpauth).secret
    return staff


def form_token(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


def sign_in(client: TestClient, staff: Staff, name: str) -> None:
    """Sign ``name`` in through the pages (password, then the code of this 30-s step)."""
    token = form_token(client.get("/console/sign-in").text)
    first = client.post(
        "/console/sign-in",
        data={"name": name, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert first.status_code == 303, first.text[:500]
    assert first.headers["location"] == "/console/code"
    token = form_token(client.get("/console/code").text)
    second = client.post(
        "/console/code",
        data={"code": staff.code(name), "csrf_token": token},
        follow_redirects=False,
    )
    assert second.status_code == 303, second.text[:500]
    assert second.headers["location"] == "/console"
    staff.clock.advance(seconds=30)  # the next sign-in gets a fresh code


def a_customer(demo: Path, offset: int = 0) -> str:
    with sqlite3.connect(demo / "data" / "crm.db") as conn:
        row = conn.execute(
            "SELECT email FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT 1 OFFSET ?",
            (offset,),
        ).fetchone()
    return str(row[0])


def received(varna: Varna, email: str, kind: Kind, *, now: datetime = NOW) -> str:
    """A request received by post and typed in: its reference."""
    status = varna.receive([f"email={email}"], kind=kind, now=now)
    varna.keep_contact(status.ref, Contact((f"email={email}",), email, "sv"), now=now)
    return status.ref
