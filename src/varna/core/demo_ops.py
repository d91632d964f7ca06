"""Operations of the service: making a freshly built demo company ready to be served."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from varna.core.key_ops import KeyOps
from varna.core.policy_ops import PolicyOps
from varna.core.register_ops import RegisterOps
from varna.core.user_ops import ConsoleRole, UserOps

DEMO_KEY_NAME = "demo"
DEMO_CONSOLE_USER = "demo.dpo"


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """A console login for the demo: a new password each start, and the TOTP secret (printed
    for the demo only, so a code can be computed without an authenticator app)."""

    name: str
    password: str
    totp_secret: str


@dataclass(frozen=True, slots=True)
class DemoSite:
    """What a person trying the demo needs: the policy version shown, and an API key."""

    policy_version: int
    api_key: str
    login: DemoLogin | None = None


class DemoOps(UserOps, KeyOps, RegisterOps, PolicyOps):
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
        return DemoSite(len(self.policy_versions()), made.token, self._demo_login(now=now))

    def _demo_login(self, *, now: datetime) -> DemoLogin:
        """The demo DPO: made on the first start, given a new password on every start."""
        import secrets

        from varna.core.user_ops import password_hasher

        password = secrets.token_urlsafe(12)
        users = self._users()
        if users.get(DEMO_CONSOLE_USER) is None:
            self.add_user(
                name=DEMO_CONSOLE_USER,
                role=ConsoleRole.dpo,
                password=password,
                actor="varna demo",
                now=now,
                special_categories=True,
            )
        else:
            users.update(DEMO_CONSOLE_USER, password_hash=password_hasher().hash(password))
        secret = self.totp_secret(DEMO_CONSOLE_USER)
        assert secret is not None
        return DemoLogin(DEMO_CONSOLE_USER, password, secret)
