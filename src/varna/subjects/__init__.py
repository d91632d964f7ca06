"""Promises about people that outlive a request: restrictions (Art. 18) and the direct-marketing
suppression list (Art. 21(3)), kept in Varna's state under keyed pseudonyms."""

from varna.subjects.ledger import (
    Ground,
    OpenRequest,
    PinnedRow,
    Restriction,
    SubjectLedger,
    ledger_key,
)

__all__ = ["Ground", "OpenRequest", "PinnedRow", "Restriction", "SubjectLedger", "ledger_key"]
