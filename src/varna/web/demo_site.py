"""``/demo-site/``: the demo company's small website (``varna serve --demo``), to see the cookie
banner work and the cookie scan find something.

Ten pages load a statistics script and a marketing pixel the way a site should: as
``<script type="text/plain" data-category=...>``, run by the banner only after consent. One page,
the campaign page, carries a planted mistake: it loads the pixel directly, so the pixel's cookie
is set before the visitor has chosen anything (Lag (2022:482) om elektronisk kommunikation
9 kap. 28 §) - the finding ``varna cookies scan`` is expected to report. Everything is served
locally: the demo needs no network.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse

from varna.texts import N_
from varna.web.pages import render_page
from varna.web.responses import operation_id

router = APIRouter(include_in_schema=False, generate_unique_id_function=operation_id)

PREFIX = "/demo-site/"

#: slug -> (title, text); the start page's slug is empty
PAGES: dict[str, tuple[str, str]] = {
    "": (N_("Welcome"), N_("Care technology that lets people live at home longer.")),
    "about": (N_("About us"), N_("We build safety alarms and planning tools for home care.")),
    "services": (N_("Our services"), N_("Safety alarms, visit planning and care journals.")),
    "alarm": (N_("Safety alarm"), N_("An alarm at home that reaches the care staff at once.")),
    "planning": (N_("Visit planning"), N_("Plan the day's home care visits in one place.")),
    "prices": (N_("Prices"), N_("Municipalities and care companies pay per user and month.")),
    "campaign": (N_("Campaign"), N_("Try the safety alarm free for three months this winter.")),
    "news": (N_("News"), N_("Our visit planning is now used in twelve municipalities.")),
    "jobs": (N_("Jobs"), N_("We are looking for a developer who cares about privacy.")),
    "contact": (N_("Contact"), N_("Call or write to us on weekdays between eight and five.")),
}
PLANTED = "campaign"
"""The page that loads the marketing pixel without waiting for consent."""

Slug = Annotated[str, Path(pattern="^(" + "|".join(s for s in PAGES if s) + ")$")]


def _page(slug: str) -> HTMLResponse:
    title, text = PAGES[slug]
    nav = [(s, PAGES[s][0]) for s in PAGES]
    return HTMLResponse(
        render_page(
            "demo_site/page.html.j2",
            lang="sv",
            prefix=PREFIX,
            slug=slug,
            title=title,
            text=text,
            nav=nav,
            planted=slug == PLANTED,
        )
    )


@router.get("/demo-site/", response_class=HTMLResponse)
def start() -> HTMLResponse:
    """The demo site's start page."""
    return _page("")


@router.get("/demo-site/{slug}", response_class=HTMLResponse)
def page(slug: Slug) -> HTMLResponse:
    """One page of the demo site."""
    return _page(slug)
