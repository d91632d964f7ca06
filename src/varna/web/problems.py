"""The one table that turns Varna's errors into HTTP answers (RFC 9457 problem details).

The problem carries the error's structured fields where it has them, never personal data: Varna's
messages name locators and kinds of values, not values.
"""

from __future__ import annotations

from typing import Any

from varna.errors import (
    AccessError,
    ConnectorError,
    PublishError,
    RegisterError,
    RequestError,
    SettingsError,
    StateError,
    VarnaError,
    VerificationError,
)

#: HTTP status and problem type per error class; the first match in order wins.
STATUSES: list[tuple[type[VarnaError], int, str]] = [
    (PublishError, 404, "not-published"),
    (AccessError, 403, "not-permitted"),
    (VerificationError, 422, "not-verified"),
    (RequestError, 422, "request-refused"),
    (RegisterError, 503, "register-unusable"),
    (SettingsError, 503, "misconfigured"),
    (StateError, 503, "state-unavailable"),
    (ConnectorError, 502, "system-unavailable"),
    (VarnaError, 500, "error"),
]

PROBLEM_TYPE_BASE = "https://varna.dev/problems/"
"""Problem type URIs: identifiers, documented in docs/web.md; nothing is fetched from them."""


def problem_for(exc: VarnaError) -> tuple[int, dict[str, Any]]:
    """The status and RFC 9457 body for ``exc``."""
    status, kind = next((s, k) for cls, s, k in STATUSES if isinstance(exc, cls))
    if isinstance(exc, VerificationError) and exc.reason == "rate_limited":
        status, kind = 429, "rate-limited"  # too many codes asked for: wait, not fix the input
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + kind,
        "title": kind.replace("-", " "),
        "status": status,
        "detail": str(exc),
    }
    fields = getattr(exc, "fields", None)
    if isinstance(fields, dict):
        body["fields"] = fields
    return status, body
