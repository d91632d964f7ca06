"""The mailbox connector on a Maildir, a folder of mbox files and a real IMAP server (Dovecot):
folders as tables, messages as rows, text parts read, sweeps that delete or move, moves that
never duplicate a message when run twice, and no personal data in locations or errors."""

from __future__ import annotations

import imaplib
import itertools
import mailbox
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from connectors.dovecot import Dovecot, running_dovecot
from varna.connectors import predicates as p
from varna.connectors.base import introspection, sweeping
from varna.connectors.mailbox import (
    ImapStore,
    MailboxConnector,
    MaildirStore,
    MboxStore,
    build,
    strip_html,
)
from varna.errors import ConnectorError

CUTOFF = datetime(2024, 6, 1)
OLD = (datetime(2023, 1, 15, 9, 30, tzinfo=UTC), datetime(2023, 3, 1, 12, 0, tzinfo=UTC))
NEW = (datetime(2024, 6, 20, 8, 0, tzinfo=UTC), datetime(2024, 6, 25, 16, 45, tzinfo=UTC))
EXPIRED = p.Before("received", CUTOFF)
SENDERS = ("anna.svensson@example.se", "bo.ek@example.se", "cecilia@example.se", "dan@example.se")


def message(i: int, when: datetime) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"Kund {i} <{SENDERS[i]}>"
    msg["To"] = "support@demo.example"
    msg["Subject"] = f"Ärende {i}: faktura saknas"
    msg["Date"] = when.strftime("%a, %d %b %Y %H:%M:%S +0000")
    msg["Message-ID"] = f"<case-{i}@mail.example>"
    msg.set_content(f"Hej! Mitt personnummer är 19900101-123{i}. Mvh")
    if i == 1:
        msg.add_alternative(
            "<html><style>p{}</style><body><p>Hej <b>support</b></p>"
            "<script>x()</script></body></html>",
            subtype="html",
        )
    return msg


MESSAGES = [(i, when) for i, when in enumerate((*OLD, *NEW))]

_users = itertools.count()


@pytest.fixture(scope="module")
def dovecot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dovecot]:
    with running_dovecot(tmp_path_factory.mktemp("dovecot")) as server:
        yield server


def fill_maildir(root: Path) -> str:
    box = mailbox.Maildir(root, create=True)
    for i, when in MESSAGES:
        entry = mailbox.MaildirMessage(message(i, when))
        entry.set_date(when.timestamp())
        box.add(entry)
    box.close()
    return f"maildir:{root}"


def fill_mbox(root: Path) -> str:
    root.mkdir()
    box = mailbox.mbox(root / "INBOX")
    for i, when in MESSAGES:
        box.add(message(i, when))
    box.close()
    return f"mbox://{root}"


def fill_imap(server: Dovecot) -> str:
    user = f"support{next(_users)}"
    imap = imaplib.IMAP4(server.host, server.port)
    imap.login(user, "imap-test-secret-4711")
    for i, when in MESSAGES:
        status, _ = imap.append(
            "INBOX", None, imaplib.Time2Internaldate(when), message(i, when).as_bytes()
        )
        assert status == "OK"
    imap.logout()
    return server.url(user)


Maker = Callable[[str], MailboxConnector]


@pytest.fixture(params=["maildir", "mbox", "imap"])
def mail(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Maker]:
    """A factory: query string (``?move_to=...`` or "") -> a connector on four messages."""
    opened: list[MailboxConnector] = []
    if request.param == "maildir":
        url = fill_maildir(tmp_path / "mail")
    elif request.param == "mbox":
        url = fill_mbox(tmp_path / "mail")
    else:
        url = fill_imap(request.getfixturevalue("dovecot"))

    def make(query: str = "") -> MailboxConnector:
        joined = url + (("&" + query.lstrip("?")) if "?" in url and query else query)
        connector = build(joined, name="support_mail", base_dir=tmp_path)
        opened.append(connector)
        return connector

    yield make
    for connector in opened:
        connector.close()


