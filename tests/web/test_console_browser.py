"""The console in a real browser (Debian's Chromium driven by Playwright) against a real server:
a case handler signs in with a TOTP code computed here, prepares an erasure and cannot approve it
herself; a second case handler can. A session left idle past 15 minutes on the test's clock
ends. axe-core finds no serious or critical violation on any console page."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from varna.core import Varna
from varna.dsr.requests import Kind
from varna.settings import Settings
from varna.web.app import create_app

from .conftest import Inbox
from .console_people import PASSWORD, Staff, a_customer, make_staff, received

CHROMIUM = Path("/usr/bin/chromium")


class Live:
    def __init__(self, base: str, varna: Varna, staff: Staff, demo: Path) -> None:
        self.base, self.varna, self.staff, self.demo = base, varna, staff, demo


@pytest.fixture
def live(demo_company: Callable[[int], Path], smtp: tuple[Inbox, str]) -> Iterator[Live]:
    demo = demo_company(40)
    _, url = smtp
    varna = Varna(Settings(smtp_url=url))  # type: ignore[arg-type]
    staff = make_staff(varna)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(varna), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield Live(f"http://127.0.0.1:{port}", varna, staff, demo)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        varna.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian's chromium is missing: run scripts/install-system-deps"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


def sign_in(page: Page, live: Live, name: str) -> None:
    """Sign in as a person would: name, password, then the code the app shows now."""
    page.goto(f"{live.base}/console")
    page.wait_for_url("**/console/sign-in")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("form.request button")
    page.wait_for_url("**/console/code")
    page.fill("#code", live.staff.code(name))
    page.click("form.request button")
    page.wait_for_url("**/console")
    live.staff.clock.advance(seconds=30)  # the next sign-in gets a fresh code


def test_four_eyes_in_the_browser(live: Live, browser: Browser) -> None:
    email = a_customer(live.demo)
    ref = received(live.varna, email, Kind.erasure)
    anna = browser.new_context(locale="en-GB").new_page()
    sign_in(anna, live, "handler.anna")
    anna.click('a[href="/console/requests"]')
    anna.click(f'a[href="/console/requests/{ref}"]')
    anna.fill("#reason-verify", "Passport shown at the desk")
    anna.click("form.move-verify button")
    anna.click("form.move-plan button")
    assert anna.locator("dd.state").inner_text() == "Awaiting approval"
    anna.click("form.move-approve button")
    assert anna.locator('p.error[data-reason="four_eyes"]').is_visible()
    assert live.varna.show(ref).status.record.state == "awaiting_approval"
    bo = browser.new_context(locale="sv-SE").new_page()
    sign_in(bo, live, "handler.bo")
    bo.goto(f"{live.base}/console/requests?state=awaiting_approval")
    bo.click(f'a[href="/console/requests/{ref}"]')
    bo.click("form.move-approve button")
    assert bo.locator("dd.state").inner_text() == "Besvarat"
    assert bo.locator("dd.approved").inner_text() == "case_handler:handler.bo"
    with sqlite3.connect(live.demo / "data" / "crm.db") as crm:
        row = crm.execute("SELECT email FROM customers WHERE email = ?", (email,)).fetchone()
    assert row is None


def test_an_idle_session_ends(live: Live, browser: Browser) -> None:
    page = browser.new_page()
    sign_in(page, live, "dpo.dag")
    live.staff.clock.advance(minutes=10)
    page.goto(f"{live.base}/console/requests")
    assert page.url.endswith("/console/requests")
    live.staff.clock.advance(minutes=15, seconds=1)
    page.goto(f"{live.base}/console/requests")
    assert page.url.endswith("/console/sign-in")


def test_no_serious_accessibility_violation_on_any_console_page(
    live: Live, browser: Browser
) -> None:
    ref = received(live.varna, a_customer(live.demo), Kind.access)
    page = browser.new_page()
    page.goto(f"{live.base}/console/sign-in")
    axe = Axe()
    found: dict[str, list[str]] = {}

    def check(path: str, on: Page = page) -> None:
        on.goto(f"{live.base}{path}")
        violations = axe.run(on).response["violations"]
        bad = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
        if bad:
            found[path] = bad

    check("/console/sign-in")
    sign_in(page, live, "dpo.dag")
    for path in (
        "/console",
        "/console/requests",
        f"/console/requests/{ref}",
        "/console/audit",
        "/console/register",
        "/console/retention",
        "/console/policy",
        "/console/staff",
    ):
        check(path)
    admin = browser.new_page()
    admin.goto(f"{live.base}/console/sign-in")
    sign_in(admin, live, "admin.ada")
    check("/console/settings", admin)
    assert found == {}
