"""The ``mailbox`` connector: a Maildir, a folder of mbox files, or an IMAP account.

Each mail folder is a table whose rows are messages, with these columns:

- ``uid``: the message's key in its folder (the primary key). Maildir: the file's unique name;
  mbox: a digest of the Message-ID (or of the whole message); IMAP: ``UIDVALIDITY:UID``. None of
  them shows who wrote the message or what it is about;
- ``received``: when the message arrived (Maildir delivery time, IMAP INTERNALDATE, mbox the
  ``Date`` header), naive in UTC: the column a register maps a retention anchor to;
- ``sender``, ``recipients``, ``subject``, ``text``: personal data, read only when a column is
  asked for. ``sender`` is the From address alone and ``recipients`` the To and Cc addresses,
  comma-separated, so a register can name ``sender`` as an e-mail identity and an access or
  erasure request finds the person's messages; ``text`` is every text/plain part and every
  text/html part stripped of markup.

URLs (from the system's environment variable, like every connector's)::

    maildir:PATH        maildir:///abs/path        (folders: INBOX and Maildir++ subfolders)
    mbox:PATH                                      (a folder of mbox files, one per mail folder)
    imaps://USER:PASSWORD@HOST:993/                (IMAP over TLS)
    imap://USER:PASSWORD@HOST:143/?starttls=1      (STARTTLS; ``starttls=0`` only for a test server)

A query ``?move_to=FOLDER`` makes retention move expired messages to that folder instead of
deleting them (seed 004: "tas bort eller flyttas från inkorgen"). Moves are idempotent: a
Maildir move is a rename, an IMAP move is UID MOVE (or COPY, then STORE \\Deleted and UID
EXPUNGE, skipping the copy when the folder already holds the Message-ID), an mbox move skips a
message the target already holds; so a run killed mid-way and run again never duplicates one.

The password never appears in a repr, a log or an error. :meth:`MailboxConnector.texts` yields
(location, text) per message for discovery; the location is ``folder/uid``.
"""

from __future__ import annotations

import contextlib
import email.policy
import hashlib
import imaplib
import mailbox
import re
import ssl
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from varna.connectors import predicates as p
from varna.connectors.base import Key, Row, distinct_values
from varna.connectors.catalog import Column, TableInfo
from varna.connectors.matcher import Matcher
from varna.errors import ConnectorError

COLUMNS = ("uid", "received", "sender", "recipients", "subject", "text")
HEADER_COLUMNS = frozenset({"uid", "received"})
_PARSER_POLICY = email.policy.compat32


@dataclass(frozen=True, slots=True)
class Header:
    """What a folder listing knows of a message without reading it."""

    uid: str
    received: datetime | None


class Store(Protocol):
    """One kind of mail storage: list folders and messages, read one, remove some."""

    def folders(self) -> list[str]: ...

    def headers(self, folder: str) -> list[Header]: ...

    def message(self, folder: str, uid: str) -> Message | None: ...

    def remove(self, folder: str, uids: Sequence[str], *, move_to: str | None) -> int: ...

    def close(self) -> None: ...


def _naive_utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _header_date(message: Message) -> datetime | None:
    raw = message.get("Date")
    if not raw:
        return None
    try:
        return _naive_utc(parsedate_to_datetime(str(raw)))
    except (TypeError, ValueError, IndexError):
        return None


def _digest(message: Message) -> str:
    message_id = str(message.get("Message-ID") or "").strip()
    basis = message_id.encode() if message_id else message.as_bytes()
    return hashlib.sha256(basis).hexdigest()[:24]


