"""The published policy is read and composed once per version: pages come from the cache until
a new version is published, and then show it at once (the store's file is the freshness check)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.web.public import PolicyCache

from .publishing import publish


def cache_of(client: TestClient) -> PolicyCache:
    cache = client.app.state.policy_cache  # type: ignore[attr-defined]
    assert isinstance(cache, PolicyCache)
    return cache


@pytest.mark.parametrize(
    ("path", "before", "after"),
    [
        pytest.param("/en/policy", "Version 1", "Version 2", id="newest"),
        pytest.param(
            "/en/policy/versions", "/en/policy/versions/1", "/en/policy/versions/2", id="listing"
        ),
    ],
)
def test_a_new_version_is_shown_at_once(
    client: TestClient, varna: Varna, register_file: Path, path: str, before: str, after: str
) -> None:
    publish(varna, day=date(2026, 1, 1))
    first = client.get(path).text
    assert before in first
    assert after not in first
    assert client.get(path).text == first  # from the cache
    text = register_file.read_text(encoding="utf-8")
    register_file.write_text(text.replace("2026.1", "2026.2", 1), encoding="utf-8")
    publish(varna, day=date(2026, 6, 1))
    assert after in client.get(path).text


def test_pages_are_composed_once_per_version(client: TestClient, varna: Varna) -> None:
    publish(varna, day=date(2026, 1, 1))
    calls: list[str] = []
    composed = varna.published_policy

    def counted(*, lang: str, number: int | None = None) -> object:
        calls.append(lang)
        return composed(lang=lang, number=number)

    varna.published_policy = counted  # type: ignore[method-assign]
    for _ in range(3):
        assert client.get("/sv/policy").status_code == 200
        assert client.get("/en/policy").status_code == 200
    assert calls == ["sv", "en"]
    assert cache_of(client).versions(varna)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_home_page_follows_publishing_and_the_register(
    client: TestClient, varna: Varna, register_file: Path, lang: str
) -> None:
    policy_link = f'href="/{lang}/policy"'  # in the menu; in the text once one is published
    assert client.get(f"/{lang}/").text.count(policy_link) == 1
    publish(varna, day=date(2026, 1, 1))
    assert client.get(f"/{lang}/").text.count(policy_link) == 2
    name = varna.register.controller.name
    text = register_file.read_text(encoding="utf-8")
    register_file.write_text(text.replace(name, name + " Renamed"), encoding="utf-8")
    varna.__dict__.pop("register", None)  # the process reads its register anew
    assert name + " Renamed" in client.get(f"/{lang}/").text
