"""Operations of the service for the console's settings page: console users (add, disable,
reset the second factor), API keys (revoke) and webhooks, for the administrator.

Each operation asks the one permission map first (``users``) and then calls the operation the
CLI calls (``varna user``, ``varna apikey``, ``varna webhook``), so both doors make the same
change and write the same audit event, the actor being the signed-in administrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from varna.core.key_ops import KeyOps
from varna.core.user_ops import ConsoleRole, ConsoleUser, NewUser, Permission, UserOps
from varna.core.webhook_ops import WebhookOps
from varna.errors import VarnaError

if TYPE_CHECKING:
    from varna.state.api_keys import ApiKey
    from varna.state.users import UserRecord
    from varna.state.webhooks import Webhook


@dataclass(frozen=True, slots=True)
class SettingsPage:
    """The console's users, the API keys and the webhooks (never a secret)."""

    users: tuple[UserRecord, ...]
    keys: tuple[ApiKey, ...]
    webhooks: tuple[Webhook, ...]
    made: NewUser | None = None
    """A user just added or given a new second factor: its ``otpauth://`` URI, shown once."""
    error: str | None = None
    """Why the change asked for was not made (in the words of the rule that refused it)."""
    done: str | None = None


class SettingsOps(UserOps, WebhookOps, KeyOps):
    """Operations: the console's settings page."""

    def console_settings(self, user: ConsoleUser) -> SettingsPage:
        user.require(Permission.users)
        return SettingsPage(
            tuple(self.console_users()), tuple(self.api_keys()), tuple(self.webhooks())
        )

    def console_settings_change(
        self,
        user: ConsoleUser,
        change: str,
        *,
        now: datetime,
        name: str = "",
        role: ConsoleRole | None = None,
        password: str = "",
        special_categories: bool = False,
    ) -> SettingsPage:
        """Make one change (``add_user``, ``disable_user``, ``reset_2fa``, ``revoke_key``) as
        ``user``; a change a rule refuses comes back as ``error``, nothing changed."""
        user.require(Permission.users)
        actor = f"console:{user.name}"
        made: NewUser | None = None
        try:
            if change == "add_user":
                if role is None:
                    raise ValueError(change)
                made = self.add_user(
                    name=name.strip(),
                    role=role,
                    password=password,
                    actor=actor,
                    now=now,
                    special_categories=special_categories,
                )
            elif change == "disable_user":
                self.disable_user(name, actor=actor, now=now)
            elif change == "reset_2fa":
                made = self.reset_two_factor(name, actor=actor, now=now)
            elif change == "revoke_key":
                self.revoke_api_key(name, actor=actor, now=now)
            else:
                raise ValueError(change)
        except VarnaError as exc:
            page = self.console_settings(user)
            return SettingsPage(page.users, page.keys, page.webhooks, error=str(exc))
        page = self.console_settings(user)
        return SettingsPage(page.users, page.keys, page.webhooks, made=made, done=change)
