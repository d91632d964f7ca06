"""The privacy centre's request pages: one form per right, the code, the status page and the
download of the answer. Every page works without JavaScript; every form carries a CSRF token;
no address or code ever appears in a URL."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varna.dsr.requests import Kind
from varna.errors import RequestError, VerificationError
from varna.web.csrf import check_csrf, csrf_token, with_csrf_cookie
from varna.web.pages import render_page
from varna.web.public import Lang, policy_cache
from varna.web.responses import operation_id

router = APIRouter(include_in_schema=False, generate_unique_id_function=operation_id)

KINDS = tuple(Kind)


def _now() -> datetime:
    return datetime.now(UTC)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/{lang}/requests/new/{kind}", response_class=HTMLResponse)
async def request_form(request: Request, lang: Lang, kind: Kind) -> HTMLResponse:
    """The form for one right: rendered once per language and right with a stand-in for the
    CSRF token, which each answer replaces with the visitor's own (answered on the event loop,
    without a trip to the thread pool)."""
    varna = request.app.state.varna

    def render() -> str:
        return render_page(
            "request_form.html.j2",
            lang=lang,
            controller=varna.register.controller,
            csrf=_TOKEN_STAND_IN,
            path=f"/requests/new/{kind.value}",
            kind=kind.value,
            kinds=[k.value for k in KINDS],
            error=None,
        )

    kept = policy_cache(request).fixed(varna, ("request_form", lang, kind.value), render)
    token = csrf_token(request)
    return _no_store(request, HTMLResponse(kept.replace(_TOKEN_STAND_IN, token)), token)


_TOKEN_STAND_IN = "csrf-token-stand-in-" + "x" * 23
"""Where a kept form page's CSRF token goes: the token's own alphabet and length, so it renders
exactly as a token would and is found only where the template put one."""


def _form_page(
    request: Request, template: str, *, lang: str, status: int = 200, **context: object
) -> HTMLResponse:
    """A page with a form: a fresh CSRF token in the form and its cookie, never cached."""
    token = csrf_token(request)
    controller = request.app.state.varna.register.controller
    page = render_page(template, lang=lang, controller=controller, csrf=token, **context)
    return _no_store(request, HTMLResponse(page, status_code=status), token)


def _no_store(request: Request, page: HTMLResponse, token: str) -> HTMLResponse:
    """``page`` setting the CSRF token's cookie, never cached."""
    response = with_csrf_cookie(request, page, token)
    assert isinstance(response, HTMLResponse)
    response.headers["cache-control"] = "no-store"
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
    return _form_page(
        request,
        "code_form.html.j2",
        status=status,
        lang=lang,
        path=f"/verify/{challenge}",
        challenge=challenge,
        offers=request.app.state.varna.verifier_offers(),
        error=error,
    )


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


@router.post("/{lang}/verify/{challenge}/with/{verifier}", response_model=None)
def start_other(
    request: Request,
    lang: Lang,
    challenge: str,
    verifier: str,
    kind: Annotated[str, Form(max_length=40)],
    value: Annotated[str, Form(max_length=100)],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    """Prove who one is with another verifier (an e-ID, a code by letter) instead of the
    e-mail code: the verifier's next step, or the code page again with what went wrong."""
    check_csrf(request, csrf_token_field)
    varna = request.app.state.varna
    try:
        started = varna.start_other_verifier(
            challenge,
            verifier,
            kind=kind,
            value=value,
            client=_client(request),
            now=_now(),
            lang=lang,
        )
    except VerificationError as exc:
        return _code_page(request, lang, challenge, error=exc.reason, status=422)
    except RequestError:  # the identity typed is not one (a personnummer's checksum, say)
        return _code_page(request, lang, challenge, error="identity", status=422)
    step = started.challenge
    if step.prompt == "redirect":  # the provider sends the person back to .../return
        return RedirectResponse(step.data["url"], status_code=303)
    return _step_page(
        request, lang, verifier, step.id, started.claim, prompt=step.prompt, data=step.data
    )


def _step_page(
    request: Request,
    lang: str,
    verifier: str,
    challenge: str,
    claim: str,
    *,
    prompt: str,
    data: Mapping[str, str] | None = None,
    error: str | None = None,
) -> HTMLResponse:
    offers = request.app.state.varna.verifier_offers()
    offer = next((o for o in offers if o.name == verifier), None)
    return _form_page(
        request,
        "verifier_step.html.j2",
        status=200 if error is None else 422,
        lang=lang,
        path=f"/verify-with/{verifier}/{challenge}",
        verifier=verifier,
        label=offer.label.get(lang, verifier) if offer else verifier,
        challenge=challenge,
        claim=claim,
        prompt=prompt if prompt in ("code", "app") else "code",
        data=data or {},
        error=error,
    )


@router.post("/{lang}/verify-with/{verifier}/{challenge}", response_model=None)
def complete_other(
    request: Request,
    lang: Lang,
    verifier: str,
    challenge: str,
    claim: Annotated[str, Form(max_length=2000)],
    prompt: Annotated[str, Form(max_length=20)] = "code",
    code: Annotated[str | None, Form(max_length=40)] = None,
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    """The person's answer to the other verifier (a code typed, or "I have confirmed in the
    app"); on success go to the request's status page."""
    check_csrf(request, csrf_token_field)
    varna = request.app.state.varna
    answer = {"code": code} if code else {}
    try:
        confirmation = varna.complete_verification(
            verifier, challenge, answer, now=_now(), claim=claim
        )
    except VerificationError as exc:
        return _step_page(
            request, lang, verifier, challenge, claim, prompt=prompt, error=exc.reason
        )
    return RedirectResponse(f"/{lang}/requests/{confirmation.token}", status_code=303)


@router.get("/{lang}/verify-with/{verifier}/{challenge}/return", response_class=HTMLResponse)
def returned(request: Request, lang: Lang, verifier: str, challenge: str) -> Response:
    """Where a provider that took the person away (``redirect``) sends them back: its answer
    is in the query, checked by the verifier; the page shows the outcome."""
    varna = request.app.state.varna
    try:
        confirmation = varna.complete_verification(
            verifier, challenge, dict(request.query_params), now=_now()
        )
    except VerificationError as exc:
        return _step_page(request, lang, verifier, challenge, "", prompt="app", error=exc.reason)
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
