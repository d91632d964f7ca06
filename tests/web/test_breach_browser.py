"""The breach register in a real browser (Debian's Chromium, Playwright) against a real server,
with the console's browser fixtures: a DPO records a breach, sees its clock, the test's clock
passes 72 hours and the breach shows as overdue, the IMY notification prints as a PDF; axe-core
finds no serious or critical violation on the breach pages."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from .test_console_browser import Live, browser, live, sign_in  # noqa: F401 - fixtures


def test_a_breach_passes_72_hours_and_shows_overdue(live: Live, browser: Browser) -> None:  # noqa: F811
    page = browser.new_context(locale="en-GB").new_page()
    sign_in(page, live, "dpo.dag")
    page.click('a[href="/console/breaches"]')
    page.click('a[href="/console/breaches/new"]')
    page.fill("#f-title", "Invoices e-mailed to the wrong customers")
    page.check("#f-nature-confidentiality")
    page.select_option("#f-systems", ["billing.invoices"])
    page.click("form.request button[type=submit]")
    page.wait_for_url(re.compile(r".*/console/breaches/B-\d{8}-\w{4}$"))
    ref = page.url.rsplit("/", 1)[1]
    assert re.fullmatch(r"7[12]h \d\dm left", page.locator("dd.clock").inner_text())
    axe = Axe()
    bad: dict[str, list[str]] = {}
    for path in (
        "/console/breaches",
        f"/console/breaches/{ref}",
        f"/console/breaches/{ref}/imy",
        "/console/breaches/new",
        "/console",
    ):
        page.goto(f"{live.base}{path}")
        violations = axe.run(page).response["violations"]
        found = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
        if found:
            bad[path] = found
    assert bad == {}
    live.staff.clock.advance(hours=73)
    sign_in(page, live, "dpo.dag")
    page.goto(f"{live.base}/console/breaches/{ref}")
    assert page.locator("dd.clock strong.overdue").inner_text().startswith("Overdue by")
    page.goto(f"{live.base}/console")
    assert page.locator("section.breaches strong.overdue").is_visible()
    page.goto(f"{live.base}/console/breaches/{ref}/imy")
    assert page.locator("table.imy tbody tr").count() == 35
    pdf = page.request.get(f"{live.base}/console/breaches/{ref}/imy?format=pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
