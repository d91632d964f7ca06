"""The privacy centre's withdrawal page (GDPR Art. 7(3): withdrawing is as easy as giving).

A newsletter's link opens ``/{lang}/consent/withdraw/{token}``: the page names the purposes and
has one button; pressing it withdraws. Opening the link changes nothing, so a mail filter that
follows links cannot withdraw for the person. A mail client's one-click unsubscribe (RFC 8058,
``List-Unsubscribe-Post: List-Unsubscribe=One-Click``) posts to the same address. The token is
the person's identities and purposes sealed under the installation key: it names no address,
needs no login and is its own proof of the right to withdraw, so the form carries no CSRF token.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from varna.web.pages import render_page
from varna.web.public import Lang
from varna.web.responses import operation_id

router = APIRouter(include_in_schema=False, generate_unique_id_function=operation_id)


def _page(request: Request, lang: str, token: str, **context: object) -> HTMLResponse:
    varna = request.app.state.varna
    response = HTMLResponse(
        render_page(
            "consent_withdraw.html.j2",
            lang=lang,
            path=f"/consent/withdraw/{token}",
            controller=varna.register.controller,
            token=token,
            **context,
        )
    )
    response.headers["cache-control"] = "no-store"
    response.headers["referrer-policy"] = "no-referrer"
    return response


@router.get("/{lang}/consent/withdraw/{token}", response_class=HTMLResponse)
def withdraw_page(request: Request, lang: Lang, token: str) -> HTMLResponse:
    """What the link withdraws, and the one button."""
    purposes = request.app.state.varna.withdrawal_link_purposes(token, lang=lang)
    return _page(request, lang, token, purposes=[label for _, label in purposes], done=False)


@router.post("/{lang}/consent/withdraw/{token}", response_class=HTMLResponse)
def withdraw(request: Request, lang: Lang, token: str) -> HTMLResponse:
    """Withdraw (the button, or a mail client's one-click unsubscribe)."""
    done = request.app.state.varna.withdraw_by_link(token, now=datetime.now(UTC), lang=lang)
    return _page(request, lang, token, purposes=list(done.labels), done=True)
