"""Headers every answer carries, and the limit on request bodies."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("path", ["/sv/", "/healthz", "/api/openapi.json", "/nope"])
def test_every_answer_carries_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp.split("style-src-attr")[0]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert "strict-transport-security" not in headers  # plain HTTP: HSTS only over HTTPS
    assert "server" not in headers or "uvicorn" not in headers["server"]


def test_hsts_over_https(client: TestClient) -> None:
    answer = client.get("https://testserver/healthz")
    assert answer.headers["strict-transport-security"].startswith("max-age=")


@pytest.mark.parametrize(
    ("size", "status"),
    [
        pytest.param(1024, 405, id="small-body-reaches-the-app"),
        pytest.param(300_000, 413, id="too-large"),
    ],
)
def test_request_body_limit(client: TestClient, size: int, status: int) -> None:
    answer = client.post("/healthz", content=b"x" * size)
    assert answer.status_code == status


def test_pages_run_no_inline_script(client: TestClient) -> None:
    page = client.get("/sv/").text
    assert "<script" not in page
    assert "style=" not in page.split("<main")[0]
