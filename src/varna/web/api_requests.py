"""The REST API for data-subject requests: submit, list, read, and every move of the lifecycle.

Each route calls one ``Varna`` method. Submissions take an ``Idempotency-Key`` header; moves are
made as the API key (a case handler named after the key), so four eyes holds across keys.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial
from typing import Annotated, Any, Literal

import anyio
import anyio.to_thread
from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import BaseModel, Field

from varna.core.key_ops import Attested, api_actor
from varna.dsr.requests import Assurance, Kind
from varna.web.auth import ReadKey, RequestsKey
from varna.web.responses import API_ERRORS, operation_id

router = APIRouter(
    prefix="/api/v1/requests",
    tags=["requests"],
    responses=API_ERRORS,
    generate_unique_id_function=operation_id,
)


def _now() -> datetime:
    return datetime.now(UTC)


MAX_WAIT = 30.0
"""The longest ``Prefer: wait`` honoured, in seconds."""


def preferred_wait(prefer: str | None) -> float | None:
    """The seconds of ``wait=N`` in a ``Prefer`` header (RFC 7240), at most :data:`MAX_WAIT`;
    None when the header asks for no wait or is malformed (a preference is never an error)."""
    for part in (prefer or "").replace(";", ",").split(","):
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "wait":
            try:
                seconds = float(value.strip().strip('"'))
            except ValueError:
                return None
            return min(max(seconds, 0.0), MAX_WAIT) if seconds == seconds else None
    return None


PreferHeader = Annotated[
    str | None,
    Header(
        description="`wait=N` (RFC 7240): when the request goes to a background worker, "
        f"answer once it is carried out or after N seconds (at most {MAX_WAIT:.0f}), "
        "instead of at once; `Preference-Applied` says when it was honoured."
    ),
]
"""The ``Prefer`` request header (RFC 7240) of calls that may wait for a worker."""


class VerifyIn(BaseModel):
    """How staff verified the person's identity (Art. 12(6))."""

    method: str = Field(max_length=60, description="e.g. 'signed letter', 'ID shown at desk'.")
    assurance: Literal["email_code", "sms_code", "eid", "staff_document"]
    note: str | None = Field(
        None,
        max_length=500,
        description="What staff saw; kept with the request's move, never in the audit log.",
    )


class RequestIn(BaseModel):
    """A request received on the person's behalf."""

    kind: Kind = Field(description="The right: access, portability, rectification, erasure, ...")
    identities: list[str] = Field(
        min_length=1, max_length=20, description="KIND=VALUE, e.g. email=name@example.se."
    )
    email: str | None = Field(None, max_length=320, description="Where to send the answer.")
    lang: Literal["sv", "en"] = Field("sv", description="The person's language.")
    ground: str | None = Field(None, description="Restriction: the Art. 18(1) ground.")
    corrections: list[str] = Field(
        default_factory=list, max_length=50, description="Rectification: FIELD=VALUE."
    )
    verified: VerifyIn | None = Field(
        None,
        description="How the calling system verified the person, recorded as with POST "
        ".../verify; an access or portability request is then answered at once (honours "
        "`Prefer: wait=N` when a background worker answers it).",
    )


class MoveOut(BaseModel):
    """One move of a request."""

    seq: int
    at: str
    action: str
    state: str
    actor: str
    note: str | None


class RequestOut(BaseModel):
    """A request as the API shows it: no identity, only the reference and its lifecycle."""

    id: str = Field(description="The reference the person can quote.")
    kind: str
    state: str
    received_at: str
    due: str = Field(description="The Art. 12(3) deadline that holds (extended, if it was).")
    extended_due: str | None
    extension_reason: str | None
    assurance: str | None
    prepared_by: str | None
    approved_by: str | None
    reason: str | None
    closed_at: str | None
    days_left: int
    moves: list[MoveOut] | None = None


class Page(BaseModel):
    """One page of requests."""

    items: list[RequestOut]
    total: int
    limit: int
    offset: int


class ReasonIn(BaseModel):
    """Why: a refusal (Art. 12(4)-(5)) or an extension (Art. 12(3))."""

    reason: str = Field(min_length=3, max_length=500)
    until: date | None = Field(None, description="Extension: the new deadline (default: latest).")


def _out(status: Any, *, moves: Any = None) -> RequestOut:
    data = status.as_dict(today=_now().date())
    fields = {name: data[name] for name in RequestOut.model_fields if name in data}
    fields["due"] = status.due.isoformat()  # the deadline that holds, extended or not
    fields["moves"] = None if moves is None else [MoveOut(**m.as_dict()) for m in moves]
    return RequestOut(**fields)


