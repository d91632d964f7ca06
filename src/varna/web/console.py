"""The DPO console at ``/console`` on the internal surface: sign-in with a password and a TOTP
code, then the overview, the request queue and each request (approve, refuse, extend, with four
eyes), the audit log and the register.

Each route calls one ``Varna`` method and renders its result; the permission a route needs is
declared with :func:`~varna.web.console_auth.need` and looked up in the one map in
:mod:`varna.core.user_ops`. Every page works without JavaScript; every form carries a CSRF token.
"""

from __future__ import annotations

import io
from datetime import date
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from varna.core.console_ops import ConsoleAction, Due
from varna.core.settings_ops import SettingsPage
from varna.core.staff_ops import PolicyEventKind
from varna.core.user_ops import ConsoleRole, ConsoleUser, Permission
from varna.dsr.requests import Kind, State
from varna.errors import AccessError, StateError, VarnaError
from varna.web.charts import bar_chart
from varna.web.console_auth import (
    COOKIE,
    LANG_COOKIE,
    PREFIX,
    SignInNeeded,
    clear_session_cookie,
    console_lang,
    need,
    now_of,
    session_user,
    set_session_cookie,
    varna_of,
)
from varna.web.csrf import check_csrf, csrf_token, with_csrf_cookie
from varna.web.pages import LANGUAGES, render_page
from varna.web.responses import add_routes, operation_id

router = APIRouter(prefix=PREFIX, include_in_schema=False, generate_unique_id_function=operation_id)

#: Routes anyone may reach (signing in and out, the language); every other console route
#: declares its permission with ``need`` (a test holds every route to this).
OPEN_ROUTES = frozenset(
    {
        ("GET", "/console/sign-in"),
        ("POST", "/console/sign-in"),
        ("GET", "/console/code"),
        ("POST", "/console/code"),
        ("POST", "/console/sign-out"),
        ("GET", "/console/language/{lang}"),
    }
)

Overview = Annotated[ConsoleUser, Depends(need(Permission.overview))]
RequestsReader = Annotated[ConsoleUser, Depends(need(Permission.requests_read))]
RequestsMover = Annotated[ConsoleUser, Depends(need(Permission.requests_move))]
SpecialReader = Annotated[ConsoleUser, Depends(need(Permission.special_categories))]
Auditor = Annotated[ConsoleUser, Depends(need(Permission.audit))]
RegisterReader = Annotated[ConsoleUser, Depends(need(Permission.register))]
RetentionReader = Annotated[ConsoleUser, Depends(need(Permission.retention))]
RetentionSigner = Annotated[ConsoleUser, Depends(need(Permission.retention_sign_off))]
StaffReader = Annotated[ConsoleUser, Depends(need(Permission.accountability))]
StaffRecorder = Annotated[ConsoleUser, Depends(need(Permission.accountability_record))]
Admin = Annotated[ConsoleUser, Depends(need(Permission.users))]
CsrfField = Annotated[str | None, Form(alias="csrf_token")]


class UserChange(StrEnum):
    """The changes to one user from the settings page."""

    disable = "disable"
    reset_2fa = "reset-2fa"


def mount(app: FastAPI) -> None:
    """Serve the console on ``app`` (the internal surface)."""
    add_routes(app, router)
    app.add_exception_handler(SignInNeeded, _to_sign_in)


async def _to_sign_in(request: Request, exc: Exception) -> Response:
    return RedirectResponse(f"{PREFIX}/sign-in", status_code=303)


def _page(
    request: Request,
    template: str,
    *,
    user: ConsoleUser | None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    token = csrf_token(request)
    lang = console_lang(request)
    body = render_page(
        f"console/{template}",
        lang=lang,
        path=request.url.path,
        user=user,
        csrf=token,
        Permission=Permission,
        **context,
    )
    response = HTMLResponse(body, status_code=status_code, headers=headers)
    with_csrf_cookie(request, response, token)
    response.headers["cache-control"] = "no-store"
    return response


def _see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


# -- signing in ----------------------------------------------------------------------------------


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request) -> Response:
    """The name and password."""
    if session_user(request) is not None:
        return _see_other(PREFIX)
    return _page(request, "sign_in.html.j2", user=None, error=None)


