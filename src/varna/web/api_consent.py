"""The consent API: the banner's public endpoint, and the organisation's own systems recording
and checking consent with an API key.

``POST /api/v1/consent/events`` is public (the banner calls it from the visitor's browser): it
takes a small JSON body (sent as ``application/json`` or, to spare a CORS preflight,
``text/plain``) and answers any origin. Everything else needs a key: ``requests`` to record,
``read`` to check and to read the proof. Identities travel in bodies, never in URLs.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field, ValidationError

from varna.errors import RequestError
from varna.web.auth import ReadKey, RequestsKey, allows
from varna.web.responses import API_ERRORS, operation_id, problem_responses
from varna.web.security import ASGIApp, Message, Receive, Scope, Send

public_router = APIRouter(
    prefix="/api/v1/consent",
    tags=["consent"],
    responses=problem_responses(413, 422, 429),
    generate_unique_id_function=operation_id,
)
router = APIRouter(
    prefix="/api/v1/consent",
    tags=["consent"],
    responses=API_ERRORS,
    generate_unique_id_function=operation_id,
)

MAX_EVENT_BYTES = 2048
"""The banner's body is about 200 bytes; anything much larger is refused unread."""
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "86400",
}


def _now() -> datetime:
    return datetime.now(UTC)


class Choices(BaseModel):
    """The visitor's choice per cookie category; nothing is pre-ticked."""

    model_config = {"extra": "forbid"}
    necessary: bool = Field(True, description="Always true: necessary storage needs no consent.")
    preferences: bool = False
    statistics: bool = False
    marketing: bool = False


