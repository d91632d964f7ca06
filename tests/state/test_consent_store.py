"""The consent ledger's store: events per purpose, state as of any time, history; SQLite and
PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from varna.errors import StateError
from varna.state import StateDB, open_state
from varna.state.consent import ConsentChoice, ConsentStore

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ANNA = ["ps_anna_email", "ps_anna_pnr"]
BERIT = ["ps_berit_email"]


@pytest.fixture
def db(state_url: str) -> Iterator[StateDB]:
    state = open_state(state_url)
    state.migrate()
    try:
        yield state
    finally:
        state.close()


@pytest.fixture
def store(db: StateDB) -> ConsentStore:
    return ConsentStore(db)


class Proofs:
    """Stands in for the audit log's callback: counts, and writes in the same transaction."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def __call__(self, conn: sa.Connection, event: str) -> int:
        conn.execute(sa.text("SELECT 1"))
        self.events.append(event)
        return len(self.events)


def _write(
    store: ConsentStore, subjects: list[str], purpose: str, granted: bool, at: datetime, **kw: str
) -> str:
    return store.record(
        subjects,
        [ConsentChoice(purpose, granted)],
        subject_kind="person",
        notice=kw.get("notice", "n" * 64),
        policy_version=kw.get("version"),
        vendors=["Exempel AB"],
        channel="form",
        at=at,
        actor="test",
        proof=Proofs(),
    )


@pytest.fixture
def story(store: ConsentStore) -> ConsentStore:
    """Anna: newsletter granted at T0, withdrawn at T0+10d, granted again at T0+20d (new notice);
    surveys granted at T0+5d. Berit: newsletter granted at T0+1d."""
    _write(store, ANNA, "newsletter", True, T0, notice="a" * 64)
    _write(store, ANNA[:1], "survey", True, T0 + timedelta(days=5))
    _write(store, ANNA[1:], "newsletter", False, T0 + timedelta(days=10))
    _write(store, ANNA, "newsletter", True, T0 + timedelta(days=20), notice="b" * 64)
    _write(store, BERIT, "newsletter", True, T0 + timedelta(days=1))
    return store


AS_OF = [
    pytest.param(T0 - timedelta(seconds=1), None, None, id="before-anything"),
    pytest.param(T0, True, "a" * 64, id="at-the-grant-itself"),
    pytest.param(T0 + timedelta(days=9), True, "a" * 64, id="before-withdrawal"),
    pytest.param(T0 + timedelta(days=10), False, "n" * 64, id="at-withdrawal"),
    pytest.param(T0 + timedelta(days=15), False, "n" * 64, id="between"),
    pytest.param(T0 + timedelta(days=30), True, "b" * 64, id="granted-again"),
]


@pytest.mark.parametrize(("at", "granted", "notice"), AS_OF)
def test_state_as_of_any_time(
    story: ConsentStore, at: datetime, granted: bool | None, notice: str | None
) -> None:
    # asked by e-mail alone, though the withdrawal was written under the personnummer only
    found = story.latest(ANNA, ["newsletter"], at=at).get("newsletter")
    if granted is None:
        assert found is None
        return
    assert found is not None
    assert (found.granted, found.notice) == (granted, notice)


def test_one_person_never_sees_another(story: ConsentStore) -> None:
    at = T0 + timedelta(days=30)
    assert story.latest(BERIT, ["survey"], at=at) == {}
    berit = story.latest(BERIT, ["newsletter"], at=at)["newsletter"]
    assert berit.at == T0 + timedelta(days=1)


def test_batch_gives_each_subject_its_newest_entry(story: ConsentStore) -> None:
    found = story.latest_many([*ANNA, *BERIT], "newsletter", at=T0 + timedelta(days=12))
    assert {s: e.granted for s, e in found.items()} == {
        "ps_anna_email": True,  # its own rows: the withdrawal was written under the pnr only
        "ps_anna_pnr": False,
        "ps_berit_email": True,
    }


def test_history_is_ordered_and_one_entry_per_event_and_purpose(story: ConsentStore) -> None:
    found = story.history(ANNA, until=T0 + timedelta(days=30))
    assert [(e.purpose, e.granted, e.at - T0) for e in found] == [
        ("newsletter", True, timedelta(0)),
        ("survey", True, timedelta(days=5)),
        ("newsletter", False, timedelta(days=10)),
        ("newsletter", True, timedelta(days=20)),
    ]
    assert story.history(ANNA, until=T0 + timedelta(days=7))[-1].purpose == "survey"
    assert story.count() == 5


def test_each_event_carries_the_audit_sequence_of_its_proof(store: ConsentStore) -> None:
    proofs = Proofs()
    event = store.record(
        ANNA,
        [ConsentChoice("newsletter", True), ConsentChoice("survey", False)],
        subject_kind="person",
        notice="c" * 64,
        policy_version="7",
        vendors=["B", "A", "B"],
        channel="api",
        at=T0,
        actor="test",
        proof=proofs,
    )
    assert proofs.events == [event]
    entries = store.history(ANNA, until=T0)
    assert {(e.purpose, e.granted) for e in entries} == {("newsletter", True), ("survey", False)}
    assert {e.vendors for e in entries} == {("A", "B")}
    assert {e.audit_seq for e in entries} == {1}


