"""A caller that prefers to wait (HTTP ``Prefer: wait=N``) gets the request as a worker leaves it:
the wait reads the request until it leaves the worker's states or the time is up, and over the
API a real ``varna worker`` process answers while the call waits."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.dsr.requests import Actor, Role
from varna.errors import ConnectorError
from varna.faults import FAULT_EXIT, RECEIPT_POINTS, REQUEST_POINTS
from varna.jobs import build_app
from varna.jobs.queue import STALLED_TASK, run_worker
from varna.web.api_requests import preferred_wait
from varna.web.app import create_app

from .test_request_jobs import a_customer, jobs, service, verified_access

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


def _worker(demo: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("w") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [str(Path(sys.executable).parent / "varna"), "worker"],
            cwd=demo,
            env=os.environ.copy(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(worker: subprocess.Popen[bytes]) -> None:
    os.killpg(worker.pid, signal.SIGTERM)
    worker.wait(timeout=20)


def _bearer(varna: Varna, name: str) -> dict[str, str]:
    token = varna.create_api_key(name=name, scopes=["requests"], created_by="t", now=NOW).token
    return {"authorization": f"Bearer {token}", "prefer": "wait=25"}


@pytest.mark.postgres
@pytest.mark.parametrize("one_call", [False, True], ids=["execute", "vouched-submission"])
def test_a_waiting_callers_access_is_answered_in_its_own_process(
    service: tuple[Varna, Path, str], one_call: bool
) -> None:
    """``Prefer: wait`` on an access (``POST .../execute``, or a submission the caller vouches
    for): no worker runs, nothing is queued, and the call returns the answered request."""
    varna, demo, url = service
    headers = _bearer(varna, "desk2")
    with TestClient(create_app(varna)) as client:
        if one_call:
            vouched = {"method": "desk login", "assurance": "staff_document"}
            body = {"kind": "access", "identities": [f"email={a_customer(demo)}"]}
            done = client.post(
                "/api/v1/requests", json=body | {"verified": vouched}, headers=headers
            )
        else:
            ref = verified_access(varna, a_customer(demo))
            done = client.post(f"/api/v1/requests/{ref}/execute", headers=headers)
    assert done.status_code == (201 if one_call else 200), done.text
    assert done.headers["preference-applied"] == "wait=25"
    assert done.json()["state"] == "answered"
    assert jobs(url) == []
    assert [a.filename for a in varna.answers_of(done.json()["id"])] == ["registerutdrag.pdf"]
    assert varna.audit.verify().ok


@pytest.mark.postgres
def test_an_access_failing_in_the_callers_process_goes_to_the_queue(
    service: tuple[Varna, Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    varna, demo, url = service
    ref = verified_access(varna, a_customer(demo))

    def unreachable(*_args: object, **_kw: object) -> None:
        raise ConnectorError("system crm: cannot connect; check VARNA_DEMO_CRM_URL")

    # the systems fail once the request is claimed (after its plan read them)
    monkeypatch.setattr("varna.dsr.access.execute_access", unreachable)
    status = varna.dispatch_request(ref, actor=STAFF, now=NOW, wait=5)
    assert status.record.state == "failed"
    assert "crm" in (status.record.reason or "")
    assert jobs(url) == [("todo", ref, 0)]  # the workers retry it, with back-off


@pytest.mark.postgres
def test_an_erasure_is_answered_while_the_call_waits_for_a_worker_process(
    service: tuple[Varna, Path, str], tmp_path: Path
) -> None:
    """An erasure (four eyes: two keys) is carried out by a real ``varna worker`` while
    ``POST .../execute`` waits with ``Prefer: wait``."""
    varna, demo, url = service
    first, second = _bearer(varna, "desk-anna"), _bearer(varna, "desk-bo")
    email = a_customer(demo)
    worker = _worker(demo, tmp_path / "worker.log")
    try:
        with TestClient(create_app(varna)) as client:
            body = {"kind": "erasure", "identities": [f"email={email}"]}
            ref = client.post("/api/v1/requests", json=body, headers=first).json()["id"]
            proof = {"method": "signed letter", "assurance": "staff_document"}
            client.post(f"/api/v1/requests/{ref}/verify", json=proof, headers=first)
            client.post(f"/api/v1/requests/{ref}/execute", headers=first)
            client.post(f"/api/v1/requests/{ref}/approve", headers=second)
            done = client.post(f"/api/v1/requests/{ref}/execute", headers=second)
    finally:
        _stop(worker)
    assert done.headers["preference-applied"] == "wait=25"
    assert done.json()["state"] == "answered", (tmp_path / "worker.log").read_text()
    assert [(status, r) for status, r, _ in jobs(url)] == [("succeeded", ref)]


@pytest.mark.postgres
@pytest.mark.parametrize("point", REQUEST_POINTS)
def test_a_request_left_by_a_process_that_died_is_queued_again_and_answered(
    service: tuple[Varna, Path, str], point: str
) -> None:
    """The process answering a waiting caller's access dies under the execution lock (before
    or after reading the systems: an access is claimed only with its answer, so the request is
    left ``approved``, with no proof of a reading); five minutes on, the workers' periodic
    check queues it again and a worker answers it."""
    varna, demo, url = service
    ref = verified_access(varna, a_customer(demo))
    script = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from varna.core import Varna\n"
        "from varna.dsr.requests import SYSTEM\n"
        "from varna.jobs.queue import dispatcher\n"
        "from varna.settings import Settings\n"
        "varna = Varna(Settings())\n"
        "varna.dispatcher = dispatcher(varna.settings)\n"
        "varna.dispatch_request(sys.argv[1], actor=SYSTEM, now=datetime.now(UTC), wait=5)\n"
    )
    env = os.environ | {"VARNA_FAULT": point}
    died = subprocess.run(
        [sys.executable, "-c", script, ref], cwd=demo, env=env, capture_output=True, text=True
    )
    assert died.returncode == FAULT_EXIT, died.stderr
    assert varna.status(ref).record.state == "approved"
    assert [e.action for e in varna.audit.iter_events()][-1] == "dsr.request.approved"
    assert jobs(url) == []
    moved = datetime.fromisoformat(varna.status(ref).record.updated_at or "")
    assert varna.stalled_requests(now=moved + timedelta(minutes=4)) == []
    assert varna.stalled_requests(now=moved + timedelta(minutes=6)) == [ref]
    asyncio.run(_tick(varna, moved + timedelta(minutes=6)))
    run_worker(varna.settings, once=True)  # the tick queues it again ...
    run_worker(varna.settings, once=True)  # ... and a worker answers it
    assert varna.status(ref).record.state == "answered"
    assert jobs(url) == [("succeeded", ref, 1)]
    assert [m.action for m in varna.show(ref).moves][-3:] == ["approve", "execute", "answer"]
    assert varna.audit.verify().ok


async def _tick(varna: Varna, at: datetime) -> None:
    """The periodic check's job for the tick at ``at`` (the tick is its clock)."""
    app = build_app(varna.settings)
    async with app.open_async():
        await app.tasks[STALLED_TASK].defer_async(timestamp=int(at.timestamp()))


