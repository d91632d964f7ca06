"""schemathesis against the API's own OpenAPI, in process (ASGI), with a valid API key that has
every scope: no answer is a server error, and every answer (status, media type, body) is one the
OpenAPI declares. Examples are limited per operation so the run stays near a minute."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from varna.core import Varna
from varna.settings import Settings
from varna.web.app import create_app

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
EXAMPLES = 12
DOMAIN_REFUSALS = [positive_data_acceptance]
"""Left out: input the schema allows may still be refused by the service, with 422 problem
details that say why (an identity of a kind the register does not know, a move the request's
state does not allow); the schema cannot know the register or the state."""
"""Examples per operation: enough to reach every branch of the input models in about a minute."""


@pytest.fixture
def served(demo_company: Callable[[int], Path]) -> Iterator[tuple[Any, str]]:
    demo_company(10)
    varna = Varna(Settings())
    app = create_app(varna)
    made = varna.create_api_key(
        name="schemathesis", scopes=["admin", "read", "requests"], created_by="test", now=NOW
    )
    yield app, made.token
    varna.close()


def test_the_api_keeps_its_openapi(served: tuple[Any, str]) -> None:
    app, token = served
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    failures: dict[str, str] = {}
    tried: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        tried.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            case.call_and_validate(headers=headers, excluded_checks=DOMAIN_REFUSALS)

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # reported per operation below
            failures[operation.label] = f"{type(exc).__name__}: {str(exc)[:1500]}"
    assert len(tried) >= 12  # every operation of the API was tried
    assert not failures, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())