@router.post("/sign-in")
def sign_in(
    request: Request,
    name: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=256)],
    csrf: CsrfField = None,
) -> Response:
    """Check the password; then the TOTP code is asked for (a new session each step)."""
    check_csrf(request, csrf)
    try:
        done = varna_of(request).sign_in(
            name.strip(), password, now=now_of(request), previous=request.cookies.get(COOKIE)
        )
    except AccessError as exc:
        headers = {"retry-after": str(exc.retry_after)} if exc.retry_after else None
        status = 429 if exc.reason == "backoff" else 401
        return _page(
            request,
            "sign_in.html.j2",
            user=None,
            error=exc.reason,
            status_code=status,
            headers=headers,
            retry_after=exc.retry_after,
        )
    response = _see_other(f"{PREFIX}/code" if done.needs_code else PREFIX)
    set_session_cookie(request, response, done.session_id)
    return response


@router.get("/code", response_class=HTMLResponse)
def code_form(request: Request) -> Response:
    """The TOTP code from the authenticator app."""
    return _page(request, "code.html.j2", user=None, error=None)


@router.post("/code")
def code(
    request: Request,
    code_field: Annotated[str, Form(alias="code", max_length=20)],
    csrf: CsrfField = None,
) -> Response:
    """Check the code; on success the session is replaced by a new, complete one."""
    check_csrf(request, csrf)
    try:
        done = varna_of(request).confirm_sign_in(
            request.cookies.get(COOKIE) or "", code_field.replace(" ", ""), now=now_of(request)
        )
    except AccessError as exc:
        if exc.reason == "expired":
            return _see_other(f"{PREFIX}/sign-in")
        status = 429 if exc.reason == "backoff" else 401
        return _page(request, "code.html.j2", user=None, error=exc.reason, status_code=status)
    response = _see_other(PREFIX)
    set_session_cookie(request, response, done.session_id)
    return response


@router.post("/sign-out")
def sign_out(request: Request, csrf: CsrfField = None) -> Response:
    """End the session."""
    check_csrf(request, csrf)
    varna_of(request).sign_out(request.cookies.get(COOKIE) or "", now=now_of(request))
    response = _see_other(f"{PREFIX}/sign-in")
    clear_session_cookie(response)
    return response


@router.get("/language/{lang}")
def language(request: Request, lang: str) -> Response:
    """Switch the console's language (a cookie) and go back to the overview."""
    response = _see_other(PREFIX)
    if lang in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="strict", path=PREFIX)
    return response


# -- pages ---------------------------------------------------------------------------------------


@router.get("", response_class=HTMLResponse)
def overview(request: Request, user: Overview) -> Response:
    """What is due and how the machinery stands."""
    now = now_of(request)
    found = varna_of(request).console_overview(user, today=now.date(), now=now)
    open_breaches = None
    if user.can(Permission.breaches_read):
        open_breaches = varna_of(request).console_breaches(user, now=now, open_only=True)
    return _page(
        request,
        "overview.html.j2",
        user=user,
        overview=found,
        bar_chart=bar_chart,
        open_breaches=open_breaches,
    )


