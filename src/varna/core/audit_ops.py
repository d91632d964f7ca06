"""Operations of the service: verify the audit log, write and check checkpoints, export."""

from __future__ import annotations

from varna.core.base import VarnaBase


class AuditOps(VarnaBase):
    """Operations: verify the audit log, write and check checkpoints, export."""
