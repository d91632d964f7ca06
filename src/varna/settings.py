"""How Varna runs, read from ``VARNA_*`` environment variables. Never instantiated at import.

- ``VARNA_HOME``: folder for Varna's local files (default ``.varna``).
- ``VARNA_DATABASE_URL``: SQLAlchemy URL of Varna's own state (default: SQLite in the home).
- ``VARNA_REGISTER``: the register file (default ``varna.yaml``).
- ``VARNA_REGISTER_MAX_BYTES``: the largest register file read (default 4 MiB).
- ``VARNA_CHECK_WORKERS``: systems the live ``register check`` asks at once (default 8).
- ``VARNA_AUDIT_KEY``: HMAC key for the audit chain and pseudonyms. Required when the state is
  shared (PostgreSQL): every host must use the same key. On SQLite it defaults to a random key
  kept in ``VARNA_HOME/audit.key``, created atomically by whichever process starts first.
- ``VARNA_RETENTION_SCHEDULE``: when ``varna worker`` sweeps (cron syntax, default 03:00 daily).
- ``VARNA_CHECKPOINT_FILE``: the append-only JSON-lines file audit checkpoints are added to
  (default ``VARNA_HOME/checkpoints.jsonl``); keep it somewhere the state database is not.
- ``VARNA_CHECKPOINT_SCHEDULE``: when ``varna worker`` writes a checkpoint (cron, default 03:30).
- ``VARNA_CONSOLE_IDLE_MINUTES``, ``VARNA_CONSOLE_SESSION_HOURS``: when a console session ends
  (idle for 15 minutes; 12 hours after sign-in).

A malformed value raises :class:`~varna.errors.SettingsError` naming the variable, when
``Settings`` is built: a process with bad settings stops before it does anything. ``repr`` and
``str`` never show the audit key or the database password.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
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
    register_max_bytes: int = Field(
        4 * 1024 * 1024,
        ge=1024,
        description="Largest register file Varna reads, in bytes (default 4 MiB); a larger "
        "file is refused before it is parsed.",
    )
    check_workers: int = Field(
        8,
        ge=1,
        le=64,
        description="How many systems the live `register check` asks at once (one connection "
        "each; default 8). Systems on one PostgreSQL server whose URLs differ only in `-c` "
        "settings of `options` (a `search_path` per system) share these connections, each "
        "system's settings applied to its own reading only.",
    )
    audit_key: SecretStr | None = Field(
        None,
        description="HMAC key for the audit chain and subject pseudonyms (at least 16 "
        "characters); required when the state is on PostgreSQL, a random key in "
        "`home/audit.key` on SQLite.",
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
    rate_limit_api: int = Field(
        600,
        ge=0,
        description="Calls to the REST API one client (IP address) may make per minute, across "
        "every server process of a PostgreSQL state; 0 turns the limit off.",
    )
    rate_limit_forms: int = Field(
        30,
        ge=0,
        description="Privacy-centre forms one client (IP address) may send per minute, across "
        "every server process of a PostgreSQL state; 0 turns the limit off.",
    )
    submit_concurrency: int = Field(
        3,
        ge=1,
        le=64,
        description="Submissions through the REST API one `varna serve` process carries out "
        "at once (a vouched access is answered in the call: it holds the interpreter for most "
        "of its time); more wait their turn. About the cores per process, plus one.",
    )
    retention_schedule: str = Field(
        "0 3 * * *",
        description="When `varna worker` runs the retention sweep: cron syntax, in UTC "
        "(default every day at 03:00).",
    )
    checkpoint_file: Path | None = Field(
        None,
        description="Append-only JSON-lines file for signed audit checkpoints; "
        "`home/checkpoints.jsonl` when unset. Keep it where the state database is not.",
    )
    checkpoint_schedule: str = Field(
        "30 3 * * *",
        description="When `varna worker` writes an audit checkpoint: cron syntax, in UTC "
        "(default every day at 03:30).",
    )
    jobs_prune_schedule: str = Field(
        "45 3 * * *",
        description="When `varna worker` removes finished jobs of the queue older than "
        "`VARNA_JOBS_KEEP_DAYS`: cron syntax, in UTC (default every day at 03:45).",
    )
    jobs_keep_days: int = Field(
        30,
        ge=1,
        le=3650,
        description="Days a job of the queue is kept once it succeeded (default 30); failed and "
        "cancelled jobs are kept for staff to look at. What a job did is in the audit log.",
    )
    console_idle_minutes: int = Field(
        15,
        ge=1,
        le=720,
        description="Minutes without use after which a console session ends (default 15).",
    )
    console_session_hours: int = Field(
        12,
        ge=1,
        le=168,
        description="Hours after sign-in after which a console session ends however it is "
        "used (default 12).",
    )
    consent_renew_months: int = Field(
        12,
        ge=1,
        le=60,
        description="Consent older than this many months is no longer current: ask again "
        "(also asked again when the notice changes).",
    )

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise SettingsError(_describe(exc)) from None

    @field_validator("retention_schedule", "checkpoint_schedule", "jobs_prune_schedule")
    @classmethod
    def _cron(cls, value: str) -> str:
        from croniter import croniter  # type: ignore[import-untyped]

        if not croniter.is_valid(value) or len(value.split()) != 5:
            raise ValueError(
                "is not a cron expression of five fields (minute hour day month weekday), "
                "e.g. '0 3 * * *' for 03:00 UTC every day"
            )
        return value

    @field_validator("database_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        import sqlalchemy as sa

        if value is None:
            return None
        try:
            sa.make_url(value)
        except sa.exc.ArgumentError:
            raise ValueError(
                "is not a SQLAlchemy URL: use e.g. sqlite:///path/state.db or "
                "postgresql+psycopg://user@host/dbname"
            ) from None
        return value

    def model_post_init(self, _context: Any) -> None:
        if self.shared_state and self.audit_key is None:
            raise SettingsError(
                "VARNA_AUDIT_KEY is not set, but the state is shared (VARNA_DATABASE_URL is "
                "not SQLite): every host must sign the audit log and pseudonyms with the same "
                "key. Generate one once (e.g. `python -c 'import secrets; "
                "print(secrets.token_hex(32))'`) and give it to every host"
            )

    def __repr_args__(self) -> Any:
        for name, value in super().__repr_args__():
            if name == "database_url" and value is not None:
                yield name, _masked_url(value)
            else:
                yield name, value

    @property
    def shared_state(self) -> bool:
        """True when the state database is a server several hosts may share (not SQLite)."""
        return bool(self.database_url) and not str(self.database_url).startswith("sqlite")

    @property
    def checkpoints(self) -> Path:
        """Where audit checkpoints are appended."""
        return self.checkpoint_file or self.home / "checkpoints.jsonl"

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
        if self.shared_state:  # model_post_init refuses this; kept for copies made by hand
            raise SettingsError("VARNA_AUDIT_KEY is required when the state is shared")
        return _home_key(self.home / "audit.key")


def _home_key(path: Path) -> bytes:
    """Read ``path``, or create it with a fresh key. Several processes may start at once: the
    key is written to a private temporary file, synced, and then published with ``link``, which
    fails when the name exists, so every process ends up reading the one key that won."""
    try:
        key = path.read_bytes().strip()
    except FileNotFoundError:
        key = b""
    if key:
        return key
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".audit.key.", dir=path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_hex(32).encode())
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):  # another process published first
                os.link(temp, path)
        finally:
            os.unlink(temp)
        key = path.read_bytes().strip()
    except OSError as exc:
        raise SettingsError(
            f"cannot create the audit key file in VARNA_HOME ({exc.strerror}): check that the "
            "folder is writable, or set VARNA_AUDIT_KEY"
        ) from exc
    if not key:
        raise SettingsError(
            "the audit key file in VARNA_HOME is empty: restore it from a backup (the audit log "
            "cannot be verified without it) or remove it if the log is new"
        )
    return key


def _masked_url(url: str) -> str:
    """``url`` with its password replaced by ``***``."""
    import sqlalchemy as sa

    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<not a URL>"


def _describe(exc: ValidationError) -> str:
    """A settings error naming each variable and what is wrong, never the value given."""
    problems = []
    for error in exc.errors(include_input=False, include_url=False):
        name = ".".join(str(part) for part in error["loc"]) or "settings"
        variable = "VARNA_REGISTER" if name == "register_file" else f"VARNA_{name.upper()}"
        message = str(error["msg"]).removeprefix("Value error, ")
        problems.append(f"{variable} {message}")
    return "invalid settings: " + "; ".join(problems)
