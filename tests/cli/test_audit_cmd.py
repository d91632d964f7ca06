"""``varna audit verify|export`` as a user runs them: a changed byte is found and named."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from varna.audit import NewEvent
from varna.cli.app import app
from varna.core import Varna
from varna.settings import Settings

runner = CliRunner()
KEY = "cli-test-audit-key-0123456789abcdef"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VARNA_HOME", str(tmp_path))
    monkeypatch.setenv("VARNA_AUDIT_KEY", KEY)
    monkeypatch.delenv("VARNA_DATABASE_URL", raising=False)
    varna = Varna(Settings())
    start = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    varna.audit.append_many(
        NewEvent(
            at=start + timedelta(seconds=i),
            actor="dpo",
            action="dsr.access.executed",
            subject=f"ps_{i:032x}",
            target="crm.customers",
            details={"rows": i},
        )
        for i in range(20)
    )
    varna.state.close()
    return tmp_path


def test_verify_passes_on_an_untouched_log(home: Path) -> None:
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "20 entries verified" in result.output


@pytest.mark.parametrize("column", ["actor", "action", "details", "at"])
def test_one_changed_byte_is_named(home: Path, column: str) -> None:
    with sqlite3.connect(home / "state.db") as db:
        (value,) = db.execute(f"SELECT {column} FROM audit_events WHERE seq = 7").fetchone()
        changed = value[:-1] + ("x" if value[-1] != "x" else "y")
        db.execute(f"UPDATE audit_events SET {column} = ? WHERE seq = 7", (changed,))
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "entry 7" in result.output
    assert "changed" in result.output


def test_export_jsonl_has_every_entry(home: Path) -> None:
    result = runner.invoke(app, ["audit", "export", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert [e["seq"] for e in lines] == list(range(1, 21))


def test_verify_flags_time_going_backwards_without_crashing(home: Path) -> None:
    from varna.audit import AuditLog
    from varna.state import open_state

    with open_state(f"sqlite:///{home / 'state.db'}") as state:
        log = AuditLog(state, key=KEY.encode(), clock=lambda: datetime(2026, 1, 1, tzinfo=UTC))
        log.append(actor="dpo", action="dsr.access.executed")  # entry 21, dated before entry 20
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1, result.output
    assert "time_backwards entry 21" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_at_is_the_as_of_date_never_the_entry_time(demo_company: Callable[[int], Path]) -> None:
    demo_company(40)
    before = datetime.now(UTC)
    result = runner.invoke(app, ["retention", "run", "--execute", "--at", "2031-01-01"])
    assert result.exit_code == 0, result.output
    exported = runner.invoke(app, ["audit", "export", "--format", "jsonl"])
    events = [json.loads(line) for line in exported.output.splitlines() if line.strip()]
    assert events, "the run recorded nothing"
    for event in events:
        at = datetime.fromisoformat(event["at"])
        assert before <= at <= datetime.now(UTC)
        assert event["details"]["as_of"] == "2031-01-01T00:00:00.000000+00:00"
    assert "audit log OK" in runner.invoke(app, ["audit", "verify"]).output


def _append_more(home: Path, count: int) -> None:
    varna = Varna(Settings())
    for i in range(count):
        varna.audit.append(actor="dpo", action="dsr.access.executed", details={"more": i})
    varna.close()


def _reset(home: Path) -> None:
    with sqlite3.connect(home / "state.db") as db:
        db.execute("DELETE FROM audit_events")
        db.execute("UPDATE audit_head SET last_seq = 0, last_hash = NULL, mac = NULL")


def _delete_state(home: Path) -> None:
    for name in ("state.db", "state.db-wal", "state.db-shm"):
        (home / name).unlink(missing_ok=True)


def _gap(home: Path) -> None:
    with sqlite3.connect(home / "state.db") as db:
        db.execute("DELETE FROM audit_events WHERE seq = 10")


def _forge(home: Path) -> None:
    path = home / "checkpoints.jsonl"
    line = json.loads(path.read_text().splitlines()[-1])
    line["seq"] = 3
    with path.open("a") as handle:
        handle.write(json.dumps(line) + "\n")


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (None, None),
        (lambda home: _append_more(home, 5), None),
        (_reset, "reset entry 20"),
        (_delete_state, "reset entry 20"),
        (_gap, "deleted entry 20: the checkpoint"),
        (_forge, "checkpoint_invalid entry 0"),
    ],
    ids=["untouched", "grown", "reset", "state-deleted", "gap", "forged-checkpoint"],
)
def test_verify_against_a_checkpoint(
    home: Path, tamper: Callable[[Path], None] | None, expected: str | None
) -> None:
    written = runner.invoke(app, ["audit", "checkpoint", "--out", str(home / "copy.jsonl")])
    assert written.exit_code == 0, written.output
    assert "checkpoint at entry 20" in written.output
    assert (home / "checkpoints.jsonl").read_text() == (home / "copy.jsonl").read_text()
    if tamper is not None:
        tamper(home)
    plain = runner.invoke(app, ["audit", "verify"])
    result = runner.invoke(app, ["audit", "verify", "--against", str(home / "copy.jsonl")])
    if tamper is _forge:
        result = runner.invoke(
            app, ["audit", "verify", "--against", str(home / "checkpoints.jsonl")]
        )
    if expected is None:
        assert result.exit_code == 0, result.output
        assert "verified and the checkpoint" in result.output
    else:
        assert result.exit_code == 1, result.output
        assert expected in result.output
        if tamper in (_reset, _delete_state):
            assert plain.exit_code == 0  # without the checkpoint the reset goes unseen


def test_verify_against_reports_a_rollback_to_an_older_copy(home: Path) -> None:
    import shutil

    with sqlite3.connect(home / "state.db") as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(home / "state.db", home / "older.db")
    _append_more(home, 3)
    assert runner.invoke(app, ["audit", "checkpoint"]).exit_code == 0
    _delete_state(home)
    shutil.copy(home / "older.db", home / "state.db")
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0  # an authentic older log
    result = runner.invoke(app, ["audit", "verify", "--against", str(home / "checkpoints.jsonl")])
    assert result.exit_code == 1, result.output
    assert "rollback entry 23" in result.output
    assert "ends at entry 20" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "holds no checkpoint"),
        ("not json\n", "copy.jsonl:1: not an audit checkpoint"),
        ('{"v": 2}\n', "not a version 1 checkpoint"),
        ('{"v": 1, "seq": -1, "head_hash": null, "at": "x", "mac": "y"}\n', "seq is not a count"),
    ],
    ids=["empty", "not-json", "version", "negative-seq"],
)
def test_a_bad_checkpoint_file_is_a_clear_error(home: Path, content: str, message: str) -> None:
    (home / "copy.jsonl").write_text(content)
    result = runner.invoke(app, ["audit", "verify", "--against", str(home / "copy.jsonl")])
    assert result.exit_code == 3, result.output
    assert message in result.output
