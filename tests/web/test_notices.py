"""E-mail to the person at each step and Art. 19 notices to recipients, through the API on the
demo company with a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.core.notice_ops import RecipientNotice, plan_recipient_notices
from varna.register import load_register
from varna.settings import Settings
from varna.web.app import create_app

from .conftest import Inbox

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
MAILFLOW = "privacy@mailflow.example"
SEED = Path(__file__).resolve().parents[2] / "src" / "varna" / "demo" / "register.yaml"


def give_contact(register: Path) -> None:
    """The e-mail service's contact for Art. 19 notices (the hosting firm has none)."""
    text = register.read_text(encoding="utf-8")
    anchor = '    dpa: {signed: 2025-06-15, reference: "Mailflow DPA v4"}\n'
    assert anchor in text
    register.write_text(
        text.replace(anchor, anchor + f"    notice_email: {MAILFLOW}\n"), encoding="utf-8"
    )


@pytest.fixture
def api(
    demo_company: Callable[[int], Path], smtp: tuple[Inbox, str]
) -> Iterator[tuple[TestClient, Varna, Path, Inbox]]:
    demo = demo_company(20)
    inbox, url = smtp
    settings = Settings(smtp_url=url)
    give_contact(settings.register_file)
    varna = Varna(settings)
    with TestClient(create_app(varna)) as client:
        yield client, varna, demo, inbox
    varna.close()


def key(varna: Varna, name: str) -> dict[str, str]:
    made = varna.create_api_key(name=name, scopes=["requests", "read"], created_by="test", now=NOW)
    return {"authorization": f"Bearer {made.token}"}


def a_customer(demo: Path) -> str:
    with sqlite3.connect(demo / "data" / "crm.db") as conn:
        (email,) = conn.execute(
            "SELECT email FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
    return str(email)


def submit(client: TestClient, headers: dict[str, str], kind: str, email: str, lang: str) -> str:
    body = {"kind": kind, "identities": [f"email={email}"], "email": email, "lang": lang}
    answer = client.post("/api/v1/requests", json=body, headers=headers)
    assert answer.status_code == 201
    return str(answer.json()["id"])


@pytest.mark.parametrize(
    ("lang", "receipt", "refused", "complain"),
    [
        pytest.param("sv", "Vi har tagit emot", "avslås", "artikel 12.4", id="sv"),
        pytest.param("en", "We have received", "is refused", "Art. 12(4)", id="en"),
    ],
)
def test_the_person_gets_the_receipt_and_the_refusal_with_reasons(
    api: tuple[TestClient, Varna, Path, Inbox],
    lang: str,
    receipt: str,
    refused: str,
    complain: str,
) -> None:
    client, varna, demo, inbox = api
    anna = key(varna, "anna")
    email = a_customer(demo)
    ref = submit(client, anna, "objection", email, lang)
    [first] = inbox.to(email)
    assert receipt in first["Subject"]
    assert ref in first["Subject"]
    assert first["Content-Language"] == lang
    due = client.get(f"/api/v1/requests/{ref}", headers=anna).json()["due"]
    assert due in first.get_content()
    client.post(
        f"/api/v1/requests/{ref}/refuse",
        json={"reason": "the fifth identical request this month"},
        headers=anna,
    )
    last = inbox.to(email)[-1]
    assert refused in last["Subject"]
    body = last.get_content()
    assert "the fifth identical request this month" in body
    assert complain in body
    assert "Integritetsskyddsmyndigheten (IMY)" in body
    notices = client.get(f"/api/v1/requests/{ref}/notices", headers=anna).json()
    assert [(n["event"], n["state"]) for n in notices] == [
        ("received", "sent"),
        ("refused", "sent"),
    ]


def test_an_extension_is_told_with_its_reasons_and_new_deadline(
    api: tuple[TestClient, Varna, Path, Inbox],
) -> None:
    client, varna, demo, inbox = api
    anna = key(varna, "anna")
    email = a_customer(demo)
    ref = submit(client, anna, "access", email, "en")
    extended = client.post(
        f"/api/v1/requests/{ref}/extend", json={"reason": "many systems to search"}, headers=anna
    ).json()
    last = inbox.to(email)[-1]
    assert "needs more time" in last["Subject"]
    assert "many systems to search" in last.get_content()
    assert extended["due"] in last.get_content()


def test_an_erasure_tells_each_recipient_or_queues_it_for_the_dpo(
    api: tuple[TestClient, Varna, Path, Inbox],
) -> None:
    client, varna, demo, inbox = api
    anna, bo = key(varna, "anna"), key(varna, "bo")
    email = a_customer(demo)
    ref = submit(client, anna, "erasure", email, "sv")
    client.post(
        f"/api/v1/requests/{ref}/verify",
        json={"method": "signed letter", "assurance": "staff_document"},
        headers=anna,
    )
    client.post(f"/api/v1/requests/{ref}/execute", headers=anna)
    client.post(f"/api/v1/requests/{ref}/approve", headers=bo)
    assert client.post(f"/api/v1/requests/{ref}/execute", headers=bo).json()["state"] == "answered"
    subjects = [m["Subject"] for m in inbox.to(email)]
    assert len(subjects) == 3  # received, verified, answered
    assert "verifierat" in subjects[1]
    [notice] = inbox.to(MAILFLOW)
    assert "19" in notice["Subject"]
    assert ref in notice["Subject"]
    assert notice["Content-Language"] == "sv"
    assert email.lower() in notice.get_content().lower()  # the recipient must know whom
    recipients = {
        n["recipient"]: (n["channel"], n["state"])
        for n in client.get(f"/api/v1/requests/{ref}/notices", headers=anna).json()
        if n["kind"] == "recipient"
    }
    assert recipients["email_service"] == ("email", "sent")
    assert recipients["hosting"] == ("dpo", "queued")
    actions = [e.action for e in varna.audit.iter_events()]
    assert actions.count("dsr.recipient.notified") == 1
    assert actions.count("dsr.recipient.notice_queued") == len(recipients) - 1
    assert varna.audit.verify().ok


@pytest.mark.parametrize(
    ("tables", "expected"),
    [
        pytest.param(
            [("crm", "customers")],
            {"email_service", "hosting"},
            id="customers",
        ),
        pytest.param([("care", "end_users")], {"hosting"}, id="care-hosted-only"),
        pytest.param([("crm", "nothere")], set(), id="unknown-table"),
        pytest.param([], set(), id="nothing"),
    ],
)
def test_the_recipients_of_the_data_reached(
    tables: list[tuple[str, str]], expected: set[str]
) -> None:
    register = load_register(SEED)
    plan = plan_recipient_notices(register, tables)
    assert {n.recipient for n in plan} == expected
    for notice in plan:
        assert isinstance(notice, RecipientNotice)
        assert notice.categories
