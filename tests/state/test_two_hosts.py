"""Two Varna hosts (two VARNA_HOME folders) on one PostgreSQL state with the shared key: each
verifies the whole audit log, and host B lifts host A's restriction through the CLI. A host
without the key refuses to start; one with another key finds the log unverifiable."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from varna.cli.app import app

runner = CliRunner()
pytestmark = pytest.mark.postgres


def on(host: Path, *args: str, key: str | None = None) -> tuple[int, str]:
    env = {"VARNA_HOME": str(host)}
    if key is not None:
        env["VARNA_AUDIT_KEY"] = key
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


def verified(host: Path) -> int:
    code, out = on(host, "audit", "verify")
    assert code == 0, out
    found = re.search(r"audit log OK: (\d+) entries verified", out)
    assert found is not None, out
    return int(found.group(1))


def test_two_hosts_share_one_state(
    demo_company: Callable[[int], Path],
    pg_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    demo = demo_company(40)
    monkeypatch.setenv("VARNA_DATABASE_URL", pg_url)
    host_a, host_b = tmp_path / "host-a", tmp_path / "host-b"
    with sqlite3.connect(demo / "data" / "crm.db") as crm:
        (email,) = crm.execute("SELECT email FROM customers ORDER BY id LIMIT 1").fetchone()

    code, out = on(host_a, "dsr", "restrict", "-i", f"email={email}", "--execute")
    assert code == 0, out
    count = verified(host_a)
    assert count > 0
    assert verified(host_b) == count  # B verifies every entry A wrote

    code, out = on(
        host_b,
        "dsr",
        "restrict",
        "-i",
        f"email={email}",
        "--lift",
        "--reason",
        "accuracy checked",
        "--execute",
    )
    assert code == 0, out
    assert "no active restriction" not in out
    assert re.search(r"restriction rs_[0-9a-f]{32} lifted", out), out
    code, again = on(
        host_a, "dsr", "restrict", "-i", f"email={email}", "--lift", "--reason", "x", "--execute"
    )
    assert code != 0
    assert "no active restriction" in again  # A sees B's lift: nothing left to lift
    grown = verified(host_a)
    assert grown > count
    assert verified(host_b) == grown

    code, out = on(host_a, "audit", "checkpoint")
    assert code == 0, out
    code, out = on(host_b, "audit", "verify", "--against", str(host_a / "checkpoints.jsonl"))
    assert code == 0, out
    assert not list(host_a.glob("audit.key"))
    assert not list(host_b.glob("audit.key"))

    monkeypatch.delenv("VARNA_AUDIT_KEY")
    code, out = on(tmp_path / "host-c", "audit", "verify")
    assert code == 2
    assert "VARNA_AUDIT_KEY is not set" in out
    code, out = on(tmp_path / "host-d", "audit", "verify", key="another-key-0123456789abcdef")
    assert code == 1
    assert "FAILS verification" in out
