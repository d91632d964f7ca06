"""``varna serve --workers N``: each worker listens on its own socket at the one address, so the
kernel spreads connections over the workers (a shared socket let one worker take them all)."""

from __future__ import annotations

import multiprocessing
import os
import socket
from multiprocessing.connection import Connection
from typing import Any

import pytest
import typer

from varna.cli.serve_cmd import SharedPort

CLIENTS = 64


def _serve(sock: socket.socket, report: Connection, stop: Any) -> None:
    """A worker: say what socket it got, then count the connections it accepts."""
    report.send(
        (
            os.fstat(sock.fileno()).st_ino,
            sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN),
            sock.getsockname()[1],
        )
    )
    sock.settimeout(0.05)
    accepted = []
    while not stop.is_set():
        try:
            conn, _ = sock.accept()
        except TimeoutError:
            continue
        conn.sendall(b"x")  # the client waits for this: it knows it was accepted
        accepted.append(conn)
    report.send(len(accepted))
    for conn in accepted:
        conn.close()


def test_each_worker_listens_on_its_own_socket_and_gets_connections() -> None:
    port = SharedPort.reserve("127.0.0.1", 0)
    address = port.getsockname()
    # bound in the supervisor, never listening there: no connection can wait on it
    assert port.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 0
    spawn = multiprocessing.get_context("spawn")  # as uvicorn starts its workers
    stop = spawn.Event()
    workers = []
    for _ in range(2):
        mine, theirs = spawn.Pipe()
        process = spawn.Process(target=_serve, args=(port, theirs, stop))
        process.start()
        workers.append((process, mine))
    try:
        seen = [mine.recv() for _, mine in workers]
        inodes = {inode for inode, _, _ in seen}
        assert len(inodes) == 2
        assert os.fstat(port.fileno()).st_ino not in inodes
        assert [(listening, at) for _, listening, at in seen] == [(1, address[1])] * 2
        clients = [socket.create_connection(address, timeout=10) for _ in range(CLIENTS)]
        for client in clients:
            assert client.recv(1) == b"x"
        stop.set()
        counts = [mine.recv() for _, mine in workers]
        for client in clients:
            client.close()
    finally:
        stop.set()
        for process, _ in workers:
            process.join(10)
    assert sum(counts) == CLIENTS
    # spread by the kernel's hash of each connection: one worker taking all 64 has odds 2**-63
    assert min(counts) > 0, counts
    port.close()


def test_a_taken_port_is_refused_at_once_with_the_fix() -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        with pytest.raises(typer.BadParameter, match="another server has it"):
            SharedPort.reserve("127.0.0.1", taken.getsockname()[1])
    finally:
        taken.close()
