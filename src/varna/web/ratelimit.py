"""Rate limits per client: the REST API and the privacy centre's forms.

Each client (its IP address as the server sees it: uvicorn takes ``X-Forwarded-For`` only from
the proxies named by ``--forwarded-allow-ips``) may make ``limit`` requests per window of
``window`` seconds to each surface: every call to ``/api/``, and every POST of a centre form.
Pages that only read are not limited here. A client over its limit gets 429 as problem details
with ``Retry-After`` (the seconds left in the window).

With a PostgreSQL state (several uvicorn workers, several hosts) the windows are counted in the
state database, one atomic upsert per counted request (:mod:`varna.state.rate`), so a limit
holds for the sum over every process: windows are numbered by wall-clock time, the same on
every host. The address is stored only as a keyed hash and only until its window is swept. On
SQLite (one process serves the installation) the counters live in the process, and the address
only in memory until its window ends. The e-mail codes' own limits (per address and per client,
:mod:`varna.verify.codes`) are kept in the state database either way.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from varna.web.problems import PROBLEM_TYPE_BASE
from varna.web.security import HEADERS, ASGIApp, Receive, Scope, Send

Shared = Callable[[str, str, int], int]
"""Counts one request of (surface, client address, window number) for every process; the
window's count so far (``Varna.count_client_request``)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Requests per ``window`` seconds per client: ``api`` for /api/, ``forms`` for centre
    POSTs; 0 turns one off."""

    api: int = 600
    forms: int = 30
    window: float = 60.0


class RateLimitMiddleware:
    """Counts each client's requests per surface in fixed windows; answers 429 over the limit."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limits: Limits = Limits(),
        clock: Callable[[], float] | None = None,
        shared: Shared | None = None,
    ) -> None:
        self.app, self.limits, self.shared = app, limits, shared
        # shared windows are numbered by wall-clock time, the same on every host
        self.clock = clock or (time.time if shared is not None else time.monotonic)
        self._counts: dict[tuple[str, str], tuple[float, int]] = {}
        self._swept = self.clock()

    def _surface(self, scope: Scope) -> tuple[str, int] | None:
        path: str = scope.get("path", "")
        if path.startswith("/api/") and not path.startswith(("/api/docs", "/api/openapi")):
            return "api", self.limits.api
        if scope.get("method") == "POST" and not path.startswith("/api/"):
            return "forms", self.limits.forms
        return None

    def _take(self, surface: str, client: str, limit: int) -> float | None:
        """Count one request; the seconds to wait if the client is over its limit."""
        now, window = self.clock(), self.limits.window
        if now - self._swept > window:  # forget windows that ended
            self._counts = {k: v for k, v in self._counts.items() if now - v[0] < window}
            self._swept = now
        start, count = self._counts.get((surface, client), (now, 0))
        if now - start >= window:
            start, count = now, 0
        if count >= limit:
            return window - (now - start)
        self._counts[(surface, client)] = (start, count + 1)
        return None

    async def _take_shared(self, surface: str, client: str, limit: int) -> float | None:
        """:meth:`_take`, counted in the state database (every process's requests)."""
        from starlette.concurrency import run_in_threadpool

        assert self.shared is not None
        now, window = self.clock(), self.limits.window
        number = int(now // window)
        hits = await run_in_threadpool(self.shared, surface, client, number)
        if hits > limit:
            return (number + 1) * window - now
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        chosen = self._surface(scope) if scope["type"] == "http" else None
        if chosen is not None and chosen[1] > 0:
            client = (scope.get("client") or ("unknown", 0))[0]
            if self.shared is not None:
                wait = await self._take_shared(chosen[0], str(client), chosen[1])
            else:
                wait = self._take(chosen[0], str(client), chosen[1])
            if wait is not None:
                await _too_many(send, math.ceil(max(wait, 1.0)))
                return
        await self.app(scope, receive, send)


async def _too_many(send: Send, retry_after: int) -> None:
    body = json.dumps(
        {
            "type": PROBLEM_TYPE_BASE + "rate-limited",
            "title": "rate limited",
            "status": 429,
            "detail": f"too many requests from this client; try again in {retry_after} s",
            "fields": {"retry_after": retry_after},
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(retry_after).encode()),
                *HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
