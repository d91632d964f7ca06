"""The cookie banner in a real browser (Debian's Chromium driven by Playwright) on the demo
website: nothing but necessary storage before a choice, refusing as easy as accepting, the choice
recorded with the notice hash, withdrawal from the footer link, Global Privacy Control, a changed
notice asking again, keyboard and screen-reader access (axe-core)."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from varna.core import Varna
from varna.settings import Settings
from varna.state.consent import ConsentEntry

from .banner_site import served
from .conftest import SEED

CHROMIUM = Path("/usr/bin/chromium")
OPTIONAL = {"_bs_id", "_bs_ses", "_an_uid"}
EVENTS = "**/api/v1/consent/events"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian's chromium is missing: run scripts/install-system-deps"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def varna(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Varna]:
    """One Varna on a copy of the demo register for the module (its ledger is shared; each test
    uses its own browser context, so its own device id)."""
    home = tmp_path_factory.mktemp("banner-browser")
    register = home / "varna.yaml"
    shutil.copy(SEED, register)
    settings = Settings(home=home / "home", audit_key="test-audit-key-0123456789abcdef")
    service = Varna(settings, register_path=register)
    yield service
    service.close()


@pytest.fixture(scope="module")
def site(varna: Varna) -> Iterator[str]:
    with served(varna) as base:
        yield base


def ledger_of(varna: Varna, context: BrowserContext) -> list[ConsentEntry]:
    """The ledger's entries for the browser's device id (read from its consent cookie)."""
    from varna.audit.pseudonym import pseudonymise
    from varna.core.base import ledger_key

    (cookie,) = [c for c in context.cookies() if c["name"] == "varna_consent"]
    device = json.loads(unquote(cookie["value"]))["id"]
    subject = pseudonymise("device", device, key=ledger_key(varna.settings.audit_key_bytes()))
    return varna.consents.history([subject], until=datetime.now(UTC) + timedelta(minutes=5))


class Events:
    """The consent events the banner posts, caught on their way to the ledger's endpoint."""

    def __init__(self, context: BrowserContext) -> None:
        self.bodies: list[dict[str, Any]] = []
        context.route(EVENTS, self._catch)

    def _catch(self, route: Route) -> None:
        request = route.request
        assert request.method == "POST"
        assert request.headers["content-type"] == "application/json"
        self.bodies.append(json.loads(request.post_data or "{}"))
        route.fulfill(status=201, json={"recorded": True})


def names(context: BrowserContext) -> set[str]:
    return {c["name"] for c in context.cookies()}


SETTLED = """([optional, expected]) => {
  const have = document.cookie.split("; ").map(c => c.split("=")[0]);
  return optional.every(n => have.includes(n) === expected.includes(n));
}"""


def optional_once_settled(page: Page, expected: set[str]) -> set[str]:
    """The optional cookies in the page's jar once the scripts a choice activates have run: they
    load on their own time, after the click or the navigation returns. Waits up to five seconds
    for the expected set, then returns what is there (so a wrong set fails with its diff)."""
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(SETTLED, arg=[sorted(OPTIONAL), sorted(expected)], timeout=5000)
    return names(page.context) & OPTIONAL


def open_page(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    return page


def test_nothing_optional_before_a_choice_and_both_buttons_equal(
    site: str, browser: Browser
) -> None:
    context = browser.new_context()
    page = open_page(context, f"{site}/demo-site/about")
    banner = page.locator("[data-varna-banner=notice]")
    banner.wait_for()
    accept = banner.locator("[data-varna-accept]")
    reject = banner.locator("[data-varna-reject]")
    assert accept.inner_text() == "Acceptera alla"
    assert reject.inner_text() == "Avvisa alla"
    style = (
        "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).fontSize, e.offsetHeight]"
    )
    assert accept.evaluate(style) == reject.evaluate(style)  # equally prominent
    page.goto(f"{site}/demo-site/prices")
    assert optional_once_settled(page, set()) == set()
    assert page.locator('script[type="text/plain"][data-category]').count() == 2
    context.close()


@pytest.mark.parametrize(
    ("button", "expected", "choices"),
    [
        pytest.param(
            "data-varna-accept",
            OPTIONAL,
            {"necessary": True, "preferences": False, "statistics": True, "marketing": True},
            id="accept-all",
        ),
        pytest.param(
            "data-varna-reject",
            set(),
            {"necessary": True, "preferences": False, "statistics": False, "marketing": False},
            id="reject-all",
        ),
    ],
)
def test_a_choice_applies_and_is_recorded(
    site: str,
    browser: Browser,
    varna: Varna,
    button: str,
    expected: set[str],
    choices: dict[str, bool],
) -> None:
    context = browser.new_context()
    events = Events(context)
    page = open_page(context, f"{site}/demo-site/")
    page.locator(f"[data-varna-banner] [{button}]").click()
    page.goto(f"{site}/demo-site/news")
    assert optional_once_settled(page, expected) == expected
    assert page.locator("[data-varna-banner]").count() == 0  # the choice is remembered
    assert len(events.bodies) == 1
    body = events.bodies[0]
    assert body["choices"] == choices
    assert body["notice"] == varna.consent_banner().notice
    assert body["channel"] == "banner"
    assert body["policy_version"] is None  # nothing published in this test
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,64}", body["device_id"])
    context.close()


