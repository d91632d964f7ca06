"""E-mail about a policy version with material changes, on the demo company with a real SMTP
server: the people of the marked subject categories, once per address across systems, never
those who objected, and a rerun tells nobody twice."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from varna.core import Varna
from varna.core.policy_notice_ops import concerned_subjects
from varna.dsr.requests import SYSTEM
from varna.render.diff import Change
from varna.render.versions import PolicyVersion
from varna.settings import Settings

from .conftest import Inbox

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def edit(register: Path, old: str, new: str) -> None:
    text = register.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    register.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def company(
    demo_company: Callable[[int], Path], smtp: tuple[Inbox, str]
) -> Iterator[tuple[Callable[[], Varna], Path, Path, Inbox]]:
    demo = demo_company(30)
    inbox, url = smtp
    settings = Settings(smtp_url=url)
    register = settings.register_file
    mark_customers(register)
    made: list[Varna] = []

    def service() -> Varna:
        made.append(Varna(Settings(smtp_url=url)))
        return made[-1]

    yield service, demo, register, inbox
    for varna in made:
        varna.close()


def mark_customers(register: Path) -> None:
    """Customers must hear of material changes (as seeds 000 and 001 promise)."""
    edit(
        register,
        "    label: {sv: Kunder och användare, en: Customers and users}\n",
        "    label: {sv: Kunder och användare, en: Customers and users}\n"
        "    notify_policy_changes: true\n",
    )


def customer_addresses(demo: Path) -> set[str]:
    with sqlite3.connect(demo / "data" / "crm.db") as conn:
        rows = conn.execute("SELECT email FROM customers WHERE email IS NOT NULL").fetchall()
    return {str(e).strip().lower() for (e,) in rows if str(e).strip()}


def publish_change(service: Callable[[], Varna], register: Path) -> Varna:
    service().publish_policy(now=NOW, actor="dpo")
    edit(register, '    version: "2026.1"\n', '    version: "2026.2"\n')
    text = register.read_text(encoding="utf-8")
    old = "    recipients: [hosting, email_service]\n"
    at = text.index(old, text.index("  customer_administration:"))
    new = "    recipients: [hosting, email_service, analytics]\n"  # a new recipient: material
    register.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    varna = service()
    published = varna.publish_policy(now=NOW, actor="dpo")
    assert published.version.material
    return varna


def test_the_people_marked_are_told_once_and_objectors_never(
    company: tuple[Callable[[], Varna], Path, Path, Inbox],
) -> None:
    service, demo, register, inbox = company
    varna = publish_change(service, register)
    addresses = customer_addresses(demo)
    objector = sorted(addresses)[0]
    varna.object([f"email={objector}"], now=NOW, actor=SYSTEM, execute=True)
    planned = varna.notify_policy_change(now=NOW)
    assert planned.subjects == ("customer",)
    assert planned.tables == ("crm.customers.email",)  # not the tickets: relatives write too
    assert (planned.people, planned.skipped, planned.sent) == (len(addresses), 1, 0)
    assert inbox.messages == []
    done = varna.notify_policy_change(now=NOW, execute=True)
    assert done.sent == len(addresses) - 1
    told = {str(m["To"]).lower() for m in inbox.messages}
    assert told == addresses - {objector}
    assert len(inbox.messages) == len(told)  # one message per person
    body = inbox.messages[0].get_content()
    assert "2026.2" in body
    assert "nya mottagare" in body  # what changes, in the controller's language (sv)
    again = service().notify_policy_change(now=NOW, execute=True)
    assert (again.sent, again.told_before) == (0, len(addresses) - 1)
    assert len(inbox.messages) == len(told)
    [event] = [e for e in varna.audit.iter_events() if e.action == "policy.change.notified"][:1]
    assert objector not in str(event.details)
    assert varna.audit.verify().ok


def test_a_change_nobody_must_hear_of_sends_nothing(
    company: tuple[Callable[[], Varna], Path, Path, Inbox],
) -> None:
    service, _demo, _register, inbox = company
    service().publish_policy(now=NOW, actor="dpo")
    run = service().notify_policy_change(now=NOW, execute=True)
    assert (run.material, run.tables, run.sent) == (False, (), 0)
    assert inbox.messages == []


def _version(changes: list[Change], channels: tuple[str, ...] = ("email",)) -> PolicyVersion:
    return PolicyVersion(
        version="2",
        effective_date=NOW.date(),
        published_at=NOW,
        register_hash="0" * 64,
        content_hashes={},
        changes=tuple(changes),
        material=any(c.material for c in changes),
        notify_channels=channels,
        notify_subjects=(),
        register={},
    )


@pytest.mark.parametrize(
    ("changes", "channels", "expected"),
    [
        pytest.param(
            [Change("recipient_added", "a.recipients", "new", True, ("customer",))],
            ("email",),
            ("customer",),
            id="concerns-marked",
        ),
        pytest.param(
            [Change("recipient_added", "a.recipients", "new", True, ("applicant",))],
            ("email",),
            (),
            id="concerns-unmarked",
        ),
        pytest.param(
            [Change("third_country_added", "recipients", "new", True)],
            ("email",),
            ("customer", "subscriber"),
            id="concerns-everyone",
        ),
        pytest.param(
            [Change("sources_added", "a.sources", "new", False, ("customer",))],
            ("email",),
            (),
            id="not-material",
        ),
        pytest.param(
            [Change("recipient_added", "a.recipients", "new", True, ("customer",))],
            ("website",),
            (),
            id="no-email-promised",
        ),
    ],
)
def test_who_a_change_concerns(
    changes: list[Change], channels: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    version = _version(changes, channels)
    assert concerned_subjects(version, {"customer", "subscriber"}) == expected


def test_each_person_is_told_in_the_language_of_their_row(
    company: tuple[Callable[[], Varna], Path, Path, Inbox],
) -> None:
    service, demo, register, inbox = company
    with sqlite3.connect(demo / "data" / "crm.db") as conn:
        conn.execute("ALTER TABLE customers ADD COLUMN lang TEXT")
        conn.execute("UPDATE customers SET lang = CASE WHEN id % 2 = 0 THEN 'en' ELSE 'xx' END")
        english = {
            str(e).strip().lower()
            for (e,) in conn.execute("SELECT email FROM customers WHERE id % 2 = 0 AND email <> ''")
        }
    edit(
        register,
        "        restriction_column: restricted\n        # Deleted on erasure.",
        "        restriction_column: restricted\n        language_column: lang\n"
        "        # Deleted on erasure.",
    )
    publish_change(service, register).notify_policy_change(now=NOW, execute=True)
    by_lang = {str(m["To"]).lower(): m["Content-Language"] for m in inbox.messages}
    assert english  # the table has rows in English
    assert {a for a, lang in by_lang.items() if lang == "en"} == english
    assert set(by_lang.values()) == {"en", "sv"}  # 'xx' is no language we write: the default
    [sample] = [m for m in inbox.messages if m["Content-Language"] == "en"][:1]
    assert "new recipients" in sample.get_content()


class Refusing(Inbox):
    """An inbox whose server refuses the recipients in ``refused`` (550), as a full mailbox."""

    def __init__(self) -> None:
        super().__init__()
        self.refused: set[str] = set()

    async def handle_RCPT(
        self, server: object, session: object, envelope: Envelope, address: str, options: object
    ) -> str:
        if address.lower() in self.refused:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_refused_address_is_told_when_the_run_is_resumed(
    demo_company: Callable[[int], Path],
) -> None:
    demo = demo_company(20)
    inbox = Refusing()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    made: list[Varna] = []
    try:

        def service() -> Varna:
            made.append(Varna(Settings(smtp_url=f"smtp://127.0.0.1:{port}")))
            return made[-1]

        register = Settings().register_file
        mark_customers(register)
        varna = publish_change(service, register)
        addresses = customer_addresses(demo)
        unlucky = sorted(addresses)[-1]
        inbox.refused.add(unlucky)
        first = varna.notify_policy_change(now=NOW, execute=True)
        assert (first.sent, first.failed) == (len(addresses) - 1, 1)
        assert unlucky not in {str(m["To"]).lower() for m in inbox.messages}
        inbox.refused.clear()
        resumed = service().notify_policy_change(now=NOW, execute=True)
        assert (resumed.sent, resumed.told_before) == (1, len(addresses) - 1)
        assert [str(m["To"]).lower() for m in inbox.messages].count(unlucky) == 1
    finally:
        controller.stop()
        for varna in made:
            varna.close()


@pytest.mark.parametrize(
    ("to", "taken"),
    [
        pytest.param("ok@example.org", True, id="taken"),
        pytest.param("full@example.org", False, id="refused"),
    ],
)
def test_one_message_refused_is_an_error_naming_the_server_not_the_address(
    to: str, taken: bool
) -> None:
    from email.message import EmailMessage

    from varna.errors import ConnectorError
    from varna.mail.smtp import SmtpMailer

    inbox = Refusing()
    inbox.refused.add("full@example.org")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "a@example.org", to, "x"
        message.set_content("x")
        mailer = SmtpMailer(f"smtp://127.0.0.1:{port}")
        if taken:
            mailer.send(message)
            assert len(inbox.messages) == 1
        else:
            with pytest.raises(ConnectorError, match="refused") as caught:
                mailer.send(message)
            assert to not in str(caught.value)
            assert mailer.send_many([message, message]) == [False, False]
    finally:
        controller.stop()
