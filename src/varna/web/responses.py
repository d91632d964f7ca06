"""The error answers every API operation can give, declared once so the OpenAPI is honest, and
the answer to a request that fails validation (422) as problem details too.

Every error of the API is ``application/problem+json`` (RFC 9457): :class:`Problem` is its
schema. A validation problem lists where the input is wrong (``errors``: location, message,
type), never the input itself, which may be personal data.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from varna.web.problems import PROBLEM_TYPE_BASE


class InvalidField(BaseModel):
    """One place where the input is wrong."""

    loc: list[str | int] = Field(description="Where: body, query, path or header, then the key.")
    msg: str = Field(description="What is wrong with it.")
    type: str = Field(description="The kind of error (pydantic's type), e.g. missing.")


class Problem(BaseModel):
    """An error, as RFC 9457 problem details."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="A URI naming the kind of problem (an identifier only).")
    title: str = Field(description="The kind of problem in a few words.")
    status: int = Field(description="The HTTP status.")
    detail: str | None = Field(None, description="What went wrong, where, and how to fix it.")
    fields: dict[str, Any] | None = Field(None, description="The error's structured fields.")
    errors: list[InvalidField] | None = Field(None, description="Validation: every bad place.")


_WHY = {
    401: "No valid API key (Authorization: Bearer vk_...).",
    403: "The API key lacks the scope this operation needs.",
    404: "No such request, key or published policy.",
    409: "The request cannot make this move in its present state.",
    413: "The request body is larger than the limit.",
    422: "The input is invalid, or the request refuses the move (the detail says why).",
    429: "Too many requests from this client; wait the seconds in Retry-After.",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for ``statuses``, each with the :class:`Problem` schema."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {"description": _WHY[status], "model": Problem}
        if status == 429:
            entry["headers"] = {
                "Retry-After": {
                    "description": "Seconds to wait before trying again.",
                    "schema": {"type": "integer"},
                }
            }
        out[status] = entry
    return out


API_ERRORS = problem_responses(401, 403, 404, 409, 413, 422, 429)
"""What every authenticated API operation declares."""


async def validation_problem(request: Request, exc: Exception) -> JSONResponse:
    """A request that fails validation: 422 problem details naming every bad place."""
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "loc": [p if isinstance(p, int) else str(p) for p in err.get("loc", ())],
            "msg": str(err.get("msg", "")),
            "type": str(err.get("type", "")),
        }
        for err in exc.errors()
    ]
    body = {
        "type": PROBLEM_TYPE_BASE + "invalid-input",
        "title": "invalid input",
        "status": 422,
        "detail": "the input is invalid at "
        + ", ".join(".".join(str(p) for p in e["loc"]) for e in errors),
        "errors": errors,
    }
    return JSONResponse(body, status_code=422, media_type="application/problem+json")


def problems_in_openapi(app: FastAPI) -> None:
    """Make ``app``'s OpenAPI say what the API sends: every error answer (4xx, 5xx) is
    ``application/problem+json`` with the :class:`Problem` schema."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, model in (("Problem", Problem), ("InvalidField", InvalidField)):
            components[name] = model.model_json_schema(ref_template=_REF)
            components[name].pop("$defs", None)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    if str(status)[0] in "45":
                        answer["content"] = {
                            "application/problem+json": {
                                "schema": {"$ref": _REF.format(model="Problem")}
                            }
                        }
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


_REF = "#/components/schemas/{model}"


def operation_id(route: APIRoute) -> str:
    """The OpenAPI operationId of ``route``: its tag and its function, e.g. ``requests_submit``,
    so a generated client gets short, stable method names (not the path and method). Every
    router of the web layer is made with it (:func:`add_routes` adds their routes as made)."""
    tag = str(route.tags[0]) if route.tags else "varna"
    return f"{tag.replace(' ', '_').replace('-', '_')}_{route.name}"


def add_routes(app: FastAPI, router: APIRouter) -> None:
    """Serve ``router``'s routes on ``app`` as they were made (their paths, tags, responses and
    operation ids are the router's own), in order after those already there.

    ``include_router`` would serve them through an inclusion that FastAPI builds anew, route by
    route, on the first request: each route's parameters and responses modelled a second time,
    about half a second of every process's start (its first request) for some 90 routes."""
    app.router.routes.extend(router.routes)
