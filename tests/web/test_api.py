"""The API: OpenAPI document, policy versions, health and readiness."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from varna.core import Varna

from .publishing import publish


def test_openapi_is_served_as_3_1(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert "/api/v1/policy/versions" in spec["paths"]
    assert client.get("/api/docs").status_code == 200


def test_policy_versions_in_json(client: TestClient, varna: Varna) -> None:
    assert client.get("/api/v1/policy/versions").json() == []
    publish(varna, day=date(2026, 1, 1))
    [first] = client.get("/api/v1/policy/versions").json()
    assert first["number"] == 1
    assert first["effective_date"] == "2026-01-01"
    assert datetime.fromisoformat(first["published_at"]).utcoffset() is not None
    assert first["changes"] == []


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["ready"] is True


def test_not_ready_when_the_register_is_broken(
    client: TestClient, register_file: Path, varna: Varna
) -> None:
    register_file.write_text("controller: [", encoding="utf-8")
    varna.__dict__.pop("register", None)
    answer = client.get("/readyz")
    assert answer.status_code == 503
    body = answer.json()
    assert body["ready"] is False
    assert "varna.yaml" in body["register"]