@router.get("/requests", response_class=HTMLResponse)
def queue(
    request: Request,
    user: RequestsReader,
    kind: Annotated[Kind | None, Query()] = None,
    state: Annotated[State | None, Query()] = None,
    due: Annotated[Due | None, Query()] = None,
    closed: Annotated[bool, Query()] = False,
    page: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    """One page of the requests, earliest deadline first, with filters."""
    today = now_of(request).date()
    found = varna_of(request).console_queue(
        user, today=today, open_only=not closed, kind=kind, state=state, due=due, page=page
    )
    chosen = {"kind": kind, "state": state, "due": due, "closed": closed}
    kept = {k: v.value if isinstance(v, StrEnum) else "true" for k, v in chosen.items() if v}
    return _page(
        request,
        "requests.html.j2",
        filters="".join(f"{urlencode({k: v})}&" for k, v in kept.items()),
        user=user,
        requests=found.requests,
        queue=found,
        today=today,
        chosen=chosen,
        kinds=list(Kind),
        states=list(State),
        dues=list(Due),
    )


@router.get("/requests/{ref}", response_class=HTMLResponse)
def request_page(request: Request, ref: str, user: RequestsReader) -> Response:
    """One request: verification, plan, conflicts, moves, and the moves the user may make."""
    case = varna_of(request).console_request(user, ref, now=now_of(request))
    return _page(request, "request.html.j2", user=user, case=case)


@router.post("/requests/{ref}/unmask", response_class=HTMLResponse)
def unmask(
    request: Request,
    ref: str,
    user: SpecialReader,
    reason: Annotated[str, Form(max_length=500)] = "",
    csrf: CsrfField = None,
) -> Response:
    """The request with its special-category values shown, after a reason (audited); declared
    before the moves so that ``unmask`` is not read as one."""
    check_csrf(request, csrf)
    case = varna_of(request).console_unmask(user, ref, reason=reason, now=now_of(request))
    status = 200 if case.error is None else 422
    return _page(request, "request.html.j2", user=user, case=case, status_code=status)


@router.post("/requests/{ref}/{action}")
def move(
    request: Request,
    ref: str,
    action: ConsoleAction,
    user: RequestsMover,
    reason: Annotated[str, Form(max_length=500)] = "",
    csrf: CsrfField = None,
) -> Response:
    """Make one move; a refused move shows the request again with the reason (409)."""
    check_csrf(request, csrf)
    case = varna_of(request).console_move(user, ref, action, reason=reason, now=now_of(request))
    if case.error is None:
        return _see_other(f"{PREFIX}/requests/{ref}")
    return _page(request, "request.html.j2", user=user, case=case, status_code=409)


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, user: Auditor) -> Response:
    """The audit log's head, and a button to verify it."""
    found = varna_of(request).console_audit(user)
    return _page(request, "audit.html.j2", user=user, audit=found)


@router.post("/audit/verify", response_class=HTMLResponse)
def audit_verify(request: Request, user: Auditor, csrf: CsrfField = None) -> Response:
    """Verify every entry of the audit log now."""
    check_csrf(request, csrf)
    found = varna_of(request).console_audit(user, verify=True)
    return _page(request, "audit.html.j2", user=user, audit=found)


@router.post("/audit/subject", response_class=HTMLResponse)
def audit_subject(
    request: Request,
    user: Auditor,
    identity: Annotated[str, Form(max_length=300)],
    reason: Annotated[str, Form(max_length=500)] = "",
    csrf: CsrfField = None,
) -> Response:
    """One person's events, found by their pseudonym (the identity is posted, never put in a
    URL, and not kept); the look is audited with its reason."""
    check_csrf(request, csrf)
    found = varna_of(request).console_audit_subject(
        user, identity, reason=reason, now=now_of(request)
    )
    status = 422 if found.error else 200
    return _page(request, "audit.html.j2", user=user, audit=found, status_code=status)


@router.get("/audit/export")
def audit_export(request: Request, user: Auditor) -> Response:
    """The whole audit log as JSON lines (pseudonyms only, with the hashes that let it be
    verified away from the database)."""
    out = io.StringIO()
    now = now_of(request)
    varna_of(request).console_audit_export(user, out, now=now)
    name = f"varna-audit-{now.strftime('%Y%m%dT%H%M%SZ')}.jsonl"
    return Response(
        out.getvalue(),
        media_type="application/x-ndjson",
        headers={
            "content-disposition": f'attachment; filename="{name}"',
            "cache-control": "no-store",
        },
    )


@router.get("/register", response_class=HTMLResponse)
def register(request: Request, user: RegisterReader) -> Response:
    """The register as loaded, read-only, with its findings."""
    found = varna_of(request).console_register(user, today=now_of(request).date())
    return _page(request, "register.html.j2", user=user, register=found)