class _Stripper(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "tr", "li"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in ("p", "div", "tr", "li"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def strip_html(html: str) -> str:
    """The text of an HTML document, without tags, scripts or styles."""
    stripper = _Stripper()
    stripper.feed(html)
    stripper.close()
    text = re.sub(r"[ \t]+", " ", "".join(stripper.parts))
    return re.sub(r"\s*\n\s*", "\n", text).strip()


def message_text(message: Message) -> str:
    """Every text/plain part, and every text/html part stripped, joined by blank lines."""
    texts: list[str] = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() != "text":
            continue
        if part.get_filename():
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        charset = part.get_content_charset() or "utf-8"
        try:
            body = payload.decode(charset, errors="replace")
        except LookupError:
            body = payload.decode("utf-8", errors="replace")
        subtype = part.get_content_subtype()
        if subtype == "plain":
            texts.append(body.strip())
        elif subtype == "html":
            texts.append(strip_html(body))
    return "\n\n".join(t for t in texts if t)


def _row(header: Header, message: Message | None, columns: Iterable[str]) -> Row:
    row: Row = {}
    for column in columns:
        if column == "uid":
            row[column] = header.uid
        elif column == "received":
            row[column] = header.received
        elif message is None:
            row[column] = None
        elif column == "sender":
            row[column] = parseaddr(str(message.get("From") or ""))[1] or None
        elif column == "recipients":
            found = getaddresses([str(v) for h in ("To", "Cc") for v in message.get_all(h) or []])
            row[column] = ", ".join(a for _, a in found if a) or None
        elif column == "subject":
            row[column] = str(message.get("Subject") or "") or None
        elif column == "text":
            row[column] = message_text(message)
    return row


def _existing(root: Path, system: str, kind: str) -> Path:
    """``root`` if it is a folder, else the error that says which and how to fix it."""
    if not root.is_dir():
        raise ConnectorError(
            f"system '{system}': the {kind} folder '{root.name}' does not exist; fix the path in "
            "the system's connection variable",
            system=system,
            code="missing-folder",
        )
    return root


def _no_folder(system: str, folder: str) -> ConnectorError:
    """The error for a mail folder the mailbox does not have."""
    return ConnectorError(
        f"system '{system}': no mail folder '{folder}'", system=system, table=folder
    )


_FORGET_AFTER = 1_000  # removed messages whose times a Maildir store may still hold


class MaildirStore:
    """A Maildir: INBOX is the root, other folders are its Maildir++ subfolders."""

    def __init__(self, root: Path, *, system: str) -> None:
        self.root = _existing(root, system, "Maildir")
        self.system = system
        self._received: dict[str, dict[str, datetime | None]] = {}
        """When each message listed so far arrived (its file's time), by folder and key: a
        Maildir key names one message for good (its file is renamed with its flags, never
        rewritten), so a listing stats only the messages it has not seen before."""

    def _box(self, folder: str, *, create: bool = False) -> mailbox.Maildir:
        inbox = mailbox.Maildir(self.root, factory=None, create=False)
        if folder == "INBOX":
            return inbox
        if folder not in inbox.list_folders():
            if not create:
                raise _no_folder(self.system, folder)
            return inbox.add_folder(folder)
        return inbox.get_folder(folder)

    def folders(self) -> list[str]:
        inbox = mailbox.Maildir(self.root, factory=None, create=False)
        return ["INBOX", *sorted(inbox.list_folders())]

    def headers(self, folder: str) -> list[Header]:
        box = self._box(folder)
        out, seen = [], self._received.setdefault(folder, {})
        for key in box.iterkeys():
            if key not in seen:
                try:
                    changed = self._path(box, key).stat().st_mtime
                except OSError:
                    continue  # gone since the listing
                seen[key] = _naive_utc(datetime.fromtimestamp(changed, UTC))
            out.append(Header(key, seen[key]))
        if len(seen) > len(out) + _FORGET_AFTER:  # many removed since: forget them
            self._received[folder] = {h.uid: h.received for h in out}
        return out

    @staticmethod
    def _path(box: mailbox.Maildir, key: str) -> Path:
        folder: str = box._path
        name: str = box._lookup(key)  # type: ignore[attr-defined]
        return Path(folder) / name

    def message(self, folder: str, uid: str) -> Message | None:
        box = self._box(folder)
        try:
            return box.get_message(uid)
        except (KeyError, FileNotFoundError):
            return None

    def remove(self, folder: str, uids: Sequence[str], *, move_to: str | None) -> int:
        box = self._box(folder)
        target = self._box(move_to, create=True) if move_to else None
        done = 0
        for uid in uids:
            try:
                source = self._path(box, uid)
            except KeyError:
                continue  # gone already: moved or deleted by an earlier, interrupted run
            try:
                if target is None:
                    source.unlink()
                else:
                    # A rename keeps the unique name, so a second run finds nothing to move.
                    source.rename(Path(target._path) / "cur" / source.name)
            except FileNotFoundError:
                continue
            done += 1
        return done

    def close(self) -> None:
        return None


class MboxStore:
    """A folder of mbox files: ``INBOX`` is the file named so, each other file a folder."""

    def __init__(self, root: Path, *, system: str) -> None:
        self.root = _existing(root, system, "mbox")
        self.system = system

    def _box(self, folder: str, *, create: bool = False) -> mailbox.mbox:
        path = self.root / folder
        if not path.is_file() and not create:
            raise _no_folder(self.system, folder)
        return mailbox.mbox(path, create=create)

    def folders(self) -> list[str]:
        return sorted(f.name for f in self.root.iterdir() if f.is_file() and f.name[0] != ".")

    def _messages(self, folder: str) -> Iterator[tuple[str, Message]]:
        box = self._box(folder)
        try:
            for message in box.itervalues():
                yield _digest(message), message
        finally:
            box.close()

    def headers(self, folder: str) -> list[Header]:
        return [Header(uid, _header_date(m)) for uid, m in self._messages(folder)]

    def message(self, folder: str, uid: str) -> Message | None:
        return next((m for u, m in self._messages(folder) if u == uid), None)

    def remove(self, folder: str, uids: Sequence[str], *, move_to: str | None) -> int:
        wanted = set(uids)
        box = self._box(folder)
        box.lock()
        try:
            picked = [(k, m) for k, m in box.iteritems() if _digest(m) in wanted]
            if move_to:
                target = self._box(move_to, create=True)
                target.lock()
                try:
                    held = {_digest(m) for m in target.itervalues()}
                    for _, message in picked:
                        if _digest(message) not in held:
                            target.add(message)
                    target.flush()
                finally:
                    target.unlock()
                    target.close()
            for key, _ in picked:
                box.remove(key)
            box.flush()
        finally:
            box.unlock()
            box.close()
        return len(picked)

    def close(self) -> None:
        return None


_FETCH = re.compile(rb"UID (\d+)")
_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')


class ImapStore:
    """An IMAP account, over TLS (``imaps``) or STARTTLS (``imap`` with ``starttls=1``)."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        user: str,
        password: str,
        tls: str,
        system: str,
        context: ssl.SSLContext | None = None,
    ) -> None:
        self.system = system
        self._lock = threading.Lock()
        self._caps: set[str] | None = None
        try:
            if tls == "ssl":
                self.imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    host, port, ssl_context=context or ssl.create_default_context()
                )
            else:
                self.imap = imaplib.IMAP4(host, port)
                if tls == "starttls":
                    self.imap.starttls(ssl_context=context or ssl.create_default_context())
            self.imap.login(user, password)
        except (OSError, imaplib.IMAP4.error) as exc:
            with contextlib.suppress(Exception):
                self.imap.shutdown()
            raise ConnectorError(
                f"system '{system}': cannot log in to the IMAP server {host}:{port} "
                f"({type(exc).__name__}); check the host, the port, TLS and the credentials "
                "in the system's connection variable",
                system=system,
                code="imap-login",
            ) from None

    def _check(self, result: tuple[str, Any], what: str, folder: str | None = None) -> Any:
        status, data = result
        if status != "OK":
            where = f" in folder '{folder}'" if folder else ""
            raise ConnectorError(
                f"system '{self.system}': the IMAP server refused {what}{where}",
                system=self.system,
                table=folder,
            )
        return data

    @staticmethod
    def _quote(folder: str) -> str:
        return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def _select(self, folder: str, *, readonly: bool = True) -> str:
        data = self._check(
            self.imap.select(self._quote(folder), readonly=readonly), "SELECT", folder
        )
        validity = self.imap.response("UIDVALIDITY")[1]
        del data
        return (validity[0] or b"0").decode() if validity and validity[0] else "0"

    def folders(self) -> list[str]:
        with self._lock:
            data = self._check(self.imap.list(), "LIST")
        names = []
        for line in data:
            if not isinstance(line, bytes):
                continue
            match = re.match(rb'\((?P<flags>[^)]*)\) (?P<sep>"[^"]*"|NIL) (?P<name>.+)$', line)
            if match and b"\\Noselect" not in match["flags"]:
                names.append(match["name"].decode().strip('"'))
        return sorted(names, key=lambda n: (n != "INBOX", n))

    def headers(self, folder: str) -> list[Header]:
        with self._lock:
            validity = self._select(folder)
            data = self._check(self.imap.uid("FETCH", "1:*", "(UID INTERNALDATE)"), "FETCH", folder)
        out = []
        for item in data:
            line = item[0] if isinstance(item, tuple) else item
            if not isinstance(line, bytes):
                continue
            uid, when = _FETCH.search(line), _INTERNALDATE.search(line)
            if uid is None:
                continue
            received = None
            if when is not None:
                parsed = imaplib.Internaldate2tuple(b'INTERNALDATE "' + when[1] + b'"')
                if parsed is not None:
                    received = datetime(*parsed[:6])  # Internaldate2tuple gives local time
                    received = _naive_utc(received.astimezone())
            out.append(Header(f"{validity}:{uid[1].decode()}", received))
        return out

    def _uid(self, folder: str, uid: str, validity: str) -> str | None:
        wanted, _, number = uid.partition(":")
        return number if wanted == validity and number.isdigit() else None

    def message(self, folder: str, uid: str) -> Message | None:
        with self._lock:
            validity = self._select(folder)
            number = self._uid(folder, uid, validity)
            if number is None:
                return None
            data = self._check(self.imap.uid("FETCH", number, "(BODY.PEEK[])"), "FETCH", folder)
        for item in data:
            if isinstance(item, tuple) and isinstance(item[1], bytes):
                return email.message_from_bytes(item[1], policy=_PARSER_POLICY)
        return None

    def remove(self, folder: str, uids: Sequence[str], *, move_to: str | None) -> int:
        with self._lock:
            if move_to:
                self._ensure(move_to)
            validity = self._select(folder, readonly=False)
            numbers = [n for u in uids if (n := self._uid(folder, u, validity)) is not None]
            if not numbers:
                return 0
            found = self._check(self.imap.uid("SEARCH", "UID", ",".join(numbers)), "SEARCH", folder)
            present = (found[0] or b"").split() if found else []
            if not present:
                return 0
            wanted = b",".join(present).decode()
            if move_to:
                if "MOVE" in self._capabilities():
                    self._check(self.imap.uid("MOVE", wanted, self._quote(move_to)), "MOVE", folder)
                    return len(present)
                self._copy_missing(folder, [n.decode() for n in present], move_to)
            self._check(
                self.imap.uid("STORE", wanted, "+FLAGS.SILENT", r"(\Deleted)"), "STORE", folder
            )
            self._check(self.imap.uid("EXPUNGE", wanted), "UID EXPUNGE", folder)
            return len(present)

    def _capabilities(self) -> set[str]:
        """The capabilities after login (they differ from those announced before it)."""
        if self._caps is None:
            data = self._check(self.imap.capability(), "CAPABILITY")
            self._caps = set((data[0] or b"").decode().upper().split())
        return self._caps

    def _ensure(self, folder: str) -> None:
        """Create ``folder`` unless it exists (without changing the selected folder)."""
        status, _ = self.imap.status(self._quote(folder), "(MESSAGES)")
        if status != "OK":
            self._check(self.imap.create(self._quote(folder)), "CREATE", folder)

    def _copy_missing(self, folder: str, numbers: Sequence[str], move_to: str) -> None:
        """COPY each message unless ``move_to`` already holds its Message-ID (a copy made by a
        run that stopped before its EXPUNGE)."""
        for number in numbers:
            self._select(folder, readonly=False)
            data = self._check(
                self.imap.uid("FETCH", number, "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"),
                "FETCH",
                folder,
            )
            raw = next((i[1] for i in data if isinstance(i, tuple)), b"")
            message_id = email.message_from_bytes(raw).get("Message-ID", "").strip()
            if message_id:
                self._select(move_to)
                hit = self._check(
                    self.imap.uid("SEARCH", "HEADER", "Message-ID", self._quote(message_id)),
                    "SEARCH",
                    move_to,
                )
                self._select(folder, readonly=False)
                if hit and hit[0]:
                    continue
            self._check(self.imap.uid("COPY", number, self._quote(move_to)), "COPY", folder)
        self._select(folder, readonly=False)

    def close(self) -> None:
        with self._lock, contextlib.suppress(OSError, imaplib.IMAP4.error):
            self.imap.logout()


def open_store(url: str, *, name: str, base_dir: Path) -> tuple[Store, str | None]:
    """The store a ``maildir:``, ``mbox:``, ``imap:`` or ``imaps:`` URL names, and its
    ``move_to`` folder (None: retention deletes)."""
    scheme, sep, rest = url.partition(":")
    if not sep:
        raise ConnectorError(
            f"system '{name}': a mailbox URL starts with maildir:, mbox:, imap:// or imaps://",
            system=name,
        )
    rest, _, query = rest.partition("?")
    options = {k: v[-1] for k, v in parse_qs(query).items()}
    move_to = options.get("move_to") or None
    scheme = scheme.lower()
    if scheme in ("maildir", "mbox"):
        path = Path(unquote(rest.removeprefix("//")))
        folder = path if path.is_absolute() else (base_dir / path).resolve()
        store: Store = (MaildirStore if scheme == "maildir" else MboxStore)(folder, system=name)
        return store, move_to
    if scheme in ("imap", "imaps"):
        parts = urlsplit(url)
        if not parts.hostname or not parts.username:
            raise ConnectorError(
                f"system '{name}': an IMAP URL names a user and a host "
                "(imaps://USER:PASSWORD@HOST:993/)",
                system=name,
            )
        starttls = options.get("starttls", "1") not in ("0", "no", "false")
        tls = "ssl" if scheme == "imaps" else ("starttls" if starttls else "none")
        store = ImapStore(
            parts.hostname,
            parts.port or (993 if scheme == "imaps" else 143),
            user=unquote(parts.username),
            password=unquote(parts.password or ""),
            tls=tls,
            system=name,
        )
        return store, move_to
    raise ConnectorError(
        f"system '{name}': unknown mailbox URL scheme '{scheme}' (maildir, mbox, imap, imaps)",
        system=name,
    )


class MailboxConnector:
    """A mail store as a system of tables (folders) of rows (messages)."""

    kind = "mailbox"
    supports_indexes = False

    def __init__(self, store: Store, *, name: str, move_to: str | None = None) -> None:
        self.store = store
        self.name = name
        self.move_to = move_to
        self._lock = threading.RLock()
        # (folder, column) -> uid -> the keys a value of that message's column matches on
        self._match_keys: dict[tuple[str, str], dict[str, frozenset[str]]] = {}

    def __repr__(self) -> str:
        return f"MailboxConnector(name={self.name!r}, store={type(self.store).__name__})"

    # --- the data-subject operations -------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A mail store has no transactions: each call stands on its own."""
        yield

    def _check_table(self, table: str) -> None:
        if table == self.move_to:
            return
        if table not in self.store.folders():
            raise _no_folder(self.name, table)

    def _check_columns(self, table: str, columns: Iterable[str]) -> None:
        unknown = sorted(set(columns) - set(COLUMNS))
        if unknown:
            raise ConnectorError(
                f"system '{self.name}': a mail folder has no column '{unknown[0]}' "
                f"(columns: {', '.join(COLUMNS)})",
                system=self.name,
                table=table,
                column=unknown[0],
            )

    def rows(self, table: str, columns: Sequence[str]) -> Iterator[Row]:
        """Every message of ``table`` as a row of ``columns`` (messages read only if needed)."""
        self._check_columns(table, columns)
        needs_body = not set(columns) <= HEADER_COLUMNS
        for header in self.store.headers(table):
            message = self.store.message(table, header.uid) if needs_body else None
            yield _row(header, message, columns)

    def find(
        self, table: str, column: str, values: Iterable[Any], *, columns: Sequence[str]
    ) -> list[Row]:
        """The messages whose ``column`` holds one of ``values`` (an address matches case-blind,
        alone or among others). Each message is read once per connector for the match: its
        match keys are kept by uid (a uid never names another message: Maildir keys and IMAP
        ``UIDVALIDITY:UID`` are fixed, an mbox uid is a digest), so a request reads only the
        messages it finds, not the whole folder again."""
        self._check_columns(table, [column, *columns])
        wanted = {str(v).casefold() for v in distinct_values(values)}
        if not wanted:
            return []
        with self._lock:
            headers = self.store.headers(table)
            memo = self._match_keys.setdefault((table, column), {})
            present = {h.uid for h in headers}
            for uid in [u for u in memo if u not in present]:
                del memo[uid]
            for header in headers:
                if header.uid not in memo:
                    message = self.store.message(table, header.uid)
                    cell = _row(header, message, [column]).get(column)
                    memo[header.uid] = _match_keys(cell)
            hits = [h for h in headers if memo[h.uid] & wanted]
        needs_body = not set(columns) <= HEADER_COLUMNS
        return [
            _row(h, self.store.message(table, h.uid) if needs_body else None, columns) for h in hits
        ]

    def read(self, table: str, keys: Sequence[Key], *, columns: Sequence[str]) -> list[Row]:
        self._check_columns(table, columns)
        wanted = {str(k["uid"]) for k in keys}
        return [
            _row(h, self.store.message(table, h.uid), columns)
            for h in self.store.headers(table)
            if h.uid in wanted
        ]

    def update(self, table: str, key: Key, values: Mapping[str, Any]) -> int:
        raise ConnectorError(
            f"system '{self.name}': a message cannot be changed, only moved or deleted; "
            "declare the folder with 'erasure: delete_row'",
            system=self.name,
            table=table,
        )

    def delete(self, table: str, key: Key) -> int:
        with self._lock:
            return self.store.remove(table, [str(key["uid"])], move_to=None)

    def close(self) -> None:
        self.store.close()

    # --- introspection ------------------------------------------------------------------------
    def _info(self, table: str) -> TableInfo:
        columns = tuple(
            Column(name=c, type="datetime" if c == "received" else "text", nullable=c != "uid")
            for c in COLUMNS
        )
        return TableInfo(name=table, columns=columns, primary_key=("uid",))

    def list_tables(self) -> list[TableInfo]:
        return [self._info(f) for f in self.store.folders()]

    def describe(self, tables: Iterable[str] | None = None) -> dict[str, TableInfo]:
        present = self.store.folders()
        names = present if tables is None else [t for t in tables if t in present]
        return {t: self._info(t) for t in names}

    def sample(self, table: str, column: str, *, limit: int = 20) -> list[Any]:
        """Up to ``limit`` distinct values of ``column`` (personal data: never log them)."""
        seen: dict[Any, None] = {}
        for row in self.rows(table, [column]):
            if row[column] is not None:
                seen.setdefault(row[column], None)
            if len(seen) >= limit:
                break
        return list(seen)

    def texts(self, folders: Iterable[str] | None = None) -> Iterator[tuple[str, str]]:
        """(location, text) per message, for discovery: ``folder/uid`` and the subject and
        text parts. The location names no sender and no subject."""
        for folder in folders if folders is not None else self.store.folders():
            for row in self.rows(folder, ["uid", "subject", "text"]):
                text = "\n".join(x for x in (row["subject"], row["text"]) if x)
                yield f"{folder}/{row['uid']}", text

    # --- sweeping -----------------------------------------------------------------------------
    def _matching(
        self, table: str, where: p.Predicate | None, exclusions: p.Exclusions | None
    ) -> list[Row]:
        columns = sorted({"uid", "received", *(p.columns_of(where) if where else ())})
        rows = list(self.rows(table, columns))
        if where is None:
            return rows
        matcher = Matcher(lambda t: list(self.rows(t, list(COLUMNS))), exclusions or {})
        return [row for row in rows if matcher.matches(table, row, where)]

    def count(
        self,
        table: str,
        where: p.Predicate | None = None,
        *,
        exclusions: p.Exclusions | None = None,
    ) -> int:
        with self._lock:
            return len(self._matching(table, where, exclusions))

    def keys(
        self,
        table: str,
        where: p.Predicate,
        *,
        primary_key: Sequence[str],
        limit: int,
        exclusions: p.Exclusions | None = None,
    ) -> list[tuple[Any, ...]]:
        with self._lock:
            found = sorted(str(r["uid"]) for r in self._matching(table, where, exclusions))
        return [(uid,) for uid in found[:limit]]

    def delete_batch(
        self,
        table: str,
        where: p.Predicate,
        *,
        primary_key: Sequence[str],
        limit: int,
        exclusions: p.Exclusions | None = None,
    ) -> int:
        """Delete (or move to ``move_to``) up to ``limit`` messages where ``where`` holds."""
        with self._lock:
            uids = [
                k[0]
                for k in self.keys(
                    table, where, primary_key=primary_key, limit=limit, exclusions=exclusions
                )
            ]
            if not uids:
                return 0
            return self.store.remove(table, uids, move_to=self.move_to)

    def update_batch(
        self,
        table: str,
        where: p.Predicate,
        *,
        primary_key: Sequence[str],
        change: p.Change,
        limit: int,
        after: tuple[Any, ...] | None = None,
        exclusions: p.Exclusions | None = None,
    ) -> tuple[int, tuple[Any, ...] | None]:
        self.update(table, {}, {})
        return 0, None


_ADDRESS = re.compile(r"[^\s<>,;\"']+@[^\s<>,;\"']+")


def _addresses(cell: str) -> set[str]:
    return {a.casefold() for a in _ADDRESS.findall(cell)}


def _match_keys(cell: Any) -> frozenset[str]:
    """What a searched value must equal (case-blind) for a cell to match: the whole cell, or
    one of the addresses in it."""
    if cell is None:
        return frozenset()
    return frozenset({str(cell).casefold(), *_addresses(str(cell))})


def build(url: str, *, name: str, base_dir: Path) -> MailboxConnector:
    """The connector factory the registry publishes under the kind ``mailbox``."""
    store, move_to = open_store(url, name=name, base_dir=base_dir)
    return MailboxConnector(store, name=name, move_to=move_to)
