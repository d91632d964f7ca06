"""Rate limits per client: the REST API and the privacy centre's forms.

Each client (its IP address as the server sees it: uvicorn takes ``X-Forwarded-For`` only from
the proxies named by ``--forwarded-allow-ips``) may make ``limit`` requests per window of
``window`` seconds to each surface: every call to ``/api/``, and every POST of a centre form.
Pages that only read are not limited here. A client over its limit gets 429 as problem details
with ``Retry-After`` (the seconds left in the window).

The counters live in the process (a fixed window per client and surface), so with ``N`` uvicorn
workers a client may make up to ``N`` times the limit; the e-mail codes' own limits (per address
and per client, :mod:`varna.verify.codes`) are kept in the state database and hold across every
process. The address is kept only in memory and only until its window ends.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from varna.web.problems import PROBLEM_TYPE_BASE
from varna.web.security import HEADERS, ASGIApp, Receive, Scope, Send


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
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app, self.limits, self.clock = app, limits, clock
        self._counts: dict[tuple[str, str], tuple[float, int]] = {}
        self._swept = clock()

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

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        chosen = self._surface(scope) if scope["type"] == "http" else None
        if chosen is not None and chosen[1] > 0:
            client = (scope.get("client") or ("unknown", 0))[0]
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
