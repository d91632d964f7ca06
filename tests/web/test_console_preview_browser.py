"""The request's preview and the auditor's view in a real browser (Debian's Chromium driven by
Playwright): an auditor sees pseudonyms only, a user without ``special_categories`` sees the
care notes masked, one with it shows them after giving a reason, and axe-core finds no serious
or critical violation on the preview, masked or shown."""

from __future__ import annotations

import sqlite3

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from varna.core.console_ops import MASK
from varna.dsr.requests import Kind

from . import test_console_browser as in_browser
from .console_people import a_customer, received
from .test_console_browser import Live, sign_in
from .test_console_preview import a_care_recipient, audit_entries, care_request

live = in_browser.live  # the fixtures of the console's browser tests
browser = in_browser.browser


def serious(page: Page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


def test_an_auditor_sees_pseudonyms_only(live: Live, browser: Browser) -> None:
    email = a_customer(live.demo)
    with sqlite3.connect(live.demo / "data" / "crm.db") as crm:
        name, personnummer = crm.execute(
            "SELECT name, personnummer FROM customers WHERE email = ?", (email,)
        ).fetchone()
    ref = received(live.varna, email, Kind.access)
    page = browser.new_context(locale="en-GB").new_page()
    sign_in(page, live, "auditor.aud")
    shown: list[str] = []
    page.goto(f"{live.base}/console/requests")
    shown.append(page.content())
    page.goto(f"{live.base}/console/requests/{ref}")
    shown.append(page.content())
    assert page.locator("dd code").inner_text()  # the pseudonym
    page.goto(f"{live.base}/console/audit")
    page.fill("#identity", f"email={email}")
    page.fill("#audit-reason", "Checking a complaint")
    page.click('form[action="/console/audit/subject"] button')
    shown.append(page.content())
    assert "dsr.request.received" in shown[-1]  # the events are found by the pseudonym
    for html in shown:
        assert email not in html
        assert name not in html
        assert personnummer not in html
    assert serious(page) == []


def test_health_notes_are_masked_until_a_reason_is_given(live: Live, browser: Browser) -> None:
    recipient, note = a_care_recipient(live.demo)
    ref = care_request(live.varna, recipient)
    anna = browser.new_context(locale="en-GB").new_page()
    sign_in(anna, live, "handler.anna")
    anna.goto(f"{live.base}/console/requests/{ref}")
    cells = anna.locator('table[data-table="care.care_notes"] td.masked[data-column="note"]')
    assert cells.count() >= 1
    assert cells.first.inner_text() == MASK
    assert note not in anna.content()
    assert anna.locator("#unmask").count() == 0
    assert serious(anna) == []
    sam = browser.new_context(locale="sv-SE").new_page()
    sign_in(sam, live, "handler.sam")
    sam.goto(f"{live.base}/console/requests/{ref}")
    assert note not in sam.content()
    assert sam.locator("#unmask").inner_text() == "Visa känsliga uppgifter"
    sam.fill("#unmask-reason", "Klagomål på nattillsynen")
    sam.click("#unmask")
    assert sam.locator("#unmasked-note").is_visible()
    assert note in sam.content()
    assert sam.locator("td.masked").count() == 0
    assert serious(sam) == []
    [entry] = audit_entries(live.varna, "console.request.unmasked")
    assert (entry["actor"], entry["target"]) == ("console:handler.sam", f"request:{ref}")
    assert entry["details"]["reason"] == "Klagomål på nattillsynen"
