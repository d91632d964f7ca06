"""The REST API for webhooks (scope ``admin``) and the notices of a request (scope ``read``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from varna.web.auth import AdminKey, ReadKey
from varna.web.responses import API_ERRORS, operation_id

router = APIRouter(
    prefix="/api/v1/webhooks",
    tags=["webhooks"],
    responses=API_ERRORS,
    generate_unique_id_function=operation_id,
)
notices_router = APIRouter(
    prefix="/api/v1/requests",
    tags=["requests"],
    responses=API_ERRORS,
    generate_unique_id_function=operation_id,
)


class WebhookIn(BaseModel):
    """A new webhook: where to POST, and which events (all by default)."""

    url: str = Field(min_length=8, max_length=2000, description="http:// or https:// URL.")
    events: list[str] = Field(
        default_factory=lambda: ["*"],
        max_length=30,
        description="request.received, request.verified, ... or * for every event.",
    )


class WebhookOut(BaseModel):
    """A webhook as listed (never its secret)."""

    id: str
    url: str
    events: list[str]
    created_at: str
    created_by: str
    removed_at: str | None


class NewWebhookOut(WebhookOut):
    """A webhook just added, with its signing secret: shown this once."""

    secret: str = Field(description="The signing secret. Store it now: it is not shown again.")


class DeliveryOut(BaseModel):
    """One delivery of an event to a webhook and its tries."""

    id: str
    webhook: str
    event: str
    request: str | None
    state: str = Field(description="pending, delivered or failed")
    attempts: int
    next_at: str
    last_status: int | None
    last_error: str | None
    created_at: str
    delivered_at: str | None


class NoticeOut(BaseModel):
    """A notice about a request: to the person at a step, or to a recipient (GDPR Art. 19)."""

    id: str
    kind: str = Field(description="person or recipient")
    event: str = Field(description="the step (person) or the right carried out (recipient)")
    recipient: str = Field(description="'person', or the recipient's key in the register")
    channel: str = Field(description="email, or dpo: queued for the DPO to send")
    state: str = Field(description="pending, sent, queued, skipped or failed")
    attempts: int
    created_at: str
    sent_at: str | None


@router.get("", response_model=list[WebhookOut])
def listing(request: Request, key: AdminKey) -> list[WebhookOut]:
    """The active webhooks."""
    return [WebhookOut(**h.as_dict()) for h in request.app.state.varna.webhooks()]


@router.post("", status_code=201, response_model=NewWebhookOut)
def add(request: Request, body: WebhookIn, key: AdminKey) -> NewWebhookOut:
    """Add a webhook: every move of a request is POSTed to it, signed."""
    made = request.app.state.varna.add_webhook(
        body.url, events=body.events, by=f"api:{key.name}", now=datetime.now(UTC)
    )
    return NewWebhookOut(**made.webhook.as_dict(), secret=made.secret)


@router.delete("/{hook_id}", response_model=WebhookOut)
def remove(request: Request, hook_id: str, key: AdminKey) -> WebhookOut:
    """Stop sending to a webhook (its delivery log stays)."""
    hook = request.app.state.varna.remove_webhook(
        hook_id, by=f"api:{key.name}", now=datetime.now(UTC)
    )
    return WebhookOut(**hook.as_dict())


@router.get("/{hook_id}/deliveries", response_model=list[DeliveryOut])
def deliveries(
    request: Request,
    hook_id: str,
    key: AdminKey,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[DeliveryOut]:
    """The newest deliveries to a webhook and their tries."""
    found = request.app.state.varna.webhook_log(hook_id, limit=limit)
    return [DeliveryOut(**d.as_dict()) for d in found]


@notices_router.get("/{ref}/notices", response_model=list[NoticeOut])
def notices(request: Request, ref: str, key: ReadKey) -> list[NoticeOut]:
    """The notices about a request: to the person, and to recipients (GDPR Art. 19)."""
    return [NoticeOut(**n.as_dict()) for n in request.app.state.varna.request_notices(ref)]
