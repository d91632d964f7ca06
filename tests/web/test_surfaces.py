"""The public centre and the internal API can be served apart, so only the centre faces the
internet."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.errors import SettingsError
from varna.web.app import create_app


@pytest.mark.parametrize(
    ("surfaces", "answers"),
    [
        pytest.param(
            ["public"],
            {"/sv/": 200, "/api/openapi.json": 404, "/api/v1/requests": 404, "/healthz": 200},
            id="public",
        ),
        pytest.param(
            ["internal"],
            {"/sv/": 404, "/api/openapi.json": 200, "/api/v1/requests": 401, "/healthz": 200},
            id="internal",
        ),
        pytest.param(
            ["public", "internal"],
            {"/sv/": 200, "/api/openapi.json": 200, "/api/v1/requests": 401, "/healthz": 200},
            id="both",
        ),
    ],
)
def test_each_surface_answers_for_its_own_paths(
    varna: Varna, surfaces: list[str], answers: dict[str, int]
) -> None:
    with TestClient(create_app(varna, surfaces=surfaces)) as client:
        got = {path: client.get(path).status_code for path in answers}
    assert got == answers


@pytest.mark.parametrize("surfaces", [[], ["console"]], ids=["none", "unknown"])
def test_an_unknown_surface_is_a_settings_error(varna: Varna, surfaces: list[str]) -> None:
    with pytest.raises(SettingsError, match="surfaces"):
        create_app(varna, surfaces=surfaces)
