"""The request lifecycle through the service, on SQLite and PostgreSQL state: receipt and merged
duplicates, verification, four eyes, executing a right answers its request, refusal, extension,
withdrawal, and a failure that stays visible and can be retried. Every move is audited once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from varna.core import Varna
from varna.core.key_ops import Submitted
from varna.dsr.requests import Actor, Assurance, Kind, Role, State
from varna.errors import ConnectorError, RequestError
from varna.state.api_keys import ApiKey

from .conftest import first_customers

T0 = datetime(2026, 11, 20, 9, tzinfo=UTC)
ANNA = Actor("anna", Role.case_handler)
BO = Actor("bo", Role.case_handler)
PERSON = Actor("person", Role.person)
ANSWERED_AT_ONCE = ["receive", "verify", "plan", "approve", "execute", "answer"]
"""The moves of a vouched access, answered as it is received."""


def actions(varna: Varna) -> Counter[str]:
    return Counter(e.action for e in varna.audit.iter_events())


def open_refs(varna: Varna) -> list[str]:
    return [r.ref for r in varna.requests()]


def test_erasure_goes_through_four_eyes_and_answers_its_request(varna: Varna, demo: Path) -> None:
    email = first_customers(demo)[0]
    got = varna.receive([f"email={email}"], kind=Kind.erasure, now=T0, actor=PERSON)
    assert got.created
    assert got.record.state == "received"
    assert got.record.rows > 0
    assert email not in got.ref
    again = varna.receive([f"email={email}"], kind=Kind.erasure, now=T0 + timedelta(1))
    assert (again.ref, again.created, again.record.state) == (got.ref, False, "received")

    with pytest.raises(RequestError, match="approved by a second staff member"):
        varna.erase([f"email={email}"], now=T0, actor=ANNA, execute=True)
    assert varna.show(got.ref).status.record.state == "received"  # refused before any change

    varna.verify(got.ref, method="e-ID", assurance=Assurance.eid, now=T0, actor=ANNA)
    planned = varna.plan(got.ref, now=T0, actor=ANNA)
    assert planned.record.state == State.awaiting_approval
    with pytest.raises(RequestError, match="four eyes"):
        varna.approve(got.ref, now=T0, actor=ANNA)
    approved = varna.approve(got.ref, now=T0, actor=BO)
    assert approved.record.approved_by == "case_handler:bo"

    done = varna.erase([f"email={email}"], now=T0 + timedelta(2), actor=BO, execute=True)
    assert done.request is not None
    assert done.request.ref == got.ref
    assert done.request.record.state == "answered"
    assert done.result.receipts
    assert got.ref not in open_refs(varna)
    assert not any(key for key in varna.ledger.pinned_rows().values())

    counted = actions(varna)
    for event in ("received", "verified", "planned", "submitted", "approved", "started"):
        assert counted[f"dsr.request.{event}"] == 1, event
    assert counted["dsr.request.answered"] == 1
    assert counted["dsr.erasure.executed"] == len(done.result.receipts)
    moves = [(m.action, m.state) for m in varna.show(got.ref).moves]
    assert moves == [
        ("receive", "received"),
        ("verify", "verified"),
        ("plan", "planned"),
        ("submit", "awaiting_approval"),
        ("approve", "approved"),
        ("execute", "executing"),
        ("answer", "answered"),
    ]
    assert varna.audit.verify().ok


@pytest.mark.parametrize(
    ("kind", "right"),
    [(Kind.access, "access"), (Kind.portability, "export"), (Kind.restriction, "restrict")],
    ids=["access", "export", "restrict"],
)
def test_a_right_executed_by_staff_answers_its_open_request(
    varna: Varna, demo: Path, kind: Kind, right: str
) -> None:
    email = first_customers(demo)[1]
    ids = [f"email={email}"]
    other = varna.receive(ids, kind=Kind.objection, now=T0)
    got = varna.receive(ids, kind=kind, now=T0)
    if right == "restrict":
        from varna.state.restrictions import Ground

        answer = varna.restrict(
            ids, ground=Ground.accuracy_contested, now=T0, actor=ANNA, execute=True
        )
    else:
        answer = getattr(varna, right)(ids, now=T0, actor=ANNA)
    assert answer.request is not None
    assert answer.request.ref == got.ref
    assert open_refs(varna) == [other.ref]  # only the request of that kind is answered
    moves = [m.action for m in varna.show(got.ref).moves]
    assert moves == ["receive", "handle", "answer"]
    assert varna.show(got.ref).status.record.assurance == "staff_document"


def test_without_an_open_request_a_right_is_the_controllers_own_act(
    varna: Varna, demo: Path
) -> None:
    email = first_customers(demo)[2]
    answer = varna.access([f"email={email}"], now=T0, actor=ANNA)
    assert answer.request is None
    assert answer.result.found
    # rows past their retention are reported to the DPO as a finding of their own
    assert set(actions(varna)) - {"retention.overdue_found"} == {"dsr.access.executed"}


@pytest.mark.parametrize(
    ("move", "state"),
    [("refuse", "refused"), ("withdraw", "withdrawn")],
    ids=["refuse", "withdraw"],
)
def test_refused_or_withdrawn_requests_close(
    varna: Varna, demo: Path, move: str, state: str
) -> None:
    email = first_customers(demo)[0]
    got = varna.receive([f"email={email}"], kind=Kind.access, now=T0)
    if move == "refuse":
        with pytest.raises(RequestError, match="may not refuse"):
            varna.refuse(got.ref, reason="manifestly unfounded", now=T0, actor=PERSON)
        after = varna.refuse(got.ref, reason="manifestly unfounded", now=T0, actor=ANNA)
        assert after.record.reason == "manifestly unfounded"
    else:
        after = varna.withdraw(got.ref, now=T0, actor=PERSON)
    assert after.record.state == state
    assert after.record.closed_at is not None
    assert open_refs(varna) == []
    with pytest.raises(RequestError, match=f"from {state} it may not move"):
        varna.approve(got.ref, now=T0, actor=BO)
    # the person may ask again: a new request, a new reference
    anew = varna.receive([f"email={email}"], kind=Kind.access, now=T0 + timedelta(3))
    assert anew.created
    assert anew.ref != got.ref
    assert actions(varna)[f"dsr.request.{state}"] == 1


def test_extension_moves_the_deadline_once(varna: Varna, demo: Path) -> None:
    email = first_customers(demo)[0]
    got = varna.receive([f"email={email}"], kind=Kind.access, now=T0)
    assert got.due.isoformat() == "2026-12-21"
    longer = varna.extend(got.ref, reason="many systems", now=T0 + timedelta(5), actor=ANNA)
    assert longer.due.isoformat() == "2027-02-22"
    assert longer.record.state == "received"
    with pytest.raises(RequestError, match="already extended"):
        varna.extend(got.ref, reason="again", now=T0 + timedelta(6), actor=ANNA)
    assert [r.due.isoformat() for r in varna.requests()] == ["2027-02-22"]
    assert varna.requests()[0].days_left(datetime(2027, 2, 1).date()) == 21


def test_a_failure_is_visible_and_can_be_retried(varna: Varna, demo: Path, tmp_path: Path) -> None:
    email = first_customers(demo)[0]
    got = varna.receive([f"email={email}"], kind=Kind.access, now=T0)
    broken = Varna(
        varna.settings,
        environ={"VARNA_DEMO_CRM_URL": f"sqlite:///{tmp_path}/missing/none.db"},
    )
    try:
        with pytest.raises(ConnectorError):
            broken.access([f"email={email}"], now=T0, actor=ANNA)
    finally:
        broken.close()
    failed = varna.show(got.ref).status.record
    assert failed.state == "failed"
    assert failed.reason is not None
    assert failed.reason.startswith("ConnectorError")
    assert email not in failed.reason
    assert open_refs(varna) == [got.ref]  # failed stays open and listed
    varna.retry(got.ref, now=T0, actor=ANNA)
    answer = varna.access([f"email={email}"], now=T0, actor=ANNA)
    assert answer.request is not None
    assert answer.request.record.state == "answered"
    counted = actions(varna)
    assert (counted["dsr.request.failed"], counted["dsr.request.retried"]) == (1, 1)


def test_a_request_left_executing_is_resumed_only_when_its_executor_is_gone(
    varna: Varna, demo: Path
) -> None:
    import threading

    from varna.state.locks import execution_lock

    email = first_customers(demo)[0]
    ids = [f"email={email}"]
    got = varna.receive(ids, kind=Kind.erasure, now=T0)
    varna.verify(got.ref, method="e-ID", assurance=Assurance.eid, now=T0, actor=ANNA)
    varna.plan(got.ref, now=T0, actor=ANNA)
    varna.approve(got.ref, now=T0, actor=BO)
    # a worker claims the request, then dies before answering it
    varna.ledger.requests.move(
        got.ref, action="execute", at=T0, actor="system:w1", decide=lambda _: {"state": "executing"}
    )
    names = varna.ledger.pseudonyms(varna.parse_identities(ids, now=T0))
    done = threading.Event()
    outcome: list[object] = []

    def rerun() -> None:
        outcome.append(varna.erase(ids, now=T0, actor=BO, execute=True))
        done.set()

    with execution_lock(varna.state, names):  # the first worker is still alive
        worker = threading.Thread(target=rerun)
        worker.start()
        assert not done.wait(1.5)  # the rerun waits for it
        assert varna.show(got.ref).status.record.state == "executing"
    worker.join(timeout=120)
    assert done.is_set()
    assert varna.show(got.ref).status.record.state == "answered"
    assert [m.action for m in varna.show(got.ref).moves][-3:] == ["execute", "resume", "answer"]
    assert actions(varna)["dsr.request.resumed"] == 1


@pytest.mark.parametrize(
    ("kind", "moves", "state"),
    [
        (Kind.access, ["receive", "verify", "plan", "approve"], "approved"),
        (Kind.erasure, ["receive", "verify", "plan", "submit"], "awaiting_approval"),
    ],
)
def test_a_plan_and_its_approval_or_submission_are_one_step(
    varna: Varna, demo: Path, kind: Kind, moves: list[str], state: str
) -> None:
    email = first_customers(demo)[0]
    got = varna.receive([f"email={email}"], kind=kind, now=T0)
    varna.verify(got.ref, method="e-ID", assurance=Assurance.eid, now=T0, actor=ANNA)
    assert varna.plan(got.ref, now=T0, actor=ANNA).record.state == state
    detail = varna.show(got.ref)
    assert [m.action for m in detail.moves] == moves
    assert detail.moves[-1].actor == ("system:varna" if kind is Kind.access else str(ANNA))
    assert varna.audit.verify().ok


def test_moves_made_together_are_all_made_or_none(varna: Varna, demo: Path) -> None:
    from varna.state.requests import Step

    email = first_customers(demo)[0]
    got = varna.receive([f"email={email}"], kind=Kind.access, now=T0)

    def refused(_: object) -> dict[str, str]:
        raise RequestError("the second move is refused")

    planned = Step("verify", T0, "anna", lambda _: {"state": "verified"})
    with pytest.raises(RequestError, match="second move"):
        varna.ledger.requests.move_each(got.ref, [planned, Step("plan", T0, "anna", refused)])
    detail = varna.show(got.ref)
    assert detail.status.record.state == "received"
    assert [m.action for m in detail.moves] == ["receive"]


def test_a_receipt_and_the_moves_its_door_made_with_it_are_all_made_or_none(
    varna: Varna, demo: Path
) -> None:
    """A door that verified the person as it received the request (an API caller vouching)
    writes the request, what it keeps with it and its verification in one transaction."""
    from varna.state.requests import Step

    email = first_customers(demo)[0]
    kept: list[str] = []

    def refused(_: object) -> dict[str, str]:
        raise RequestError("the verification is refused")

    def keep(_conn: object, ref: str) -> None:
        kept.append("kept")

    before = actions(varna)
    with pytest.raises(RequestError, match="refused"):
        varna.receive(
            [f"email={email}"],
            kind=Kind.access,
            now=T0,
            also=keep,
            then=lambda found: [Step("verify", T0, "anna", refused)],
        )
    assert kept == ["kept"]  # it ran, in the transaction that was rolled back
    assert open_refs(varna) == []
    assert actions(varna) == before
    got = varna.receive(
        [f"email={email}"],
        kind=Kind.access,
        now=T0,
        then=lambda found: [varna._verify_step("e-ID", Assurance.eid, actor=ANNA, now=T0)],
    )
    assert got.record.state == "verified"
    assert [m.action for m in varna.show(got.ref).moves] == ["receive", "verify"]


def test_a_read_only_right_is_claimed_and_answered_with_its_proof_in_one_step(
    varna: Varna, demo: Path, tmp_path: Path
) -> None:
    """An access is read first, then claimed, proven and answered in one transaction: the
    proof sits between its start and its answer, and a failed reading leaves no proof."""
    email = first_customers(demo)[0]
    ids = [f"email={email}"]
    got = varna.receive(ids, kind=Kind.access, now=T0)
    varna.verify(got.ref, method="e-ID", assurance=Assurance.eid, now=T0, actor=ANNA)
    varna.plan(got.ref, now=T0, actor=ANNA)
    broken = Varna(
        varna.settings,
        environ={"VARNA_DEMO_CRM_URL": f"sqlite:///{tmp_path}/missing/none.db"},
    )
    try:
        with pytest.raises(ConnectorError):
            broken.access(ids, now=T0, actor=ANNA)
    finally:
        broken.close()
    assert actions(varna)["dsr.access.executed"] == 0
    assert [m.action for m in varna.show(got.ref).moves][-2:] == ["execute", "fail"]
    varna.retry(got.ref, now=T0, actor=ANNA)
    answer = varna.access(ids, now=T0, actor=ANNA)
    assert answer.request is not None
    assert answer.request.record.state == "answered"
    trail = [e.action for e in varna.audit.iter_events() if e.action.startswith("dsr.")]
    started = len(trail) - 1 - trail[::-1].index("dsr.request.started")
    assert trail[started:] == [
        "dsr.request.started",
        *["dsr.access.executed"] * trail.count("dsr.access.executed"),
        "dsr.request.answered",
    ]
    assert trail.count("dsr.access.executed") > 0
    assert varna.audit.verify().ok


def test_an_answered_access_has_its_download_or_the_request_is_not_answered(
    varna: Varna, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The extract is kept in the transaction that answers the request: should keeping it
    fail, nothing of the answer is written (no move, no proof of a reading): the request is
    left approved, as after a crash, and carrying it out again answers it."""
    from varna.core.execution_ops import Contact
    from varna.errors import StateError
    from varna.state.verification import AnswerStore

    email = first_customers(demo)[0]
    got = varna.receive([f"email={email}"], kind=Kind.access, now=T0)
    varna.keep_contact(got.ref, Contact((f"email={email}",)), now=T0)
    varna.verify(got.ref, method="e-ID", assurance=Assurance.eid, now=T0, actor=ANNA)
    kept = AnswerStore.keep_in

    def full(*args: object, **kwargs: object) -> None:
        raise StateError("the state database is full")

    monkeypatch.setattr(AnswerStore, "keep_in", full)
    with pytest.raises(StateError, match="full"):
        varna.execute_request(got.ref, actor=ANNA, now=T0)
    assert varna.status(got.ref).record.state == "approved"
    assert [m.action for m in varna.show(got.ref).moves][-1] == "approve"
    assert varna._answers().listing(got.ref) == []
    assert actions(varna)["dsr.access.executed"] == 0
    monkeypatch.setattr(AnswerStore, "keep_in", kept)
    answered = varna.execute_request(got.ref, actor=ANNA, now=T0)
    assert answered.record.state == "answered"
    assert [a.media_type for a in varna._answers().listing(got.ref)] == [
        "application/vnd.varna.document+json"
    ]
    assert varna.audit.verify().ok


