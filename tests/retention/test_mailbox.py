"""Seed 004's monthly inbox routine through ``varna retention plan|run``: a support mailbox
(Maildir, or a real IMAP server) whose messages older than a month are moved to a folder; a run
killed at every point of a batch and run again ends as an uninterrupted run, with no message
moved twice and an audit log that verifies."""

from __future__ import annotations

import imaplib
import mailbox
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from connectors.dovecot import PASSWORD, Dovecot, running_dovecot
from faulted import run_varna
from varna.connectors.mailbox import build
from varna.faults import FAULT_EXIT, RETENTION_POINTS

AT = "2024-07-01"  # a month's period: messages received before 2024-06-01 expire
KEY = "mailbox-retention-audit-key-0123456789ab"
DATES = (
    datetime(2024, 1, 5, 10, 0, tzinfo=UTC),
    datetime(2024, 2, 1, 11, 0, tzinfo=UTC),
    datetime(2024, 5, 31, 23, 0, tzinfo=UTC),
    datetime(2024, 6, 20, 8, 0, tzinfo=UTC),
    datetime(2024, 6, 25, 16, 45, tzinfo=UTC),
)
EXPIRED = 3

REGISTER = """
varna: 1
controller:
  name: Exempel Support AB
  org_number: 556677-8899
  address: {street: Storgatan 1, postal_code: "111 22", city: Stockholm}
  contact: {email: dataskydd@exempel.se}
  policy: {version: "1", effective_date: 2024-01-01, languages: [en]}
subjects:
  customer: {label: {sv: Kunder, en: Customers}}
activities:
  support_mail:
    name: {sv: Kundtjänstens inkorg, en: Support inbox}
    purpose: {sv: Svara på kunders e-post., en: To answer customers' e-mail.}
    legal_bases: [contract]
    categories: [correspondence.support_case, contact.email]
    retention: {rule: period_after, period: 1 month, anchor: collected}
systems:
  support_mail:
    name: {sv: Supportens brevlåda, en: Support mailbox}
    kind: mailbox
    connection: {env: VARNA_SUPPORT_MAIL_URL}
    country: SE
    tables:
      INBOX:
        primary_key: [uid]
        subjects: [customer]
        activities: [support_mail]
        anchors: {collected: received}
        identities: {email: sender}
        fields:
          sender: contact.email
          text: correspondence.support_case
"""


def message(i: int, when: datetime) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"kund{i}@example.se"
    msg["To"] = "support@exempel.se"
    msg["Subject"] = f"Ärende {i}"
    msg["Message-ID"] = f"<case-{i}@mail.example>"
    msg.set_content(f"Hej, gäller order {i}.")
    return msg


def maildir(root: Path) -> str:
    box = mailbox.Maildir(root, create=True)
    for i, when in enumerate(DATES):
        entry = mailbox.MaildirMessage(message(i, when))
        entry.set_date(when.timestamp())
        box.add(entry)
    box.close()
    return f"maildir:{root}?move_to=Arkiv"


def imap(server: Dovecot, user: str) -> str:
    client = imaplib.IMAP4(server.host, server.port)
    client.login(user, PASSWORD)
    for i, when in enumerate(DATES):
        client.append("INBOX", None, imaplib.Time2Internaldate(when), message(i, when).as_bytes())
    client.logout()
    return server.url(user, query="&move_to=Arkiv")


@pytest.fixture(scope="module")
def dovecot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dovecot]:
    with running_dovecot(tmp_path_factory.mktemp("dovecot")) as server:
        yield server


def counts(url: str) -> dict[str, int]:
    connector = build(url, name="support_mail", base_dir=Path())
    try:
        folders = {t.name for t in connector.list_tables()}
        return {f: connector.count(f) for f in ("INBOX", "Arkiv") if f in folders}
    finally:
        connector.close()


def setup(tmp_path: Path, url: str) -> tuple[dict[str, str], Path]:
    register = tmp_path / "register.yaml"
    register.write_text(REGISTER, encoding="utf-8")
    env = {
        "VARNA_SUPPORT_MAIL_URL": url,
        "VARNA_HOME": str(tmp_path / "home"),
        "VARNA_DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}",
        "VARNA_AUDIT_KEY": KEY,
    }
    return env, register


def test_plan_counts_the_expired_messages_without_personal_data(tmp_path: Path) -> None:
    env, register = setup(tmp_path, maildir(tmp_path / "mail"))
    plan = run_varna(env, "retention", "plan", "-r", str(register), "--at", AT)
    assert plan.returncode == 0, plan.stderr
    assert f"INBOX: {EXPIRED} of {len(DATES)} rows expire" in plan.stdout
    assert "@" not in plan.stdout.replace("dataskydd@exempel.se", "")
    assert "Ärende" not in plan.stdout
    assert counts(env["VARNA_SUPPORT_MAIL_URL"]) == {"INBOX": len(DATES)}


CASES = [pytest.param("maildir", point, id=f"maildir-{point}") for point in RETENTION_POINTS]
CASES.append(pytest.param("imap", "retention.after_system_commit", id="imap-after_system_commit"))


@pytest.mark.parametrize(("kind", "point"), CASES)
def test_a_killed_run_then_a_rerun_moves_each_message_once(
    request: pytest.FixtureRequest, tmp_path: Path, kind: str, point: str
) -> None:
    if kind == "maildir":
        url = maildir(tmp_path / "mail")
    else:
        url = imap(request.getfixturevalue("dovecot"), "crash")
    env, register = setup(tmp_path, url)
    command = ["retention", "run", "-r", str(register), "--at", AT, "--execute"]

    killed = run_varna(env, *command, fault=point)
    assert killed.returncode == FAULT_EXIT, killed.stderr
    rerun = run_varna(env, *command)
    assert rerun.returncode == 0, rerun.stderr
    assert counts(url) == {"INBOX": len(DATES) - EXPIRED, "Arkiv": EXPIRED}
    verify = run_varna(env, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    again = run_varna(env, *command)
    assert again.returncode == 0, again.stderr
    assert counts(url) == {"INBOX": len(DATES) - EXPIRED, "Arkiv": EXPIRED}
