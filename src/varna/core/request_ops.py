"""Operations of the service: the request lifecycle (receive, verify, plan, approve, refuse,
extend, close) and the list of requests."""

from __future__ import annotations

from varna.core.base import VarnaBase


class RequestOps(VarnaBase):
    """Operations: the request lifecycle and the list of requests."""
