"""Run one erasure of the shop with Varna's state journal and audit log, as the service does.

Usage: python bracket_worker.py REGISTER STATE_URL; the systems' URLs come from the environment,
``VARNA_FAULT`` may name a fault point where the process dies (``varna.faults``). Used by
test_bracket.py for crash and concurrency tests.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

from varna.audit import AuditLog
from varna.connectors.registry import connected
from varna.dsr.executor import erase
from varna.dsr.identity import Identity
from varna.dsr.journal import StateErasureJournal
from varna.dsr.proof import AuditRecorder
from varna.register import load_register
from varna.state import open_state

NOW = datetime.fromisoformat("2026-03-02T09:30:00+00:00")
KEY = b"bracket-test-key-0123456789abcdef"
ANNA = [Identity("email", "anna@example.se")]


def run(register_path: Path, state_url: str, environ: dict[str, str]) -> int:
    """Erase Anna; return how many systems this run changed."""
    register = load_register(register_path)
    with open_state(state_url) as state:
        state.open_at_head()
        log = AuditLog(state, key=KEY)
        recorder = AuditRecorder(log, key=KEY, actor="test:bracket")
        with connected(register, base_dir=register_path.parent, environ=environ) as connectors:
            outcome = erase(
                register,
                ANNA,
                connectors,
                now=NOW,
                hash_key=KEY,
                journal=StateErasureJournal(state),
                recorder=recorder,
                execute=True,
            )
    return sum(1 for r in outcome.receipts if not r.skipped)


if __name__ == "__main__":
    print(run(Path(sys.argv[1]), sys.argv[2], dict(os.environ)))