@router.get("/retention", response_class=HTMLResponse)
def retention(
    request: Request, user: RetentionReader, on: Annotated[date | None, Query()] = None
) -> Response:
    """The retention plan as of a day (today by default) and its sign-offs."""
    day = on or now_of(request).date()
    found = varna_of(request).console_retention(user, on=day)
    return _page(request, "retention.html.j2", user=user, retention=found, error=None)


@router.post("/retention/sign-off", response_class=HTMLResponse)
def retention_sign_off(
    request: Request,
    user: RetentionSigner,
    on: Annotated[date, Form()],
    plan_hash: Annotated[str, Form(max_length=64)],
    csrf: CsrfField = None,
) -> Response:
    """Sign off the plan shown (refused if it changed since)."""
    check_csrf(request, csrf)
    found = varna_of(request).sign_off_retention(
        user, on=on, plan_hash=plan_hash, now=now_of(request)
    )
    return _page(request, "retention.html.j2", user=user, retention=found, error=None)


@router.get("/policy", response_class=HTMLResponse)
def policy(request: Request, user: RegisterReader) -> Response:
    """The published versions of the policy and what each changed."""
    found = varna_of(request).console_policy(user)
    return _page(request, "policy.html.j2", user=user, versions=found)


@router.get("/staff", response_class=HTMLResponse)
def staff(request: Request, user: StaffReader) -> Response:
    """Accountability: who among the staff was trained on or acknowledged which policy
    version, and who is behind on the newest."""
    found = varna_of(request).console_staff(user)
    return _page(request, "staff.html.j2", user=user, staff=found, done=None, error=None)


@router.post("/staff/record", response_class=HTMLResponse)
def staff_record(
    request: Request,
    user: StaffRecorder,
    kind: Annotated[PolicyEventKind, Form()],
    names: Annotated[list[str] | None, Form(alias="name")] = None,
    csrf: CsrfField = None,
) -> Response:
    """Record training on or acknowledgement of the newest version for the names ticked."""
    check_csrf(request, csrf)
    varna = varna_of(request)
    try:
        recorded = varna.console_record_training(user, names or [], kind=kind, now=now_of(request))
    except StateError:
        found = varna.console_staff(user)
        return _page(
            request,
            "staff.html.j2",
            user=user,
            staff=found,
            done=None,
            error="record",
            status_code=422,
        )
    found = varna.console_staff(user)
    done = {"kind": kind.value, "count": len(recorded)}
    return _page(request, "staff.html.j2", user=user, staff=found, done=done, error=None)


@router.post("/staff/remind", response_class=HTMLResponse)
def staff_remind(request: Request, user: StaffRecorder, csrf: CsrfField = None) -> Response:
    """E-mail those who have not acknowledged the newest version (once per version)."""
    check_csrf(request, csrf)
    varna = varna_of(request)
    try:
        reminded = varna.console_remind_staff(user, now=now_of(request), lang=console_lang(request))
    except VarnaError:
        found = varna.console_staff(user)
        return _page(
            request,
            "staff.html.j2",
            user=user,
            staff=found,
            done=None,
            error="mail",
            status_code=503,
        )
    found = varna.console_staff(user)
    done = {
        "kind": "reminded",
        "count": len(reminded.sent),
        "failed": len(reminded.failed),
        "no_address": len(reminded.no_address),
    }
    return _page(request, "staff.html.j2", user=user, staff=found, done=done, error=None)


# -- settings (the administrator) ----------------------------------------------------------------


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, user: Admin) -> Response:
    """Console users, API keys and webhooks."""
    found = varna_of(request).console_settings(user)
    return _page(request, "settings.html.j2", user=user, settings=found, roles=list(ConsoleRole))


@router.post("/settings/users", response_class=HTMLResponse)
def settings_add_user(
    request: Request,
    user: Admin,
    name: Annotated[str, Form(max_length=100)],
    role: Annotated[ConsoleRole, Form()],
    password: Annotated[str, Form(max_length=256)],
    special_categories: Annotated[bool, Form()] = False,
    csrf: CsrfField = None,
) -> Response:
    """Add a console user; the page shows their otpauth:// URI once."""
    check_csrf(request, csrf)
    found = varna_of(request).console_settings_change(
        user,
        "add_user",
        now=now_of(request),
        name=name,
        role=role,
        password=password,
        special_categories=special_categories,
    )
    return _settings_answer(request, user, found)


