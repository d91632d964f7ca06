"""Operations of the service: making a freshly built demo company ready to be served."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from varna.core.key_ops import KeyOps
from varna.core.policy_ops import PolicyOps
from varna.core.register_ops import RegisterOps

DEMO_KEY_NAME = "demo"


@dataclass(frozen=True, slots=True)
class DemoSite:
    """What a person trying the demo needs: the policy version shown, and an API key."""

    policy_version: int
    api_key: str


class DemoOps(KeyOps, RegisterOps, PolicyOps):
    """Operations: the demo site."""

    def prepare_demo_site(self, *, now: datetime) -> DemoSite:
        """Publish the demo register's policy if no version is published yet, and make an API key
        with every scope for the API's interactive docs (a new one each time; earlier demo keys
        are revoked)."""
        if not self.policy_versions():
            self.publish_policy(now=now, actor="varna demo")
        for key in self.api_keys():
            if key.name == DEMO_KEY_NAME and key.active:
                self.revoke_api_key(key.id, actor="varna demo", now=now)
        made = self.create_api_key(
            name=DEMO_KEY_NAME,
            scopes=["read", "requests", "admin"],
            created_by="varna demo",
            now=now,
        )
        return DemoSite(len(self.policy_versions()), made.token)
