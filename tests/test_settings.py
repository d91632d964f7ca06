"""Settings: defaults, environment, and the audit key."""

from __future__ import annotations

import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from varna.errors import SettingsError
from varna.settings import Settings


def test_state_defaults_to_sqlite_in_home(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    assert settings.state_url == f"sqlite:///{tmp_path / 'state.db'}"


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VARNA_DATABASE_URL", "postgresql+psycopg://db/varna")
    monkeypatch.setenv("VARNA_AUDIT_KEY", "k" * 32)
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


KEY_RACE = """
import sys
from pathlib import Path
from varna.settings import Settings
sys.stdout.write(Settings(home=Path(sys.argv[1])).audit_key_bytes().decode())
"""


@pytest.mark.parametrize("processes", [4, 8], ids=["4-processes", "8-processes"])
def test_processes_starting_together_share_one_key(tmp_path: Path, processes: int) -> None:
    for trial in range(4):
        home = tmp_path / f"trial-{trial}"
        started = [
            subprocess.Popen(
                [sys.executable, "-c", KEY_RACE, str(home)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(processes)
        ]
        results = [(p.communicate(timeout=60), p.returncode) for p in started]
        assert [code for _, code in results] == [0] * processes, [err for (_, err), _ in results]
        keys = {out for (out, _), _ in results}
        assert keys == {(home / "audit.key").read_text()}
        assert len(keys.pop()) == 64
        assert [p.name for p in home.iterdir()] == ["audit.key"]  # no temporary file left


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"database_url": "postgresql+psycopg://varna:pw@db/varna"}, "VARNA_AUDIT_KEY is not set"),
        ({"database_url": "mysql+pymysql://root@db/varna"}, "VARNA_AUDIT_KEY is not set"),
        ({"retention_schedule": "every night"}, "VARNA_RETENTION_SCHEDULE is not a cron"),
        ({"retention_schedule": "0 25 * * *"}, "VARNA_RETENTION_SCHEDULE is not a cron"),
        ({"checkpoint_schedule": "* * *"}, "VARNA_CHECKPOINT_SCHEDULE is not a cron"),
        ({"database_url": "not a url"}, "VARNA_DATABASE_URL is not a SQLAlchemy URL"),
        ({"colour": "blue"}, "VARNA_COLOUR"),
    ],
    ids=["pg-no-key", "other-server-no-key", "words", "hour-25", "three-fields", "url", "extra"],
)
def test_bad_settings_are_refused_when_built(values: dict[str, str], fragment: str) -> None:
    with pytest.raises(SettingsError, match=fragment) as caught:
        Settings(**values)  # type: ignore[arg-type]
    assert "pw@" not in str(caught.value)


@pytest.mark.parametrize(
    "values",
    [
        {"database_url": "postgresql+psycopg://varna:pw@db/varna", "audit_key": "k" * 32},
        {"database_url": "sqlite:////tmp/state.db"},
        {"retention_schedule": "15 2 * * 1-5", "checkpoint_schedule": "0 4 * * *"},
    ],
    ids=["pg-with-key", "sqlite-url", "weekday-schedule"],
)
def test_good_settings_are_accepted(values: dict[str, str]) -> None:
    Settings(**values)  # type: ignore[arg-type]


def test_environment_schedule_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VARNA_RETENTION_SCHEDULE", "0 3 * *")
    with pytest.raises(SettingsError, match="VARNA_RETENTION_SCHEDULE"):
        Settings()


@pytest.mark.parametrize("show", [repr, str], ids=["repr", "str"])
def test_database_password_is_never_shown(show: Callable[[object], str]) -> None:
    settings = Settings(
        database_url="postgresql+psycopg://varna:s3cret-pw@db/varna", audit_key="k" * 32
    )
    shown = show(settings)
    assert "s3cret-pw" not in shown
    assert "varna:***@db/varna" in shown
    assert settings.state_url.endswith("varna:s3cret-pw@db/varna")  # the URL itself still works


def test_an_empty_key_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "audit.key").write_bytes(b"")
    (tmp_path / "audit.key").chmod(0o400)
    with pytest.raises(SettingsError, match="empty"):
        Settings(home=tmp_path).audit_key_bytes()
