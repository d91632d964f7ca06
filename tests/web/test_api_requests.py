"""The REST API for requests on the demo company: keys and scopes, idempotent submission, the
lifecycle with four eyes across keys, and carrying out by reference."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.settings import Settings
from varna.web.app import create_app

from .conftest import Inbox

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def api(
    demo_company: Callable[[int], Path], smtp: tuple[Inbox, str]
) -> Iterator[tuple[TestClient, Varna, Path, Inbox]]:
    demo = demo_company(40)
    inbox, url = smtp
    varna = Varna(Settings(smtp_url=url))
    with TestClient(create_app(varna)) as client:
        yield client, varna, demo, inbox
    varna.close()


def key(varna: Varna, *scopes: str, name: str = "ticket-system") -> dict[str, str]:
    made = varna.create_api_key(name=name, scopes=scopes, created_by="test", now=NOW)
    return {"authorization": f"Bearer {made.token}"}


def a_customer(demo: Path) -> tuple[str, int]:
    with sqlite3.connect(demo / "data" / "crm.db") as conn:
        email, cid = conn.execute(
            "SELECT email, id FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
    return str(email), int(cid)


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        pytest.param({}, 401, id="no-key"),
        pytest.param({"authorization": "Bearer vk_nothere_x"}, 401, id="unknown-key"),
        pytest.param({"authorization": "Basic abc"}, 401, id="not-bearer"),
    ],
)
def test_the_api_needs_a_key(
    api: tuple[TestClient, Varna, Path, Inbox], headers: dict[str, str], status: int
) -> None:
    client, *_ = api
    answer = client.get("/api/v1/requests", headers=headers)
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"] == "Bearer"


def test_scopes_are_enforced_and_revocation_is_immediate(
    api: tuple[TestClient, Varna, Path, Inbox],
) -> None:
    client, varna, _demo, _inbox = api
    reader = key(varna, "read")
    body = {"kind": "access", "identities": ["email=someone@example.org"]}
    assert client.get("/api/v1/requests", headers=reader).status_code == 200
    assert client.post("/api/v1/requests", json=body, headers=reader).status_code == 403
    assert client.get("/api/v1/api-keys", headers=reader).status_code == 403
    [listed] = [k for k in varna.api_keys() if k.name == "ticket-system"]
    varna.revoke_api_key(listed.id, actor="test", now=NOW)
    assert client.get("/api/v1/requests", headers=reader).status_code == 401


def test_a_retried_submission_makes_one_request(
    api: tuple[TestClient, Varna, Path, Inbox],
) -> None:
    client, varna, demo, _inbox = api
    writer = key(varna, "requests", "read")
    email, _ = a_customer(demo)
    body = {"kind": "access", "identities": [f"email={email}"]}
    headers = {**writer, "idempotency-key": "ticket-4711"}
    first = client.post("/api/v1/requests", json=body, headers=headers)
    again = client.post("/api/v1/requests", json=body, headers=headers)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    page = client.get("/api/v1/requests", headers=writer).json()
    assert page["total"] == 1
    assert email not in first.text


def test_erasure_through_the_api_needs_two_keys_and_answers_by_reference(
    api: tuple[TestClient, Varna, Path, Inbox],
) -> None:
    client, varna, demo, inbox = api
    handler = key(varna, "requests", "read", name="handler-anna")
    second = key(varna, "requests", "read", name="handler-bo")
    email, customer = a_customer(demo)
    made = client.post(
        "/api/v1/requests",
        json={"kind": "erasure", "identities": [f"email={email}"], "email": email},
        headers=handler,
    ).json()
    ref = made["id"]
    verified = client.post(
        f"/api/v1/requests/{ref}/verify",
        json={"method": "signed letter", "assurance": "staff_document"},
        headers=handler,
    )
    assert verified.json()["state"] == "verified"
    waiting = client.post(f"/api/v1/requests/{ref}/execute", headers=handler).json()
    assert waiting["state"] == "awaiting_approval"
    own = client.post(f"/api/v1/requests/{ref}/approve", headers=handler)
    assert own.status_code == 422
    assert "four eyes" in own.json()["detail"]
    approved = client.post(f"/api/v1/requests/{ref}/approve", headers=second).json()
    assert approved["state"] == "approved"
    done = client.post(f"/api/v1/requests/{ref}/execute", headers=second).json()
    assert done["state"] == "answered"
    with sqlite3.connect(demo / "data" / "crm.db") as conn:
        row = conn.execute("SELECT email FROM customers WHERE id = ?", (customer,)).fetchone()
    assert row is None or row[0] is None
    detail = client.get(f"/api/v1/requests/{ref}", headers=handler).json()
    assert [m["action"] for m in detail["moves"]][-1] == "answer"
    assert (
        "is answered" in inbox.to(email)[-1]["Subject"]
        or "besvarat" in inbox.to(email)[-1]["Subject"]
    )
    assert varna.audit.verify().ok


def test_refusal_and_extension_carry_their_reasons(
    api: tuple[TestClient, Varna, Path, Inbox],
) -> None:
    client, varna, demo, _inbox = api
    handler = key(varna, "requests", "read")
    email, _ = a_customer(demo)
    ref = client.post(
        "/api/v1/requests",
        json={"kind": "access", "identities": [f"email={email}"]},
        headers=handler,
    ).json()["id"]
    extended = client.post(
        f"/api/v1/requests/{ref}/extend",
        json={"reason": "many systems to search"},
        headers=handler,
    ).json()
    assert extended["extension_reason"] == "many systems to search"
    assert extended["due"] > extended["received_at"][:10]
    refused = client.post(
        f"/api/v1/requests/{ref}/refuse",
        json={"reason": "manifestly unfounded: the fifth identical request this month"},
        headers=handler,
    ).json()
    assert refused["state"] == "refused"
    assert refused["reason"].startswith("manifestly unfounded")


VOUCHED = {"method": "ticket system login", "assurance": "staff_document"}


@pytest.mark.parametrize(
    ("kind", "state", "answers"),
    [
        pytest.param("access", "answered", 1, id="access-answered-at-once"),
        pytest.param("portability", "answered", 1, id="portability-answered-at-once"),
        pytest.param("erasure", "verified", 0, id="erasure-waits-for-staff"),
    ],
)
def test_a_submission_the_caller_vouches_for(
    api: tuple[TestClient, Varna, Path, Inbox], kind: str, state: str, answers: int
) -> None:
    """With ``verified`` the caller's verification is recorded with the submission, and access
    and portability are answered in the same call (the rights that only show people their own
    data); erasure still goes through planning and four eyes."""
    client, varna, demo, _inbox = api
    email, _ = a_customer(demo)
    headers = key(varna, "read", "requests")
    made = client.post(
        "/api/v1/requests",
        json={"kind": kind, "identities": [f"email={email}"], "verified": VOUCHED},
        headers={**headers, "prefer": "wait=5"},
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["state"], body["assurance"]) == (state, "staff_document")
    assert made.headers["preference-applied"] == "wait=5"
    listed = client.get(f"/api/v1/requests/{body['id']}/answers", headers=headers)
    assert len(listed.json()) == answers
    moves = [m.action for m in varna.ledger.requests.moves(body["id"])]
    assert moves[:2] == ["receive", "verify"]


@pytest.mark.parametrize("limit", [1, 3])
def test_a_process_carries_out_a_bounded_number_of_submissions_at_once(
    demo_company: Callable[[int], Path], limit: int
) -> None:
    """Submissions (a vouched access is answered in the call) take at most
    ``submit_concurrency`` threads of a process: the rest wait their turn in its event loop
    instead of taking turns holding the interpreter."""
    import asyncio
    import threading

    import httpx2 as httpx

    demo = demo_company(40)
    varna = Varna(Settings(submit_concurrency=limit))
    real = varna.submit_via_api
    together = threading.Barrier(limit, timeout=30)  # passes only when `limit` run at once
    running, most = 0, 0
    lock = threading.Lock()

    def counted(**kwargs: object) -> object:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            together.wait()
            return real(**kwargs)  # type: ignore[arg-type]
        finally:
            with lock:
                running -= 1

    varna.submit_via_api = counted  # type: ignore[method-assign]
    headers = key(varna, "requests")
    with sqlite3.connect(demo / "data" / "crm.db") as conn:
        emails = [r[0] for r in conn.execute("SELECT email FROM customers LIMIT 6")]

    async def submit_all() -> list[int]:
        transport = httpx.ASGITransport(app=create_app(varna))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            calls = [
                client.post(
                    "/api/v1/requests",
                    json={"kind": "access", "identities": [f"email={e}"]},
                    headers=headers,
                )
                for e in emails
            ]
            return [r.status_code for r in await asyncio.gather(*calls)]

    try:
        assert asyncio.run(submit_all()) == [201] * 6
    finally:
        varna.close()
    assert most == limit
