"""The consent API: the banner's public endpoint (the fixed contract the banner codes against)
and the key-authenticated grant, withdrawal, check and proof, on the demo register."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.core.consent_ops import notice_hash
from varna.settings import Settings
from varna.web.app import create_app

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
NOTICE = notice_hash("Vi använder kakor för statistik och marknadsföring.", "4")
EVENT: dict[str, Any] = {
    "device_id": "Zx8-u_3kQm2Lr7Tp9VwYa1",
    "choices": {"necessary": True, "preferences": False, "statistics": True, "marketing": False},
    "notice": NOTICE,
    "policy_version": "4",
    "channel": "banner",
}


@pytest.fixture
def demo_varna(demo_company: Callable[[int], Path]) -> Iterator[Varna]:
    """A Varna on the demo company (its systems answer: a withdrawal reads them)."""
    demo_company(20)
    service = Varna(Settings())
    yield service
    service.close()


@pytest.fixture
def demo_client(demo_varna: Varna) -> Iterator[TestClient]:
    with TestClient(create_app(demo_varna)) as test_client:
        yield test_client


def key_for(varna: Varna, *scopes: str) -> dict[str, str]:
    made = varna.create_api_key(name="crm", scopes=scopes, created_by="test", now=NOW)
    return {"authorization": f"Bearer {made.token}"}


def test_banner_event_is_recorded_without_a_key(client: TestClient, varna: Varna) -> None:
    answer = client.post("/api/v1/consent/events", json=EVENT)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert set(body) == {"id", "recorded_at"}
    assert body["id"].startswith("ce_")
    assert answer.headers["access-control-allow-origin"] == "*"
    entries = {e.purpose: e.granted for e in varna.consents.event(body["id"])}
    assert entries == {"preferences": False, "statistics": True, "marketing": False}


def test_banner_event_may_come_as_plain_text_to_spare_a_preflight(client: TestClient) -> None:
    answer = client.post(
        "/api/v1/consent/events",
        content=json.dumps(EVENT),
        headers={"content-type": "text/plain;charset=UTF-8"},
    )
    assert answer.status_code == 201, answer.text
    preflight = client.options("/api/v1/consent/events")
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["access-control-allow-methods"]


BAD_EVENTS = [
    pytest.param({"device_id": "short"}, 422, id="device-id-too-short"),
    pytest.param({"device_id": "a/b" * 8}, 422, id="device-id-not-url-safe"),
    pytest.param({"choices": {"necessary": False}}, 422, id="necessary-refused"),
    pytest.param({"choices": {"tracking": True}}, 422, id="unknown-category"),
    pytest.param({"channel": "api"}, 422, id="not-the-banner-channel"),
    pytest.param({"notice": None}, 422, id="no-notice"),
    pytest.param({"extra": "x"}, 422, id="unknown-field"),
    pytest.param({"policy_version": "v" * 5000}, 413, id="too-large"),
]


@pytest.mark.parametrize(("change", "status"), BAD_EVENTS)
def test_bad_banner_event_is_refused(
    client: TestClient, varna: Varna, change: dict[str, Any], status: int
) -> None:
    answer = client.post("/api/v1/consent/events", json={**EVENT, **change})
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert varna.consents.count() == 0


def test_person_grant_check_withdraw_and_proof(demo_client: TestClient, demo_varna: Varna) -> None:
    client, varna = demo_client, demo_varna
    writer, reader = key_for(varna, "requests"), key_for(varna, "read")
    person = {"identities": ["email=anna.svensson@example.se"]}
    granted = client.post(
        "/api/v1/consent/grants",
        json={**person, "purposes": ["newsletter_email"], "notice": NOTICE, "channel": "form"},
        headers=writer,
    )
    assert granted.status_code == 201, granted.text
    check = {**person, "purpose": "newsletter_email"}
    now = client.post("/api/v1/consent/check", json=check, headers=reader).json()
    assert (now["current"], now["state"], now["channel"]) == (True, "granted", "form")
    changed = client.post(
        "/api/v1/consent/check", json={**check, "notice": "e" * 64}, headers=reader
    ).json()
    assert changed["state"] == "notice_changed"

    withdrawn = client.post(
        "/api/v1/consent/withdrawals",
        json={**person, "purposes": ["newsletter_email"], "execute": True},
        headers=writer,
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["executed"] is True
    assert withdrawn.json()["tables"] == ["marketing:newsletter_signups"]

    batch = client.post(
        "/api/v1/consent/check/batch",
        json={
            "checks": [check, {"identities": ["email=okand@example.se"], "purpose": "statistics"}]
        },
        headers=reader,
    ).json()["items"]
    assert [(b["purpose"], b["state"]) for b in batch] == [
        ("newsletter_email", "withdrawn"),
        ("statistics", "never_asked"),
    ]
    proof = client.post("/api/v1/consent/history", json=person, headers=reader).json()["items"]
    assert [(p["purpose"], p["granted"]) for p in proof] == [
        ("newsletter_email", True),
        ("newsletter_email", False),
    ]
    assert all(p["audit_seq"] > 0 for p in proof)
    assert "anna.svensson" not in json.dumps(proof)


AUTH = [
    pytest.param("/api/v1/consent/grants", (), 401, id="grant-without-key"),
    pytest.param("/api/v1/consent/grants", ("read",), 403, id="grant-with-read-key"),
    pytest.param("/api/v1/consent/withdrawals", ("read",), 403, id="withdraw-with-read-key"),
    pytest.param("/api/v1/consent/check", (), 401, id="check-without-key"),
    pytest.param("/api/v1/consent/history", (), 401, id="history-without-key"),
]


@pytest.mark.parametrize(("path", "scopes", "status"), AUTH)
def test_person_routes_need_a_key_with_the_scope(
    client: TestClient, varna: Varna, path: str, scopes: tuple[str, ...], status: int
) -> None:
    headers = key_for(varna, *scopes) if scopes else {}
    body = {
        "identities": ["email=anna@example.se"],
        "purposes": ["newsletter_email"],
        "purpose": "newsletter_email",
        "notice": NOTICE,
    }
    answer = client.post(path, json=body, headers=headers)
    assert answer.status_code == status


def test_unknown_purpose_is_a_problem_naming_the_known_ones(
    client: TestClient, varna: Varna
) -> None:
    answer = client.post(
        "/api/v1/consent/check",
        json={"identities": ["email=anna@example.se"], "purpose": "horoscopes"},
        headers=key_for(varna, "read"),
    )
    assert answer.status_code == 422
    assert "newsletter_email" in answer.json()["detail"]
    assert "anna@example.se" not in answer.text


LANE_CASES = [
    pytest.param(("read",), {"purpose": "newsletter_email"}, 200, id="granted"),
    pytest.param(("admin",), {"purpose": "newsletter_email"}, 200, id="admin-key"),
    pytest.param(("read",), {"purpose": "statistics"}, 200, id="never-asked"),
    pytest.param(("read",), {"purpose": "newsletter_email", "notice": "e" * 64}, 200, id="notice"),
    pytest.param(
        ("read",),
        {"purpose": "newsletter_email", "at": "2026-12-01T09:00:00+00:00"},
        200,
        id="before-the-grant",
    ),
    pytest.param(("read",), {"purpose": "horoscopes"}, 422, id="unknown-purpose"),
    pytest.param(("read",), {"purpose": 7}, 422, id="body-does-not-validate"),
    pytest.param(("requests",), {"purpose": "newsletter_email"}, 403, id="no-read-scope"),
    pytest.param((), {"purpose": "newsletter_email"}, 401, id="no-key"),
]


@pytest.mark.parametrize(("scopes", "asked", "status"), LANE_CASES)
def test_the_check_lane_answers_as_the_documented_route(
    varna: Varna, scopes: tuple[str, ...], asked: dict[str, Any], status: int
) -> None:
    """The fast lane for checks changes no answer: the same status, headers and body as the
    application without it, on the first call (read from the ledger) and the next (kept)."""
    from varna.web.api_consent import CheckLane

    varna.grant_consent(
        ["email=anna@example.se"], ["newsletter_email"], notice=NOTICE, now=NOW, actor="t"
    )
    headers = key_for(varna, *scopes) if scopes else {}
    body = {"identities": ["email=Anna@Example.se"], **asked}
    with_lane = create_app(varna)
    without = create_app(varna)
    without.user_middleware = [m for m in without.user_middleware if m.cls is not CheckLane]
    assert len(without.user_middleware) == len(with_lane.user_middleware) - 1
    with TestClient(with_lane) as fast, TestClient(without) as plain:
        for _ in range(2):
            got = fast.post("/api/v1/consent/check", json=body, headers=headers)
            want = plain.post("/api/v1/consent/check", json=body, headers=headers)
            assert got.status_code == want.status_code == status, got.text
            assert got.json() == want.json()
            for name in ("content-type", "content-length", "cache-control", "x-frame-options"):
                assert got.headers.get(name) == want.headers.get(name), name


def test_the_check_lane_never_answers_from_before_a_withdrawal(
    demo_client: TestClient, demo_varna: Varna
) -> None:
    client, varna = demo_client, demo_varna
    reader = key_for(varna, "read")
    varna.grant_consent(
        ["email=anna@example.se"], ["newsletter_email"], notice=NOTICE, now=NOW, actor="t"
    )
    check = {"identities": ["email=anna@example.se"], "purpose": "newsletter_email"}
    assert client.post("/api/v1/consent/check", json=check, headers=reader).json()["current"]
    assert client.post("/api/v1/consent/check", json=check, headers=reader).json()["current"]
    varna.withdraw_consent(
        ["email=anna@example.se"], ["newsletter_email"], now=NOW, actor="t", execute=True
    )
    answer = client.post("/api/v1/consent/check", json=check, headers=reader).json()
    assert (answer["current"], answer["state"]) == (False, "withdrawn")
