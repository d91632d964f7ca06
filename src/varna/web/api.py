"""The REST API, version 1: the same operations as the console, as JSON.

Errors are RFC 9457 problem details (:mod:`varna.web.problems`). This first part serves what is
public: the published policy's versions and what changed between them."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from varna.web.responses import operation_id, problem_responses

router = APIRouter(
    prefix="/api/v1",
    responses=problem_responses(404, 413, 422, 429),
    generate_unique_id_function=operation_id,
)


class ChangeOut(BaseModel):
    """One semantic change between two published versions."""

    path: str = Field(description="Where in the register the change is, e.g. activities.crm.")
    summary: str = Field(description="What changed, in words.")
    material: bool = Field(description="Whether people must be told before it applies.")


class VersionOut(BaseModel):
    """One published version of the privacy policy."""

    number: int = Field(description="1 for the first published version, counting up.")
    label: str | None = Field(description="The controller's own version label, if any.")
    effective_date: date = Field(description="The day the version takes effect.")
    published_at: datetime = Field(description="When it was published (ISO 8601 with offset).")
    material: bool = Field(description="Whether it changes anything people must be told of.")
    languages: list[str] = Field(description="Languages it is published in.")
    changes: list[ChangeOut] = Field(description="What changed since the previous version.")


@router.get("/policy/versions", response_model=list[VersionOut], tags=["policy"])
def versions(request: Request) -> list[VersionOut]:
    """Every published version of the privacy policy, oldest first."""
    versions = request.app.state.varna.policy_versions()
    return [
        VersionOut(
            number=number,
            label=v.version,
            effective_date=v.effective_date,
            published_at=v.published_at,
            material=v.material,
            languages=sorted(v.content_hashes),
            changes=[
                ChangeOut(path=c.path, summary=c.summary, material=c.material) for c in v.changes
            ],
        )
        for number, v in enumerate(versions, start=1)
    ]
