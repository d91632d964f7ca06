"""Operations of the service: carrying out a request by its reference, keeping its answer for the
person, and telling them.

The identities a request was made with, and how to reach the person, are kept sealed with the
request (:mod:`varna.sealing`) until it is answered, so that whoever carries it out (the privacy
centre at once, a case handler later, a worker on another host) needs only the reference.
``execute_request`` plans a verified request, and carries out an approved one: access and
portability keep the extract or archive for download, erasure keeps its receipt, restriction and
objection are recorded; the person gets an e-mail with the link to the status page.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from varna.core.request_ops import RequestOps
from varna.core.rights_ops import RightsOps
from varna.dsr.requests import SYSTEM, Action, Actor, Assurance, Kind, State
from varna.errors import RequestError, SettingsError, VarnaError, VerificationError

if TYPE_CHECKING:
    from varna.core.moves import RequestStatus
    from varna.dsr.access import AccessResult
    from varna.dsr.found import Conflict, Found
    from varna.mail.maildir import MaildirMailer
    from varna.mail.smtp import SmtpMailer

    Mailer = SmtpMailer | MaildirMailer
    from varna.sealing import Sealer
    from varna.state.database import Transaction
    from varna.state.requests import Also, Step
    from varna.state.verification import AnswerStore, CodeStore, StoredAnswer

ANSWER_LIFETIME = timedelta(days=30)
"""How long an answer can be downloaded: long enough to fetch it, short enough not to keep it."""


@dataclass(frozen=True, slots=True)
class Contact:
    """What is kept sealed with a request: the identities given, where to answer, and what the
    right needs besides (a ground for restriction, corrections for rectification)."""

    identities: tuple[str, ...]
    email: str | None = None
    lang: str = "sv"
    note: str | None = None
    ground: str | None = None
    corrections: tuple[str, ...] = field(default=())
    proven: tuple[str, ...] = field(default=())
    """Identity kinds a verifier proved (:mod:`varna.verify.strength` decides what they unlock)."""

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "identities": list(self.identities),
                "email": self.email,
                "lang": self.lang,
                "note": self.note,
                "ground": self.ground,
                "corrections": list(self.corrections),
                "proven": list(self.proven),
            }
        ).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Contact:
        raw: dict[str, Any] = json.loads(data)
        return cls(
            tuple(raw.get("identities") or ()),
            raw.get("email"),
            str(raw.get("lang") or "sv"),
            raw.get("note"),
            raw.get("ground"),
            tuple(raw.get("corrections") or ()),
            tuple(raw.get("proven") or ()),
        )


DOCUMENT_MEDIA_TYPE = "application/vnd.varna.document+json"
"""The media type of an answer kept as its document model (JSON), rendered to PDF at its first
download: rendering (Typst) is the slowest step of answering, and the request counts as answered
(Art. 12(3)) when its data is kept, not when a PDF exists."""


def _extract_file(result: AccessResult, lang: str) -> tuple[str, str, bytes]:
    """An access's extract as its answer keeps it: file name, media type and the extract's
    document (the PDF is rendered from it at the first download)."""
    from varna.documents import extract_document

    name = "registerutdrag.pdf" if lang == "sv" else "register-extract.pdf"
    return name, DOCUMENT_MEDIA_TYPE, _document_json(extract_document(result))


def _document_json(doc: Any) -> bytes:
    """A :class:`varna.render.document.Document` as JSON (every block tagged with its kind; a
    paragraph of one plain run is written as its text)."""
    from varna.render.document import BulletList, Callout, Paragraph, Section, Table

    written_once: dict[int, dict[str, Any] | str] = {}  # a cell shared by many rows (a label)

    def block(b: Any) -> dict[str, Any] | str:
        if isinstance(b, Paragraph):
            seen = written_once.get(id(b))
            if seen is None:
                seen = written_once[id(b)] = paragraph(b)
            return seen
        return other(b)

    def paragraph(b: Paragraph) -> dict[str, Any] | str:
        spans = b.spans
        if len(spans) == 1 and spans[0].href is None and not spans[0].strong:
            return spans[0].text  # most cells of an extract: one plain run of text
        # the fields of Span, written out: dataclasses.asdict deep-copies, which costs more
        # than the rest of the document on an extract of many rows
        written = [{"text": s.text, "href": s.href, "strong": s.strong} for s in spans]
        return {"kind": "paragraph", "spans": written}

    def other(b: Any) -> dict[str, Any]:
        if isinstance(b, BulletList):
            return {"kind": "list", "items": [block(i) for i in b.items]}
        if isinstance(b, Table):
            rows = [[[block(x) for x in c] for c in row] for row in b.rows]
            return {
                "kind": "table",
                "header": list(b.header),
                "rows": rows,
                "widths": list(b.widths),
                "keep": b.keep,
            }
        if isinstance(b, Callout):
            return {"kind": "callout", "title": b.title, "blocks": [block(x) for x in b.blocks]}
        assert isinstance(b, Section)
        return {
            "kind": "section",
            "title": b.title,
            "anchor": b.anchor,
            "blocks": [block(x) for x in b.blocks],
            "sections": [block(x) for x in b.sections],
        }

    return json.dumps(
        {
            "schema": "varna.document/1",
            "title": doc.title,
            "lang": doc.lang,
            "header": doc.header,
            "meta": [block(m) for m in doc.meta],
            "sections": [block(s) for s in doc.sections],
            "footer": doc.footer,
            "landscape": doc.landscape,
            "contents": doc.contents,
        },
        ensure_ascii=False,
    ).encode()


def _document_from_json(data: bytes) -> Any:
    """The :class:`varna.render.document.Document` that :func:`_document_json` wrote."""
    from varna.render.document import (
        BulletList,
        Callout,
        Document,
        Paragraph,
        Section,
        Span,
        Table,
    )

    def block(raw: dict[str, Any] | str) -> Any:
        if isinstance(raw, str):  # a paragraph of one plain run
            return Paragraph((Span(raw),))
        kind = raw["kind"]
        if kind == "paragraph":
            return Paragraph(tuple(Span(s["text"], s["href"], s["strong"]) for s in raw["spans"]))
        if kind == "list":
            return BulletList(tuple(block(i) for i in raw["items"]))
        if kind == "table":
            return Table(
                tuple(raw["header"]),
                tuple(tuple(tuple(block(x) for x in c) for c in row) for row in raw["rows"]),
                tuple(raw["widths"]),
                bool(raw["keep"]),
            )
        if kind == "callout":
            return Callout(raw["title"], tuple(block(x) for x in raw["blocks"]))
        return Section(
            raw["title"],
            raw["anchor"],
            tuple(block(x) for x in raw["blocks"]),
            tuple(block(x) for x in raw["sections"]),
        )

    raw = json.loads(data)
    return Document(
        title=raw["title"],
        lang=raw["lang"],
        header=raw["header"],
        meta=tuple(block(m) for m in raw["meta"]),
        sections=tuple(block(s) for s in raw["sections"]),
        footer=raw["footer"],
        landscape=bool(raw["landscape"]),
        contents=bool(raw["contents"]),
    )


Dispatcher = Callable[[str], None]
"""Hands a request's reference to background work (procrastinate on PostgreSQL)."""

