"""Notices and webhook deliveries as jobs on PostgreSQL: a door only queues one delivery run,
however many moves it makes; a worker sends the e-mails (real SMTP) and POSTs the signed events
(a real HTTP receiver); a failing receiver gets a retry job scheduled at its back-off."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from varna.core import Varna
from varna.dsr.requests import Actor, Kind, Role
from varna.jobs.queue import NOTICES_TASK, notice_dispatcher, run_worker
from varna.settings import Settings

from .conftest import Inbox
from .receiver import Receiver, receiver

NOW = datetime.now(UTC) - timedelta(minutes=5)  # the worker sends as of the real clock
STAFF = Actor("anna", Role.case_handler)


@pytest.fixture
def service(
    demo_company: Callable[[int], Path],
    pg_url: str,
    smtp: tuple[Inbox, str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[Varna, Path, str, Inbox, Receiver]]:
    demo = demo_company(20)
    inbox, smtp_url = smtp
    monkeypatch.setenv("VARNA_DATABASE_URL", pg_url)
    monkeypatch.setenv("VARNA_SMTP_URL", smtp_url)
    monkeypatch.chdir(demo)  # the demo's systems are SQLite files relative to it
    settings = Settings()
    varna = Varna(settings)
    varna.notice_dispatcher = notice_dispatcher(settings)
    with receiver() as hook:
        yield varna, demo, pg_url, inbox, hook
    varna.close()


def jobs(url: str) -> list[tuple[str, bool]]:
    """(status, scheduled for later) of each delivery job."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT status::text, scheduled_at IS NOT NULL FROM procrastinate_jobs "
                "WHERE task_name = :t ORDER BY id"
            ),
            {"t": NOTICES_TASK},
        ).all()
    engine.dispose()
    return [(str(s), bool(later)) for s, later in rows]


def a_customer(demo: Path) -> str:
    with sqlite3.connect(demo / "data" / "crm.db") as conn:
        (email,) = conn.execute(
            "SELECT email FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
    return str(email)


def refused_request(varna: Varna, email: str) -> str:
    key = varna.create_api_key(name="desk", scopes=["requests"], created_by="test", now=NOW).key
    made = varna.submit_via_api(
        key=key, kind=Kind.objection, identities=[f"email={email}"], email=email, now=NOW
    )
    varna.refuse(made.status.ref, reason="not about marketing", actor=STAFF, now=NOW)
    return made.status.ref


@pytest.mark.postgres
def test_a_worker_sends_what_the_moves_queued(
    service: tuple[Varna, Path, str, Inbox, Receiver],
) -> None:
    varna, demo, url, inbox, hook = service
    made = varna.add_webhook(hook.url, events=["*"], by="test", now=NOW)
    email = a_customer(demo)
    ref = refused_request(varna, email)
    assert inbox.messages == []  # the door sent nothing itself
    assert hook.posts == []
    assert jobs(url) == [("todo", False)]  # one delivery run waiting for three moves
    run_worker(varna.settings, once=True)
    assert jobs(url) == [("succeeded", False)]
    assert len(inbox.to(email)) == 2  # the receipt and the refusal
    events = [b["event"] for b in hook.verified(made.secret)]
    assert events == ["request.received", "request.refused"]
    assert {n.state for n in varna.request_notices(ref)} == {"sent"}


@pytest.mark.postgres
def test_a_failing_receiver_gets_a_retry_job_at_its_back_off(
    service: tuple[Varna, Path, str, Inbox, Receiver],
) -> None:
    varna, demo, url, _inbox, hook = service
    made = varna.add_webhook(hook.url, events=["request.refused"], by="test", now=NOW)
    hook.status = 502
    refused_request(varna, a_customer(demo))
    run_worker(varna.settings, once=True)
    [delivery] = varna.webhook_log(made.webhook.id)
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("pending", 1, 502)
    assert jobs(url) == [("succeeded", False), ("todo", True)]  # the retry, scheduled


@pytest.mark.postgres
def test_policy_change_e_mails_are_a_job(
    service: tuple[Varna, Path, str, Inbox, Receiver],
) -> None:
    from varna.jobs.queue import POLICY_NOTIFY_TASK, policy_dispatcher

    from .test_policy_notices import customer_addresses, mark_customers, publish_change

    varna, demo, url, inbox, _hook = service
    register = varna.settings.register_file
    mark_customers(register)

    def fresh() -> Varna:
        made = Varna(Settings())
        made.policy_dispatcher = policy_dispatcher(made.settings)
        return made

    changed = publish_change(fresh, register)
    queued = changed.send_policy_notices(now=NOW)
    assert queued.queued
    assert inbox.messages == []
    again = changed.send_policy_notices(now=NOW)  # queued once however often it is asked
    assert again.queued
    run_worker(changed.settings, once=True)
    changed.close()
    told = {str(m["To"]).lower() for m in inbox.messages}
    assert told == customer_addresses(demo)
    assert len(inbox.messages) == len(told)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        count = conn.scalar(
            sa.text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = :t"),
            {"t": POLICY_NOTIFY_TASK},
        )
    engine.dispose()
    assert count == 1
