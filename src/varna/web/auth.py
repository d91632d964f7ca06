"""Who is calling the API: a bearer API key with scopes (``Authorization: Bearer vk_...``), or a
signed-in console session (its cookie, and an ``X-CSRF-Token`` header on every change).

401 when no valid key is given (with ``WWW-Authenticate: Bearer``), 403 when the key lacks the
scope. The key is never logged or echoed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from varna.state.api_keys import ApiKey
from varna.web.console_auth import session_key

bearer = HTTPBearer(auto_error=False, description="An API key: vk_<id>_<secret>.")


def allows(key: ApiKey, scope: str) -> bool:
    """Whether ``key`` may use ``scope`` (``admin`` has every scope)."""
    return scope in key.scopes or "admin" in key.scopes


def require(scope: str) -> Callable[..., Awaitable[ApiKey]]:
    """A dependency giving the caller's key when it has ``scope`` (``admin`` has every scope).

    A key checked before and provably unchanged since is answered on the event loop; only a
    database read (a key not yet cached, a console session) goes to the thread pool.
    """

    async def dependency(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> ApiKey:
        key: ApiKey | None = None
        varna = request.app.state.varna
        if credentials is not None and credentials.scheme.lower() == "bearer":
            known, key = varna.cached_api_key(credentials.credentials)
            if not known:
                key = await run_in_threadpool(varna.authenticate_api_key, credentials.credentials)
        elif credentials is None:
            key = await run_in_threadpool(session_key, request)
        if key is None:
            raise HTTPException(
                status_code=401,
                detail="a valid API key is needed (Authorization: Bearer vk_...)",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if not allows(key, scope):
            raise HTTPException(status_code=403, detail=f"this API key lacks the scope '{scope}'")
        return key

    return dependency


ReadKey = Annotated[ApiKey, Depends(require("read"))]
RequestsKey = Annotated[ApiKey, Depends(require("requests"))]
AdminKey = Annotated[ApiKey, Depends(require("admin"))]
BreachesReadKey = Annotated[ApiKey, Depends(require("breaches_read"))]
BreachesKey = Annotated[ApiKey, Depends(require("breaches"))]
