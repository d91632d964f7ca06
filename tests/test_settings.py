"""Settings: defaults, environment, and the audit key."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from varna.errors import SettingsError
from varna.settings import Settings


def test_state_defaults_to_sqlite_in_home(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    assert settings.state_url == f"sqlite:///{tmp_path / 'state.db'}"


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VARNA_DATABASE_URL", "postgresql+psycopg://db/varna")
    monkeypatch.setenv("VARNA_REGISTER", "other.yaml")
    settings = Settings()
    assert settings.state_url == "postgresql+psycopg://db/varna"
    assert settings.register_file == Path("other.yaml")


def test_audit_key_is_created_once_and_private(tmp_path: Path) -> None:
    first = Settings(home=tmp_path).audit_key_bytes()
    second = Settings(home=tmp_path).audit_key_bytes()
    assert first == second
    assert len(first) == 64
    mode = (tmp_path / "audit.key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_short_audit_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="at least"):
        Settings(home=tmp_path, audit_key="short").audit_key_bytes()


def test_audit_key_is_masked_in_repr(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, audit_key="a-secret-audit-key-of-length")
    assert "a-secret" not in repr(settings)
