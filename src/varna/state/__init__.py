"""Varna's own state: the only code that touches Varna's database, and its Alembic migrations."""

from __future__ import annotations

from varna.state.database import StateDB, open_state

__all__ = ["StateDB", "open_state"]