def test_folders_rows_and_text(mail: Maker) -> None:
    connector = mail("")
    tables = introspection(connector).list_tables()
    assert [t.name for t in tables] == ["INBOX"]
    assert tables[0].primary_key == ("uid",)
    rows = list(connector.rows("INBOX", ["uid", "received", "sender", "text"]))
    assert sorted(r["received"] for r in rows) == [w.replace(tzinfo=None) for _, w in MESSAGES]
    html = next(r for r in rows if SENDERS[1] in r["sender"])
    assert "Hej support" in html["text"]
    assert "x()" not in html["text"]
    assert "19900101-1231" in html["text"]
    assert set(connector.sample("INBOX", "recipients")) == {"support@demo.example"}


def test_texts_name_folder_and_uid_only(mail: Maker) -> None:
    found = list(mail("").texts())
    assert len(found) == 4
    for location, text in found:
        assert location.startswith("INBOX/")
        assert "@" not in location
        assert "Ärende" not in location
        assert "Kund" not in location
        assert "personnummer" in text
    assert len({location for location, _ in found}) == 4


@pytest.mark.parametrize(
    ("query", "left", "moved"),
    [
        pytest.param("", 2, None, id="delete"),
        pytest.param("?move_to=Arkiv", 2, 2, id="move"),
    ],
)
def test_sweep_expired_twice(mail: Maker, query: str, left: int, moved: int | None) -> None:
    connector = mail(query)
    sweep = sweeping(connector)
    assert sweep.count("INBOX", EXPIRED) == 2
    assert sweep.delete_batch("INBOX", EXPIRED, primary_key=["uid"], limit=1) == 1
    assert sweep.delete_batch("INBOX", EXPIRED, primary_key=["uid"], limit=10) == 1
    assert sweep.delete_batch("INBOX", EXPIRED, primary_key=["uid"], limit=10) == 0
    assert sweep.count("INBOX") == left
    if moved is not None:
        assert sweep.count("Arkiv") == moved
        senders = sorted(r["sender"] for r in connector.rows("Arkiv", ["sender"]))
        assert senders == list(SENDERS[:2])


def test_move_of_a_message_already_moved_does_not_duplicate(mail: Maker) -> None:
    """A run that stopped after moving chose keys it then moves again: nothing is doubled."""
    connector = mail("?move_to=Arkiv")
    keys = [k[0] for k in connector.keys("INBOX", EXPIRED, primary_key=["uid"], limit=10)]
    assert connector.store.remove("INBOX", keys, move_to="Arkiv") == 2
    assert connector.store.remove("INBOX", keys, move_to="Arkiv") == 0
    assert connector.count("Arkiv") == 2
    assert connector.count("INBOX") == 2


def test_imap_copy_then_expunge_skips_a_copy_already_made(dovecot: Dovecot) -> None:
    """Without MOVE: a copy left by a run killed before its EXPUNGE is not copied again."""
    connector = build(fill_imap(dovecot), name="support_mail", base_dir=Path())
    store = connector.store
    try:
        store._caps = set()  # type: ignore[attr-defined]  # the server's MOVE left unused
        keys = [k[0] for k in connector.keys("INBOX", EXPIRED, primary_key=["uid"], limit=10)]
        store._ensure("Arkiv")  # type: ignore[attr-defined]
        # What a run killed between its COPY and its EXPUNGE left behind.
        store._copy_missing(  # type: ignore[attr-defined]
            "INBOX", [k.split(":")[1] for k in keys], "Arkiv"
        )
        assert connector.count("Arkiv") == 2
        assert store.remove("INBOX", keys, move_to="Arkiv") == 2
        assert connector.count("Arkiv") == 2
        assert connector.count("INBOX") == 2
    finally:
        connector.close()


def test_find_by_address(mail: Maker) -> None:
    rows = mail("").find("INBOX", "sender", ["ANNA.svensson@example.se"], columns=["uid"])
    assert len(rows) == 1


