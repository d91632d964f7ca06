"""The privacy centre in a real browser (Debian's Chromium driven by Playwright) against a real
server and a real SMTP server: a person asks for their extract in Swedish using only the
keyboard, with a lower-case address the CRM stores in upper case; an erasure waits for a second
staff member; axe-core finds no serious or critical accessibility violation on any public page."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from varna.core import Varna
from varna.demo.hostile import HostileCases, add_hostile_data
from varna.settings import Settings

from .banner_site import served
from .conftest import Inbox
from .publishing import publish

CHROMIUM = Path("/usr/bin/chromium")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


class Live:
    """A served centre: its address, the service behind it, the inbox and the hostile cases."""

    def __init__(self, base: str, varna: Varna, inbox: Inbox, cases: HostileCases) -> None:
        self.base, self.varna, self.inbox, self.cases = base, varna, inbox, cases


@pytest.fixture
def live(demo_company: Callable[[int], Path], smtp: tuple[Inbox, str]) -> Iterator[Live]:
    demo = demo_company(60)
    cases = add_hostile_data(demo)
    inbox, url = smtp
    varna = Varna(Settings(smtp_url=url))
    publish(varna, day=date(2026, 1, 1))
    try:
        with served(varna, demo_site=False) as base:
            yield Live(base, varna, inbox, cases)
    finally:
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


def tab_to(page: Page, selector: str, *, most: int = 40) -> None:
    """Press Tab until the element matching ``selector`` has the focus (keyboard only)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def ask_by_keyboard(page: Page, live: Live, kind: str, email: str) -> None:
    """From the centre's start page to the status page, with the keyboard alone."""
    page.goto(f"{live.base}/sv/")
    tab_to(page, f'a[href="/sv/requests/new/{kind}"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sv/requests/new/{kind}")
    tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "form.request button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sv/verify/**")
    tab_to(page, "#code")
    page.keyboard.type(live.inbox.code_for(email))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/sv/requests/R-.*"))


def test_a_person_gets_their_extract_with_the_keyboard_alone(
    live: Live, browser: Browser, tmp_path: Path
) -> None:
    person = live.cases.mixed_case_customer  # the CRM holds the address in upper case
    page = browser.new_page(accept_downloads=True)
    ask_by_keyboard(page, live, "access", person.email)
    assert page.locator("dd", has_text="Besvarat").count() == 1
    with page.expect_download() as waiting:
        page.locator("ul.answers a").first.click()
    pdf = tmp_path / "extract.pdf"
    waiting.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert person.customer_no in text  # the upper-case CRM row was found
    assert person.email not in page.url


def test_an_erasure_waits_for_a_second_staff_member(live: Live, browser: Browser) -> None:
    person = live.cases.ip_customers[0]
    page = browser.new_page()
    ask_by_keyboard(page, live, "erasure", person.email)
    status_url = page.url
    assert page.locator("dd", has_text="Bekräftat: förbereds").count() == 1
    ref = status_url.rsplit("/", 1)[1].rsplit(".", 1)[0]
    from varna.dsr.requests import Actor, Role

    anna, bo = Actor("anna", Role.case_handler), Actor("bo", Role.case_handler)
    live.varna.execute_request(ref, actor=anna, now=NOW)
    page.goto(status_url)
    assert page.locator("dd", has_text="Väntar på godkännande av en handläggare").count() == 1
    with pytest.raises(Exception, match="four eyes"):
        live.varna.approve(ref, actor=anna, now=NOW)
    live.varna.approve(ref, actor=bo, now=NOW)
    live.varna.execute_request(ref, actor=bo, now=NOW)
    page.goto(status_url)
    assert page.locator("dd", has_text="Besvarat").count() == 1
    assert page.locator("ul.answers a").count() == 1  # the erasure receipt


def public_pages(live: Live, browser: Browser) -> list[str]:
    """Every kind of public page, the code and status pages included."""
    pages = [
        "/sv/",
        "/en/",
        "/sv/policy",
        "/en/policy",
        "/sv/policy/versions",
        "/sv/policy/versions/1",
        "/sv/nowhere",
    ]
    pages += [f"/{lang}/requests/new/{k}" for lang in ("sv", "en") for k in ("access", "erasure")]
    pages += ["/sv/requests/new/rectification", "/sv/requests/new/restriction"]
    person = live.cases.family_customers[0]
    page = browser.new_page()
    ask_by_keyboard(page, live, "access", person.email)
    pages.append(page.url.removeprefix(live.base))
    page.close()
    return pages


def test_no_serious_accessibility_violation_on_any_public_page(
    live: Live, browser: Browser
) -> None:
    axe = Axe()
    found: dict[str, list[str]] = {}
    for path in public_pages(live, browser):
        page = browser.new_page()
        page.goto(live.base + path)
        violations = axe.run(page).response["violations"]
        bad = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
        if bad:
            found[path] = bad
        page.close()
    assert found == {}
