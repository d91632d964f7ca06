"""A live server (uvicorn in a thread) around a real Varna with the demo website, for the banner's
browser tests and the cookie scan."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from varna.core import Varna
from varna.web.app import create_app


@contextmanager
def served(varna: Varna, *, demo_site: bool = True) -> Iterator[str]:
    """``varna``'s centre and API (and the demo website, unless ``demo_site`` is false) on a free
    loopback port: its base address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(varna, demo_site=demo_site)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
