"""Webhooks through the API against a real local HTTP receiver: every move of a request is
POSTed, signed with the secret shown once, without personal data; a receiver that fails is tried
again with back-off and the delivery log shows every try."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.core.webhook_ops import MAX_TRIES, backoff, parse_events, sign
from varna.dsr.requests import Kind
from varna.errors import RequestError
from varna.settings import Settings
from varna.web.app import create_app

from .conftest import Inbox
from .receiver import Receiver, receiver

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def api(
    demo_company: Callable[[int], Path], smtp: tuple[Inbox, str]
) -> Iterator[tuple[TestClient, Varna, Path, Receiver]]:
    demo = demo_company(20)
    _inbox, url = smtp
    varna = Varna(Settings(smtp_url=url))
    with receiver() as hook, TestClient(create_app(varna)) as client:
        yield client, varna, demo, hook
    varna.close()


def key(varna: Varna, *scopes: str, name: str = "tickets") -> dict[str, str]:
    made = varna.create_api_key(name=name, scopes=scopes, created_by="test", now=NOW)
    return {"authorization": f"Bearer {made.token}"}


def a_customer(demo: Path) -> str:
    with sqlite3.connect(demo / "data" / "crm.db") as conn:
        (email,) = conn.execute(
            "SELECT email FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
    return str(email)


def test_every_move_is_posted_signed_and_without_personal_data(
    api: tuple[TestClient, Varna, Path, Receiver],
) -> None:
    client, varna, demo, hook = api
    admin = key(varna, "admin", "requests", "read")
    added = client.post("/api/v1/webhooks", json={"url": hook.url}, headers=admin)
    assert added.status_code == 201
    secret = added.json()["secret"]
    assert secret not in client.get("/api/v1/webhooks", headers=admin).text
    email = a_customer(demo)
    ref = client.post(
        "/api/v1/requests",
        json={"kind": "objection", "identities": [f"email={email}"]},
        headers=admin,
    ).json()["id"]
    client.post(f"/api/v1/requests/{ref}/refuse", json={"reason": "no marketing"}, headers=admin)
    bodies = hook.verified(secret)
    assert len(bodies) == len(hook.posts) == 2  # every POST carries a valid signature
    assert [(b["event"], b["from"], b["to"]) for b in bodies] == [
        ("request.received", None, "received"),
        ("request.refused", "received", "refused"),
    ]
    assert {b["request"] for b in bodies} == {ref}
    assert all(email not in p.body.decode() for p in hook.posts)
    assert hook.verified("whsec_another") == []
    log = client.get(f"/api/v1/webhooks/{added.json()['id']}/deliveries", headers=admin).json()
    assert [d["state"] for d in log] == ["delivered", "delivered"]


def test_an_event_filter_and_removal(api: tuple[TestClient, Varna, Path, Receiver]) -> None:
    client, varna, demo, hook = api
    admin = key(varna, "admin", "requests")
    made = client.post(
        "/api/v1/webhooks", json={"url": hook.url, "events": ["request.refused"]}, headers=admin
    ).json()
    body = {"kind": "access", "identities": [f"email={a_customer(demo)}"]}
    first = client.post("/api/v1/requests", json=body, headers=admin).json()["id"]
    client.post(f"/api/v1/requests/{first}/refuse", json={"reason": "excessive"}, headers=admin)
    assert [p.json["event"] for p in hook.posts] == ["request.refused"]
    assert client.delete(f"/api/v1/webhooks/{made['id']}", headers=admin).status_code == 200
    client.post("/api/v1/requests", json=body, headers=admin)
    assert len(hook.posts) == 1
    assert client.get("/api/v1/webhooks", headers=admin).json() == []


def test_a_failing_receiver_is_tried_again_with_back_off(
    api: tuple[TestClient, Varna, Path, Receiver],
) -> None:
    _client, varna, demo, hook = api
    made = varna.add_webhook(hook.url, events=["request.received"], by="test", now=NOW)
    hook.status = 503
    varna.receive([f"email={a_customer(demo)}"], kind=Kind.access, now=NOW)
    [delivery] = varna.webhook_log(made.webhook.id)
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("pending", 1, 503)
    assert delivery.next_at == (NOW + backoff(1)).isoformat(timespec="microseconds")
    early = varna.deliver_notices(now=NOW + backoff(1) - timedelta(seconds=1))
    assert early.webhooks.delivered + early.webhooks.retrying == 0  # not due yet
    hook.status = 204
    later = varna.deliver_notices(now=NOW + backoff(1))
    assert later.webhooks.delivered == 1
    [delivery] = varna.webhook_log(made.webhook.id)
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 2, 204)
    assert len(hook.verified(made.secret)) == 2


def test_a_receiver_that_never_answers_well_is_given_up(
    api: tuple[TestClient, Varna, Path, Receiver],
) -> None:
    from varna.dsr.requests import Kind

    _client, varna, demo, hook = api
    made = varna.add_webhook(hook.url, events=["*"], by="test", now=NOW)
    hook.status = 500
    varna.receive([f"email={a_customer(demo)}"], kind=Kind.access, now=NOW)
    at = NOW
    for tries in range(1, MAX_TRIES):
        at += backoff(tries)
        varna.deliver_notices(now=at)
    [delivery] = varna.webhook_log(made.webhook.id)
    assert (delivery.state, delivery.attempts) == ("failed", MAX_TRIES)
    assert len(hook.posts) == MAX_TRIES


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        pytest.param("https://tickets.example/hooks", True, id="https"),
        pytest.param("http://127.0.0.1:9/x", True, id="http"),
        pytest.param("ftp://tickets.example/hooks", False, id="ftp"),
        pytest.param("https:///nohost", False, id="no-host"),
        pytest.param("file:///etc/passwd", False, id="file"),
    ],
)
def test_only_http_urls_are_taken(
    api: tuple[TestClient, Varna, Path, Receiver], url: str, ok: bool
) -> None:
    client, varna, _demo, _hook = api
    admin = key(varna, "admin")
    answer = client.post("/api/v1/webhooks", json={"url": url}, headers=admin)
    assert (answer.status_code == 201) is ok
    if not ok:
        assert answer.headers["content-type"] == "application/problem+json"


def test_webhooks_need_the_admin_scope(api: tuple[TestClient, Varna, Path, Receiver]) -> None:
    client, varna, _demo, hook = api
    reader = key(varna, "read", "requests")
    assert client.get("/api/v1/webhooks", headers=reader).status_code == 403
    assert (
        client.post("/api/v1/webhooks", json={"url": hook.url}, headers=reader).status_code == 403
    )


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        pytest.param([], ("*",), id="default-all"),
        pytest.param(["request.*"], ("request.*",), id="request-star"),
        pytest.param(
            ["consent.*", "consent.withdrawn"], ("consent.*", "consent.withdrawn"), id="c"
        ),
        pytest.param(["request.refused", "request.refused"], ("request.refused",), id="dedup"),
        pytest.param(["request.exploded"], None, id="unknown"),
    ],
)
def test_event_names_are_checked(events: list[str], expected: tuple[str, ...] | None) -> None:
    if expected is None:
        with pytest.raises(RequestError, match=r"unknown webhook event 'request\.exploded'"):
            parse_events(events)
    else:
        assert parse_events(events) == expected


@pytest.mark.parametrize(
    ("events", "wanted"),
    [
        pytest.param(("*",), {"request.received", "consent.withdrawn"}, id="all"),
        pytest.param(("request.*",), {"request.received"}, id="requests"),
        pytest.param(("consent.*",), {"consent.withdrawn"}, id="consents"),
        pytest.param(("consent.withdrawn",), {"consent.withdrawn"}, id="one"),
    ],
)
def test_a_webhook_gets_the_events_it_asked_for(events: tuple[str, ...], wanted: set[str]) -> None:
    from varna.state.webhooks import Webhook

    hook = Webhook("wh_1", "http://127.0.0.1/", events, "sealed", NOW.isoformat(), "t", None)
    every = {"request.received", "consent.withdrawn"}
    assert {e for e in every if hook.wants(e)} == wanted


def test_a_persons_consent_given_and_withdrawn_is_posted_without_personal_data(
    api: tuple[TestClient, Varna, Path, Receiver],
) -> None:
    client, varna, demo, hook = api
    admin = key(varna, "admin", "requests", "read")
    added = client.post(
        "/api/v1/webhooks", json={"url": hook.url, "events": ["consent.*"]}, headers=admin
    )
    assert added.status_code == 201, added.text
    secret = added.json()["secret"]
    email = a_customer(demo)
    person = {"identities": [f"email={email}"], "purposes": ["newsletter_email"]}
    notice = "a" * 64
    granted = client.post(
        "/api/v1/consent/grants", json={**person, "notice": notice}, headers=admin
    )
    assert granted.status_code == 201, granted.text
    withdrawn = client.post(
        "/api/v1/consent/withdrawals", json={**person, "execute": True}, headers=admin
    )
    assert withdrawn.status_code == 200, withdrawn.text
    client.post("/api/v1/requests", json={"kind": "access", **person}, headers=admin)
    bodies = hook.verified(secret)
    assert [(b["event"], b["purposes"], b["channel"]) for b in bodies] == [
        ("consent.granted", ["newsletter_email"], "api"),
        ("consent.withdrawn", ["newsletter_email"], "api"),
    ]
    assert [b["consent_event"] for b in bodies] == [granted.json()["id"], withdrawn.json()["id"]]
    assert all(email not in p.body.decode() for p in hook.posts)


@pytest.mark.parametrize(
    ("tries", "wait"),
    [(1, timedelta(seconds=30)), (2, timedelta(minutes=2)), (5, timedelta(seconds=7680))],
    ids=["first", "second", "fifth"],
)
def test_back_off_grows_fourfold(tries: int, wait: timedelta) -> None:
    assert backoff(tries) == wait


def test_a_signature_changes_with_body_time_and_secret() -> None:
    base = sign("s1", timestamp=1, body=b"{}")
    assert base.startswith("t=1,v1=")
    assert (
        len(
            {
                base,
                sign("s2", timestamp=1, body=b"{}"),
                sign("s1", timestamp=2, body=b"{}"),
                sign("s1", timestamp=1, body=b"{ }"),
            }
        )
        == 4
    )
