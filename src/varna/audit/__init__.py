"""The audit log: append-only, hash-chained, keyed evidence of what Varna did (GDPR Art. 5(2))."""

from __future__ import annotations

from varna.audit.log import AuditLog
from varna.audit.models import AuditEvent, AuditFinding, AuditHead, NewEvent, VerifyReport
from varna.audit.pseudonym import pseudonymise

__all__ = [
    "AuditEvent",
    "AuditFinding",
    "AuditHead",
    "AuditLog",
    "NewEvent",
    "VerifyReport",
    "pseudonymise",
]
