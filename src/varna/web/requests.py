"""The privacy centre's request pages: one form per right, the code, the status page and the
download of the answer. Every page works without JavaScript; every form carries a CSRF token;
no address or code ever appears in a URL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varna.dsr.requests import Kind
from varna.errors import VerificationError
from varna.web.csrf import check_csrf, csrf_token, with_csrf_cookie
from varna.web.pages import render_page
from varna.web.public import Lang

router = APIRouter(include_in_schema=False)

KINDS = tuple(Kind)


def _now() -> datetime:
    return datetime.now(UTC)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/{lang}/requests/new/{kind}", response_class=HTMLResponse)
def request_form(request: Request, lang: Lang, kind: Kind) -> HTMLResponse:
    """The form for one right."""
    token = csrf_token(request)
    page = render_page(
        "request_form.html.j2",
        lang=lang,
        path=f"/requests/new/{kind.value}",
        controller=request.app.state.varna.register.controller,
        kind=kind.value,
        kinds=[k.value for k in KINDS],
        csrf=token,
        error=None,
    )
    response = with_csrf_cookie(request, HTMLResponse(page), token)
    assert isinstance(response, HTMLResponse)
    return response


@router.post("/{lang}/requests")
def submit(
    request: Request,
    lang: Lang,
    kind: Annotated[Kind, Form()],
    email: Annotated[str, Form(max_length=320)],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
    note: Annotated[str | None, Form(max_length=2000)] = None,
) -> RedirectResponse:
    """Record the request and send the code; the next page asks for it."""
    check_csrf(request, csrf_token_field)
    varna = request.app.state.varna
    submission = varna.submit_request(
        kind=kind, email=email, client=_client(request), now=_now(), lang=lang, note=note or None
    )
    return RedirectResponse(f"/{lang}/verify/{submission.challenge}", status_code=303)


@router.get("/{lang}/verify/{challenge}", response_class=HTMLResponse)
def code_form(request: Request, lang: Lang, challenge: str) -> HTMLResponse:
    """Where the person types the code from the e-mail."""
    return _code_page(request, lang, challenge, error=None, status=200)


def _code_page(
    request: Request, lang: str, challenge: str, *, error: str | None, status: int
) -> HTMLResponse:
    token = csrf_token(request)
    page = render_page(
        "code_form.html.j2",
        lang=lang,
        path=f"/verify/{challenge}",
        controller=request.app.state.varna.register.controller,
        challenge=challenge,
        csrf=token,
        error=error,
    )
    response = with_csrf_cookie(request, HTMLResponse(page, status_code=status), token)
    assert isinstance(response, HTMLResponse)
    return response


@router.post("/{lang}/verify/{challenge}", response_model=None)
def confirm(
    request: Request,
    lang: Lang,
    challenge: str,
    code: Annotated[str, Form(max_length=20)],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    """Check the code; on success go to the request's status page."""
    check_csrf(request, csrf_token_field)
    varna = request.app.state.varna
    try:
        confirmation = varna.confirm_code(challenge, code, now=_now())
    except VerificationError as exc:
        return _code_page(request, lang, challenge, error=exc.reason, status=422)
    return RedirectResponse(f"/{lang}/requests/{confirmation.token}", status_code=303)


@router.get("/{lang}/requests/{token}", response_class=HTMLResponse)
def status_page(request: Request, lang: Lang, token: str) -> HTMLResponse:
    """The request's state, deadline and answers."""
    varna = request.app.state.varna
    public = varna.request_status(token)
    today = _now().date()
    response = HTMLResponse(
        render_page(
            "request_status.html.j2",
            lang=lang,
            path=f"/requests/{token}",
            controller=varna.register.controller,
            token=token,
            status=public.status,
            view=public.status.view,
            answers=public.answers,
            days_left=public.status.days_left(today),
        )
    )
    response.headers["cache-control"] = "no-store"
    return response


@router.get("/{lang}/requests/{token}/answers/{answer_id}")
def download(request: Request, lang: Lang, token: str, answer_id: str) -> Response:
    """One download of the answer (audited), never cached."""
    answer = request.app.state.varna.download_answer(token, answer_id, now=_now())
    return Response(
        answer.content,
        media_type=answer.media_type,
        headers={
            "content-disposition": f'attachment; filename="{answer.filename}"',
            "cache-control": "no-store",
        },
    )
