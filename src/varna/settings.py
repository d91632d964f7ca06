"""How Varna runs, read from ``VARNA_*`` environment variables. Never instantiated at import.

- ``VARNA_HOME``: folder for Varna's local files (default ``.varna``).
- ``VARNA_DATABASE_URL``: SQLAlchemy URL of Varna's own state (default: SQLite in the home).
- ``VARNA_REGISTER``: the register file (default ``varna.yaml``).
- ``VARNA_AUDIT_KEY``: HMAC key for the audit chain and pseudonyms (default: a random key kept
  in ``VARNA_HOME/audit.key``).
- ``VARNA_RETENTION_SCHEDULE``: when ``varna worker`` sweeps (cron syntax, default 03:00 daily).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from varna.errors import SettingsError


class Settings(BaseSettings):
    """Varna's settings. Build with ``Settings()`` (reads the environment) or pass values."""

    model_config = SettingsConfigDict(env_prefix="VARNA_", extra="forbid", frozen=True)

    home: Path = Field(Path(".varna"), description="Folder for Varna's local files.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL of Varna's own state; SQLite in `home` when unset."
    )
    register_file: Path = Field(
        Path("varna.yaml"),
        validation_alias=AliasChoices("VARNA_REGISTER", "register_file"),
        description="Path of the register file (environment variable `VARNA_REGISTER`).",
    )
    audit_key: SecretStr | None = Field(
        None, description="HMAC key for the audit chain and subject pseudonyms."
    )
    smtp_url: SecretStr | None = Field(
        None,
        description="Mail server for e-mail to people (codes, answers): smtp://host:port, "
        "smtp+starttls://user:password@host:587 or smtps://user:password@host:465.",
    )
    mail_from: str | None = Field(
        None, description="Sender of e-mail to people (default: the controller's contact e-mail)."
    )
    public_url: str | None = Field(
        None,
        description="The privacy centre's public address, for links in e-mail "
        "(default http://127.0.0.1:8000).",
    )
    retention_schedule: str = Field(
        "0 3 * * *",
        description="When `varna worker` runs the retention sweep: cron syntax, in UTC "
        "(default every day at 03:00).",
    )

    @property
    def state_url(self) -> str:
        """The state database URL, defaulting to a SQLite file under ``home``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'state.db'}"

    def audit_key_bytes(self) -> bytes:
        """The audit HMAC key; created once in ``home/audit.key`` when not configured."""
        if self.audit_key is not None:
            raw = self.audit_key.get_secret_value()
            if len(raw) < 16:
                raise SettingsError(
                    "VARNA_AUDIT_KEY is shorter than 16 characters: use at least 32 random bytes"
                )
            return raw.encode()
        path = self.home / "audit.key"
        if path.exists():
            return path.read_bytes().strip()
        self.home.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32).encode()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        return key