@router.post("", status_code=201, response_model=RequestOut)
async def submit(
    request: Request,
    response: Response,
    body: RequestIn,
    key: RequestsKey,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
    prefer: PreferHeader = None,
) -> RequestOut:
    """Receive a request on the person's behalf; its Art. 12(3) deadline starts now. With
    `verified`, the caller vouches for the person's identity: an access or portability request
    is answered in the same call (`state` is then `answered`, or on PostgreSQL what the worker
    reached within `Prefer: wait=N`)."""
    wait = preferred_wait(prefer) if body.verified is not None else None
    attested = None
    if body.verified is not None:
        attested = Attested(
            body.verified.method, Assurance[body.verified.assurance], body.verified.note
        )
    # async, with the service call as its one trip to a thread (a sync endpoint takes a
    # second one to serialise its answer), at most `submit_concurrency` at once per process:
    # more threads would only take turns holding the interpreter, and their transactions
    # would wait for each other in the database
    varna = request.app.state.varna
    done = await anyio.to_thread.run_sync(
        partial(
            varna.submit_via_api,
            key=key,
            kind=body.kind,
            identities=body.identities,
            now=_now(),
            email=body.email,
            lang=body.lang,
            ground=body.ground,
            corrections=body.corrections,
            idempotency_key=idempotency_key,
            attested=attested,
            wait=wait,
        ),
        limiter=_submissions(request.app, varna.settings.submit_concurrency),
    )
    if done.replayed or not done.status.created:
        response.status_code = 200
    if wait is not None:
        response.headers["preference-applied"] = f"wait={wait:g}"
    return _out(done.status)


def _submissions(app: Any, tokens: int) -> anyio.CapacityLimiter:
    """The threads this process's submissions share (made in its event loop, at first use)."""
    limiter: anyio.CapacityLimiter | None = getattr(app.state, "submissions", None)
    if limiter is None:
        limiter = app.state.submissions = anyio.CapacityLimiter(tokens)
    return limiter


