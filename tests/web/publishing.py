"""Publishing a policy version in the web tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from varna.core import Varna
from varna.render import JsonlVersionStore, publish_policy


def publish(varna: Varna, *, day: date, at: datetime | None = None) -> None:
    """Publish the register as it is now, taking effect on ``day``."""
    store = JsonlVersionStore.beside(Path(varna.register_path))
    publish_policy(
        varna.register, store=store, now=at or datetime(2026, 1, 1, tzinfo=UTC), effective=day
    )