def _vouched(varna: Varna, email: str, key: ApiKey | None = None) -> Submitted:
    """An access submitted through the API by a caller who verified the person."""
    from varna.core.key_ops import Attested

    if key is None:
        key = varna.create_api_key(name="desk", scopes=["requests"], created_by="t", now=T0).key
    return varna.submit_via_api(
        key=key,
        kind=Kind.access,
        identities=[f"email={email}"],
        now=T0,
        attested=Attested("checked at the desk", Assurance.staff_document),
    )


def test_a_vouched_access_is_received_and_answered_in_one_transaction(
    varna: Varna, demo: Path
) -> None:
    """The caller verified the person: the request, its verification, plan, answer, the proof
    of the reading and the extract for download are written by one transaction."""
    import sqlalchemy as sa

    email = first_customers(demo)[0]
    key = varna.create_api_key(name="desk", scopes=["requests"], created_by="t", now=T0).key
    began: list[object] = []

    def begin(conn: object) -> None:
        began.append(conn)

    sa.event.listen(varna.state.engine, "begin", begin)
    try:
        done = _vouched(varna, email, key)
    finally:
        sa.event.remove(varna.state.engine, "begin", begin)
    ref = done.status.ref
    assert done.status.record.state == "answered"
    assert len(began) == 1
    assert [m.action for m in varna.show(ref).moves] == ANSWERED_AT_ONCE
    trail = [e.action for e in varna.audit.iter_events() if e.action.startswith("dsr.")]
    assert trail[0] == "dsr.request.received"
    assert trail[-2:] == ["dsr.access.executed", "dsr.request.answered"]
    assert [a.media_type for a in varna._answers().listing(ref)] == [
        "application/vnd.varna.document+json"
    ]
    assert varna.audit.verify().ok