class EventIn(BaseModel):
    """A choice made in the cookie banner."""

    model_config = {"extra": "forbid"}
    device_id: str = Field(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    choices: Choices
    notice: str = Field(min_length=8, max_length=64, description="Hash of the notice shown.")
    policy_version: str | None = Field(None, max_length=100)
    channel: Literal["banner"] = "banner"


class EventOut(BaseModel):
    id: str = Field(description="The ledger event.")
    recorded_at: str


@public_router.options("/events", include_in_schema=False)
def event_preflight() -> Response:
    return Response(status_code=204, headers=CORS)


@public_router.post("/events", status_code=201, response_model=EventOut)
async def record_event(request: Request) -> Response:
    """Record a banner choice in the consent ledger (public; no API key)."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_EVENT_BYTES):
        raise HTTPException(status_code=413, detail="the consent event is too large")
    raw = await request.body()
    if len(raw) > MAX_EVENT_BYTES:
        raise HTTPException(status_code=413, detail="the consent event is too large")
    try:
        body = EventIn.model_validate_json(raw)
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "body"
        raise RequestError(
            f"consent event: '{where}' is missing or malformed", field=where
        ) from None
    recorded = await _run(
        request,
        "record_banner_choice",
        device_id=body.device_id,
        choices=body.choices.model_dump(),
        notice=body.notice,
        policy_version=body.policy_version,
        channel=body.channel,
        now=_now(),
    )
    out = EventOut(id=recorded.id, recorded_at=recorded.recorded_at.isoformat())
    return Response(
        out.model_dump_json(), status_code=201, media_type="application/json", headers=CORS
    )


async def _run(request: Request, method: str, *args: Any, **kwargs: Any) -> Any:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(getattr(request.app.state.varna, method), *args, **kwargs)


class PersonIn(BaseModel):
    """Who: the person's identities, ``KIND=VALUE``."""

    identities: list[str] = Field(
        min_length=1, max_length=20, description="KIND=VALUE, e.g. email=name@example.se."
    )


class GrantIn(PersonIn):
    purposes: list[str] = Field(min_length=1, max_length=50)
    notice: str = Field(min_length=8, max_length=64, description="Hash of the notice shown.")
    policy_version: str | None = Field(None, max_length=100)
    vendors: list[str] = Field(default_factory=list, max_length=100)
    channel: Literal["form", "api", "import"] = "api"


class WithdrawIn(PersonIn):
    purposes: list[str] = Field(min_length=1, max_length=50)
    notice: str | None = Field(None, min_length=8, max_length=64)
    channel: Literal["form", "api", "import", "banner"] = "api"
    execute: bool = Field(False, description="Apply it (erasure, suppression); false: the plan.")


class LinkIn(PersonIn):
    purposes: list[str] = Field(min_length=1, max_length=50)
    lang: Literal["sv", "en"] = Field("sv", description="The language of the withdrawal page.")


class LinkOut(BaseModel):
    url: str = Field(description="The withdrawal link; it names no address and does not expire.")


class RecordedOut(BaseModel):
    id: str | None
    recorded_at: str | None
    purposes: list[str]
    granted: bool


class WithdrawalOut(RecordedOut):
    tables: list[str] = Field(description="Tables held only on the consents withdrawn.")
    rows_to_erase: int
    suppressed: bool
    executed: bool
    notified: int = Field(0, description="Art. 19 notices queued to recipients of erased data.")


class CheckIn(PersonIn):
    purpose: str = Field(max_length=100)
    at: datetime | None = Field(None, description="As of this time (default now).")
    notice: str | None = Field(None, max_length=64, description="The notice shown now.")


class BatchItem(PersonIn):
    purpose: str = Field(max_length=100)


class BatchIn(BaseModel):
    checks: list[BatchItem] = Field(min_length=1, max_length=1000)
    at: datetime | None = None


class HistoryIn(PersonIn):
    until: datetime | None = Field(None, description="Proof as of this time (default now).")


def _at(value: datetime | None) -> datetime:
    if value is None:
        return _now()
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@router.post("/grants", status_code=201, response_model=RecordedOut)
def grant(request: Request, body: GrantIn, key: RequestsKey) -> RecordedOut:
    """Record that a person gave consent to purposes, on the notice they were shown."""
    done = request.app.state.varna.grant_consent(
        body.identities,
        body.purposes,
        notice=body.notice,
        policy_version=body.policy_version,
        vendors=body.vendors,
        channel=body.channel,
        now=_now(),
        actor=f"api:{key.name}",
    )
    return RecordedOut(
        id=done.id,
        recorded_at=done.recorded_at.isoformat(),
        purposes=list(done.purposes),
        granted=True,
    )


@router.post("/withdrawals", response_model=WithdrawalOut)
def withdraw(request: Request, body: WithdrawIn, key: RequestsKey) -> WithdrawalOut:
    """Withdraw a person's consent (Art. 7(3)): the plan, or with ``execute`` the ledger entry,
    the erasure of data held only on it, and the suppression list."""
    done = request.app.state.varna.withdraw_consent(
        body.identities,
        body.purposes,
        notice=body.notice,
        channel=body.channel,
        now=_now(),
        actor=f"api:{key.name}",
        execute=body.execute,
    )
    rec = done.recorded
    return WithdrawalOut(
        id=rec.id if rec else None,
        recorded_at=rec.recorded_at.isoformat() if rec else None,
        purposes=list(done.purposes),
        granted=False,
        tables=done.tables,
        rows_to_erase=len(done.erasure.rows),
        suppressed=done.suppress,
        executed=rec is not None,
        notified=done.notices,
    )


# The checks are the organisation's systems' hot path: async endpoints, answered on the event
# loop from what the process kept of the ledger when it provably has not changed; the only hop to
# the thread pool is a ledger read (a sync endpoint adds one for the call and one more for
# serialising its answer, each a scheduling delay on a busy machine).
@router.post("/check")
async def check(request: Request, body: CheckIn, key: ReadKey) -> dict[str, Any]:
    """One person's consent to one purpose, now or as of ``at``."""
    at = _at(body.at)
    varna = request.app.state.varna
    status = varna.kept_consent_status(body.identities, body.purpose, at=at, notice=body.notice)
    if status is None:
        status = await _run(
            request, "consent_status", body.identities, body.purpose, at=at, notice=body.notice
        )
    result: dict[str, Any] = status.as_dict()
    return result


@router.post("/check/batch")
async def check_batch(request: Request, body: BatchIn, key: ReadKey) -> dict[str, Any]:
    """Many (person, purpose) checks in one call, answered in order."""
    checks = [(c.identities, c.purpose) for c in body.checks]
    found = await _run(request, "consent_statuses", checks, at=_at(body.at))
    return {"items": [s.as_dict() for s in found]}


@router.post("/history")
def history(request: Request, body: HistoryIn, key: ReadKey) -> dict[str, Any]:
    """Every grant and withdrawal of the person up to ``until``, with its audit entry."""
    found = request.app.state.varna.consent_history(body.identities, until=_at(body.until))
    return {"items": [e.as_dict() for e in found]}


@router.post("/links", response_model=LinkOut)
def withdrawal_link(request: Request, body: LinkIn, key: RequestsKey) -> LinkOut:
    """The withdrawal link for a newsletter's footer and its ``List-Unsubscribe`` header: the
    page it opens withdraws with one click, without a login (Art. 7(3))."""
    url = request.app.state.varna.withdrawal_link(
        body.identities, body.purposes, now=_now(), lang=body.lang
    )
    return LinkOut(url=url)


CHECK_PATH = "/api/v1/consent/check"
_LANE_MAX_BODY = 16 * 1024
"""A check's body is a few hundred bytes; a larger one takes the documented route."""


class CheckLane:
    """A fast lane for ``POST /api/v1/consent/check``, the organisation's systems' hot path.

    The common call (a key this process has checked before and that provably has not changed, a
    well-formed body, and an answer this process kept from the ledger, :meth:`Varna.
    kept_consent_status`) is answered here on the event loop, without FastAPI's dependency
    resolution and response encoding, which took most of a check's time. Every other call (no
    or unknown key, a missing scope, a body that does not validate, an answer to read from the
    ledger, any error) goes on, with its body, to the documented route below, which answers it
    as the API always does; so the lane changes no answer, only its cost. It sits inside the
    security and rate-limit middleware: its answers carry the same headers and count alike.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"] != CHECK_PATH
            or scope.get("root_path")
        ):
            await self.app(scope, receive, send)
            return
        body, complete = await _body(receive, limit=_LANE_MAX_BODY)
        answer = self._answer(scope, body) if complete else None
        if answer is None:
            await self.app(scope, _replay(body, receive, complete), send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(answer)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": answer})

    @staticmethod
    def _answer(scope: Scope, body: bytes) -> bytes | None:
        """The answer when it is known without the database and without doubt; else None."""
        token = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                scheme, _, token = value.decode("latin-1").partition(" ")
                if scheme.lower() != "bearer":
                    return None
        if not token:
            return None
        varna = scope["app"].state.varna
        known, key = varna.cached_api_key(token.strip())
        if not known or key is None or not allows(key, "read"):
            return None
        try:
            asked = CheckIn.model_validate_json(body)
            status = varna.kept_consent_status(
                asked.identities, asked.purpose, at=_at(asked.at), notice=asked.notice
            )
        except Exception:  # the documented route gives this call its proper error
            return None
        if status is None:
            return None
        return json.dumps(status.as_dict(), separators=(",", ":"), ensure_ascii=False).encode()


async def _body(receive: Receive, *, limit: int) -> tuple[bytes, bool]:
    """The request's body up to ``limit`` bytes, and whether that is all of it."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client left: let the route see it
            return b"".join(parts), False
        chunk = message.get("body", b"")
        parts.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(parts), True
        if size > limit:
            return b"".join(parts), False


def _replay(body: bytes, receive: Receive, complete: bool) -> Receive:
    """A ``receive`` that gives ``body`` first, then what ``receive`` still has."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": not complete}
        return await receive()

    return replay
