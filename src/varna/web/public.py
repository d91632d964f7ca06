"""The public privacy centre: pages a person reads without signing in, in Swedish and English,
each working without JavaScript."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from varna.dsr.requests import Kind
from varna.web.pages import LANGUAGES, pick_language, render_page

router = APIRouter(include_in_schema=False)

Lang = Annotated[str, Path(pattern="^(" + "|".join(LANGUAGES) + ")$")]


@router.get("/")
def root(accept_language: Annotated[str | None, Header()] = None) -> RedirectResponse:
    """The centre in the visitor's language (Accept-Language), Swedish by default."""
    return RedirectResponse(f"/{pick_language(accept_language)}/", status_code=303)


@router.get("/{lang}/", response_class=HTMLResponse)
def home(request: Request, lang: Lang) -> HTMLResponse:
    """Who the controller is, how to reach them, the policy and the person's rights."""
    varna = request.app.state.varna
    register = varna.register
    return HTMLResponse(
        render_page(
            "home.html.j2",
            lang=lang,
            path="/",
            controller=register.controller,
            published=bool(varna.policy_versions()),
            kinds=[kind.value for kind in Kind],
        )
    )


@router.get("/{lang}/policy", response_class=HTMLResponse)
def policy(request: Request, lang: Lang) -> HTMLResponse:
    """The privacy policy in force: the newest published version."""
    return _version(request, lang, None)


@router.get("/{lang}/policy/versions", response_class=HTMLResponse)
def versions(request: Request, lang: Lang) -> HTMLResponse:
    """Every published version with its date and what changed."""
    varna = request.app.state.varna
    history = list(enumerate(varna.policy_versions(), start=1))
    return HTMLResponse(
        render_page(
            "versions.html.j2",
            lang=lang,
            path="/policy/versions",
            controller=varna.register.controller,
            versions=list(reversed(history)),
        )
    )


@router.get("/{lang}/policy/versions/{number}", response_class=HTMLResponse)
def version(request: Request, lang: Lang, number: int) -> HTMLResponse:
    """One published version, as it was published."""
    return _version(request, lang, number)


def _version(request: Request, lang: str, number: int | None) -> HTMLResponse:
    varna = request.app.state.varna
    published = varna.published_policy(lang=lang, number=number)
    return HTMLResponse(
        render_page(
            "policy.html.j2",
            lang=lang,
            path="/policy" if number is None else f"/policy/versions/{number}",
            controller=varna.register.controller,
            published=published,
            doc=published.document,
            latest=published.latest,
        )
    )