@router.post("/settings/users/{name}/{change}", response_class=HTMLResponse)
def settings_user_change(
    request: Request, user: Admin, name: str, change: UserChange, csrf: CsrfField = None
) -> Response:
    """Disable a user, or give them a new second factor (shown once)."""
    check_csrf(request, csrf)
    key = "disable_user" if change is UserChange.disable else "reset_2fa"
    found = varna_of(request).console_settings_change(user, key, now=now_of(request), name=name)
    return _settings_answer(request, user, found)


@router.post("/settings/keys/{key_id}/revoke", response_class=HTMLResponse)
def settings_revoke_key(
    request: Request, user: Admin, key_id: str, csrf: CsrfField = None
) -> Response:
    """Revoke an API key at once."""
    check_csrf(request, csrf)
    found = varna_of(request).console_settings_change(
        user, "revoke_key", now=now_of(request), name=key_id
    )
    return _settings_answer(request, user, found)


def _settings_answer(request: Request, user: ConsoleUser, found: SettingsPage) -> Response:
    status = 422 if found.error else 200
    return _page(
        request,
        "settings.html.j2",
        user=user,
        settings=found,
        roles=list(ConsoleRole),
        status_code=status,
    )


# -- breaches (Art. 33, 34) ----------------------------------------------------------------------

BreachReader = Annotated[ConsoleUser, Depends(need(Permission.breaches_read))]
BreachWriter = Annotated[ConsoleUser, Depends(need(Permission.breaches_write))]
#: Times typed in the console's forms are local time in Sweden (the register's IMY).
CONSOLE_ZONE = "Europe/Stockholm"


def _local(value: str) -> str | None:
    """A ``datetime-local`` value as an ISO time with its zone (None when empty)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    value = value.strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value  # the service names the field and how to write it
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(CONSOLE_ZONE))
    return moment.isoformat()


def _local_now(request: Request) -> str:
    from zoneinfo import ZoneInfo

    return now_of(request).astimezone(ZoneInfo(CONSOLE_ZONE)).strftime("%Y-%m-%dT%H:%M")


def _breach_fields(form: Any) -> dict[str, Any]:
    """The breach's fields from a submitted form (only those present in it)."""
    from varna.core.breach_ops import (
        BOOL_FIELDS,
        COUNT_FIELDS,
        LIST_FIELDS,
        TEXT_FIELDS,
        TIME_FIELDS,
    )

    out: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name in form:
            out[name] = str(form[name])
    for name in TIME_FIELDS:
        if name in form:
            out[name] = _local(str(form[name]))
    for name in COUNT_FIELDS:
        if name in form:
            out[name] = str(form[name]).strip() or None
    for name in LIST_FIELDS:
        if f"{name}_shown" in form:
            out[name] = [str(v) for v in form.getlist(name)]
    for name in BOOL_FIELDS:
        if f"{name}_shown" in form:
            out[name] = name in form
    return out


def _breach_choices(request: Request) -> dict[str, Any]:
    from varna.core.breach_ops import Nature

    register = varna_of(request).register
    lang = console_lang(request)
    return {
        "natures": [n.value for n in Nature],
        "tables": sorted(f"{s}.{t}" for s, sy in register.systems.items() for t in sy.tables),
        "subjects": sorted((k, s.label.get(lang)) for k, s in register.subjects.items()),
        "categories": sorted(
            (k, register.category(k).label.get(lang)) for k in register.category_keys()
        ),
    }


@router.get("/breaches", response_class=HTMLResponse)
def breaches(request: Request, user: BreachReader) -> Response:
    """Every breach with its 72-hour clock; open and overdue first."""
    found = varna_of(request).console_breaches(user, now=now_of(request))
    return _page(request, "breaches.html.j2", user=user, breaches=found)


