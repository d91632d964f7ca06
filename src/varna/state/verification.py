"""One-time codes and the requester's sealed contact details in Varna's state.

Each write is one transaction. Issuing a code counts the codes of the address and of the client
in the last hour in the same transaction that inserts the new one (PostgreSQL: under the
per-person advisory lock on the address's pseudonym), so parallel requests cannot pass the limit
together. Checking a code locks its row (``SELECT ... FOR UPDATE``), so two guesses are counted
one after the other and a code verifies at most once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa

from varna.errors import VerificationError
from varna.state.database import StateDB
from varna.state.locks import lock_subjects
from varna.state.rows import utc_iso
from varna.state.schema import request_answers, request_contacts, requests, verification_codes
from varna.verify.codes import CodePolicy


@dataclass(frozen=True, slots=True)
class Issued:
    """A code stored: its challenge and when it stops working."""

    challenge: str
    request_ref: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Verified:
    """A code that matched: the request it proves the person's control of the address for."""

    challenge: str
    request_ref: str
    channel: str


class CodeStore:
    """Verification codes and sealed contacts in ``state``."""

    def __init__(self, state: StateDB) -> None:
        self._state = state

    def __repr__(self) -> str:
        return f"CodeStore({self._state.where!r})"

    def issue(
        self,
        *,
        challenge: str,
        request_ref: str,
        channel: str,
        address: str,
        client: str,
        code_hash: str,
        now: datetime,
        policy: CodePolicy,
    ) -> Issued:
        """Store a new code unless the address or the client asked for too many this hour."""
        since = utc_iso(now - timedelta(hours=1))
        codes = verification_codes.c
        with self._state.write("issuing a verification code") as conn:
            lock_subjects(conn, [address])
            for column, limit, who in (
                (codes.address, policy.per_address_per_hour, "this address"),
                (codes.client, policy.per_client_per_hour, "this client"),
            ):
                value = address if column is codes.address else client
                count = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(verification_codes)
                    .where(column == value, codes.created_at > since)
                ).scalar_one()
                if count >= limit:
                    raise VerificationError(
                        f"too many codes were asked for {who} in the last hour; try again later",
                        reason="rate_limited",
                        retry_after=3600,
                    )
            expires = now + policy.lifetime
            conn.execute(
                sa.insert(verification_codes).values(
                    id=challenge,
                    request_id=request_ref,
                    channel=channel,
                    address=address,
                    client=client,
                    code_hash=code_hash,
                    created_at=utc_iso(now),
                    expires_at=utc_iso(expires),
                    tries=0,
                )
            )
        return Issued(challenge, request_ref, expires)

    def open_request(self, challenge: str, *, now: datetime) -> str | None:
        """The request of the code ``challenge`` while the code still works (not used, not
        expired), or None: the person holding the challenge may prove themself another way."""
        codes = verification_codes.c
        with self._state.read("reading a verification code") as conn:
            row = conn.execute(
                sa.select(codes.request_id).where(
                    codes.id == challenge, codes.used_at.is_(None), codes.expires_at > utc_iso(now)
                )
            ).one_or_none()
        return None if row is None else str(row.request_id)

    def check(
        self,
        challenge: str,
        *,
        matches: Callable[[str], bool],
        now: datetime,
        policy: CodePolicy,
        on_verified: Callable[[sa.Connection, Verified], None] | None = None,
    ) -> Verified:
        """Check a code against the stored hash (``matches`` compares in constant time); count a
        wrong one; mark a right one used. ``on_verified`` runs in the same transaction."""
        codes = verification_codes.c
        wrong: VerificationError | None = None
        with self._state.write("checking a verification code") as conn:
            row = conn.execute(
                sa.select(
                    codes.request_id,
                    codes.channel,
                    codes.code_hash,
                    codes.expires_at,
                    codes.tries,
                    codes.used_at,
                )
                .where(codes.id == challenge)
                .with_for_update()
            ).one_or_none()
            if row is None:
                raise VerificationError("no such code was sent", reason="unknown")
            if row.used_at is not None:
                raise VerificationError("this code was already used", reason="used")
            if row.expires_at <= utc_iso(now):
                raise VerificationError("the code has expired; ask for a new one", reason="expired")
            if row.tries >= policy.max_tries:
                raise VerificationError("too many wrong codes; ask for a new one", reason="locked")
            if matches(row.code_hash):
                conn.execute(
                    sa.update(verification_codes)
                    .where(codes.id == challenge)
                    .values(used_at=utc_iso(now))
                )
                verified = Verified(challenge, row.request_id, row.channel)
                if on_verified is not None:
                    on_verified(conn, verified)
                return verified
            tries = row.tries + 1
            conn.execute(
                sa.update(verification_codes).where(codes.id == challenge).values(tries=tries)
            )
            left = policy.max_tries - tries
            wrong = VerificationError(
                f"the code is wrong; {left} tr{'y' if left == 1 else 'ies'} left",
                reason="wrong" if left else "locked",
            )
        raise wrong  # after the commit: the counted try stays counted

    def seal_contact_in(
        self, conn: sa.Connection, request_ref: str, sealed: str, *, now: datetime
    ) -> None:
        """Keep the requester's sealed contact details for ``request_ref`` (replacing older), in
        the caller's transaction (the request's receipt, or one of its own)."""
        conn.execute(
            _keep_contact(conn.dialect.name),
            {"request_id": request_ref, "sealed": sealed, "updated_at": utc_iso(now)},
        )

    def contact(self, request_ref: str) -> str | None:
        """The sealed contact details of ``request_ref``, if any."""
        with self._state.read("reading the requester's contact") as conn:
            return conn.execute(
                sa.select(request_contacts.c.sealed).where(
                    request_contacts.c.request_id == request_ref
                )
            ).scalar_one_or_none()

    def forget_contact(self, request_ref: str) -> None:
        """Delete the sealed contact details once they are no longer needed."""
        with self._state.write("forgetting the requester's contact") as conn:
            conn.execute(
                sa.delete(request_contacts).where(request_contacts.c.request_id == request_ref)
            )


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """An answer document kept for download."""

    id: str
    request_ref: str
    filename: str
    media_type: str
    sealed: bytes
    expires_at: datetime
    downloads: int


