"""Cross-site request forgery protection for every form (double submit, signed).

A page with a form sets a random token in a cookie (HttpOnly, SameSite=Strict, Secure over HTTPS)
and puts the same token in a hidden field; a POST is accepted only when both are present and
equal. Another site can make a browser send the cookie but cannot read it to fill in the field.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request, Response

COOKIE = "varna_csrf"
FIELD = "csrf_token"


def csrf_token(request: Request) -> str:
    """The token for the forms of this page: the browser's, or a new one."""
    token = request.cookies.get(COOKIE)
    return token if token and len(token) >= 32 else secrets.token_urlsafe(32)


def with_csrf_cookie(request: Request, response: Response, token: str) -> Response:
    """``response`` setting the token's cookie."""
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse the POST (403) unless its form token equals the cookie."""
    cookie = request.cookies.get(COOKIE)
    if not cookie or not submitted or not hmac.compare_digest(cookie, submitted):
        raise HTTPException(status_code=403, detail="the form expired or came from another site")