@router.get("/breaches/new", response_class=HTMLResponse)
def breach_form(request: Request, user: BreachWriter) -> Response:
    """The form to record a breach."""
    return _page(
        request,
        "breach_new.html.j2",
        user=user,
        error=None,
        given={},
        aware_default=_local_now(request),
        **_breach_choices(request),
    )


@router.post("/breaches/new", response_class=HTMLResponse)
async def breach_record(request: Request, user: BreachWriter) -> Response:
    """Record a breach; its clock starts at the time of awareness given."""
    from datetime import datetime

    from varna.errors import BreachError

    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    fields = _breach_fields(form)
    aware = _local(str(form.get("aware_at") or ""))
    try:
        if aware is None:
            raise BreachError("give the time you became aware of the breach", code="breach-field")
        try:
            when = datetime.fromisoformat(aware)
        except ValueError:
            raise BreachError(
                "aware_at: write a date and time", code="breach-field", field="aware_at"
            ) from None
        made = varna_of(request).record_breach(
            fields, aware_at=when, actor=f"console:{user.name}", now=now_of(request)
        )
    except BreachError as exc:
        return _page(
            request,
            "breach_new.html.j2",
            user=user,
            error=str(exc),
            given=fields,
            aware_default=str(form.get("aware_at") or ""),
            status_code=422,
            **_breach_choices(request),
        )
    return _see_other(f"{PREFIX}/breaches/{made.ref}")


@router.get("/breaches/{ref}", response_class=HTMLResponse)
def breach_page(request: Request, ref: str, user: BreachReader) -> Response:
    """One breach: the record, the clock, the history and the changes the user may make."""
    page = varna_of(request).console_breach(user, ref, now=now_of(request))
    return _page(request, "breach.html.j2", user=user, page=page, **_breach_choices(request))


@router.get("/breaches/{ref}/imy", response_class=HTMLResponse)
def breach_imy(
    request: Request,
    ref: str,
    user: BreachReader,
    format: Annotated[str, Query(pattern="^(html|pdf)$")] = "html",
) -> Response:
    """The IMY notification: the e-service form's fields to paste, or a PDF to print."""
    lang = console_lang(request)
    varna = varna_of(request)
    varna.console_breach(user, ref, now=now_of(request))  # the permission, and 404-like errors
    if format == "pdf":
        from varna.render.writers import to_pdf

        pdf = to_pdf(varna.imy_document(ref, lang=lang))
        return Response(
            pdf,
            media_type="application/pdf",
            headers={
                "content-disposition": f'inline; filename="{ref}-imy.pdf"',
                "cache-control": "no-store",
            },
        )
    fields = varna.imy_form(ref, lang=lang)
    return _page(request, "breach_imy.html.j2", user=user, ref=ref, fields=fields)


@router.post("/breaches/{ref}/{step}", response_class=HTMLResponse)
async def breach_step(request: Request, ref: str, step: str, user: BreachWriter) -> Response:
    """Make one change; a change the rules refuse shows the breach again with why (409)."""
    from datetime import datetime

    from varna.core.breach_ops import BreachStep

    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    try:
        chosen = BreachStep(step)
    except ValueError:
        return _see_other(f"{PREFIX}/breaches/{ref}")
    given: dict[str, Any] = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    if chosen is BreachStep.update:
        given = {"fields": _breach_fields(form)}
    elif chosen is BreachStep.notify:
        at = _local(given.get("at", ""))
        given["at"] = datetime.fromisoformat(at) if at else None
    elif chosen is BreachStep.notices:
        lines = str(form.get("recipients") or "").splitlines()
        given = {
            "recipients": [
                (a.strip(), (lang.strip() or "sv"))
                for a, _, lang in (ln.strip().partition(",") for ln in lines)
                if a.strip()
            ]
        }
    page = varna_of(request).console_breach_step(user, ref, chosen, given, now=now_of(request))
    if page.error is None:
        return _see_other(f"{PREFIX}/breaches/{ref}")
    return _page(
        request,
        "breach.html.j2",
        user=user,
        page=page,
        status_code=409,
        **_breach_choices(request),
    )
