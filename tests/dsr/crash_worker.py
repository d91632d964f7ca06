"""Run an erasure of the shop and die (SIGKILL) right after the first system commits.

Usage: python crash_worker.py REGISTER JOURNAL_DIR; the systems' URLs come from the environment.
Used by test_crash.py to prove that a re-run after a real crash finishes the job.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from varna.connectors.registry import connected
from varna.dsr.executor import erase
from varna.dsr.identity import Identity
from varna.dsr.journal import ErasureJournal
from varna.register import load_register

NOW = "2026-03-02T09:30:00+00:00"
KEY = b"crash-test-key-0123456789abcdef!"


def main() -> None:
    from datetime import datetime

    register_path, journal_dir = Path(sys.argv[1]), Path(sys.argv[2])
    register = load_register(register_path)

    def die(system: str) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    with connected(register, base_dir=register_path.parent, environ=os.environ) as connectors:
        erase(
            register,
            [Identity("email", "anna@example.se")],
            connectors,
            now=datetime.fromisoformat(NOW),
            hash_key=KEY,
            journal=ErasureJournal(journal_dir),
            execute=True,
            on_system_done=die,
        )


if __name__ == "__main__":
    main()
