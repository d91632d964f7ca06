"""Who is using the console: the session cookie, the permission each route needs, and the
language of its pages.

The session id lives in an HttpOnly, SameSite=Strict cookie (Secure over HTTPS); Varna keeps
only its hash. A route declares the one permission it needs with :func:`need`; the map of who
holds which is :data:`varna.core.user_ops.PERMISSIONS`. A browser without a complete session is
sent to the sign-in page; a signed-in user without the permission gets 403.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING

from fastapi import HTTPException, Request, Response

from varna.core.user_ops import ConsoleUser, Permission
from varna.web.csrf import COOKIE as CSRF_COOKIE
from varna.web.pages import LANGUAGES, pick_language

if TYPE_CHECKING:
    from datetime import datetime

    from varna.core import Varna
    from varna.state.api_keys import ApiKey

COOKIE = "varna_console"
LANG_COOKIE = "varna_console_lang"
PREFIX = "/console"


class SignInNeeded(Exception):
    """No complete session: the browser goes to the sign-in page."""


def varna_of(request: Request) -> Varna:
    varna: Varna = request.app.state.varna
    return varna


def now_of(request: Request) -> datetime:
    """The console's time: the service's clock (fixed in tests)."""
    return varna_of(request).clock()


def console_lang(request: Request) -> str:
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return str(chosen)
    return pick_language(request.headers.get("accept-language"))


def session_user(request: Request) -> ConsoleUser | None:
    """The user of the request's complete session, or None."""
    session_id = request.cookies.get(COOKIE)
    if not session_id or len(session_id) > 100:
        return None
    found = varna_of(request).console_session(session_id, now=now_of(request))
    if found is None or not found.complete:
        return None
    return found.user


def session_key(request: Request) -> ApiKey | None:
    """The REST API's key for the request's console session, or None. A change (anything but
    GET, HEAD, OPTIONS) must carry the CSRF cookie's token in ``X-CSRF-Token`` (403 if not)."""
    session_id = request.cookies.get(COOKIE)
    if not session_id or len(session_id) > 100:
        return None
    key = varna_of(request).session_api_key(session_id, now=now_of(request))
    if key is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
        cookie = request.cookies.get(CSRF_COOKIE)
        header = request.headers.get("x-csrf-token")
        if not cookie or not header or not hmac.compare_digest(cookie, header):
            raise HTTPException(status_code=403, detail="a console session must send X-CSRF-Token")
    return key


def need(permission: Permission) -> Callable[[Request], ConsoleUser]:
    """A dependency giving the signed-in user when they hold ``permission``."""

    def dependency(request: Request) -> ConsoleUser:
        user = session_user(request)
        if user is None:
            raise SignInNeeded
        if not user.can(permission):
            raise HTTPException(status_code=403, detail="your role may not open this page")
        return user

    dependency.permission = permission  # type: ignore[attr-defined]
    return dependency


def set_session_cookie(request: Request, response: Response, session_id: str) -> None:
    response.set_cookie(
        COOKIE,
        session_id,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/")
