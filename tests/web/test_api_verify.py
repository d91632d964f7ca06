"""Staff record a manual verification through the API: the method and assurance on the request,
the note on its move, and in the audit log only that a note exists."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.settings import Settings
from varna.web.app import create_app

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def api(demo_company: Callable[[int], Path]) -> Iterator[tuple[TestClient, Varna]]:
    demo_company(10)
    varna = Varna(Settings())
    with TestClient(create_app(varna)) as client:
        yield client, varna
    varna.close()


@pytest.mark.parametrize(
    ("body", "status", "note_given"),
    [
        pytest.param(
            {"method": "signed letter", "assurance": "staff_document", "note": "ID card 1234"},
            200,
            True,
            id="with-note",
        ),
        pytest.param({"method": "ID shown", "assurance": "eid"}, 200, False, id="without-note"),
        pytest.param({"method": "x", "assurance": "none"}, 422, None, id="unknown-assurance"),
        pytest.param(
            {"method": "x", "assurance": "eid", "note": "n" * 501}, 422, None, id="note-too-long"
        ),
    ],
)
def test_staff_verify_with_a_note(
    api: tuple[TestClient, Varna], body: dict[str, str], status: int, note_given: bool | None
) -> None:
    client, varna = api
    made = varna.create_api_key(name="desk", scopes=["requests", "read"], created_by="t", now=NOW)
    headers = {"authorization": f"Bearer {made.token}"}
    ref = client.post(
        "/api/v1/requests",
        json={"kind": "access", "identities": ["email=nobody@example.org"]},
        headers=headers,
    ).json()["id"]
    answer = client.post(f"/api/v1/requests/{ref}/verify", json=body, headers=headers)
    assert answer.status_code == status
    if status != 200:
        assert answer.headers["content-type"] == "application/problem+json"
        return
    assert answer.json()["state"] == "verified"
    assert answer.json()["assurance"] == body["assurance"]
    moves = client.get(f"/api/v1/requests/{ref}", headers=headers).json()["moves"]
    assert moves[-1]["note"] == body.get("note")
    [event] = [e for e in varna.audit.iter_events() if e.action == "dsr.request.verified"]
    assert event.details.get("note_given", False) is note_given
    assert "1234" not in repr(event.details)