def test_the_choice_applies_when_the_ledger_cannot_be_reached(site: str, browser: Browser) -> None:
    context = browser.new_context()
    context.route(EVENTS, lambda route: route.abort())  # the ledger's endpoint is unreachable
    page = open_page(context, f"{site}/demo-site/")
    page.locator("[data-varna-banner] [data-varna-accept]").click()
    page.goto(f"{site}/demo-site/jobs")
    assert optional_once_settled(page, OPTIONAL) == OPTIONAL
    context.close()


def test_accepting_then_withdrawing_from_the_footer_is_proved_in_the_ledger(
    site: str, browser: Browser, varna: Varna
) -> None:
    """No interception: the banner posts to the real endpoint and the ledger keeps both
    choices, each with the notice shown and its audit entry (GDPR Art. 7(1), 7(3))."""
    notice = varna.consent_banner().notice
    context = browser.new_context()
    page = open_page(context, f"{site}/demo-site/")
    with page.expect_response(EVENTS) as posted:
        page.locator("[data-varna-banner] [data-varna-accept]").click()
    assert posted.value.status == 201
    assert optional_once_settled(page, OPTIONAL) == OPTIONAL
    granted = ledger_of(varna, context)
    assert {(e.purpose, e.granted) for e in granted} == {
        ("preferences", False),
        ("statistics", True),
        ("marketing", True),
    }
    assert {(e.notice, e.channel, e.subject_kind) for e in granted} == {
        (notice, "banner", "device")
    }

    page.goto(f"{site}/demo-site/services")
    page.locator("[data-varna-consent-open]").click()
    with page.expect_response(EVENTS) as posted:
        page.locator("[data-varna-banner=settings] [data-varna-reject]").click()
    assert posted.value.status == 201
    assert optional_once_settled(page, set()) == set()
    history = ledger_of(varna, context)
    assert len({e.event for e in history}) == 2
    latest = {e.purpose: e.granted for e in history if e.event == history[-1].event}
    assert latest == {"preferences": False, "statistics": False, "marketing": False}
    events = {e.seq: e for e in varna.audit.iter_events()}
    assert {events[e.audit_seq].action for e in history} == {"consent.banner.recorded"}
    assert varna.audit.verify().ok
    context.close()


def test_withdrawal_from_the_footer_link_removes_the_cookies(site: str, browser: Browser) -> None:
    context = browser.new_context()
    events = Events(context)
    page = open_page(context, f"{site}/demo-site/")
    page.locator("[data-varna-banner] [data-varna-accept]").click()
    page.goto(f"{site}/demo-site/services")
    assert optional_once_settled(page, OPTIONAL) == OPTIONAL
    page.locator("[data-varna-consent-open]").click()
    settings = page.locator("[data-varna-banner=settings]")
    assert settings.locator("input[name=statistics]").is_checked()
    settings.locator("input[name=statistics]").uncheck()
    settings.locator("[data-varna-save]").click()
    assert optional_once_settled(page, {"_an_uid"}) == {
        "_an_uid"
    }  # statistics withdrawn, marketing kept
    page.locator("[data-varna-consent-open]").click()
    page.locator("[data-varna-banner=settings] [data-varna-reject]").click()
    assert optional_once_settled(page, set()) == set()
    assert [e["choices"]["statistics"] for e in events.bodies] == [True, False, False]
    assert [e["choices"]["marketing"] for e in events.bodies] == [True, True, False]
    assert len({e["device_id"] for e in events.bodies}) == 1
    context.close()


GPC_SCRIPT = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})"


@pytest.mark.parametrize(
    ("script", "headers"),
    [
        pytest.param(GPC_SCRIPT, {}, id="navigator"),
        pytest.param(None, {"Sec-GPC": "1"}, id="header"),
    ],
)
def test_global_privacy_control_refuses_marketing(
    site: str, browser: Browser, script: str | None, headers: dict[str, str]
) -> None:
    context = browser.new_context(extra_http_headers=headers)
    if script:
        context.add_init_script(script)
    events = Events(context)
    page = open_page(context, f"{site}/demo-site/")
    page.locator("[data-varna-banner] [data-varna-accept]").click()
    page.goto(f"{site}/demo-site/about")
    assert optional_once_settled(page, {"_bs_id", "_bs_ses"}) == {"_bs_id", "_bs_ses"}
    assert events.bodies[0]["choices"]["marketing"] is False
    page.locator("[data-varna-consent-open]").click()
    assert page.locator("[data-varna-banner=settings] input[name=marketing]").is_disabled()
    context.close()


