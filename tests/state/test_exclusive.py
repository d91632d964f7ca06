"""StateDB.exclusive: one holder at a time across processes, and a holder that dies (SIGKILL)
leaves no lock behind, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

from varna.state import open_state

HOLD = """
import sys, time
from varna.state import open_state
with open_state(sys.argv[1]) as db, db.exclusive(sys.argv[2]):
    print("held", flush=True)
    time.sleep(600)
"""


def taken_within(url: str, name: str, seconds: float) -> bool:
    """Whether this process gets the lock within ``seconds``."""
    got = threading.Event()

    def take() -> None:
        with open_state(url) as db, db.exclusive(name):
            got.set()

    threading.Thread(target=take, daemon=True).start()
    return got.wait(seconds)


def test_a_killed_holder_leaves_no_lock(state_url: str) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, state_url, "erasure:rq_1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        assert not taken_within(state_url, "erasure:rq_1", 1.0)  # held by the other process
        assert taken_within(state_url, "erasure:rq_2", 10.0)  # another name is free
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.communicate(timeout=30)
    started = time.monotonic()
    assert taken_within(state_url, "erasure:rq_1", 10.0)  # released with the dead process
    assert time.monotonic() - started < 10
