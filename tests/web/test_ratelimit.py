"""Rate limits per client on the API and the centre's forms: 429 problem details with
Retry-After over the limit, a new window after it, each client and surface counted apart, and
the limits read from the settings. The clock is injected; the application is the real one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.settings import Settings
from varna.web.app import create_app
from varna.web.ratelimit import Limits, RateLimitMiddleware


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def limited(varna: Varna) -> Iterator[tuple[RateLimitMiddleware, Clock]]:
    clock = Clock()
    off = Varna(
        Settings(
            home=varna.settings.home,
            audit_key="test-audit-key-0123456789abcdef",
            rate_limit_api=0,
            rate_limit_forms=0,
        ),
        register_path=varna.register_path,
    )
    app = RateLimitMiddleware(create_app(off), limits=Limits(api=3, forms=2), clock=clock)
    yield app, clock
    off.close()


def client_from(app: RateLimitMiddleware, address: str) -> TestClient:
    return TestClient(app, client=(address, 40000), follow_redirects=False)


def form_post(client: TestClient) -> int:
    return client.post(
        "/sv/requests", data={"kind": "access", "email": "a@example.org"}
    ).status_code


@pytest.mark.parametrize(
    ("surface", "limit", "call"),
    [
        pytest.param("api", 3, lambda c: c.get("/api/v1/requests").status_code, id="api"),
        pytest.param("forms", 2, form_post, id="centre-forms"),
    ],
)
def test_a_client_over_its_limit_waits_for_the_next_window(
    limited: tuple[RateLimitMiddleware, Clock], surface: str, limit: int, call: object
) -> None:
    app, clock = limited
    assert callable(call)
    client = client_from(app, "192.0.2.1")
    statuses = [call(client) for _ in range(limit)]
    assert 429 not in statuses  # (401 for the API without a key, 403 for a form without CSRF)
    clock.now += 10
    over = client.get("/api/v1/requests") if surface == "api" else client.post("/sv/requests")
    assert over.status_code == 429
    assert over.headers["content-type"] == "application/problem+json"
    assert over.headers["retry-after"] == "50"
    assert over.json()["fields"] == {"retry_after": 50}
    assert "192.0.2.1" not in over.text
    other = client_from(app, "192.0.2.2")  # another client has its own count
    assert call(other) != 429
    clock.now += 50  # the window ended
    assert call(client) != 429


def test_reading_pages_and_the_docs_is_not_limited(
    limited: tuple[RateLimitMiddleware, Clock],
) -> None:
    app, _ = limited
    client = client_from(app, "192.0.2.3")
    for _ in range(5):
        assert client.get("/sv/").status_code == 200
        assert client.get("/api/openapi.json").status_code == 200
        assert client.get("/healthz").status_code == 200


def test_the_surfaces_are_counted_apart(limited: tuple[RateLimitMiddleware, Clock]) -> None:
    app, _ = limited
    client = client_from(app, "192.0.2.4")
    for _ in range(3):
        client.get("/api/v1/requests")
    assert client.get("/api/v1/requests").status_code == 429
    assert form_post(client) == 403  # the forms' own count is untouched (CSRF refuses it)


@pytest.mark.parametrize(
    ("api", "calls", "limited_at"),
    [
        pytest.param(2, 3, 2, id="limit-two"),
        pytest.param(0, 5, None, id="off"),
    ],
)
def test_the_limits_come_from_the_settings(
    varna: Varna, api: int, calls: int, limited_at: int | None
) -> None:
    settings = Settings(
        home=varna.settings.home, audit_key="test-audit-key-0123456789abcdef", rate_limit_api=api
    )
    service = Varna(settings, register_path=varna.register_path)
    with TestClient(create_app(service)) as client:
        statuses = [client.get("/api/v1/requests").status_code for _ in range(calls)]
    service.close()
    expected = [401] * calls if limited_at is None else [401] * limited_at + [429]
    assert statuses == expected


@pytest.mark.parametrize(
    ("reason", "status"),
    [
        pytest.param("rate_limited", 429, id="too-many-codes"),
        pytest.param("wrong", 422, id="wrong-code"),
    ],
)
def test_too_many_codes_is_429_with_retry_after(reason: str, status: int) -> None:
    from varna.errors import VerificationError
    from varna.web.problems import problem_for

    got, body = problem_for(VerificationError("x", reason=reason, retry_after=3600))
    assert (got, body["status"]) == (status, status)


@pytest.mark.postgres
def test_two_servers_on_one_postgresql_state_share_a_limit(
    pg_url: str, register_file: object, tmp_path: object
) -> None:
    """Two applications (as two ``varna serve`` workers or hosts) on one PostgreSQL state: a
    client's requests to both count against one limit, and the next window starts afresh."""
    from pathlib import Path

    clock = Clock()
    clock.now = 17 * 60.0  # shared windows are aligned to wall-clock minutes: one starts here
    servers: list[Varna] = []
    clients: list[TestClient] = []
    for name in ("web1", "web2"):
        settings = Settings(
            home=Path(str(tmp_path)) / name,
            database_url=pg_url,
            audit_key="test-audit-key-0123456789abcdef",
            rate_limit_api=0,
        )
        service = Varna(settings, register_path=Path(str(register_file)))
        service.state.migrate()
        servers.append(service)
        shared = service.count_client_request
        app = RateLimitMiddleware(
            create_app(service), limits=Limits(api=4), clock=clock, shared=shared
        )
        clients.append(client_from(app, "198.51.100.7"))
    try:
        statuses = [clients[i % 2].get("/api/v1/requests").status_code for i in range(4)]
        assert 429 not in statuses
        clock.now += 15
        over = clients[1].get("/api/v1/requests")
        assert over.status_code == 429  # the fifth request in the window, whichever server
        assert over.headers["retry-after"] == "45"
        assert clients[0].get("/api/v1/requests").status_code == 429
        other = client_from(clients[0].app, "198.51.100.8")  # type: ignore[arg-type]
        assert other.get("/api/v1/requests").status_code != 429
        clock.now += 45  # the window ended
        assert clients[0].get("/api/v1/requests").status_code != 429
        with servers[0].state.read("reading the windows") as conn:
            stored = " ".join(
                str(v) for r in conn.execute(sa.text("SELECT * FROM rate_windows")) for v in r
            )
        assert "198.51.100" not in stored  # a keyed hash, never the address
    finally:
        for service in servers:
            service.close()
