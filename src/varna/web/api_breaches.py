"""The breach register through the REST API (GDPR Art. 33, 34): ``/api/v1/breaches``.

Reading needs the scope ``breaches_read``, every change ``breaches`` (a console session has them
when its user's role holds ``breaches_read`` and ``breaches_write``, docs/console.md). Each route
calls one ``Varna`` method; the record holds counts and categories, never a person's data, and
the addresses of an Art. 34 notice travel in the body only and are not kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from varna.core.breach_ops import NotificationType, Risk
from varna.state.api_keys import ApiKey
from varna.web.auth import BreachesKey, BreachesReadKey
from varna.web.responses import API_ERRORS, operation_id

router = APIRouter(
    prefix="/api/v1/breaches",
    tags=["breaches"],
    responses=API_ERRORS,
    generate_unique_id_function=operation_id,
)


def _now(request: Request) -> datetime:
    """The service's clock (fixed in tests)."""
    now: datetime = request.app.state.varna.clock()
    return now


def _actor(key: ApiKey) -> str:
    return key.created_by if key.id.startswith("session:") else f"api:{key.name}"


class BreachIn(BaseModel):
    """A breach as first recorded: when the organisation became aware of it, and its fields
    (docs/breaches.md lists them)."""

    model_config = {"extra": "forbid"}
    aware_at: datetime = Field(description="When the organisation became aware (with zone).")
    fields: dict[str, Any] = Field(description="title, nature, systems, ... (docs/breaches.md)")


class FieldsIn(BaseModel):
    model_config = {"extra": "forbid"}
    fields: dict[str, Any]


class AssessIn(BaseModel):
    model_config = {"extra": "forbid"}
    risk: Risk
    reason: str = Field(min_length=3, max_length=4000)


class NotifyIn(BaseModel):
    model_config = {"extra": "forbid"}
    at: datetime = Field(description="When IMY was notified (with zone).")
    type: NotificationType = NotificationType.complete
    late_reason: str = Field("", max_length=4000)
    imy_reference: str = Field("", max_length=100)


class TextIn(BaseModel):
    model_config = {"extra": "forbid"}
    text: str = Field(min_length=0, max_length=4000)


class Recipient(BaseModel):
    model_config = {"extra": "forbid"}
    email: str = Field(max_length=320)
    lang: Literal["sv", "en"] = "sv"


class NoticesIn(BaseModel):
    model_config = {"extra": "forbid"}
    recipients: list[Recipient] = Field(min_length=1, max_length=10000)


class NoticesOut(BaseModel):
    sent: int
    failed: int


def _out(request: Request, breach: Any) -> dict[str, Any]:
    out: dict[str, Any] = breach.as_dict(now=_now(request))
    return out


@router.get("")
def listing(request: Request, key: BreachesReadKey, open: bool = False) -> list[dict[str, Any]]:
    """Every breach (``open=true``: the open ones), earliest awareness first, with clocks."""
    return [_out(request, b) for b in request.app.state.varna.breaches(open_only=open)]


@router.post("", status_code=201)
def record(request: Request, body: BreachIn, key: BreachesKey) -> dict[str, Any]:
    """Record a breach; its 72-hour clock starts at ``aware_at`` (Art. 33(1))."""
    return _out(
        request,
        request.app.state.varna.record_breach(
            body.fields, aware_at=body.aware_at, actor=_actor(key), now=_now(request)
        ),
    )


@router.get("/{ref}")
def show(request: Request, ref: str, key: BreachesReadKey) -> dict[str, Any]:
    """One breach with its history."""
    return _out(request, request.app.state.varna.breach(ref, history=True))


@router.get("/{ref}/imy")
def imy(request: Request, ref: str, key: BreachesReadKey, lang: str = "sv") -> list[list[str]]:
    """The fields of IMY's form as [number, label, answer]."""
    chosen = lang if lang in ("sv", "en") else "sv"
    return [list(f) for f in request.app.state.varna.imy_form(ref, lang=chosen)]


@router.post("/{ref}")
def update(request: Request, ref: str, body: FieldsIn, key: BreachesKey) -> dict[str, Any]:
    """Set fields of a breach."""
    varna = request.app.state.varna
    return _out(
        request, varna.update_breach(ref, body.fields, actor=_actor(key), now=_now(request))
    )


@router.post("/{ref}/assess")
def assess(request: Request, ref: str, body: AssessIn, key: BreachesKey) -> dict[str, Any]:
    """Record the risk assessment (none, risk, high)."""
    varna = request.app.state.varna
    return _out(
        request,
        varna.assess_breach(
            ref, body.risk, reason=body.reason, actor=_actor(key), now=_now(request)
        ),
    )


@router.post("/{ref}/notify")
def notify(request: Request, ref: str, body: NotifyIn, key: BreachesKey) -> dict[str, Any]:
    """Record that IMY was notified (reasons needed after 72 hours)."""
    return _out(
        request,
        request.app.state.varna.notify_breach(
            ref,
            at=body.at,
            kind=body.type,
            late_reason=body.late_reason,
            imy_reference=body.imy_reference,
            actor=_actor(key),
            now=_now(request),
        ),
    )


@router.post("/{ref}/supplement")
def supplement(request: Request, ref: str, body: TextIn, key: BreachesKey) -> dict[str, Any]:
    """Add information given to IMY later (Art. 33(4))."""
    varna = request.app.state.varna
    return _out(
        request, varna.supplement_breach(ref, text=body.text, actor=_actor(key), now=_now(request))
    )


@router.post("/{ref}/notices", response_model=NoticesOut)
def notices(request: Request, ref: str, body: NoticesIn, key: BreachesKey) -> NoticesOut:
    """E-mail the Art. 34 notice to the people given (high risk only)."""
    done = request.app.state.varna.send_breach_notices(
        ref, [(r.email, r.lang) for r in body.recipients], actor=_actor(key), now=_now(request)
    )
    return NoticesOut(**done)


@router.post("/{ref}/close")
def close(request: Request, ref: str, body: TextIn, key: BreachesKey) -> dict[str, Any]:
    """Close a breach; it stays in the register (Art. 33(5))."""
    varna = request.app.state.varna
    return _out(
        request, varna.close_breach(ref, note=body.text, actor=_actor(key), now=_now(request))
    )
