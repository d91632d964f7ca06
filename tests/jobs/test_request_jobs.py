"""Requests carried out by the workers on PostgreSQL: queued once, answered by a worker, and a
failing one left visibly failed with its retry scheduled."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from varna.core import Varna
from varna.dsr.requests import Actor, Assurance, Kind, Role
from varna.jobs.queue import EXECUTE_TASK, dispatcher, run_worker
from varna.settings import Settings

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
STAFF = Actor("anna", Role.case_handler)


@pytest.fixture
def service(
    demo_company: Callable[[int], Path], pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Varna, Path, str]]:
    demo = demo_company(40)
    monkeypatch.setenv("VARNA_DATABASE_URL", pg_url)
    monkeypatch.chdir(demo)  # the demo's systems are SQLite files relative to it
    settings = Settings()
    varna = Varna(settings)
    varna.dispatcher = dispatcher(settings)
    yield varna, demo, pg_url
    varna.close()


def a_customer(demo: Path) -> str:
    with sqlite3.connect(demo / "data" / "crm.db") as conn:
        (email,) = conn.execute(
            "SELECT email FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
    return str(email)


def jobs(url: str) -> list[tuple[str, str, int]]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT status::text, args->>'ref', attempts FROM procrastinate_jobs "
                "WHERE task_name = :t ORDER BY id"
            ),
            {"t": EXECUTE_TASK},
        ).all()
    engine.dispose()
    return [(str(s), str(r), int(a)) for s, r, a in rows]


def verified_access(varna: Varna, email: str) -> str:
    key = varna.create_api_key(name="desk", scopes=["requests"], created_by="test", now=NOW).key
    made = varna.submit_via_api(key=key, kind=Kind.access, identities=[f"email={email}"], now=NOW)
    ref = made.status.ref
    varna.verify(ref, method="ID shown", assurance=Assurance.staff_document, now=NOW, actor=STAFF)
    return ref


@pytest.mark.postgres
def test_a_request_is_queued_once_and_answered_by_a_worker(
    service: tuple[Varna, Path, str],
) -> None:
    varna, demo, url = service
    ref = verified_access(varna, a_customer(demo))
    first = varna.dispatch_request(ref, actor=STAFF, now=NOW)
    again = varna.dispatch_request(ref, actor=STAFF, now=NOW)
    assert (first.record.state, again.record.state) == ("approved", "approved")
    assert jobs(url) == [("todo", ref, 0)]  # queued once, not run by the door
    run_worker(varna.settings, once=True)
    assert jobs(url) == [("succeeded", ref, 1)]
    done = varna.show(ref).status
    assert done.record.state == "answered"
    token = varna.status_token(ref)
    [answer] = varna.request_status(token).answers
    assert answer.filename == "registerutdrag.pdf"
    assert varna.audit.verify().ok


@pytest.mark.postgres
def test_a_failing_request_is_failed_visibly_and_retried_later(
    service: tuple[Varna, Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    varna, demo, url = service
    ref = verified_access(varna, a_customer(demo))
    varna.dispatch_request(ref, actor=STAFF, now=NOW)
    monkeypatch.setenv("VARNA_DEMO_CRM_URL", "sqlite:///data/no-such-file.db")
    run_worker(varna.settings, once=True)
    failed = varna.show(ref).status
    assert failed.record.state == "failed"
    assert failed.record.reason is not None
    assert "crm" in failed.record.reason
    [(status, job_ref, attempts)] = jobs(url)
    assert (status, job_ref, attempts) == ("todo", ref, 1)  # scheduled again, with back-off
    assert ref in {r.ref for r in varna.requests()}  # still listed: nothing silently stuck
