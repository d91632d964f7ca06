"""The web application: one FastAPI app serving the privacy centre, the API and its docs.

``create_app(varna)`` builds it around one ``Varna`` (one per process); ``varna serve`` runs it
under uvicorn. Health (``/healthz``: the process answers) and readiness (``/readyz``: the register
loads and the state database answers) are for load balancers and systemd.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from varna import __version__
from varna.errors import SettingsError, VarnaError
from varna.web import (
    api,
    api_breaches,
    api_consent,
    api_keys,
    api_requests,
    api_webhooks,
    consent_banner,
    consent_pages,
    console,
    public,
    requests,
)
from varna.web import demo_site as demo_website
from varna.web.pages import LANGUAGES, render_page
from varna.web.problems import PROBLEM_TYPE_BASE, problem_for
from varna.web.ratelimit import Limits, RateLimitMiddleware
from varna.web.responses import add_routes, operation_id, problems_in_openapi, validation_problem
from varna.web.security import SecurityMiddleware

if TYPE_CHECKING:
    from varna.core import Varna


SURFACES = ("public", "internal")
"""``public``: the privacy centre (the only part that faces the internet); ``internal``: the REST
API and its docs and the console at ``/console``, for staff and the organisation's systems."""


def app_from_settings() -> FastAPI:
    """The application for this process's settings (``VARNA_*``): what ``varna serve`` and every
    uvicorn worker build."""
    from varna.core import Varna
    from varna.settings import Settings
    from varna.state.queue import is_postgresql

    settings = Settings()
    varna = Varna(settings)
    if is_postgresql(settings.state_url):  # the queue (procrastinate) is not imported on SQLite
        from varna.jobs.queue import dispatcher, notice_dispatcher

        varna.dispatcher = dispatcher(settings)  # PostgreSQL: requests go to the workers
        varna.notice_dispatcher = notice_dispatcher(settings)  # and e-mails and webhooks too
    from varna import heap

    chosen = os.environ.get("VARNA_SERVE_SURFACES", ",".join(SURFACES)).split(",")
    demo = os.environ.get("VARNA_SERVE_DEMO_SITE") == "1"
    app = create_app(varna, surfaces=[s for s in chosen if s], demo_site=demo)
    heap.settle()  # what start-up made stays: the collector stops scanning it
    return app


def create_app(
    varna: Varna, *, surfaces: Sequence[str] = SURFACES, demo_site: bool = False
) -> FastAPI:
    """The application serving ``varna``: the ``surfaces`` it answers for (both by default; a
    deployment runs the public centre and the internal API on separate addresses); with
    ``demo_site``, the demo company's website at ``/demo-site/`` too."""
    unknown = set(surfaces) - set(SURFACES)
    if unknown or not surfaces:
        raise SettingsError(
            f"serve surfaces must be some of {', '.join(SURFACES)} "
            f"(got {', '.join(sorted(unknown)) or 'none'})"
        )
    internal = "internal" in surfaces
    app = FastAPI(
        title="Varna",
        version=__version__,
        summary="The privacy centre and the API of an organisation's executable privacy policy.",
        openapi_url="/api/openapi.json" if internal else None,
        docs_url="/api/docs" if internal else None,
        redoc_url=None,
        generate_unique_id_function=operation_id,
    )
    app.state.varna = varna
    limits = Limits(api=varna.settings.rate_limit_api, forms=varna.settings.rate_limit_forms)
    if internal:  # innermost: behind the rate limits and the security headers
        app.add_middleware(api_consent.CheckLane)
    # several processes share a PostgreSQL state: so do their limits
    shared = varna.count_client_request if varna.state.dialect == "postgresql" else None
    app.add_middleware(RateLimitMiddleware, limits=limits, shared=shared)
    app.add_middleware(SecurityMiddleware)  # added last: outermost, so 429s carry the headers

    @app.get("/assets/document.css", include_in_schema=False)
    def document_stylesheet() -> Response:
        """The stylesheet of rendered documents, shared with the standalone HTML writer."""
        from varna.render.writers import document_css  # imports Typst: not at start-up

        return Response(document_css(), media_type="text/css")

    app.mount("/static", StaticFiles(packages=[("varna.web", "static")]), name="static")
    if internal:
        # Routes are matched in order: the consent checks, the organisation's systems' hot
        # path, come first (behind them they were tried against some 90 routes per call).
        add_routes(app, api_consent.router)
        add_routes(app, api.router)
        add_routes(app, api_requests.router)
        add_routes(app, api_keys.router)
        add_routes(app, api_webhooks.router)
        add_routes(app, api_webhooks.notices_router)
        console.mount(app)
        add_routes(app, api_breaches.router)
    if "public" in surfaces:
        if demo_site:  # before the centre's /{lang}/ pages
            add_routes(app, demo_website.router)
        add_routes(app, requests.router)
        add_routes(app, consent_pages.router)
        add_routes(app, public.router)
        add_routes(app, api_consent.public_router)
        add_routes(app, consent_banner.router)
    app.add_exception_handler(VarnaError, _varna_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, validation_problem)
    problems_in_openapi(app)

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, str]:
        """The process answers."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"])
    def readyz(request: Request) -> JSONResponse:
        """The register loads and the state database answers (503 with the reasons if not)."""
        result = request.app.state.varna.readiness()
        body = {"ready": result.ready, "register": result.register, "state": result.state}
        return JSONResponse(body, status_code=200 if result.ready else 503)

    return app


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


def _page_lang(request: Request) -> str:
    first = request.url.path.strip("/").split("/")[0]
    return first if first in LANGUAGES else LANGUAGES[0]


async def _varna_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, VarnaError)
    status, body = problem_for(exc)
    retry = getattr(exc, "retry_after", None)
    headers = {"retry-after": str(retry)} if status == 429 and retry else None
    if _wants_html(request):
        page = _error_page(request, status, body["detail"])
        page.headers.update(headers or {})
        return page
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if _wants_html(request):
        return _error_page(request, exc.status_code, None)
    body = {
        "type": PROBLEM_TYPE_BASE + "http",
        "title": str(exc.detail),
        "status": exc.status_code,
    }
    return JSONResponse(
        body,
        status_code=exc.status_code,
        media_type="application/problem+json",
        headers=exc.headers,
    )


def _error_page(request: Request, status: int, detail: str | None) -> HTMLResponse:
    lang = _page_lang(request)
    page = render_page("error.html.j2", lang=lang, path="/", status=status, detail=detail)
    return HTMLResponse(page, status_code=status)
