"""Withdrawal from a newsletter's link (GDPR Art. 7(3)), end to end on the demo company: a
subscriber who is also a customer follows the link, presses one button without logging in, and
their newsletter-only data is gone while their invoices stay; the ledger proves it and the
recipients of the erased data are told (Art. 19)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.core.consent_ops import notice_hash
from varna.settings import Settings
from varna.web.app import create_app

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
NOTICE = notice_hash("Ja, jag vill få nyhetsbrevet per e-post.", "4")


def query(demo: Path, system: str, sql: str, *args: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(demo / "data" / f"{system}.db") as conn:
        return list(conn.execute(sql, args))


def subscriber(demo: Path) -> tuple[str, str]:
    """A newsletter subscriber with invoices: (e-mail, customer number)."""
    emails = {
        r[0].lower() for r in query(demo, "marketing", "SELECT email FROM newsletter_signups")
    }
    billed = {r[0] for r in query(demo, "billing", "SELECT DISTINCT customer_no FROM invoices")}
    for email, number in query(demo, "crm", "SELECT email, customer_no FROM customers"):
        if email and email.lower() in emails and number in billed:
            return email, number
    raise AssertionError("the demo has no subscriber with invoices")


def held(demo: Path, email: str, number: str) -> tuple[int, int]:
    """(newsletter rows, invoices) of the person."""
    signups = "SELECT count(*) FROM newsletter_signups WHERE lower(email) = ?"
    invoices = "SELECT count(*) FROM invoices WHERE customer_no = ?"
    return (
        query(demo, "marketing", signups, email.lower())[0][0],
        query(demo, "billing", invoices, number)[0][0],
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Varna, TestClient]]:
    """The demo company (built once for the module) and the privacy centre on it."""
    from varna.demo.builder import build_demo

    base = tmp_path_factory.mktemp("consent-pages")
    built = build_demo(base / "demo", subjects=20)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("VARNA_HOME", str(base / "home"))
        env.setenv("VARNA_AUDIT_KEY", "test-audit-key-0123456789abcdef")
        env.setenv("VARNA_REGISTER", str(built.register_path))
        env.chdir(built.directory)
        service = Varna(Settings())
        with TestClient(create_app(service)) as client:
            yield built.directory, service, client
        service.close()


def test_a_subscriber_withdraws_from_the_link_and_invoices_stay(
    site: tuple[Path, Varna, TestClient],
) -> None:
    demo, varna, client = site
    email, number = subscriber(demo)
    who = [f"email={email}"]
    key = varna.create_api_key(name="mailer", scopes=["requests", "read"], created_by="t", now=NOW)
    auth = {"authorization": f"Bearer {key.token}"}
    granted = client.post(
        "/api/v1/consent/grants",
        json={"identities": who, "purposes": ["newsletter_email"], "notice": NOTICE},
        headers=auth,
    )
    assert granted.status_code == 201, granted.text
    made = client.post(
        "/api/v1/consent/links",
        json={"identities": who, "purposes": ["newsletter_email"], "lang": "sv"},
        headers=auth,
    )
    assert made.status_code == 200, made.text
    url = made.json()["url"]
    for leak in (email, quote(email), email.split("@")[0], "email"):
        assert leak.lower() not in url.lower()
    path = urlsplit(url).path
    before = held(demo, email, number)
    assert before[0] >= 1
    assert before[1] >= 1

    page = client.get(path)  # opening the link (a mail filter does) changes nothing
    assert page.status_code == 200
    assert "Nyhetsbrev per e-post" in page.text
    assert "data-varna-withdraw" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert held(demo, email, number) == before

    fresh = TestClient(client.app)  # no login, no cookies, no CSRF token: the link suffices
    done = fresh.post(path)
    assert done.status_code == 200, done.text
    assert "data-varna-withdrawn" in done.text
    assert held(demo, email, number) == (0, before[1])

    check = client.post(
        "/api/v1/consent/check",
        json={"identities": who, "purpose": "newsletter_email"},
        headers=auth,
    ).json()
    assert (check["state"], check["channel"]) == ("withdrawn", "link")
    event = check["event"]
    notices = varna.request_notices(event)
    assert sorted(n.recipient for n in notices) == ["email_service", "hosting"]
    assert varna.audit.verify().ok

    # a mail client's one-click unsubscribe (RFC 8058) posts the same address: recorded again,
    # nothing more to erase
    again = fresh.post(
        path.replace("/sv/", "/en/"),
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert again.status_code == 200
    assert "Newsletter by e-mail" in again.text
    assert held(demo, email, number) == (0, before[1])
    history = varna.consent_history(who, until=datetime.now(UTC))
    assert [(e.granted, e.channel) for e in history] == [
        (True, "api"),
        (False, "link"),
        (False, "link"),
    ]


BROKEN = [
    pytest.param(lambda t: t[:-4] + ("AAAA" if not t.endswith("AAAA") else "BBBB"), id="changed"),
    pytest.param(lambda t: t[:20], id="cut"),
    pytest.param(lambda t: "not-a-token", id="garbage"),
]


@pytest.mark.parametrize("spoil", BROKEN)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_broken_link_is_refused_and_withdraws_nothing(
    site: tuple[Path, Varna, TestClient], spoil: Callable[[str], str], method: str
) -> None:
    _, varna, client = site
    email = "nobody.here@example.se"
    token = varna.withdrawal_token([f"email={email}"], ["newsletter_email"], now=NOW)
    answer = getattr(client, method)(f"/sv/consent/withdraw/{spoil(token)}")
    assert answer.status_code == 422
    assert email.lower() not in answer.text.lower()
