"""Publishing a policy version in the web tests, through the service as the CLI does."""

from __future__ import annotations

from datetime import UTC, date, datetime

from varna.core import Varna


def publish(varna: Varna, *, day: date, at: datetime | None = None) -> None:
    """Publish the register as it is now, taking effect on ``day``."""
    varna.__dict__.pop("register", None)  # read the register file as it is now
    varna.publish_policy(now=at or datetime(2026, 1, 1, tzinfo=UTC), actor="test", effective=day)