def test_without_gpc_the_marketing_box_is_not_pre_ticked(site: str, browser: Browser) -> None:
    context = browser.new_context()
    page = open_page(context, f"{site}/demo-site/")
    page.locator("[data-varna-banner] [data-varna-settings]").click()
    boxes = page.locator("[data-varna-banner=settings] input[type=checkbox]:not([disabled])")
    assert boxes.count() == 2  # statistics and marketing
    assert [boxes.nth(i).is_checked() for i in range(boxes.count())] == [False, False]
    context.close()


def test_a_changed_notice_asks_again(site: str, browser: Browser, tmp_path: Path) -> None:
    changed = tmp_path / "changed" / "varna.yaml"
    changed.parent.mkdir()
    text = SEED.read_text(encoding="utf-8").replace(
        "Ties one visit together.", "Ties a single visit together."
    )
    assert text != SEED.read_text(encoding="utf-8")
    changed.write_text(text, encoding="utf-8")
    other = Varna(Settings(home=tmp_path / "other-home"), register_path=changed)
    context = browser.new_context()
    page = open_page(context, f"{site}/demo-site/")
    page.locator("[data-varna-banner] [data-varna-reject]").click()
    page.goto(f"{site}/demo-site/contact")
    assert page.locator("[data-varna-banner]").count() == 0
    with served(other) as changed_site:  # cookies are per host, not per port: same jar
        page.goto(f"{changed_site}/demo-site/contact")
        page.locator("[data-varna-banner=notice]").wait_for()
    other.close()
    context.close()


def test_the_dialog_traps_the_keyboard_and_works_without_a_mouse(
    site: str, browser: Browser
) -> None:
    context = browser.new_context()
    page = open_page(context, f"{site}/demo-site/")
    dialog = page.locator("[data-varna-banner] [role=dialog]")
    assert dialog.get_attribute("aria-modal") == "true"
    assert page.locator("#" + (dialog.get_attribute("aria-labelledby") or "x")).count() == 1
    # the focus starts on the dialog itself: neither answer is suggested
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "dialog"
    inside = "() => !!document.activeElement.closest('[data-varna-banner]')"
    for _ in range(8):
        assert page.evaluate(inside)
        page.keyboard.press("Tab")
    for _ in range(8):
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(inside)
    page.locator("[data-varna-banner] [data-varna-reject]").focus()
    page.keyboard.press("Enter")
    assert page.locator("[data-varna-banner]").count() == 0
    assert optional_once_settled(page, set()) == set()
    context.close()


@pytest.mark.parametrize("layer", ["notice", "settings"])
def test_no_serious_accessibility_violation_on_the_banner(
    site: str, browser: Browser, layer: str
) -> None:
    context = browser.new_context()
    page = open_page(context, f"{site}/demo-site/")
    if layer == "settings":
        page.locator("[data-varna-banner] [data-varna-settings]").click()
        page.locator("[data-varna-banner] details").first.evaluate("d => d.open = true")
    page.locator(f"[data-varna-banner={layer}]").wait_for()
    violations = Axe().run(page).response["violations"]
    bad = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
    assert bad == []
    context.close()


STATIC_PAGE = """<!doctype html><html lang="en"><head><title>Static</title>
<script src="banner.js" defer></script></head><body><p>A static page.</p></body></html>"""


def test_the_banner_file_works_as_a_static_copy(
    varna: Varna, browser: Browser, tmp_path: Path
) -> None:
    """``varna cookies banner --out`` output on a page with no Varna behind it."""
    (tmp_path / "banner.js").write_text(varna.consent_banner().script, encoding="utf-8")
    (tmp_path / "index.html").write_text(STATIC_PAGE, encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    page.goto((tmp_path / "index.html").as_uri())
    page.locator("[data-varna-banner=notice]").wait_for()
    assert page.locator("[data-varna-accept]").inner_text() == "Accept all"  # <html lang="en">
    context.close()


SIGNALS = ("ad_storage", "ad_user_data", "ad_personalization", "analytics_storage")


@pytest.mark.parametrize(
    ("button", "init", "granted"),
    [
        pytest.param("data-varna-accept", "", set(SIGNALS), id="accept-dataLayer"),
        pytest.param("data-varna-reject", "", set(), id="reject-dataLayer"),
        pytest.param(
            "data-varna-accept",
            "window.gtag = function () { (window.calls = window.calls || []).push(arguments); };",
            set(SIGNALS),
            id="accept-gtag",
        ),
    ],
)
def test_consent_mode_signals(
    site: str, browser: Browser, button: str, init: str, granted: set[str]
) -> None:
    context = browser.new_context()
    context.add_init_script(init)
    page = open_page(context, f"{site}/demo-site/")
    page.locator(f"[data-varna-banner] [{button}]").click()
    queue = "window.calls" if init else "window.dataLayer"
    calls = page.evaluate(f"() => {queue}.map(a => Array.from(a))")
    assert [c[:2] for c in calls] == [["consent", "default"], ["consent", "update"]]
    default, update = calls[0][2], calls[1][2]
    assert {s for s in SIGNALS if default[s] == "granted"} == set()
    assert {s for s in SIGNALS if update[s] == "granted"} == granted
    context.close()