class AnswerStore:
    """Answers to requests kept (encrypted) for the person to download until they expire."""

    def __init__(self, state: StateDB) -> None:
        self._state = state

    def __repr__(self) -> str:
        return f"AnswerStore({self._state.where!r})"

    def keep(
        self,
        *,
        answer_id: str,
        request_ref: str,
        filename: str,
        media_type: str,
        sealed: bytes,
        now: datetime,
        expires_at: datetime,
    ) -> None:
        """Keep one answer document."""
        with self._state.write("keeping an answer") as conn:
            self.keep_in(
                conn,
                answer_id=answer_id,
                request_ref=request_ref,
                filename=filename,
                media_type=media_type,
                sealed=sealed,
                now=now,
                expires_at=expires_at,
            )

    def keep_in(
        self,
        conn: sa.Connection,
        *,
        answer_id: str,
        request_ref: str,
        filename: str,
        media_type: str,
        sealed: bytes,
        now: datetime,
        expires_at: datetime,
    ) -> None:
        """:meth:`keep` in the caller's transaction (the one that answers the request)."""
        conn.execute(
            sa.insert(request_answers).values(
                id=answer_id,
                request_id=request_ref,
                filename=filename,
                media_type=media_type,
                sealed=sealed,
                created_at=utc_iso(now),
                expires_at=utc_iso(expires_at),
                downloads=0,
            )
        )

    def listing(self, request_ref: str) -> list[StoredAnswer]:
        """The answers of ``request_ref``, without their content, newest first."""
        a = request_answers.c
        with self._state.read("listing answers") as conn:
            rows = conn.execute(
                sa.select(a.id, a.request_id, a.filename, a.media_type, a.expires_at, a.downloads)
                .where(a.request_id == request_ref)
                .order_by(a.created_at.desc())
            ).all()
        return [
            StoredAnswer(
                r.id,
                r.request_id,
                r.filename,
                r.media_type,
                b"",
                datetime.fromisoformat(r.expires_at),
                r.downloads,
            )
            for r in rows
        ]

    def take(
        self,
        answer_id: str,
        *,
        now: datetime,
        on_download: Callable[[sa.Connection, StoredAnswer], None],
    ) -> StoredAnswer:
        """The answer ``answer_id`` for one download: counted, and ``on_download`` (the audit
        event) written in the same transaction. Expired answers are deleted, not given."""
        a = request_answers.c
        with self._state.write("giving an answer") as conn:
            row = conn.execute(
                sa.select(
                    a.id,
                    a.request_id,
                    a.filename,
                    a.media_type,
                    a.sealed,
                    a.expires_at,
                    a.downloads,
                )
                .where(a.id == answer_id)
                .with_for_update()
            ).one_or_none()
            if row is None or row.expires_at <= utc_iso(now):
                if row is not None:
                    conn.execute(sa.delete(request_answers).where(a.id == answer_id))
                gone = True
            else:
                gone = False
                answer = StoredAnswer(
                    row.id,
                    row.request_id,
                    row.filename,
                    row.media_type,
                    bytes(row.sealed),
                    datetime.fromisoformat(row.expires_at),
                    row.downloads + 1,
                )
                conn.execute(
                    sa.update(request_answers)
                    .where(a.id == answer_id)
                    .values(downloads=answer.downloads)
                )
                on_download(conn, answer)
        if gone:
            raise VerificationError(
                "this download has expired or does not exist; ask for the answer again",
                reason="expired",
            )
        return answer

    def replace(
        self, answer_id: str, *, was_media_type: str, media_type: str, sealed: bytes
    ) -> bool:
        """Store the rendered form of a kept answer (its document rendered at first download) in
        place of its data, if no other download did so first; whether this call stored it."""
        a = request_answers.c
        with self._state.write("storing a rendered answer") as conn:
            done = conn.execute(
                sa.update(request_answers)
                .where(a.id == answer_id, a.media_type == was_media_type)
                .values(media_type=media_type, sealed=sealed)
            )
        return bool(done.rowcount)


