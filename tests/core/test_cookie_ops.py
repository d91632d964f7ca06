"""The banner's data from a register (pure): the categories present, the cookies with their
lifetimes in both languages, and a notice hash that changes with anything a visitor reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from varna.core.cookie_ops import plan_banner_config, render_banner
from varna.register import Register, load_register

VALID = Path(__file__).parents[1] / "data" / "registers" / "valid"


def plan(register: Register, version: str | None = None) -> dict[str, object]:
    return plan_banner_config(register, policy_version=version, policy_url=None, gpc=False)


@pytest.mark.parametrize(
    ("name", "categories", "cookies"),
    [
        pytest.param(
            "cookies_and_taxonomy.yaml",
            ["necessary", "statistics"],
            {"shop_session": "Until you close the browser", "_stats_id": "13 months"},
            id="session-and-statistics",
        ),
        pytest.param("minimal.yaml", ["necessary"], {}, id="no-cookies"),
    ],
)
def test_the_banner_shows_what_the_register_declares(
    name: str, categories: list[str], cookies: dict[str, str]
) -> None:
    config = plan(load_register(VALID / name))
    assert config["categories"] == categories
    services = config["services"]
    assert isinstance(services, list)
    lifetimes = {c["name"]: c["lifetime"]["en"] for s in services for c in s["cookies"]}
    assert {k: lifetimes[k] for k in cookies} == cookies
    script = render_banner(config)
    assert config["notice"] in script


def test_the_notice_changes_with_the_policy_version_and_the_texts() -> None:
    register = load_register(VALID / "cookies_and_taxonomy.yaml")
    first = plan(register, "1")["notice"]
    assert plan(register, "1")["notice"] == first
    assert plan(register, "2")["notice"] != first
    service = register.cookies["statistics"]
    changed_service = service.model_copy(update={"provider": "Another provider"})
    changed = register.model_copy(
        update={"cookies": {**register.cookies, "statistics": changed_service}}
    )
    assert plan(changed, "1")["notice"] != first
