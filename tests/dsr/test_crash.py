"""A real crash mid-erasure (SIGKILL after the first system commits), then a re-run: the end
state equals that of a clean run, and data under the legal hold is never touched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from varna.connectors.registry import connected
from varna.dsr.executor import erase
from varna.dsr.identity import Identity
from varna.dsr.journal import ErasureJournal
from varna.register import load_register

from . import crash_worker
from .shop import dump_sqlite, shop_sqlite

WORKER = Path(crash_worker.__file__)


def run_erasure(register_path: Path, env: dict[str, str], journal: Path) -> None:
    register = load_register(register_path)
    with connected(register, base_dir=register_path.parent, environ=env) as connectors:
        erase(
            register,
            [Identity("email", "anna@example.se")],
            connectors,
            now=datetime.fromisoformat(crash_worker.NOW),
            hash_key=crash_worker.KEY,
            journal=ErasureJournal(journal),
            execute=True,
        )


def test_a_rerun_after_a_crash_finishes_the_job(tmp_path: Path) -> None:
    clean_register, clean_env = shop_sqlite(tmp_path / "clean")
    run_erasure(clean_register, clean_env, tmp_path / "clean-journal")

    register, env = shop_sqlite(tmp_path / "crashed")
    before = dump_sqlite(env)
    journal = tmp_path / "journal"
    worker = subprocess.run(
        [sys.executable, str(WORKER), str(register), str(journal)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert worker.returncode == -9, worker.stderr
    (entry,) = journal.glob("rq_*.json")
    assert json.loads(entry.read_text(encoding="utf-8"))["done"] == ["crm"]
    crashed = dump_sqlite(env)
    assert crashed["crm"] != before["crm"]  # the first system committed
    assert crashed["billing"] == before["billing"]  # the others did not start
    assert crashed["support"] == before["support"]

    run_erasure(register, env, journal)

    after = dump_sqlite(env)
    assert after == dump_sqlite(clean_env)
    assert list(journal.glob("rq_*.json")) == []
    held = next(r for r in after["billing"]["invoices"] if r[0] == "A-1")
    original = next(r for r in before["billing"]["invoices"] if r[0] == "A-1")
    assert held[1] == original[1]  # buyer_name: a category the hold keeps
    assert held[4:6] == original[4:6]  # date and amount
    assert after["billing"]["credit_notes"] == before["billing"]["credit_notes"]
