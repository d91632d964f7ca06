"""The breach register through the console and the REST API on the demo company: a DPO records
a breach, sees its clock, passes 72 hours on the test's clock and sees it overdue, prints the IMY
notification; an auditor reads with staff names as pseudonyms, an engineer not at all; Art. 34
notices reach a real SMTP server in Swedish and English with no address kept."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.core.breach_ops import Risk
from varna.settings import Settings
from varna.web.app import create_app

from .conftest import Inbox
from .console_people import NOW, Staff, form_token, make_staff, sign_in


class Desk:
    def __init__(self, client: TestClient, varna: Varna, staff: Staff, inbox: Inbox) -> None:
        self.client, self.varna, self.staff, self.inbox = client, varna, staff, inbox

    def as_(self, name: str) -> TestClient:
        self.client.cookies.clear()
        sign_in(self.client, self.staff, name)
        return self.client

    def post(self, path: str, data: dict[str, object]) -> object:
        token = form_token(self.client.get("/console").text)
        return self.client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


@pytest.fixture
def desk(demo_company: Callable[[int], Path], smtp: tuple[Inbox, str]) -> Iterator[Desk]:
    demo_company(20)
    inbox, url = smtp
    varna = Varna(Settings(smtp_url=url))  # type: ignore[arg-type]
    staff = make_staff(varna)
    with TestClient(create_app(varna)) as client:
        yield Desk(client, varna, staff, inbox)
    varna.close()


def test_a_dpo_records_a_breach_and_sees_it_overdue_after_72_hours(desk: Desk) -> None:
    client = desk.as_("dpo.dag")
    answer = desk.post(
        "/console/breaches/new",
        {
            "aware_at": "2026-12-02T10:00",  # Swedish time: 09:00 UTC
            "title": "Invoices sent to the wrong customers",
            "nature_shown": "1",
            "nature": "confidentiality",
            "systems_shown": "1",
            "systems": "billing.invoices",
        },
    )
    assert answer.status_code == 303  # type: ignore[attr-defined]
    location = answer.headers["location"]  # type: ignore[attr-defined]
    ref = location.rsplit("/", 1)[1]
    page = client.get(location).text
    assert re.search(r'class="clock">7[12]h \d\dm', page)  # signing in moved the clock a little
    assert "billing.invoices" in page
    overview = client.get("/console").text
    assert ref in overview
    assert re.search(r"7[12]h \d\dm", overview)
    desk.staff.clock.advance(hours=73)
    client = desk.as_("dpo.dag")
    listing = client.get("/console/breaches").text
    assert 'class="overdue"' in listing
    assert re.search(r"[01]h \d\dm", listing)
    answer = desk.post(f"/console/breaches/{ref}/assess", {"risk": "risk", "reason": "names"})
    assert answer.status_code == 303  # type: ignore[attr-defined]
    refused = desk.post(f"/console/breaches/{ref}/notify", {"at": ""})
    assert refused.status_code == 409  # type: ignore[attr-defined]
    assert "Art. 33(1)" in refused.text  # type: ignore[attr-defined]
    imy = client.get(f"/console/breaches/{ref}/imy").text
    assert "att fylla i" in imy or "to fill in" in imy
    name = desk.varna.register.controller.name
    assert name
    assert name in imy
    pdf = client.get(f"/console/breaches/{ref}/imy?format=pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    events = [e.action for e in desk.varna.audit.iter_events() if e.target == f"breach:{ref}"]
    assert events == ["breach.recorded", "breach.assessed"]


@pytest.mark.parametrize(
    ("name", "list_status", "sees_name"),
    [
        pytest.param("dpo.dag", 200, True, id="dpo"),
        pytest.param("admin.ada", 200, True, id="admin"),
        pytest.param("auditor.aud", 200, False, id="auditor-pseudonyms"),
        pytest.param("engineer.eve", 403, False, id="engineer-none"),
        pytest.param("handler.anna", 403, False, id="case-handler-none"),
    ],
)
def test_who_sees_breaches(desk: Desk, name: str, list_status: int, sees_name: bool) -> None:
    ref = desk.varna.record_breach(
        {"title": "USB stick lost"}, aware_at=NOW, actor="console:dpo.dag", now=NOW
    ).ref
    client = desk.as_(name)
    assert client.get("/console/breaches").status_code == list_status
    page = client.get(f"/console/breaches/{ref}")
    assert page.status_code == list_status
    if list_status == 200:
        assert ("console:dpo.dag" in page.text) is sees_name
        assert ("staff-" in page.text) is not sees_name
        assert ('action="/console/breaches/' in page.text) is sees_name


@pytest.mark.parametrize(
    ("lang", "subject_word", "body_words"),
    [
        pytest.param("sv", "säkerhetsincident", "dataskyddsombud", id="sv"),
        pytest.param("en", "security incident", "data protection officer", id="en"),
    ],
)
def test_art_34_notices_reach_people_in_their_language(
    desk: Desk, lang: str, subject_word: str, body_words: str
) -> None:
    varna = desk.varna
    ref = varna.record_breach(
        {"title": "Care notes readable by everyone", "consequences": "health data seen"},
        aware_at=NOW,
        actor="test",
        now=NOW,
    ).ref
    with pytest.raises(Exception, match="high risk"):
        varna.send_breach_notices(ref, [("p1@example.org", lang)], actor="test", now=NOW)
    varna.assess_breach(ref, Risk.high, reason="health data", actor="test", now=NOW)
    done = varna.send_breach_notices(
        ref, [("p1@example.org", lang), ("p2@example.org", lang)], actor="test", now=NOW
    )
    assert done == {"sent": 2, "failed": 0}
    (message,) = desk.inbox.to("p1@example.org")
    assert subject_word in message["Subject"]
    body = message.get_content()
    assert body_words in body.lower()
    assert "health data seen" in body
    entry = next(e for e in varna.audit.iter_events() if e.action == "breach.notices_sent")
    assert "example.org" not in str(entry.details)
    assert "example.org" not in str(varna.breach(ref, history=True).as_dict())


def test_the_api_follows_the_role(desk: Desk) -> None:
    client = desk.as_("dpo.dag")
    csrf = client.cookies.get("varna_csrf")
    assert csrf
    made = client.post(
        "/api/v1/breaches",
        json={"aware_at": desk.staff.clock.now.isoformat(), "fields": {"title": "API breach"}},
        headers={"x-csrf-token": csrf},
    )
    assert made.status_code == 201, made.text
    ref = made.json()["ref"]
    assert made.json()["clock"]["left_seconds"] == 72 * 3600
    assessed = client.post(
        f"/api/v1/breaches/{ref}/assess",
        json={"risk": "none", "reason": "encrypted"},
        headers={"x-csrf-token": csrf},
    )
    assert assessed.json()["risk"] == "none"
    form = client.get(f"/api/v1/breaches/{ref}/imy?lang=en").json()
    assert len(form) == 35
    client = desk.as_("auditor.aud")
    assert client.get(f"/api/v1/breaches/{ref}").status_code == 200
    csrf = client.cookies.get("varna_csrf")
    assert csrf
    refused = client.post(
        f"/api/v1/breaches/{ref}/close", json={"text": "x"}, headers={"x-csrf-token": csrf}
    )
    assert refused.status_code == 403
    client = desk.as_("engineer.eve")
    assert client.get("/api/v1/breaches").status_code == 403
