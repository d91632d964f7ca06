"""Operations of the service: the rights (access, export, rectify, erase, restrict and lift,
object); executing a right answers its request."""

from __future__ import annotations

from varna.core.base import VarnaBase


class RightsOps(VarnaBase):
    """Operations: the rights; each answers its request."""