@router.get("", response_model=Page)
def listing(
    request: Request,
    key: ReadKey,
    open_only: Annotated[bool, Query(alias="open")] = True,
    kind: Kind | None = None,
    state: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page:
    """Requests, the earliest deadline first."""
    found = request.app.state.varna.requests(open_only=open_only)
    chosen = [
        s
        for s in found
        if (kind is None or s.record.kind == kind.value)
        and (state is None or s.record.state == state)
    ]
    items = [_out(s) for s in chosen[offset : offset + limit]]
    return Page(items=items, total=len(chosen), limit=limit, offset=offset)


@router.get("/{ref}", response_model=RequestOut)
def show(request: Request, ref: str, key: ReadKey) -> RequestOut:
    """One request with every move it made."""
    detail = request.app.state.varna.show(ref)
    return _out(detail.status, moves=detail.moves)


@router.post("/{ref}/verify", response_model=RequestOut)
def verify(request: Request, ref: str, body: VerifyIn, key: RequestsKey) -> RequestOut:
    """Record how staff verified the person's identity (a signed letter, an ID shown), with an
    optional note kept on the request (the audit log records only that there is one)."""
    status = request.app.state.varna.verify(
        ref,
        method=body.method,
        assurance=Assurance[body.assurance],
        now=_now(),
        actor=api_actor(key),
        note=body.note,
    )
    return _out(status)


@router.post("/{ref}/approve", response_model=RequestOut)
def approve(request: Request, ref: str, key: RequestsKey) -> RequestOut:
    """Approve a planned request (four eyes: not by the key that prepared it)."""
    return _out(request.app.state.varna.approve(ref, actor=api_actor(key), now=_now()))


@router.post("/{ref}/decide", response_model=RequestOut)
def decide(request: Request, ref: str, body: ReasonIn, key: RequestsKey) -> RequestOut:
    """Let a request held for rows naming another person go on without them (then approve)."""
    varna = request.app.state.varna
    return _out(varna.decide(ref, reason=body.reason, actor=api_actor(key), now=_now()))


@router.post("/{ref}/refuse", response_model=RequestOut)
def refuse(request: Request, ref: str, body: ReasonIn, key: RequestsKey) -> RequestOut:
    """Refuse with reasons; the person is told the reasons and their right to complain."""
    varna = request.app.state.varna
    return _out(varna.refuse(ref, reason=body.reason, actor=api_actor(key), now=_now()))


@router.post("/{ref}/extend", response_model=RequestOut)
def extend(request: Request, ref: str, body: ReasonIn, key: RequestsKey) -> RequestOut:
    """Extend the deadline by up to two further months, with reasons (Art. 12(3))."""
    varna = request.app.state.varna
    status = varna.extend(
        ref, reason=body.reason, actor=api_actor(key), now=_now(), until=body.until
    )
    return _out(status)


@router.post("/{ref}/withdraw", response_model=RequestOut)
def withdraw(request: Request, ref: str, key: RequestsKey) -> RequestOut:
    """Record that the person withdrew the request."""
    return _out(request.app.state.varna.withdraw(ref, actor=api_actor(key), now=_now()))


@router.post("/{ref}/execute", response_model=RequestOut)
def execute(
    request: Request,
    response: Response,
    ref: str,
    key: RequestsKey,
    prefer: PreferHeader = None,
) -> RequestOut:
    """Carry the request as far as it may go: plan a verified one, carry out an approved one (by
    a background worker when the state is on PostgreSQL; the state then shows when it is done,
    or ask to wait with `Prefer: wait=N`)."""
    wait = preferred_wait(prefer)
    status = request.app.state.varna.dispatch_request(
        ref, actor=api_actor(key), now=_now(), wait=wait
    )
    if wait is not None:
        response.headers["preference-applied"] = f"wait={wait:g}"
    return _out(status)


class AbandonIn(BaseModel):
    """Why an erasure that cannot finish is discarded."""

    reason: str = Field(min_length=1, max_length=2000, description="Why it cannot finish.")


class AbandonedOut(BaseModel):
    """The erasure journal entry discarded: no row data, only where it stood."""

    request: str = Field(description="The journal entry (rq_...).")
    created_at: str | None = Field(description="When the discarded plan was made.")
    rows: int = Field(description="Rows the discarded plan held.")
    intended: list[str] = Field(description="Systems whose change was announced.")
    done: list[str] = Field(description="Systems whose change committed before it stopped.")
    stopped: dict[str, Any] | None = Field(
        description="Why it stopped: error, system, table, constraint, kind."
    )
    reason: str = Field(description="The reason given.")


@router.post("/erasure-journal/{entry}/abandon", response_model=AbandonedOut)
def abandon_erasure(request: Request, entry: str, body: AbandonIn, key: RequestsKey) -> Any:
    """Discard an erasure that cannot finish (audited with the reason); the next erasure of
    the person plans afresh."""
    varna = request.app.state.varna
    return varna.abandon_erasure(entry, reason=body.reason, actor=api_actor(key), now=_now())


class AnswerOut(BaseModel):
    """An answer document kept for the request (its content is downloaded separately)."""

    id: str = Field(description="The answer's id, for the download.")
    filename: str
    media_type: str = Field(description="What the download is: application/pdf or /zip.")
    expires_at: str = Field(description="After this the answer is deleted (ISO 8601).")
    downloads: int = Field(description="How many times it was downloaded, by anyone.")


@router.get("/{ref}/answers", response_model=list[AnswerOut])
def answers(request: Request, ref: str, key: ReadKey) -> list[AnswerOut]:
    """The answers kept for the request: the extract, the portability archive, the receipt."""
    kept = request.app.state.varna.answers_of(ref)
    return [
        AnswerOut(
            id=a.id,
            filename=a.filename,
            media_type=a.media_type,
            expires_at=a.expires_at.isoformat(),
            downloads=a.downloads,
        )
        for a in kept
    ]


ANSWER_TYPES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The answer document.",
        "content": {"application/pdf": {}, "application/zip": {}},
    }
}


@router.get(
    "/{ref}/answers/{answer_id}",
    response_class=Response,
    responses=ANSWER_TYPES,
)
def download(request: Request, ref: str, answer_id: str, key: RequestsKey) -> Response:
    """Download one answer, to hand it to the person through the caller's own channel. It holds
    the person's data: each download is recorded in the audit log with the API key."""
    got = request.app.state.varna.download_answer_as(
        ref, answer_id, actor=api_actor(key), now=_now()
    )
    return Response(
        got.content,
        media_type=got.media_type,
        headers={
            "content-disposition": f'attachment; filename="{got.filename}"',
            "cache-control": "no-store",
        },
    )
