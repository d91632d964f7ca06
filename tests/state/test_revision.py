"""The schema revision is checked when Varna opens its state: new is built, old and unknown are
refused, and ``varna state upgrade`` / ``show`` work on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from varna.cli.app import app
from varna.core import Varna
from varna.errors import StateError
from varna.settings import Settings
from varna.state import open_state
from varna.state.database import head_revision

KEY = "test-audit-key-0123456789abcdef"
runner = CliRunner()


@pytest.fixture
def settings(state_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("VARNA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("VARNA_DATABASE_URL", state_url)
    monkeypatch.setenv("VARNA_AUDIT_KEY", KEY)
    return Settings()


def prepare(url: str, at: str | None) -> None:
    """Leave the state at revision ``at`` (None: untouched, "unknown": a newer Varna's)."""
    with open_state(url) as db:
        if at == "unknown":
            db.migrate()
            with db.write() as conn:
                conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
        elif at is not None:
            db.migrate(at)


@pytest.mark.parametrize(
    ("at", "refused"),
    [
        (None, None),
        ("head", None),
        ("0003", "needs .*varna state upgrade"),
        ("0001", "at revision 0001.*varna state upgrade"),
        ("unknown", "revision 9999, which this Varna .* does not know"),
    ],
    ids=["brand-new", "current", "one-behind", "three-behind", "newer"],
)
def test_opening_the_state_checks_its_revision(
    settings: Settings, at: str | None, refused: str | None
) -> None:
    prepare(settings.state_url, at)
    varna = Varna(settings)
    try:
        if refused is None:
            assert varna.audit.head().last_seq == 0
            assert varna.state_revision().status == "current"
        else:
            with pytest.raises(StateError, match=refused):
                varna.audit.head()
            with open_state(settings.state_url) as db:
                assert db.revision() == ("9999" if at == "unknown" else at)  # left untouched
    finally:
        varna.close()


def test_tables_without_a_revision_are_refused(settings: Settings) -> None:
    prepare(settings.state_url, "head")
    with open_state(settings.state_url) as db, db.write() as conn:
        conn.execute(sa.text("DELETE FROM alembic_version"))
    with pytest.raises(StateError, match=r"holds Varna tables .* but no schema revision"):
        Varna(settings).audit.head()


@pytest.mark.parametrize(
    ("at", "before", "status"),
    [("0002", "0002", "older"), (None, "none", "empty"), ("head", None, "current")],
    ids=["older", "empty", "current"],
)
def test_state_show_and_upgrade_through_the_cli(
    settings: Settings, at: str | None, before: str | None, status: str
) -> None:
    prepare(settings.state_url, at)
    head = head_revision()
    shown = runner.invoke(app, ["state", "show"])
    assert shown.exit_code == 0, shown.output
    assert f"revision: {before or head} (newest: {head})" in shown.output
    assert {"older": "older than", "empty": "empty", "current": "up to date"}[
        status
    ] in shown.output
    upgraded = runner.invoke(app, ["state", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    if status == "current":
        assert f"is at the newest revision {head}" in upgraded.output
    else:
        assert f"upgraded from {'nothing' if at is None else at} to {head}" in upgraded.output
    varna = Varna(settings)
    try:
        assert varna.audit.verify().ok
    finally:
        varna.close()


def test_state_upgrade_refuses_a_newer_schema(settings: Settings) -> None:
    prepare(settings.state_url, "unknown")
    result = runner.invoke(app, ["state", "upgrade"])
    assert result.exit_code == 3, result.output
    assert "newer than this Varna" in result.output
