"""The demo company's seven systems, each a SQLite file with its tables and row generator."""

from __future__ import annotations

from varna.demo.systems import billing, care, crm, marketing, recruitment, support, web
from varna.demo.tables import SystemSpec

SYSTEMS: dict[str, SystemSpec] = {
    s.name: s
    for s in (
        crm.SYSTEM,
        care.SYSTEM,
        billing.SYSTEM,
        support.SYSTEM,
        marketing.SYSTEM,
        recruitment.SYSTEM,
        web.SYSTEM,
    )
}

__all__ = ["SYSTEMS"]
