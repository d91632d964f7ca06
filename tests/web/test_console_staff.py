"""Accountability in the console: which staff member was trained on or acknowledged which
policy version, reminders by e-mail through a real SMTP server when a new version is published,
each step in the audit log; the CLI's ``varna staff`` on the same state; and the
administrator's settings page (users, API keys)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from varna.core import Varna
from varna.settings import Settings
from varna.web.app import create_app

from .conftest import Inbox
from .console_people import Staff, form_token, make_staff, sign_in
from .publishing import publish


class Office:
    def __init__(self, client: TestClient, varna: Varna, staff: Staff, inbox: Inbox) -> None:
        self.client, self.varna, self.staff, self.inbox = client, varna, staff, inbox

    def post(self, path: str, **data: str | list[str]) -> object:
        token = form_token(self.client.get("/console/staff").text)
        return self.client.post(
            path, data={**data, "csrf_token": token}, headers={"accept-language": "en"}
        )


@pytest.fixture
def office(demo_company: Callable[[int], Path], smtp: tuple[Inbox, str]) -> Iterator[Office]:
    demo_company(10)
    inbox, url = smtp
    varna = Varna(Settings(smtp_url=url))
    staff = make_staff(varna)
    at = datetime(2026, 11, 1, tzinfo=UTC)
    varna.add_staff("anna.berg", email="anna.berg@example.se", actor="test", now=at)
    varna.add_staff("bo.ek", email="bo.ek@example.se", actor="test", now=at)
    varna.add_staff("cia.lund", email=None, actor="test", now=at)
    with TestClient(create_app(varna)) as client:
        yield Office(client, varna, staff, inbox)
    varna.close()


def actions(varna: Varna, prefix: str) -> list[tuple[str, str | None]]:
    return [(e.action, e.target) for e in varna.audit.iter_events(prefix=prefix)]


def test_the_dpo_records_training_and_reminds_those_behind(office: Office) -> None:
    publish(office.varna, day=date(2026, 1, 1))
    sign_in(office.client, office.staff, "dpo.dag")
    page = office.client.get("/console/staff", headers={"accept-language": "en"}).text
    assert "number 1" in page
    assert "3 of 3 staff have not acknowledged it" in page

    answer = office.post("/console/staff/record", kind="acknowledged", name=["anna.berg"])
    assert answer.status_code == 200  # type: ignore[attr-defined]
    assert "Recorded for 1 staff members." in answer.text  # type: ignore[attr-defined]
    answer = office.post("/console/staff/record", kind="trained", name=["bo.ek", "anna.berg"])
    assert "Recorded for 2 staff members." in answer.text  # type: ignore[attr-defined]

    answer = office.post("/console/staff/remind")
    assert "Reminders sent: 1; failed: 0; without an address: 1." in answer.text  # type: ignore[attr-defined]
    assert [m["To"] for m in office.inbox.messages] == ["bo.ek@example.se"]
    label = office.varna.staff_status().label
    assert f"({label})" in office.inbox.messages[0]["Subject"]
    office.post("/console/staff/remind")  # once per version: nothing new
    assert len(office.inbox.messages) == 1

    assert actions(office.varna, "staff.policy.") == [
        ("staff.policy.acknowledged", "staff:anna.berg"),
        ("staff.policy.trained", "staff:bo.ek"),
        ("staff.policy.trained", "staff:anna.berg"),
        ("staff.policy.reminded", "staff:bo.ek"),
    ]
    assert all(
        e.actor == "console:dpo.dag" for e in office.varna.audit.iter_events(prefix="staff.policy.")
    )

    # A new version: everyone is behind again and is reminded again.
    register = office.varna.settings.register_file
    text = register.read_text(encoding="utf-8")
    register.write_text(text.replace('version: "2026.1"', 'version: "2026.2"', 1), "utf-8")
    publish(office.varna, day=date(2026, 6, 1), at=datetime(2026, 5, 1, tzinfo=UTC))
    status = office.varna.staff_status()
    assert status.current == 2
    assert [line.member.name for line in status.behind] == ["anna.berg", "bo.ek", "cia.lund"]
    office.post("/console/staff/remind")
    assert sorted(m["To"] for m in office.inbox.messages[1:]) == [
        "anna.berg@example.se",
        "bo.ek@example.se",
    ]


@pytest.mark.parametrize(
    ("name", "status"),
    [
        pytest.param("auditor.aud", 403, id="auditor-reads-only"),
        pytest.param("handler.anna", 403, id="case-handler"),
        pytest.param("admin.ada", 200, id="admin"),
    ],
)
def test_who_may_record(office: Office, name: str, status: int) -> None:
    publish(office.varna, day=date(2026, 1, 1))
    sign_in(office.client, office.staff, name)
    token = form_token(office.client.get("/console").text)
    answer = office.client.post(
        "/console/staff/record",
        data={"kind": "trained", "name": "anna.berg", "csrf_token": token},
    )
    assert answer.status_code == status


def test_recording_before_a_version_is_published_is_refused(office: Office) -> None:
    sign_in(office.client, office.staff, "dpo.dag")
    page = office.client.get("/console/staff", headers={"accept-language": "en"}).text
    assert "No policy version is published yet." in page
    token = form_token(page)
    answer = office.client.post(
        "/console/staff/record",
        data={"kind": "trained", "name": "anna.berg", "csrf_token": token},
        headers={"accept-language": "en"},
    )
    assert answer.status_code == 422
    assert list(office.varna.audit.iter_events(prefix="staff.policy.")) == []


def test_the_cli_records_and_lists(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    from varna.cli.app import app

    publish(office.varna, day=date(2026, 1, 1))
    runner = CliRunner()
    done = runner.invoke(app, ["staff", "record", "anna.berg", "bo.ek", "--event", "acknowledged"])
    assert done.exit_code == 0, done.output
    assert "recorded for 2 of 2" in done.output
    listed = runner.invoke(app, ["staff", "list"])
    assert listed.exit_code == 1  # cia.lund has not acknowledged it
    assert "cia.lund  trained -  acknowledged -  BEHIND" in listed.output
    assert "anna.berg  trained -  acknowledged v1" in listed.output
    wrong = runner.invoke(app, ["staff", "record", "nobody", "--event", "trained"])
    assert wrong.exit_code != 0
    assert "varna staff add" in wrong.output


# -- the settings page (the administrator) --------------------------------------------------------


def test_the_administrator_adds_disables_and_resets_users(office: Office) -> None:
    import pyotp

    from .console_people import PASSWORD

    sign_in(office.client, office.staff, "admin.ada")
    en = {"accept-language": "en"}
    page = office.client.get("/console/settings", headers=en).text
    token = form_token(page)
    added = office.client.post(
        "/console/settings/users",
        data={"name": "cia.lund", "role": "case_handler", "password": PASSWORD,
              "special_categories": "true", "csrf_token": token},
        headers=en,
    )  # fmt: skip
    assert added.status_code == 200
    uri = added.text.split('id="otpauth"')[1].split("<code>")[1].split("</code>")[0]
    assert pyotp.parse_uri(uri.replace("&amp;", "&")).secret
    made = {u.name: u for u in office.varna.console_users()}["cia.lund"]
    assert (made.role, made.special_categories) == ("case_handler", True)

    refused = office.client.post(
        "/console/settings/users",
        data={"name": "dag.two", "role": "dpo", "password": "short", "csrf_token": token},
        headers=en,
    )
    assert refused.status_code == 422
    assert "Nothing was changed" in refused.text

    office.client.post("/console/settings/users/cia.lund/reset-2fa", data={"csrf_token": token})
    office.client.post("/console/settings/users/handler.bo/disable", data={"csrf_token": token})
    assert {u.name: u for u in office.varna.console_users()}["handler.bo"].disabled_at
    events = [
        (e.action, e.target, e.actor)
        for e in office.varna.audit.iter_events(prefix="console.user.")
        if e.actor.startswith("console:")
    ]
    assert events == [
        ("console.user.added", "user:cia.lund", "console:admin.ada"),
        ("console.user.second_factor_reset", "user:cia.lund", "console:admin.ada"),
        ("console.user.disabled", "user:handler.bo", "console:admin.ada"),
    ]


def test_the_administrator_revokes_an_api_key(office: Office) -> None:
    key = office.varna.create_api_key(
        name="crm", scopes=["read"], created_by="test", now=datetime(2026, 12, 1, tzinfo=UTC)
    ).key
    sign_in(office.client, office.staff, "admin.ada")
    token = form_token(office.client.get("/console/settings").text)
    answer = office.client.post(
        f"/console/settings/keys/{key.id}/revoke", data={"csrf_token": token}
    )
    assert answer.status_code == 200
    assert not {k.id: k for k in office.varna.api_keys()}[key.id].active


@pytest.mark.parametrize("name", ["dpo.dag", "auditor.aud", "handler.anna", "engineer.eve"])
def test_only_the_administrator_opens_the_settings(office: Office, name: str) -> None:
    sign_in(office.client, office.staff, name)
    assert office.client.get("/console/settings").status_code == 403