AUTO_ANSWERED = frozenset({Kind.access, Kind.portability})
"""Rights answered as soon as the person is verified (the answer only shows them their data)."""

WITH_A_WORKER = frozenset({State.approved, State.executing})
"""States in which a dispatched request waits for, or is with, a background worker."""

_ANSWERING_HERE = threading.BoundedSemaphore(4)
"""At most this many requests are answered at once by one door process for waiting callers:
each holds two of the state pool's connections (its execution lock's and a transaction's), so
the pool's 15 always leave room for the other threads' one each (more would deadlock the pool)."""

STALLED_AFTER = timedelta(minutes=5)
"""How long a request may sit ``approved`` or ``executing`` before the workers queue it again."""


class ExecutionOps(RightsOps, RequestOps):
    """Operations: carry out a request by reference; its sealed contact; its answers."""

    dispatcher: Dispatcher | None = None
    """Set by a door that runs background work (``varna.jobs.queue.dispatcher``): requests are
    then carried out by a worker, with retries; unset (SQLite, tests), they are carried out in
    this process when asked."""

    # -- keys, stores and the mailer -------------------------------------------------------------

    def _sealer_key(self, purpose: str) -> bytes:
        from varna.sealing import derive_key

        return derive_key(self.settings.audit_key_bytes(), purpose)

    def _sealer(self, purpose: str) -> Sealer:
        from varna.sealing import Sealer

        return Sealer(self._sealer_key(purpose))

    def _codes(self) -> CodeStore:
        from varna.state.verification import CodeStore

        return CodeStore(self.state)

    def _answers(self) -> AnswerStore:
        from varna.state.verification import AnswerStore

        return AnswerStore(self.state)

    def mailer(self) -> Mailer:
        """The mailer of ``VARNA_SMTP_URL``: an SMTP server, or ``maildir:PATH`` (a folder)."""
        from pathlib import Path

        from varna.mail.maildir import MaildirMailer
        from varna.mail.smtp import SmtpMailer

        url = self.settings.smtp_url
        if url is None:
            raise SettingsError(
                "no mail server: set VARNA_SMTP_URL (e.g. smtp://127.0.0.1:25, or maildir:outbox "
                "for a folder) so Varna can send codes and answers to people"
            )
        value = url.get_secret_value()
        if value.startswith("maildir:"):
            return MaildirMailer(Path(value.removeprefix("maildir:")))
        return SmtpMailer(value)

    def _sender(self) -> str:
        contact = self.register.controller.contact
        return self.settings.mail_from or (contact and contact.email) or "noreply@localhost"

    def _controller_name(self, lang: str) -> str:
        from varna.texts import texts_for

        name = self.register.controller.name
        return name or texts_for(lang).gettext("the controller")

    def _public_url(self) -> str:
        return (self.settings.public_url or "http://127.0.0.1:8000").rstrip("/")

    def status_token(self, ref: str) -> str:
        """The signed token of ``ref``'s status page (the reference and a keyed MAC)."""
        mac = hmac.new(self._sealer_key("status"), ref.encode(), hashlib.sha256)
        return f"{ref}.{mac.hexdigest()[:32]}"

    def _ref_of(self, token: str) -> str:
        ref, _, _ = token.rpartition(".")
        if not ref or not hmac.compare_digest(self.status_token(ref), token):
            raise VerificationError("this status link is not valid", reason="unknown")
        return ref

    # -- the sealed contact ----------------------------------------------------------------------

    def keep_contact(self, ref: str, contact: Contact, *, now: datetime) -> None:
        """Seal the identities and the address of request ``ref`` until it is answered."""
        self._keep(ref, contact, now=now, receipt=False)

    def _keep(self, ref: str, contact: Contact, *, now: datetime, receipt: bool) -> None:
        """:meth:`_keeping` in a transaction of its own, for a request received before."""
        with self.state.write("keeping the requester's contact") as conn:
            self._keeping(contact, now=now, receipt=receipt)(conn, ref)

    def _keeping(self, contact: Contact, *, now: datetime, receipt: bool) -> Also:
        """:meth:`keep_contact` as a hook of the request's receipt (:meth:`receive`'s ``also``),
        so the request and its contact are written in one transaction; ``receipt``: queue the
        person's receipt too (a door that notifies)."""
        sealed = self._sealer("contacts").seal(contact.to_json()).decode()
        codes = self._codes()

        def keep(conn: Transaction, ref: str) -> None:
            codes.seal_contact_in(conn, ref, sealed, now=now)

        return keep

    def _kept_contact(self, ref: str) -> Contact | None:
        """The contact kept with request ``ref``, unsealed; None when its door kept none."""
        sealed = self._codes().contact(ref)
        if sealed is None:
            return None
        return Contact.from_json(self._sealer("contacts").open(sealed.encode()))

    def _contact(self, ref: str) -> Contact:
        contact = self._kept_contact(ref)
        if contact is None:
            raise RequestError(
                f"request {ref}: the identities it was made with are not kept (it was received "
                "by a door that does not keep them); carry it out with the identities, e.g. "
                "varna dsr access --identity KIND=VALUE"
            )
        return contact

    # -- conflicts -------------------------------------------------------------------------------

    def conflicts(self, ref: str, *, now: datetime) -> list[Conflict]:
        """Rows the request's identities reach that name another person's unique identity
        (design §3): left out of every plan, listed for a human to decide. Reads the systems."""
        return list(self._found(self._contact(ref), now=now).conflicts)

    def _found(self, contact: Contact, *, now: datetime, every_column: bool = False) -> Found:
        """The rows the request's identities reach; with ``every_column``, read as an access
        reads them, so that answering it needs no second reading."""
        people = self.parse_identities(list(contact.identities), now=now)
        return self._reached(people, now=now, every_column=every_column)

    def plan(self, ref: str, *, now: datetime, actor: Actor = SYSTEM) -> RequestStatus:
        """Plan a verified request. It waits for a staff member's decision
        (``awaiting_decision``) instead of going ahead when its identities reach a row that
        names another person, or when an erasure or rectification reaches rows through an
        identity its verification did not prove (:mod:`varna.verify.strength`, Art. 12(6));
        otherwise it goes for approval (four-eyes kinds) or is approved."""
        return self._planned(ref, now=now, actor=actor)[0]

    def _planned(
        self, ref: str, *, now: datetime, actor: Actor, found: Found | None = None
    ) -> tuple[RequestStatus, Found | None]:
        """:meth:`plan`, and the rows it found (every column of each for an access, which
        :meth:`execute_request` then answers from them); ``found``: the rows the request's
        receipt read for its identities in this same call (read again when not given)."""
        contact = self._kept_contact(ref)
        if contact is None:  # received by a door that keeps no identities
            return super().plan(ref, now=now, actor=actor), None
        record = self.status(ref).record
        kind = Kind(record.kind)
        if found is None:
            found = self._found(contact, now=now, every_column=kind is Kind.access)
        assurance = Assurance[record.assurance] if record.assurance else None
        steps = self._plan_steps(kind, contact, assurance, found, actor=actor, now=now)
        return self._make(ref, steps, now=now), found

    def _plan_steps(
        self,
        kind: Kind,
        contact: Contact,
        assurance: Assurance | None,
        found: Found,
        *,
        actor: Actor,
        now: datetime,
    ) -> list[Step]:
        """The moves that plan a verified request of ``kind`` whose identities reach ``found``:
        the plan, then its approval or submission for four eyes; or the plan, then a hold for
        a staff member's decision, with the reasons, when a row names another person or an
        identity the verification did not prove reaches rows of an erasure or rectification
        (:mod:`varna.verify.strength`, Art. 12(6))."""
        from varna.verify.strength import proven_kinds, unproven_reach

        given = [text.partition("=")[0].strip() for text in contact.identities]
        proven = proven_kinds(assurance, given, attested=contact.proven)
        unproven = unproven_reach(
            kind, (r.reached_by for r in found.all_rows() if r.theirs), proven=proven
        )
        plan = self._step(Action.plan, actor, now=now)
        if not found.conflicts and not unproven:
            if kind in self.policy.four_eyes:
                return [plan, self._step(Action.submit, actor, now=now)]
            return [plan, self._step(Action.approve, SYSTEM, now=now)]
        notes = []
        if found.conflicts:
            places = sorted({f"{c.system}.{c.table} ({c.kind})" for c in found.conflicts})
            notes.append(f"{len(found.conflicts)} row(s) name another person: {', '.join(places)}")
        if unproven:
            notes.append(unproven.describe(kind=kind, assurance=assurance))
        return [plan, self._step(Action.hold, actor, now=now, reason="; ".join(notes)[:500])]

    def decide(self, ref: str, *, actor: Actor, now: datetime, reason: str) -> RequestStatus:
        """A staff member has looked at the conflicting rows and lets the request go on without
        them (they stay left out); a second staff member then approves it."""
        return self._move(ref, Action.decide, actor, now=now, reason=reason)

    # -- carrying out ---------------------------------------------------------------------------

    def dispatch_request(
        self,
        ref: str,
        *,
        actor: Actor,
        now: datetime,
        wait: float | None = None,
        found: Found | None = None,
    ) -> RequestStatus:
        """Carry request ``ref`` forward: at once in this process, or, with a ``dispatcher``, by
        a background worker (a verified request is planned here first, so four eyes is decided
        by who asked). Returns the request as it stands when this returns, or, with ``wait``
        seconds, once the worker has carried it out (:meth:`await_request`).

        An access or portability request whose caller waits is answered here, as a worker
        would (the same claim, execution lock and moves): it only reads, the caller would hold
        its connection for it anyway, and the rows its plan read a moment ago need not be read
        again in another process. Should it fail, it goes to the queue, which retries it with
        back-off; one left ``approved`` or ``executing`` by a process that died is taken up by
        the workers' periodic :meth:`stalled_requests` check."""
        return self._dispatch(self.status(ref), actor=actor, now=now, wait=wait, found=found)

    def _dispatch(
        self,
        status: RequestStatus,
        *,
        actor: Actor,
        now: datetime,
        wait: float | None = None,
        found: Found | None = None,
        contact: Contact | None = None,
    ) -> RequestStatus:
        """:meth:`dispatch_request` for the request as this call last saw it (``status``),
        and its ``contact`` when this call kept it."""
        ref = status.ref
        if self.dispatcher is None:
            return self._execute(status, actor=actor, now=now, found=found, contact=contact)
        if wait is not None and Kind(status.record.kind) in AUTO_ANSWERED:
            try:
                with _ANSWERING_HERE:
                    return self._execute(status, actor=actor, now=now, found=found, contact=contact)
            except VarnaError:
                status = self.status(ref)
                if State(status.record.state) not in (State.approved, State.failed):
                    raise  # not planned (as a worker's caller would hear too)
                self.dispatcher(ref)  # carried out and failed, visibly: the queue retries it
                return status
        if State(status.record.state) is State.verified:
            status = self._planned(ref, now=now, actor=actor, found=found)[0]
        if State(status.record.state) in (State.approved, State.failed):
            self.dispatcher(ref)
        if wait is not None:
            return self.await_request(ref, seconds=wait)
        return self.status(ref)

    def stalled_requests(self, *, now: datetime, after: timedelta = STALLED_AFTER) -> list[str]:
        """Requests waiting for or with a worker (``approved``, ``executing``) that have not
        moved for ``after``: their job was lost, or the process carrying them out died. A
        worker queues them again (:func:`varna.jobs.queue.build_app`); one still queued or
        running is not run twice (its job's queueing lock and per-request lock)."""
        return self.ledger.requests.stalled([s.value for s in WITH_A_WORKER], before=now - after)

    def _answer_at_once(
        self,
        status: RequestStatus,
        *,
        actor: Actor,
        now: datetime,
        wait: float | None = None,
        found: Found | None = None,
        contact: Contact | None = None,
    ) -> RequestStatus:
        """Answer a verified (or, planned as it was received, approved) access or portability
        request now (the answer only shows the person their own data), by
        :meth:`dispatch_request`; any other request as it stands."""
        if Kind(status.record.kind) in AUTO_ANSWERED and (
            State(status.record.state) in (State.verified, State.approved)
        ):
            return self._dispatch(
                status, actor=actor, now=now, wait=wait, found=found, contact=contact
            )
        return status

    def await_request(
        self,
        ref: str,
        *,
        seconds: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> RequestStatus:
        """Request ``ref`` once a background worker has carried it out, or as it stands after
        ``seconds``: what a door that queued it answers a caller willing to wait (HTTP
        ``Prefer: wait``), instead of the caller asking again and again. Reads one row each
        time, every 2 ms at first and at most every 50 ms."""
        from varna.core.moves import RequestStatus

        deadline = clock() + seconds
        pause = 0.002
        while True:
            status = RequestStatus(self.ledger.requests.get(ref))
            left = deadline - clock()
            if State(status.record.state) not in WITH_A_WORKER or left <= 0:
                return status
            sleep(min(pause, left))
            pause = min(pause * 2, 0.05)

    def execute_request(
        self, ref: str, *, actor: Actor, now: datetime, found: Found | None = None
    ) -> RequestStatus:
        """Carry request ``ref`` as far as it may go now: plan a verified one (approved at once
        unless the kind needs a second staff member), retry a failed one, then carry out an
        approved one, keep its answer for download and tell the person. Returns the request as
        it then stands."""
        return self._execute(self.status(ref), actor=actor, now=now, found=found)

    def _execute(
        self,
        status: RequestStatus,
        *,
        actor: Actor,
        now: datetime,
        found: Found | None = None,
        contact: Contact | None = None,
    ) -> RequestStatus:
        """:meth:`execute_request` for the request as this call last saw it (``status``);
        ``found``: the rows this call read for it, every column of each for an access, which
        answer it when it was planned in this call; ``contact``: the one this call kept."""
        ref = status.ref
        read = found
        if State(status.record.state) is State.verified:
            status, found = self._planned(ref, now=now, actor=actor, found=read)
        elif State(status.record.state) is not State.approved:
            found = None  # rows read before a plan made elsewhere answer nothing
        if State(status.record.state) is State.failed:
            status = self.retry(ref, actor=actor, now=now)
        contact = contact or self._contact(ref)
        if State(status.record.state) is State.executing:
            status = self._left_executing(ref, contact, now=now)
        if State(status.record.state) not in (State.approved, State.executing):
            return status
        kind = Kind(status.record.kind)
        document, answered = self._carry_out(
            kind, contact, ref=ref, actor=actor, now=now, found=found
        )
        if document is not None:
            self._answers().keep(request_ref=ref, **self._answer_row(document, now=now))
        if contact.email:
            self._tell_answered(ref, contact)
        return answered if answered is not None else self.status(ref)

    def _answer_row(self, document: tuple[str, str, bytes], *, now: datetime) -> dict[str, Any]:
        """A stored answer but for its request: ``document`` (file name, media type, content)
        sealed, downloadable for :data:`ANSWER_LIFETIME`."""
        filename, media_type, content = document
        return {
            "answer_id": "va_" + secrets.token_urlsafe(24),
            "filename": filename,
            "media_type": media_type,
            "sealed": self._sealer("answers").seal(content),
            "now": now,
            "expires_at": now + ANSWER_LIFETIME,
        }

    def _answered_at_receipt(
        self, contact: Contact, found: Found, *, actor: Actor, now: datetime
    ) -> list[Step] | None:
        """The moves that answer a new access request in the transaction that receives it,
        keeping the extract's document for the reference the receipt gives it, from the rows
        the receipt read (:meth:`RightsOps._access_at_receipt`); None when the extract cannot
        be made from them (the request is then received and carried out as any other, its
        failure visible on it)."""
        lang = contact.lang

        def keeping(result: AccessResult) -> Also:
            return self._kept_with_answer(_extract_file(result, lang), now=now)

        try:
            return self._access_at_receipt(
                list(contact.identities), found, actor=actor, now=now, lang=lang, answer=keeping
            )
        except VarnaError:
            return None

    def _kept_with_answer(self, document: tuple[str, str, bytes], *, now: datetime) -> Also:
        """``document``, sealed now, kept in the transaction that answers the request the
        hook is given (an answered request always has its download)."""
        row = self._answer_row(document, now=now)
        answers = self._answers()

        def keep(conn: Transaction, ref: str) -> None:
            answers.keep_in(conn, request_ref=ref, **row)

        return keep

    def _left_executing(self, ref: str, contact: Contact, *, now: datetime) -> RequestStatus:
        """Request ``ref`` as it stands once no process carries it out: ``executing`` still if
        the one that claimed it died (carrying it out again resumes it), else as its executor
        left it. Waits while a live executor holds the person's execution lock."""
        from varna.state.locks import execution_lock

        people = self.parse_identities(list(contact.identities), now=now)
        with execution_lock(self.state, self.ledger.pseudonyms(people)):
            return self.status(ref)

    def _carry_out(
        self,
        kind: Kind,
        contact: Contact,
        *,
        ref: str,
        actor: Actor,
        now: datetime,
        found: Found | None = None,
    ) -> tuple[tuple[str, str, bytes] | None, RequestStatus | None]:
        """Carry out the right for request ``ref``: the answer document (file name, media
        type, content) still to keep, if any, and the request as answered (None: read it
        again). An access's or export's document is kept with the answer itself. ``found``:
        an access's rows, read (every column) by its plan a moment before."""
        identities, lang = list(contact.identities), contact.lang
        if kind is Kind.access:
            answered = self.access(
                identities,
                now=now,
                actor=actor,
                lang=lang,
                found=found,
                answer=lambda result: self._kept_with_answer(_extract_file(result, lang), now=now),
            )
            if answered.request is None:  # no open request was answered: keep it apart
                return _extract_file(answered.result, lang), None
            return None, answered.request
        if kind is Kind.portability:
            from varna.dsr.portability import PortableData, export_zip_bytes

            def archive(data: PortableData) -> tuple[str, str, bytes]:
                name = f"dataportabilitet-{now:%Y%m%d}.zip"
                return name, "application/zip", export_zip_bytes(data)

            exported = self.export(
                identities,
                now=now,
                actor=actor,
                answer=lambda data: self._kept_with_answer(archive(data), now=now),
            )
            if exported.request is None:
                return archive(exported.result), None
            return None, exported.request
        if kind is Kind.erasure:
            erased = self.erase(identities, now=now, actor=actor, execute=True)
            name = "raderingskvitto.pdf" if lang == "sv" else "erasure-receipt.pdf"
            receipt = self.erasure_receipt(erased.result, lang=lang, at=now)
            return (name, "application/pdf", receipt), erased.request
        if kind is Kind.restriction:
            from varna.state.restrictions import Ground

            ground = Ground(contact.ground or Ground.accuracy_contested.value)
            restricted = self.restrict(
                identities, ground=ground, now=now, actor=actor, execute=True
            )
            return None, restricted.request
        if kind is Kind.objection:
            return None, self.object(identities, now=now, actor=actor, execute=True).request
        if not contact.corrections:
            raise RequestError(
                "a rectification needs the corrections (FIELD=VALUE); a case handler carries it "
                "out with varna dsr rectify"
            )
        rectified = self.rectify(
            identities, contact.corrections, now=now, actor=actor, execute=True
        )
        return None, rectified.request

    def _rendered_answer(self, answer: StoredAnswer, content: bytes) -> tuple[str, bytes]:
        """The media type and content of a downloaded answer: one kept as its document is
        rendered to PDF now and stored sealed in place of the document, so later downloads get
        the stored PDF."""
        if answer.media_type != DOCUMENT_MEDIA_TYPE:
            return answer.media_type, content
        from varna.render.writers import to_pdf

        pdf = to_pdf(_document_from_json(content))
        self._answers().replace(
            answer.id,
            was_media_type=DOCUMENT_MEDIA_TYPE,
            media_type="application/pdf",
            sealed=self._sealer("answers").seal(pdf),
        )
        return "application/pdf", pdf

    def _tell_answered(self, ref: str, contact: Contact) -> None:
        from varna.mail.messages import answered_message

        assert contact.email is not None
        link = f"{self._public_url()}/{contact.lang}/requests/{self.status_token(ref)}"
        self.mailer().send(
            answered_message(
                to=contact.email,
                sender=self._sender(),
                controller=self._controller_name(contact.lang),
                reference=ref,
                link=link,
                lang=contact.lang,
            )
        )
