"""A real local HTTP receiver for webhook tests: a ``http.server`` in a thread that keeps every
POST it gets and answers with the status the test sets."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass
class Receiver:
    url: str
    status: int = 200
    posts: list[Received] = field(default_factory=list)

    def verified(self, secret: str) -> list[dict[str, Any]]:
        """The bodies whose signature checks out under ``secret`` (as a receiver would check:
        recompute the HMAC of "<t>." + body and compare in constant time)."""
        good = []
        for post in self.posts:
            parts = dict(p.split("=", 1) for p in post.headers["Varna-Signature"].split(","))
            signed = f"{parts['t']}.".encode() + post.body
            mac = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
            if hmac.compare_digest(mac, parts["v1"]):
                good.append(post.json)
        return good


@contextmanager
def receiver() -> Iterator[Receiver]:
    """A receiver on a free loopback port, stopped when the block ends."""
    state = Receiver("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            state.posts.append(Received(dict(self.headers.items()), body))
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/varna"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
