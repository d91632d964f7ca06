"""``/consent/banner.js``: the cookie banner generated from the register, for any page of the
organisation's website (public surface).

The script is the same for every visitor but one with ``Sec-GPC: 1`` (Global Privacy Control:
marketing refused before the script runs), so it is cacheable: an ETag, ``Vary: Sec-GPC`` and a
short ``max-age`` so that a changed register reaches visitors within minutes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import Response

from varna.web.responses import operation_id

router = APIRouter(include_in_schema=False, generate_unique_id_function=operation_id)

MAX_AGE = 300


@router.get("/consent/banner.js")
def banner_js(
    request: Request,
    sec_gpc: Annotated[str | None, Header()] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The banner script; ``304`` when the visitor's copy is current."""
    banner = request.app.state.varna.consent_banner(gpc=sec_gpc == "1")
    headers = {
        "ETag": banner.etag,
        "Cache-Control": f"public, max-age={MAX_AGE}",
        "Vary": "Sec-GPC",
        "Cross-Origin-Resource-Policy": "cross-origin",  # embedded by the organisation's site
    }
    if if_none_match is not None and banner.etag in if_none_match:
        return Response(status_code=304, headers=headers)
    return Response(banner.script, media_type="text/javascript; charset=utf-8", headers=headers)