def test_a_vouched_access_whose_answer_cannot_be_kept_is_not_received(
    varna: Varna, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Received and answered with its download, or nothing at all: no request half made, no
    proof of a reading that answered nothing; the caller hears the error and asks again."""
    from varna.errors import StateError
    from varna.state.verification import AnswerStore

    email = first_customers(demo)[0]
    key = varna.create_api_key(name="desk", scopes=["requests"], created_by="t", now=T0).key
    before = actions(varna)

    def full(*args: object, **kwargs: object) -> None:
        raise StateError("the state database is full")

    monkeypatch.setattr(AnswerStore, "keep_in", full)
    with pytest.raises(StateError, match="full"):
        _vouched(varna, email, key)
    assert varna.requests() == []
    assert actions(varna) == before
    monkeypatch.undo()
    assert _vouched(varna, email, key).status.record.state == "answered"
    assert varna.audit.verify().ok


def test_a_vouched_access_merged_into_an_open_one_answers_it_once(varna: Varna, demo: Path) -> None:
    """A receipt merged into the person's open access request makes no moves of its own in
    the receipt's transaction (the open request may still owe another verification): that
    request is verified and answered after it, with one download."""
    email = first_customers(demo)[0]
    first = varna.receive([f"email={email}"], kind=Kind.access, now=T0)
    done = _vouched(varna, email)
    status = done.status
    assert (status.ref, status.created) == (first.ref, False)
    assert status.record.state == "answered"
    assert [m.action for m in varna.show(first.ref).moves] == ANSWERED_AT_ONCE
    assert len(varna._answers().listing(first.ref)) == 1
    assert varna.audit.verify().ok