def test_find_again_sees_mail_delivered_and_removed_since(mail: Maker) -> None:
    """A connector remembers what it matched by uid: a message delivered after the first find
    is found by the next, and a removed one is no longer returned."""
    connector = mail("")
    recipient = "support@demo.example"
    assert len(connector.find("INBOX", "recipients", [recipient], columns=["uid"])) == 4
    late = message(2, NEW[1])
    del late["From"]
    late["From"] = "Ny Kund <ANNA.Svensson@example.se>"
    del late["Message-ID"]
    late["Message-ID"] = "<case-late@mail.example>"
    deliver(connector, late)
    found = connector.find("INBOX", "sender", ["anna.svensson@example.se"], columns=["uid"])
    assert len(found) == 2
    assert connector.delete("INBOX", found[0]) == 1
    assert len(connector.find("INBOX", "sender", [SENDERS[0]], columns=["uid", "sender"])) == 1
    assert len(connector.find("INBOX", "recipients", [recipient], columns=["uid"])) == 4


def deliver(connector: MailboxConnector, msg: EmailMessage) -> None:
    """Put ``msg`` in the connector's INBOX the way its store receives mail."""
    store = connector.store
    if isinstance(store, ImapStore):
        status, _ = store.imap.append("INBOX", None, None, msg.as_bytes())
        assert status == "OK"
        return
    assert isinstance(store, MaildirStore | MboxStore)
    box: mailbox.Mailbox[Any]
    if isinstance(store, MaildirStore):
        box = mailbox.Maildir(store.root)
    else:
        box = mailbox.mbox(store.root / "INBOX")
    box.add(msg)
    box.close()


def test_update_is_refused(mail: Maker) -> None:
    with pytest.raises(ConnectorError, match="cannot be changed"):
        mail("").update("INBOX", {"uid": "x"}, {"subject": "y"})


def test_imap_wrong_password_names_no_secret(dovecot: Dovecot) -> None:
    url = dovecot.url("someone").replace("imap-test-secret-4711", "wrong-pass-0815")
    with pytest.raises(ConnectorError) as caught:
        build(url, name="support_mail", base_dir=Path())
    assert "wrong-pass-0815" not in str(caught.value)
    assert "support_mail" in str(caught.value)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        pytest.param("pop3://h/x", "unknown mailbox URL scheme", id="scheme"),
        pytest.param("maildir:nowhere", "does not exist", id="missing-maildir"),
        pytest.param("mbox:nowhere", "does not exist", id="missing-mbox"),
        pytest.param("imaps://host.example/", "names a user", id="imap-without-user"),
        pytest.param("nothing", "starts with maildir", id="no-scheme"),
    ],
)
def test_bad_urls(tmp_path: Path, url: str, words: str) -> None:
    with pytest.raises(ConnectorError, match=words):
        build(url, name="support_mail", base_dir=tmp_path)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        pytest.param("<p>a&amp;b</p><script>no()</script><style>p{}</style>c", "a&b\nc", id="tags"),
        pytest.param("plain", "plain", id="no-tags"),
    ],
)
def test_strip_html(html: str, text: str) -> None:
    assert strip_html(html) == text


def test_a_maildir_listing_reads_each_messages_time_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An access request lists the support mailbox: each message's time (its file's) is read
    when the message is first listed, not again for every request."""
    connector = build(fill_maildir(tmp_path / "mail"), name="support_mail", base_dir=tmp_path)
    try:
        first = connector.store.headers("INBOX")
        assert sorted(h.received for h in first) == [
            w.replace(tzinfo=None) for w in sorted((*OLD, *NEW))
        ]
        read: list[str] = []
        stat = Path.stat

        def counted(path: Path, **kwargs: Any) -> Any:
            read.append(path.name)
            return stat(path, **kwargs)

        monkeypatch.setattr(Path, "stat", counted)
        assert connector.store.headers("INBOX") == first
        assert read == []
        deliver(connector, message(3, NEW[1]))
        assert len(connector.store.headers("INBOX")) == len(first) + 1
        assert len(read) == 1
    finally:
        connector.close()
