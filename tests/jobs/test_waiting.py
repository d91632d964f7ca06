"""A caller that prefers to wait (HTTP ``Prefer: wait=N``) gets the request as a worker leaves it:
the wait reads the request until it leaves the worker's states or the time is up, and over the
API a real ``varna worker`` process answers while the call waits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.dsr.requests import Actor, Role
from varna.web.api_requests import preferred_wait
from varna.web.app import create_app

from .test_request_jobs import a_customer, service, verified_access

__all__ = ["service"]  # the fixture, shared with the queue's tests

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
STAFF = Actor("anna", Role.case_handler)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("wait=10", 10.0),
        ("respond-async, wait=2.5", 2.5),
        ('wait="3"', 3.0),
        ("WAIT = 4", 4.0),
        ("wait=600", 30.0),
        ("wait=-1", 0.0),
        ("wait=soon", None),
        ("wait=nan", None),
        ("return=minimal", None),
        (None, None),
    ],
)
def test_the_wait_a_caller_prefers(header: str | None, seconds: float | None) -> None:
    assert preferred_wait(header) == seconds


class Clock:
    """Time that moves only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.pauses: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


@pytest.mark.postgres
def test_a_wait_without_a_worker_ends_when_the_time_is_up(
    service: tuple[Varna, Path, str],
) -> None:
    varna, demo, _url = service
    ref = verified_access(varna, a_customer(demo))
    assert varna.dispatch_request(ref, actor=STAFF, now=NOW).record.state == "approved"
    clock = Clock()
    status = varna.await_request(ref, seconds=0.5, clock=clock, sleep=clock.sleep)
    assert status.record.state == "approved"  # nobody took it: as it stands after the wait
    assert clock.pauses[:5] == [0.002, 0.004, 0.008, 0.016, 0.032]
    assert max(clock.pauses) == 0.05
    assert sum(clock.pauses) == pytest.approx(0.5)


@pytest.mark.postgres
def test_a_wait_on_a_request_no_worker_holds_returns_at_once(
    service: tuple[Varna, Path, str],
) -> None:
    varna, demo, _url = service
    ref = verified_access(varna, a_customer(demo))  # verified, not dispatched
    clock = Clock()
    assert varna.await_request(ref, seconds=5, clock=clock, sleep=clock.sleep).record.state == (
        "verified"
    )
    assert clock.pauses == []


@pytest.mark.postgres
@pytest.mark.parametrize("one_call", [False, True], ids=["execute", "vouched-submission"])
def test_the_api_answers_once_a_worker_process_has_carried_it_out(
    service: tuple[Varna, Path, str], tmp_path: Path, one_call: bool
) -> None:
    """``Prefer: wait`` on ``POST .../execute``, and on a submission the caller vouches for
    (planned in the web process from the rows its receipt read, answered by the worker)."""
    varna, demo, _url = service
    token = varna.create_api_key(name="desk2", scopes=["requests"], created_by="t", now=NOW).token
    headers = {"authorization": f"Bearer {token}", "prefer": "wait=25"}
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "varna"), "worker"],
        cwd=demo,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        with TestClient(create_app(varna)) as client:
            if one_call:
                vouched = {"method": "desk login", "assurance": "staff_document"}
                body = {
                    "kind": "access",
                    "identities": [f"email={a_customer(demo)}"],
                    "verified": vouched,
                }
                done = client.post("/api/v1/requests", json=body, headers=headers)
            else:
                ref = verified_access(varna, a_customer(demo))
                done = client.post(f"/api/v1/requests/{ref}/execute", headers=headers)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)
        log.close()
    assert done.status_code == (201 if one_call else 200), done.text
    assert done.headers["preference-applied"] == "wait=25"
    assert done.json()["state"] == "answered", (tmp_path / "worker.log").read_text()
