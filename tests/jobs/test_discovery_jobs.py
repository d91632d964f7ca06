"""A discovery scan fanned out on a PostgreSQL state: one job per table or file, two worker
processes share them, each unit is scanned exactly once, and the merged report equals the scan
made in one process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from varna.core import Varna
from varna.jobs.queue import defer_discovery, ensure_schema
from varna.settings import Settings

NOW = datetime(2026, 12, 3, tzinfo=UTC)


@pytest.fixture
def demo(demo_company: Callable[[int], Path]) -> Path:
    return demo_company(60)


@pytest.mark.postgres
def test_two_workers_scan_each_unit_once_and_merge_to_the_in_process_report(
    demo: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VARNA_DATABASE_URL", pg_url)
    settings = Settings()
    ensure_schema(settings)
    varna = Varna(settings)
    scan_id, units = varna.start_discovery(environ=os.environ, sample=None)
    assert len(units) >= 12
    assert defer_discovery(settings, scan_id, units) == len(units)
    assert varna.discovery_progress(scan_id) == (0, len(units))
    worker = [str(Path(sys.executable).parent / "varna"), "worker", "--once"]
    processes = [
        subprocess.Popen(
            worker, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300)[0].decode() for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert varna.discovery_progress(scan_id) == (len(units), len(units))
    assert set(varna.discovery_store.runs(scan_id).values()) == {1}
    assert set(varna.discovery_store.runs(scan_id)) == set(units)
    merged = varna.merged_discovery(scan_id)
    local = varna.discover(environ=os.environ, sample=None)
    assert merged.as_dict() == local.as_dict()
    assert merged.findings == local.findings
    # a job run again (a retry) neither rescans nor counts twice
    system, unit = units[0]
    assert not varna.run_discovery_unit(scan_id, system, unit, environ=os.environ, now=NOW)
    varna.close()