@pytest.mark.postgres
@pytest.mark.parametrize("point", RECEIPT_POINTS)
def test_a_process_that_dies_answering_at_receipt_leaves_nothing(
    service: tuple[Varna, Path, str], point: str
) -> None:
    """A vouched access the caller waits for is received and answered in one transaction: the
    process dies with every move made and the extract kept but nothing committed, and the
    state holds no request, no download and no event of it; the caller's retry answers it."""
    varna, demo, url = service
    email = a_customer(demo)
    before = [e.action for e in varna.audit.iter_events()]
    script = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from varna.core import Varna\n"
        "from varna.core.key_ops import Attested\n"
        "from varna.dsr.requests import Assurance, Kind\n"
        "from varna.jobs.queue import dispatcher\n"
        "from varna.settings import Settings\n"
        "varna = Varna(Settings())\n"
        "varna.dispatcher = dispatcher(varna.settings)\n"
        "now = datetime.now(UTC)\n"
        "key = varna.create_api_key(name='desk', scopes=['requests'], created_by='t', now=now)\n"
        "varna.submit_via_api(key=key.key, kind=Kind.access, identities=[sys.argv[1]], now=now,\n"
        "    attested=Attested('checked', Assurance.staff_document), wait=5)\n"
    )
    env = os.environ | {"VARNA_FAULT": point}
    died = subprocess.run(
        [sys.executable, "-c", script, f"email={email}"],
        cwd=demo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert died.returncode == FAULT_EXIT, died.stderr
    assert varna.requests(open_only=False) == []
    after = [e.action for e in varna.audit.iter_events()]
    assert after == [*before, "api.key.created"]  # the key's own transaction, before
    assert jobs(url) == []
    assert varna.audit.verify().ok
    again = subprocess.run(
        [sys.executable, "-c", script, f"email={email}"], cwd=demo, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    (answered,) = varna.requests(open_only=False)
    assert answered.record.state == "answered"
    assert len(varna._answers().listing(answered.ref)) == 1
    assert varna.audit.verify().ok
