"""The notice and webhook stores on SQLite and PostgreSQL: a notice is queued once per request,
step and recipient; a try is recorded once however many senders record it; policy notices are
recorded once per version and person."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from varna.state import open_state
from varna.state.database import StateDB
from varna.state.notices import NoticeStore
from varna.state.webhooks import WebhookStore

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def state(state_url: str) -> Iterator[StateDB]:
    with open_state(state_url) as db:
        db.migrate()
        yield db


@pytest.mark.parametrize(
    ("second", "queued"),
    [
        pytest.param(("person", "refused", "person"), False, id="same-notice"),
        pytest.param(("person", "extended", "person"), True, id="another-step"),
        pytest.param(("recipient", "erasure", "hosting"), True, id="a-recipient"),
    ],
)
def test_a_notice_is_queued_once(
    state: StateDB, second: tuple[str, str, str], queued: bool
) -> None:
    store = NoticeStore(state)
    kind, event, recipient = second
    with state.write() as conn:
        assert store.enqueue_in(
            conn,
            request_id="R-1",
            kind="person",
            event="refused",
            recipient="person",
            channel="email",
            now=NOW,
        )
        again = store.enqueue_in(
            conn,
            request_id="R-1",
            kind=kind,
            event=event,
            recipient=recipient,
            channel="email",
            now=NOW,
        )
    assert again is queued
    assert len(store.of_request("R-1")) == (2 if queued else 1)


def test_a_notice_is_settled_once(state: StateDB) -> None:
    store = NoticeStore(state)
    with state.write() as conn:
        store.enqueue_in(
            conn,
            request_id="R-1",
            kind="person",
            event="refused",
            recipient="person",
            channel="email",
            now=NOW,
        )
    [pending] = store.pending()
    assert store.settle(pending, state="sent", now=NOW)
    assert not store.settle(pending, state="sent", now=NOW)  # another sender was first
    assert store.pending() == []
    [sent] = store.of_request("R-1")
    assert (sent.state, sent.attempts, sent.sent_at is not None) == ("sent", 1, True)


def test_a_delivery_try_is_recorded_once_and_waits_its_turn(state: StateDB) -> None:
    store = WebhookStore(state)
    hook = store.add(url="http://127.0.0.1:9/x", events=["*"], sealed_secret="s", by="t", now=NOW)
    with state.write() as conn:
        assert (
            store.enqueue_in(
                conn, event="request.received", request_id="R-1", payload="{}", now=NOW
            )
            == 1
        )
    [(delivery, found)] = store.due(now=NOW)
    assert found.id == hook.id
    later = NOW + timedelta(minutes=2)
    assert store.tried(
        delivery, state="pending", status=500, error="HTTP 500", now=NOW, next_at=later
    )
    assert not store.tried(
        delivery, state="pending", status=500, error="HTTP 500", now=NOW, next_at=later
    )
    assert store.due(now=later - timedelta(seconds=1)) == []
    [(again, _)] = store.due(now=later)
    assert (again.attempts, again.last_status) == (1, 500)
    store.remove(hook.id, now=later)
    assert store.due(now=later) == []
    assert [d.state for d in store.log(hook.id)] == ["failed"]


def test_a_delivery_is_claimed_by_one_sender_until_its_claim_runs_out(state_url: str) -> None:
    with open_state(state_url) as one, open_state(state_url) as other:
        one.migrate()
        first, second = WebhookStore(one), WebhookStore(other)  # two senders, one state
        first.add(url="http://127.0.0.1:9/x", events=["*"], sealed_secret="s", by="t", now=NOW)
        with one.write() as conn:
            first.enqueue_in(
                conn, event="request.received", request_id="R-1", payload="{}", now=NOW
            )
        [(seen_first, _)] = first.due(now=NOW)
        [(seen_second, _)] = second.due(now=NOW)  # both saw it due before either claimed it
        lease = timedelta(seconds=60)
        taken = first.claim(seen_first, now=NOW, lease=lease)
        assert taken is not None
        assert second.claim(seen_second, now=NOW, lease=lease) is None
        assert second.due(now=NOW + timedelta(seconds=59)) == []
        # the first sender died mid-send: once the claim runs out the try is made again
        [(orphan, _)] = second.due(now=NOW + lease)
        assert orphan.attempts == 0
        retaken = second.claim(orphan, now=NOW + lease, lease=lease)
        assert retaken is not None
        assert second.tried(
            retaken, state="delivered", status=200, error=None, now=NOW + lease, next_at=NOW
        )
        assert second.due(now=NOW + lease * 3) == []
        assert [d.state for d in second.log()] == ["delivered"]


def test_a_policy_notice_is_recorded_once_per_version_and_person(state: StateDB) -> None:
    store = NoticeStore(state)
    assert store.record_told("v1", ["p1", "p2"], now=NOW) == 2
    assert store.record_told("v1", ["p2", "p3"], now=NOW) == 1
    assert store.record_told("v2", ["p1"], now=NOW) == 1
    assert store.told("v1", ["p1", "p3", "p4"]) == {"p1", "p3"}
    assert (store.told_count("v1"), store.told_count("v2")) == (3, 1)
