"""A request whose identities reach a row naming another person waits for a human: planned,
held with the places (never values), decided by one staff member, approved by another, and
answered with the rows the identities reach as the person's own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from varna.core import Varna
from varna.demo.hostile import HostileCases, add_hostile_data
from varna.dsr.requests import Actor, Assurance, Kind, Role
from varna.errors import RequestError
from varna.settings import Settings

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
ANNA, BO = Actor("anna", Role.case_handler), Actor("bo", Role.dpo)


@pytest.fixture
def world(demo_company: Callable[[int], Path]) -> Iterator[tuple[Varna, HostileCases]]:
    demo = demo_company(60)
    cases = add_hostile_data(demo)
    varna = Varna(Settings())
    yield varna, cases
    varna.close()


def received(varna: Varna, kind: Kind, identities: list[str]) -> str:
    key = varna.create_api_key(name="desk", scopes=["requests"], created_by="t", now=NOW).key
    ref = varna.submit_via_api(key=key, kind=kind, identities=identities, now=NOW).status.ref
    varna.verify(ref, method="ID shown", assurance=Assurance.staff_document, now=NOW, actor=ANNA)
    return ref


@pytest.mark.parametrize(
    ("identities", "held"),
    [
        pytest.param(lambda c: [f"email={c.family_email}"], True, id="family-email-alone"),
        pytest.param(lambda c: [f"email={c.relative_email}"], True, id="relatives-ticket"),
        pytest.param(lambda c: [f"email={c.ip_customers[0].email}"], False, id="a-customer-alone"),
    ],
)
def test_a_request_reaching_another_person_waits_for_a_decision(
    world: tuple[Varna, HostileCases],
    identities: Callable[[HostileCases], list[str]],
    held: bool,
) -> None:
    varna, cases = world
    ref = received(varna, Kind.access, identities(cases))
    status = varna.execute_request(ref, actor=ANNA, now=NOW)
    if not held:
        assert status.record.state == "answered"
        return
    assert status.record.state == "awaiting_decision"
    note = varna.show(ref).moves[-1].note
    assert note is not None
    assert "another person" in note
    assert "@" not in note  # places and kinds, never an address
    assert varna.conflicts(ref, now=NOW)


def test_a_held_request_is_decided_then_approved_by_another_and_answered(
    world: tuple[Varna, HostileCases],
) -> None:
    varna, cases = world
    ref = received(varna, Kind.access, [f"email={cases.family_email}"])
    held = varna.execute_request(ref, actor=ANNA, now=NOW)
    assert held.record.state == "awaiting_decision"
    with pytest.raises(RequestError):
        varna.approve(ref, actor=BO, now=NOW)  # not before a decision
    assert "crm.customers" in (varna.show(ref).moves[-1].note or "")
    decided = varna.decide(ref, actor=ANNA, now=NOW, reason="a shared family address")
    assert decided.record.state == "awaiting_approval"
    varna.approve(ref, actor=BO, now=NOW)
    done = varna.execute_request(ref, actor=BO, now=NOW)
    assert done.record.state == "answered"
    assert varna.audit.verify().ok
