"""The public privacy centre: language, the published policy and its versions, errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from varna.core import Varna

from .publishing import publish


@pytest.mark.parametrize(
    ("accept", "lang"),
    [
        pytest.param(None, "sv", id="no-header-swedish"),
        pytest.param("en-GB,en;q=0.9", "en", id="english"),
        pytest.param("de-DE,sv;q=0.8", "sv", id="first-of-ours"),
        pytest.param("fr", "sv", id="none-of-ours"),
    ],
)
def test_root_sends_the_visitor_to_their_language(
    client: TestClient, accept: str | None, lang: str
) -> None:
    headers = {"accept-language": accept} if accept else {}
    answer = client.get("/", headers=headers, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/{lang}/"


@pytest.mark.parametrize(
    ("lang", "heading", "switch"),
    [
        pytest.param("sv", "Integritetscenter", 'href="/en/"', id="sv"),
        pytest.param("en", "Privacy centre", 'href="/sv/"', id="en"),
    ],
)
def test_home_names_the_controller_in_the_language(
    client: TestClient, varna: Varna, lang: str, heading: str, switch: str
) -> None:
    page = client.get(f"/{lang}/").text
    assert f"<h1>{heading}</h1>" in page
    assert varna.register.controller.name in page
    assert switch in page
    assert f'<html lang="{lang}">' in page


def test_policy_before_any_version_is_published_is_404_not_todays_register(
    client: TestClient,
) -> None:
    answer = client.get("/sv/policy", headers={"accept": "text/html"})
    assert answer.status_code == 404
    assert "publicerad" in answer.text or "published" in answer.text


def test_policy_shows_the_newest_published_version_as_published(
    client: TestClient, varna: Varna, register_file: Path
) -> None:
    publish(varna, day=date(2026, 1, 1))
    text = register_file.read_text(encoding="utf-8")
    name = varna.register.controller.name
    register_file.write_text(text.replace(name, name + " Renamed"), encoding="utf-8")
    page = client.get("/sv/policy").text
    assert "Version 1" in page
    assert name in page
    assert name + " Renamed" not in page  # today's unpublished register is never shown


def test_versions_list_and_earlier_version_is_marked(
    client: TestClient, varna: Varna, register_file: Path
) -> None:
    publish(varna, day=date(2026, 1, 1))
    text = register_file.read_text(encoding="utf-8")
    assert 'version: "2026.1"' in text
    register_file.write_text(text.replace("2026.1", "2026.2", 1), encoding="utf-8")
    publish(varna, day=date(2026, 6, 1))
    listing = client.get("/en/policy/versions").text
    assert "/en/policy/versions/2" in listing
    assert "/en/policy/versions/1" in listing
    earlier = client.get("/en/policy/versions/1").text
    assert "earlier version" in earlier
    current = client.get("/en/policy/versions/2").text
    assert "earlier version" not in current
    assert "Version 2" in client.get("/en/policy").text


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/de/", id="unknown-language"),
        pytest.param("/sv/policy/versions/abc", id="not-a-number"),
    ],
)
def test_bad_paths_are_client_errors(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert 400 <= answer.status_code < 500


def test_missing_version_is_problem_json_in_the_api_style(client: TestClient, varna: Varna) -> None:
    publish(varna, day=date(2026, 1, 1))
    answer = client.get("/sv/policy/versions/7")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["status"] == 404
    assert "versions 1 to 1" in body["detail"]