@dataclass(frozen=True, slots=True)
class Purged:
    """What a purge of the privacy centre's own data deleted."""

    answers: int
    contacts: int
    codes: int

    def as_dict(self) -> dict[str, int]:
        return {"answers": self.answers, "contacts": self.contacts, "codes": self.codes}


def purge_centre_data(state: StateDB, *, now: datetime, codes_kept: timedelta) -> Purged:
    """Delete what the centre no longer needs (GDPR Art. 5(1)(e)): answers past their expiry,
    the sealed contacts of requests that are closed, and codes older than ``codes_kept`` (they
    served their rate limits). One transaction."""
    a, c, v = request_answers.c, request_contacts.c, verification_codes.c
    with state.write("purging the privacy centre's data") as conn:
        answers = conn.execute(sa.delete(request_answers).where(a.expires_at <= utc_iso(now)))
        closed = sa.select(requests.c.id).where(requests.c.closed_at.is_not(None))
        contacts = conn.execute(sa.delete(request_contacts).where(c.request_id.in_(closed)))
        codes = conn.execute(
            sa.delete(verification_codes).where(v.created_at <= utc_iso(now - codes_kept))
        )
    return Purged(int(answers.rowcount), int(contacts.rowcount), int(codes.rowcount))


@cache
def _keep_contact(dialect: str) -> sa.Executable:
    """One statement that keeps a request's sealed contact, replacing the one kept before
    (built at first use: the dialects' modules are not imported at start-up)."""
    from sqlalchemy.dialects import postgresql, sqlite

    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(request_contacts).values(
        request_id=sa.bindparam("request_id"),
        sealed=sa.bindparam("sealed"),
        updated_at=sa.bindparam("updated_at"),
    )
    return stmt.on_conflict_do_update(
        index_elements=[request_contacts.c.request_id],
        set_={"sealed": stmt.excluded.sealed, "updated_at": stmt.excluded.updated_at},
    )
