"""Who is calling the API: a bearer API key with scopes (``Authorization: Bearer vk_...``), or a
signed-in console session (its cookie, and an ``X-CSRF-Token`` header on every change).

401 when no valid key is given (with ``WWW-Authenticate: Bearer``), 403 when the key lacks the
scope. The key is never logged or echoed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from varna.state.api_keys import ApiKey
from varna.web.console_auth import session_key

bearer = HTTPBearer(auto_error=False, description="An API key: vk_<id>_<secret>.")


def require(scope: str) -> Callable[..., ApiKey]:
    """A dependency giving the caller's key when it has ``scope`` (``admin`` has every scope)."""

    def dependency(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> ApiKey:
        key: ApiKey | None = None
        if credentials is not None and credentials.scheme.lower() == "bearer":
            key = request.app.state.varna.authenticate_api_key(credentials.credentials)
        elif credentials is None:
            key = session_key(request)
        if key is None:
            raise HTTPException(
                status_code=401,
                detail="a valid API key is needed (Authorization: Bearer vk_...)",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if scope not in key.scopes and "admin" not in key.scopes:
            raise HTTPException(status_code=403, detail=f"this API key lacks the scope '{scope}'")
        return key

    return dependency


ReadKey = Annotated[ApiKey, Depends(require("read"))]
RequestsKey = Annotated[ApiKey, Depends(require("requests"))]
AdminKey = Annotated[ApiKey, Depends(require("admin"))]
BreachesReadKey = Annotated[ApiKey, Depends(require("breaches_read"))]
BreachesKey = Annotated[ApiKey, Depends(require("breaches"))]
