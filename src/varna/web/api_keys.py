"""The REST API for its own keys (scope ``admin``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from varna.web.auth import AdminKey
from varna.web.responses import API_ERRORS, operation_id

router = APIRouter(
    prefix="/api/v1/api-keys",
    tags=["api keys"],
    responses=API_ERRORS,
    generate_unique_id_function=operation_id,
)


class KeyIn(BaseModel):
    """A new key: what it is for and what it may do."""

    name: str = Field(min_length=1, max_length=200)
    scopes: list[Literal["read", "requests", "breaches_read", "breaches", "admin"]] = Field(
        min_length=1
    )


class KeyOut(BaseModel):
    """A key as listed (never its secret)."""

    id: str
    name: str
    scopes: list[str]
    created_at: str
    created_by: str
    revoked_at: str | None


class NewKeyOut(KeyOut):
    """A key just made, with the key itself: shown this once."""

    token: str = Field(description="The key. Store it now: only its hash is kept.")


@router.get("", response_model=list[KeyOut])
def listing(request: Request, key: AdminKey) -> list[KeyOut]:
    """Every key, newest first."""
    return [KeyOut(**k.as_dict()) for k in request.app.state.varna.api_keys()]


@router.post("", status_code=201, response_model=NewKeyOut)
def create(request: Request, body: KeyIn, key: AdminKey) -> NewKeyOut:
    """Make a key."""
    made = request.app.state.varna.create_api_key(
        name=body.name, scopes=body.scopes, created_by=f"api:{key.name}", now=datetime.now(UTC)
    )
    return NewKeyOut(**made.key.as_dict(), token=made.token)


@router.delete("/{key_id}", response_model=KeyOut)
def revoke(request: Request, key_id: str, key: AdminKey) -> KeyOut:
    """Revoke a key: it stops working at once."""
    varna = request.app.state.varna
    revoked = varna.revoke_api_key(key_id, actor=f"api:{key.name}", now=datetime.now(UTC))
    return KeyOut(**revoked.as_dict())