def test_a_failed_proof_writes_nothing(store: ConsentStore) -> None:
    def failing(conn: sa.Connection, event: str) -> int:
        raise StateError("the audit log is unavailable")

    with pytest.raises(StateError):
        store.record(
            ANNA,
            [ConsentChoice("newsletter", True)],
            subject_kind="person",
            notice="c" * 64,
            policy_version=None,
            vendors=[],
            channel="api",
            at=T0,
            actor="test",
            proof=failing,
        )
    assert store.count() == 0


@pytest.mark.parametrize(
    ("subjects", "choices"),
    [
        pytest.param([], [ConsentChoice("newsletter", True)], id="no-subject"),
        pytest.param(ANNA, [], id="no-purpose"),
    ],
)
def test_an_empty_event_is_refused(
    store: ConsentStore, subjects: list[str], choices: list[ConsentChoice]
) -> None:
    with pytest.raises(StateError, match="needs a subject and at least one purpose"):
        store.record(
            subjects,
            choices,
            subject_kind="person",
            notice="c" * 64,
            policy_version=None,
            vendors=[],
            channel="api",
            at=T0,
            actor="test",
            proof=Proofs(),
        )


WRITE_ELSEWHERE = """
import sys
from datetime import UTC, datetime
import sqlalchemy as sa
from varna.state import open_state
from varna.state.consent import ConsentChoice, ConsentStore
with open_state(sys.argv[1]) as db:
    ConsentStore(db).record(
        [sys.argv[2]], [ConsentChoice("newsletter", False)], subject_kind="person",
        notice="n" * 64, policy_version=None, vendors=[], channel="api",
        at=datetime.fromisoformat(sys.argv[3]), actor="other process",
        proof=lambda conn, event: 1,
    )
"""


def kept_ready(store: ConsentStore, subjects: list[str], at: datetime) -> bool:
    """Read once, then whether the answer is kept (PostgreSQL: once its listener listens)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        store.latest(subjects, ["newsletter"], at=at)
        if store.kept_latest(subjects, "newsletter", at=at)[0]:
            return True
        time.sleep(0.01)
    return False


def test_a_kept_answer_gives_way_to_a_write_in_another_process(store: ConsentStore) -> None:
    """A check answered from what the process kept never outlives a withdrawal made elsewhere
    (SQLite: any commit changes ``data_version``; PostgreSQL: the writer's NOTIFY)."""
    _write(store, ANNA, "newsletter", True, T0)
    later = T0 + timedelta(days=1)
    assert kept_ready(store, ANNA, later)
    known, entry = store.kept_latest(ANNA, "newsletter", at=later + timedelta(hours=1))
    assert known
    assert entry is not None
    assert entry.granted
    url = store._state.engine.url.render_as_string(hide_password=False)
    stamp = (T0 + timedelta(hours=2)).isoformat()
    subprocess.run([sys.executable, "-c", WRITE_ELSEWHERE, url, ANNA[1], stamp], check=True)
    deadline = time.monotonic() + 30
    while store.kept_latest(ANNA, "newsletter", at=later)[0] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not store.kept_latest(ANNA, "newsletter", at=later)[0]
    assert not store.latest(ANNA, ["newsletter"], at=later)["newsletter"].granted


KEPT_CASES = [
    pytest.param(T0 + timedelta(days=1), T0 + timedelta(days=2), True, id="later-time-kept"),
    pytest.param(T0 + timedelta(days=1), T0 + timedelta(hours=1), False, id="earlier-time-reads"),
    pytest.param(T0 - timedelta(days=1), T0 + timedelta(days=1), False, id="entry-after-read-time"),
]


@pytest.mark.parametrize(("read_at", "asked_at", "kept"), KEPT_CASES)
def test_what_a_kept_answer_may_answer(
    store: ConsentStore, read_at: datetime, asked_at: datetime, kept: bool
) -> None:
    """Kept only for a time at or after the one it was read for, and never when an entry is
    dated after that time (it would become the answer once that time comes)."""
    _write(store, BERIT, "newsletter", True, T0)
    assert listening(store)
    store.latest(BERIT, ["newsletter"], at=read_at)
    known, entry = store.kept_latest(BERIT, "newsletter", at=asked_at)
    assert known is kept
    if kept:
        assert entry == store.latest(BERIT, ["newsletter"], at=asked_at)["newsletter"]


def listening(store: ConsentStore) -> bool:
    """Whether the process keeps answers (PostgreSQL: once its listener listens)."""
    deadline = time.monotonic() + 30
    while store._kept().now() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    return store._kept().now() is not None


def test_a_write_in_this_process_is_seen_at_once(store: ConsentStore) -> None:
    _write(store, ANNA, "newsletter", True, T0)
    later = T0 + timedelta(days=1)
    assert listening(store)
    store.latest(ANNA, ["newsletter"], at=later)
    assert store.kept_latest(ANNA, "newsletter", at=later)[0]
    _write(store, ANNA, "newsletter", False, T0 + timedelta(hours=1))
    assert not store.kept_latest(ANNA, "newsletter", at=later)[0]
