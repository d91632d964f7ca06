"""What a verification unlocks, on the demo company with one more system keyed by personnummer
only (a key register: the keys to a person's home handed over with a safety alarm).

An e-mail code proves the address; rows reached through the personnummer learnt from the
customer row are not proven by it. Access reads them; an erasure waits for a stronger proof or
a staff decision, then four eyes, then runs.
"""

from __future__ import annotations

import mailbox
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from varna.core import Varna
from varna.dsr.requests import Actor, Assurance, Kind, Role
from varna.errors import RequestError
from varna.settings import Settings

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
ANNA, BO = Actor("anna", Role.case_handler), Actor("bo", Role.dpo)

KEYRING = {
    "name": {"sv": "Nyckelregistret", "en": "Key register"},
    "kind": "sqlite",
    "connection": {"env": "VARNA_TEST_KEYRING_URL", "default": "sqlite:///data/keyring.db"},
    "country": "SE",
    "hosted_by": "hosting",
    "description": {"sv": "Utlämnade nycklar.", "en": "Keys handed over."},
    "tables": {
        "key_holders": {
            "primary_key": ["id"],
            "subjects": ["customer"],
            "activities": ["customer_administration"],
            "identities": {"personnummer": "personnummer"},
            "fields": {
                "personnummer": {"category": "identity.personnummer", "erasure": "hash"},
                "holder": {"category": "identity.name", "erasure": "fixed", "value": "-"},
            },
        }
    },
}


@dataclass
class World:
    varna: Varna
    outbox: Path
    email: str
    personnummer: str
    keyring: Path


@pytest.fixture
def world(demo_company: Callable[[int], Path], tmp_path: Path) -> Iterator[World]:
    demo = demo_company(20)
    register = demo / "varna.yaml"
    data = yaml.safe_load(register.read_text())
    data["systems"]["keyring"] = KEYRING
    register.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with sqlite3.connect(demo / "data" / "crm.db") as crm:
        email, pnr = crm.execute(
            "SELECT email, personnummer FROM customers WHERE email IS NOT NULL "
            "AND personnummer IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
    keyring = demo / "data" / "keyring.db"
    with sqlite3.connect(keyring) as conn:
        conn.execute(
            "CREATE TABLE key_holders (id INTEGER PRIMARY KEY, personnummer TEXT, holder TEXT)"
        )
        conn.execute("INSERT INTO key_holders VALUES (1, ?, 'Holder One')", (pnr,))
    outbox = tmp_path / "outbox"
    varna = Varna(Settings(smtp_url=f"maildir:{outbox}"))
    yield World(varna, outbox, str(email), str(pnr), keyring)
    varna.close()


def through_the_centre(world: World, kind: Kind) -> str:
    """A request made in the privacy centre and verified with the e-mailed code."""
    submitted = world.varna.submit_request(
        kind=kind, email=world.email, client="192.0.2.1", now=NOW, lang="en"
    )
    [message] = list(mailbox.Maildir(world.outbox, create=False))
    match = re.search(r"\b(\d{6})\b", message["Subject"])
    assert match
    return world.varna.confirm_code(submitted.challenge, match.group(1), now=NOW).ref


def through_the_api(world: World, kind: Kind, assurance: Assurance) -> str:
    varna = world.varna
    key = varna.create_api_key(name="desk", scopes=["requests"], created_by="t", now=NOW).key
    ref = varna.submit_via_api(
        key=key, kind=kind, identities=[f"email={world.email}"], now=NOW
    ).status.ref
    varna.verify(ref, method="checked", assurance=assurance, now=NOW, actor=ANNA)
    return ref


def holder(world: World) -> str | None:
    """The key holder's personnummer as stored (None once the row is erased)."""
    with sqlite3.connect(world.keyring) as conn:
        row = conn.execute("SELECT personnummer FROM key_holders WHERE id = 1").fetchone()
    return None if row is None else str(row[0])


@pytest.mark.parametrize(
    ("make", "kind", "state"),
    [
        pytest.param("centre", Kind.erasure, "awaiting_decision", id="erasure-email-code-held"),
        pytest.param("centre", Kind.access, "answered", id="access-email-code-reads"),
        pytest.param("email_code", Kind.erasure, "awaiting_decision", id="api-email-code-held"),
        pytest.param("eid", Kind.erasure, "awaiting_approval", id="eid-goes-to-four-eyes"),
        pytest.param(
            "staff_document", Kind.erasure, "awaiting_approval", id="staff-document-four-eyes"
        ),
    ],
)
def test_what_a_verification_unlocks(world: World, make: str, kind: Kind, state: str) -> None:
    if make == "centre":
        ref = through_the_centre(world, kind)
    else:
        ref = through_the_api(world, kind, Assurance[make])
    status = world.varna.execute_request(ref, actor=ANNA, now=NOW)
    assert status.record.state == state
    assert holder(world) == world.personnummer  # nothing erased yet
    if state == "awaiting_decision":
        note = world.varna.show(ref).moves[-1].note or ""
        assert "through personnummer" in note
        assert world.personnummer not in note
        assert world.email not in note


def test_a_held_erasure_goes_on_after_a_decision_and_a_second_approval(world: World) -> None:
    varna = world.varna
    ref = through_the_centre(world, Kind.erasure)
    varna.execute_request(ref, actor=ANNA, now=NOW)
    with pytest.raises(RequestError, match="cannot approve"):
        varna.approve(ref, actor=BO, now=NOW)
    varna.decide(ref, reason="the customer row holds the personnummer", actor=ANNA, now=NOW)
    with pytest.raises(RequestError, match="four eyes"):
        varna.approve(ref, actor=ANNA, now=NOW)
    varna.approve(ref, actor=BO, now=NOW)
    done = varna.execute_request(ref, actor=BO, now=NOW)
    assert done.record.state == "answered"
    assert holder(world) != world.personnummer  # erased
    assert varna.audit.verify().ok


def test_a_staff_verification_keeps_its_note_out_of_the_audit_log(world: World) -> None:
    varna = world.varna
    key = varna.create_api_key(name="desk", scopes=["requests"], created_by="t", now=NOW).key
    ref = varna.submit_via_api(
        key=key, kind=Kind.erasure, identities=[f"email={world.email}"], now=NOW
    ).status.ref
    note = f"Signed letter from {world.email}, passport checked"
    status = varna.verify(
        ref,
        method="signed letter",
        assurance=Assurance.staff_document,
        now=NOW,
        actor=ANNA,
        note=note,
    )
    assert status.record.assurance == "staff_document"
    assert status.record.verified_by == "signed letter by case_handler:anna"
    assert varna.show(ref).moves[-1].note == note
    [event] = [e for e in varna.audit.iter_events() if e.action == "dsr.request.verified"]
    assert event.details["note_given"] is True
    assert world.email not in repr(event.details)
