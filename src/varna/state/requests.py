"""Data-subject requests in Varna's state: the rows, their moves, and the rows they keep.

The rules of the lifecycle (which move is allowed, by whom) are in :mod:`varna.dsr.requests`;
this module only stores. Every write is one transaction that

1. takes the per-person lock (:func:`~varna.state.locks.lock_subjects`) on the request's
   pseudonyms, then, for a move, the request row (``SELECT ... FOR UPDATE``);
2. asks the caller's ``decide`` hook for the changes, on the row as it is now (so a rule is
   checked against the state no other writer can change meanwhile);
3. writes the row and a ``request_moves`` entry, and runs the caller's ``record`` hook, which
   appends the audit event with ``AuditLog.append_at_commit`` in the same transaction.

The unique partial index ``uq_requests_open`` (one open request per kind and person) is the
last line: a duplicate that slipped past the lock fails rather than being written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa

from varna.errors import RequestError, StateError
from varna.state.database import StateDB
from varna.state.locks import lock_subjects
from varna.state.rows import PinnedRow, insert_missing, iso, pinned, retry_on_conflict
from varna.state.schema import request_moves, request_rows, requests


class RequestTiming(NamedTuple):
    """When a request of which right came in, was closed, and was due (no person)."""

    kind: str
    received_at: datetime
    closed_at: str | None
    due: date


class RequestFigures(NamedTuple):
    """Counts of requests for the console's overview (no person)."""

    per_month: dict[str, int]
    per_kind: dict[str, int]
    closed: list[tuple[date, date, int, int]]
    """(day received, day closed, how many, how many of them in time)."""


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """A request as stored (no identity in clear: pseudonyms only)."""

    ref: str
    kind: str
    state: str
    subject: str
    pseudonyms: tuple[str, ...]
    received_at: datetime
    due: date
    closed_at: str | None = None
    audit_subject: str | None = None
    extended_due: date | None = None
    extension_reason: str | None = None
    assurance: str | None = None
    verified_by: str | None = None
    prepared_by: str | None = None
    approved_by: str | None = None
    reason: str | None = None
    updated_at: str | None = None
    rows: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.ref,
            "kind": self.kind,
            "state": self.state,
            "subject": self.subject,
            "received_at": self.received_at.isoformat(),
            "due": self.due.isoformat(),
            "extended_due": self.extended_due.isoformat() if self.extended_due else None,
            "extension_reason": self.extension_reason,
            "assurance": self.assurance,
            "verified_by": self.verified_by,
            "prepared_by": self.prepared_by,
            "approved_by": self.approved_by,
            "reason": self.reason,
            "closed_at": self.closed_at,
            "rows": self.rows,
        }


@dataclass(frozen=True, slots=True)
class Move:
    """One move a request made: when, what, the state after it, who, and why."""

    seq: int
    at: str
    action: str
    state: str
    actor: str
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "action": self.action,
            "state": self.state,
            "actor": self.actor,
            "note": self.note,
        }


Decide = Callable[[RequestRecord], Mapping[str, Any]]
"""Given the locked row, the columns to change (raise to refuse the move)."""
Record = Callable[[sa.Connection, RequestRecord, RequestRecord | None], None]
"""Called in the transaction with the row after and before the move (the audit)."""
Also = Callable[[sa.Connection, str], None]
"""Called in a receipt's or a move's transaction with the reference of the request received
(or merged into) or moved."""


class Step(NamedTuple):
    """One move of :meth:`RequestStore.move_each`: what :meth:`RequestStore.move` takes."""

    action: str
    at: datetime
    actor: str
    decide: Decide
    note: str | None = None
    record: Record | None = None


_COLUMNS = frozenset(c.name for c in requests.columns) - {"id", "pseudonyms", "subject"}


class RequestStore:
    """Requests, their moves and the rows they keep, in Varna's state database."""

    def __init__(self, state: StateDB) -> None:
        self._state = state

    def __repr__(self) -> str:
        return f"RequestStore({self._state.where!r})"

    def receive(
        self,
        names: Sequence[str],
        *,
        kind: str,
        ref: str,
        at: datetime,
        due: date,
        actor: str,
        audit_subject: str | None = None,
        rows: Sequence[PinnedRow] = (),
        record: Record | None = None,
        also: Also | None = None,
        then: Sequence[Step | Callable[[RequestRecord], Step]] = (),
    ) -> tuple[RequestRecord, bool]:
        """Record a request, or merge into the open one of the same kind and person.

        A merge adds the new pseudonyms and rows and changes nothing else: the open request
        keeps its state, so a duplicate never skips the verification still owed. The bool says
        whether the request is new; ``record`` runs only for a new one. In the same
        transaction (all or none): ``also`` with the request, new or merged into (what its door
        keeps with it), then, for a new one only, the moves ``then`` as :meth:`move_each`
        makes them (a verification its door made as it received it).
        """
        if not names:
            raise StateError("a request needs at least one identity of the person")

        def write() -> tuple[RequestRecord, bool]:
            return self._receive(
                names, kind, ref, at, due, actor, audit_subject, rows, record, also, then
            )

        return retry_on_conflict(write)

    def _receive(
        self,
        names: Sequence[str],
        kind: str,
        ref: str,
        at: datetime,
        due: date,
        actor: str,
        audit_subject: str | None,
        rows: Iterable[PinnedRow],
        record: Record | None,
        also: Also | None = None,
        then: Sequence[Step | Callable[[RequestRecord], Step]] = (),
    ) -> tuple[RequestRecord, bool]:
        with self._state.write("recording a request") as conn:
            lock_subjects(conn, names)
            current = _open(conn, names, kind)
            created = current is None
            rid = ref if current is None else current.ref
            if current is None:
                conn.execute(
                    sa.insert(requests).values(
                        id=rid,
                        kind=kind,
                        subject=names[0],
                        pseudonyms=json.dumps(list(names)),
                        received_at=iso(at),
                        due=due.isoformat(),
                        state="received",
                        audit_subject=audit_subject,
                        updated_at=iso(at),
                    )
                )
            else:
                merged = list(dict.fromkeys([*current.pseudonyms, *names]))
                if len(merged) != len(current.pseudonyms):
                    conn.execute(
                        sa.update(requests)
                        .where(requests.c.id == rid)
                        .values(pseudonyms=json.dumps(merged))
                    )
            kept = insert_missing(
                conn,
                request_rows,
                pinned(rows, "request_id", rid),
                ("request_id", "system", "table_name", "row_key"),
                fresh=created,
            )
            if current is not None:
                result = _get(conn, rid)
                if also is not None:
                    also(conn, result.ref)
                return result, created
            # the request as just written (not read back)
            result = RequestRecord(
                ref=rid,
                kind=kind,
                state="received",
                subject=names[0],
                pseudonyms=tuple(names),
                received_at=datetime.fromisoformat(iso(at)),
                due=due,
                audit_subject=audit_subject,
                updated_at=iso(at),
                rows=kept,
            )
            if record is not None:
                record(conn, result, None)
            if also is not None:
                also(conn, result.ref)
            receipt = Step("receive", at, actor, lambda _: {})  # recorded above
            result = _steps(conn, result, [receipt, *then], moves=0, receipt=True)
        return result, created

    def move(
        self,
        ref: str,
        *,
        action: str,
        at: datetime,
        actor: str,
        decide: Decide,
        note: str | None = None,
        record: Record | None = None,
    ) -> RequestRecord:
        """Make one move of the request ``ref`` (see the module docstring); returns it after."""
        return self.move_each(ref, [Step(action, at, actor, decide, note, record)])

    def move_each(
        self,
        ref: str,
        steps: Sequence[Step | Callable[[RequestRecord], Step]],
        *,
        also: Also | None = None,
    ) -> RequestRecord:
        """Make ``steps`` one after another in one transaction (all or none), each decided on
        the request as the one before left it (a step given as a function is chosen then, from
        the request as it stands); then ``also`` with the request after the last (what its
        answer keeps); returns it after the last."""
        doing = "+".join(s.action if isinstance(s, Step) else "next" for s in steps)
        with self._state.write(f"request move {doing}") as conn:
            names = _names(conn, ref)
            lock_subjects(conn, names)
            current, moves = _get_to_move(conn, ref)
            after = _steps(conn, current, steps, moves=moves)
            if also is not None:
                also(conn, after.ref)
            return after

    def move_open(
        self,
        names: Sequence[str],
        *,
        kind: str,
        action: str,
        at: datetime,
        actor: str,
        decide: Decide,
        note: str | None = None,
        record: Record | None = None,
    ) -> RequestRecord | None:
        """Make a move of the open request of ``kind`` of this person, if there is one."""
        if not names:
            return None
        with self._state.write(f"request move {action}") as conn:
            lock_subjects(conn, names)
            current = _open(conn, names, kind)
            if current is None:
                return None
            before, moves = _get_to_move(conn, current.ref)
            step = Step(action, at, actor, decide, note, record)
            return _steps(conn, before, [step], moves=moves)

    def get(self, ref: str) -> RequestRecord:
        with self._state.read("reading a request") as conn:
            return _get(conn, ref)

    def stalled(self, states: Iterable[str], *, before: datetime) -> list[str]:
        """References of open requests in one of ``states`` not moved since ``before``, the
        oldest first."""
        c = requests.c
        q = (
            sa.select(c.id)
            .where(c.closed_at.is_(None), c.state.in_(list(states)), c.updated_at < iso(before))
            .order_by(c.updated_at)
        )
        with self._state.read("reading stalled requests") as conn:
            return list(conn.scalars(q))

    def find_open(self, names: Sequence[str], kind: str) -> RequestRecord | None:
        with self._state.read("reading open requests") as conn:
            return _open(conn, names, kind)

    def listing(self, *, open_only: bool = True) -> list[RequestRecord]:
        """Requests (the open ones by default), the earliest deadline first."""
        deadline = sa.func.coalesce(requests.c.extended_due, requests.c.due)
        q = sa.select(requests).order_by(deadline, requests.c.received_at)
        if open_only:
            q = q.where(requests.c.closed_at.is_(None))
        counts = sa.select(request_rows.c.request_id, sa.func.count()).group_by(
            request_rows.c.request_id
        )
        if open_only:
            counts = counts.where(
                request_rows.c.request_id.in_(
                    sa.select(requests.c.id).where(requests.c.closed_at.is_(None))
                )
            )
        with self._state.read("listing requests") as conn:
            rows: dict[str, int] = dict(conn.execute(counts).all())
            return [_record(r, rows.get(r["id"], 0)) for r in conn.execute(q).mappings()]

    def queue_page(
        self,
        *,
        open_only: bool = True,
        kind: str | None = None,
        state: str | None = None,
        due_from: date | None = None,
        due_to: date | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[RequestRecord], int]:
        """One page of the queue, the earliest deadline first, filtered in SQL (right, state,
        deadline between ``due_from`` and ``due_to``), and how many requests match in all."""
        c = requests.c
        deadline = sa.func.coalesce(c.extended_due, c.due)
        where: list[sa.ColumnElement[bool]] = []
        if open_only:
            where.append(c.closed_at.is_(None))
        if kind is not None:
            where.append(c.kind == kind)
        if state is not None:
            where.append(c.state == state)
        if due_from is not None:
            where.append(deadline >= due_from.isoformat())
        if due_to is not None:
            where.append(deadline <= due_to.isoformat())
        q = (
            sa.select(requests)
            .where(*where)
            .order_by(deadline, c.received_at, c.id)
            .limit(limit)
            .offset(offset)
        )
        total_q = sa.select(sa.func.count()).select_from(requests).where(*where)
        with self._state.read("listing a page of requests") as conn:
            found = list(conn.execute(q).mappings())
            total = int(conn.execute(total_q).scalar_one())
            ids = [r["id"] for r in found]
            counts: dict[str, int] = {}
            if ids:
                counts = dict(
                    conn.execute(
                        sa.select(request_rows.c.request_id, sa.func.count())
                        .where(request_rows.c.request_id.in_(ids))
                        .group_by(request_rows.c.request_id)
                    ).all()
                )
            return [_record(r, counts.get(r["id"], 0)) for r in found], total

    def figures(self, *, since_month: str) -> RequestFigures:
        """The overview's figures as SQL aggregates (counts per month since ``since_month``
        (``YYYY-MM``) and per right; closed requests per day received and day closed, with
        how many of those were closed in time): the answer grows with days, not requests."""
        c = requests.c
        month = sa.func.substr(c.received_at, 1, 7)
        received_day = sa.func.substr(c.received_at, 1, 10)
        closed_day = sa.func.substr(c.closed_at, 1, 10)
        deadline = sa.func.coalesce(c.extended_due, c.due)
        in_time = sa.case((closed_day <= deadline, 1), else_=0)
        with self._state.read("reading request figures") as conn:
            per_month: dict[str, int] = dict(
                conn.execute(
                    sa.select(month, sa.func.count())
                    .where(c.received_at >= since_month)
                    .group_by(month)
                ).all()
            )
            per_kind: dict[str, int] = dict(
                conn.execute(sa.select(c.kind, sa.func.count()).group_by(c.kind)).all()
            )
            closed = [
                (date.fromisoformat(r), date.fromisoformat(d), int(n), int(ok or 0))
                for r, d, n, ok in conn.execute(
                    sa.select(received_day, closed_day, sa.func.count(), sa.func.sum(in_time))
                    .where(c.closed_at.is_not(None))
                    .group_by(received_day, closed_day)
                )
            ]
        return RequestFigures(per_month, per_kind, closed)

    def timings(self) -> list[RequestTiming]:
        """Every request's right, receipt, closing and deadline that holds, in one query (the
        console's figures; no person)."""
        c = requests.c
        q = sa.select(c.kind, c.received_at, c.closed_at, sa.func.coalesce(c.extended_due, c.due))
        with self._state.read("reading request timings") as conn:
            return [
                RequestTiming(kind, datetime.fromisoformat(at), closed, date.fromisoformat(due))
                for kind, at, closed, due in conn.execute(q)
            ]

    def moves(self, ref: str) -> list[Move]:
        with self._state.read("reading a request's moves") as conn:
            rows = conn.execute(
                sa.select(request_moves)
                .where(request_moves.c.request_id == ref)
                .order_by(request_moves.c.seq)
            ).mappings()
            return [
                Move(r["seq"], r["at"], r["action"], r["state"], r["actor"], r["note"])
                for r in rows
            ]

    def pinned_rows(self, conn: sa.Connection) -> list[tuple[str, str, str]]:
        """(system, table, key JSON) of rows kept for a request not yet answered (the answer
        must show the data as it was asked for)."""
        q = (
            sa.select(request_rows.c.system, request_rows.c.table_name, request_rows.c.row_key)
            .join(requests, requests.c.id == request_rows.c.request_id)
            .where(requests.c.closed_at.is_(None))
        )
        return [(s, t, k) for s, t, k in conn.execute(q)]


def _steps(
    conn: sa.Connection,
    current: RequestRecord,
    steps: Sequence[Step | Callable[[RequestRecord], Step]],
    *,
    moves: int,
    receipt: bool = False,
) -> RequestRecord:
    """Make ``steps`` on the locked request ``current``, whose last move is number ``moves``,
    each decided on it as the one before left it; the request after the last.

    Each step is decided and applied here, then the request is written once (one ``UPDATE``
    of every column the steps changed, to its last value) with its moves (one ``INSERT``),
    and only then are the steps' records made, in order, each with the request before and
    after its own step: a request answered as it is received makes five moves, and each
    statement costs more in the driver than in the database. With ``receipt``, the first
    step is the request's receipt: only its move is written (``current`` is as just
    inserted)."""
    made: list[tuple[Step, RequestRecord, RequestRecord]] = []
    written: dict[str, Any] = {}
    for n, given in enumerate(steps):
        step = given if isinstance(given, Step) else given(current)
        if receipt and n == 0:
            made.append((step, current, current))
            continue
        changes = step.decide(current)
        unknown = set(changes) - _COLUMNS
        if unknown:  # pragma: no cover - a programming error in a decide hook
            raise StateError(f"a request has no column(s) {sorted(unknown)}")
        values = {k: _column_value(v) for k, v in changes.items()}
        values["updated_at"] = iso(step.at)
        after = _moved(current, values)
        made.append((step, current, after))
        written.update(values)
        current = after
    if not made:
        return current
    if written:
        conn.execute(_UPDATE, {"ref": current.ref, **written})
    conn.execute(
        sa.insert(request_moves),
        [
            _move_row(current.ref, moves + n, step, after.state)
            for n, (step, _, after) in enumerate(made, start=1)
        ],
    )
    for step, before, after in made:
        if step.record is not None:
            step.record(conn, after, before)
    return current


_DATES = frozenset({"due", "extended_due"})


def _moved(record: RequestRecord, values: Mapping[str, Any]) -> RequestRecord:
    """``record`` with ``values`` (columns as stored) written over it: the request as the
    database would return it after the ``UPDATE`` that writes them."""
    fields: dict[str, Any] = {
        name: date.fromisoformat(value) if name in _DATES and value else value
        for name, value in values.items()
    }
    return replace(record, **fields)


def _move_row(ref: str, seq: int, step: Step, state: str) -> dict[str, Any]:
    # ``seq`` follows the request's last move as read under its row lock (or the write lock
    # on SQLite): no other move of this request can take the same number meanwhile.
    return {
        "request_id": ref,
        "seq": seq,
        "at": iso(step.at),
        "action": step.action,
        "state": state,
        "actor": step.actor[:200],
        "note": step.note[:500] if step.note else None,
    }


def _column_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "name") and not isinstance(value, str):  # an IntEnum: store its name
        return str(value.name)
    return str(value) if value is not None and not isinstance(value, str | int) else value


def _names(conn: sa.Connection, ref: str) -> list[str]:
    text = conn.scalar(_NAMES, {"ref": ref})
    if text is None:
        raise RequestError(f"no request {ref}: check the reference (varna dsr requests lists them)")
    return list(json.loads(text))


def _get(conn: sa.Connection, ref: str) -> RequestRecord:
    """The request ``ref`` with the number of rows it keeps from retention, in one query."""
    row = conn.execute(_GET, {"ref": ref}).mappings().first()
    if row is None:
        raise RequestError(f"no request {ref}: check the reference (varna dsr requests lists them)")
    return _record(row, int(row["pinned_rows"] or 0))


def _get_to_move(conn: sa.Connection, ref: str) -> tuple[RequestRecord, int]:
    """The request ``ref``, locked for its moves, and the number of its last move."""
    row = conn.execute(_GET_TO_MOVE, {"ref": ref}).mappings().first()
    if row is None:
        raise RequestError(f"no request {ref}: check the reference (varna dsr requests lists them)")
    return _record(row, int(row["pinned_rows"] or 0)), int(row["moves_made"])


# Built once (a request's moves read and write these several times each): a statement built
# anew costs more in SQLAlchemy than the database takes to run it.
_PINNED = (
    sa.select(sa.func.count())
    .select_from(request_rows)
    .where(request_rows.c.request_id == requests.c.id)
    .scalar_subquery()
)
_GET = sa.select(requests, _PINNED.label("pinned_rows")).where(requests.c.id == sa.bindparam("ref"))
_MOVES_MADE = (
    sa.select(sa.func.coalesce(sa.func.max(request_moves.c.seq), 0))
    .where(request_moves.c.request_id == requests.c.id)
    .scalar_subquery()
)
_GET_TO_MOVE = _GET.with_for_update(of=requests).add_columns(_MOVES_MADE.label("moves_made"))
_NAMES = sa.select(requests.c.pseudonyms).where(requests.c.id == sa.bindparam("ref"))
_UPDATE = sa.update(requests).where(requests.c.id == sa.bindparam("ref"))
_OPEN = (
    sa.select(requests.c.id, requests.c.pseudonyms)
    .where(requests.c.closed_at.is_(None), requests.c.kind == sa.bindparam("open_kind"))
    .order_by(requests.c.received_at)
)


def _record(row: sa.RowMapping, count: int) -> RequestRecord:
    return RequestRecord(
        ref=row["id"],
        kind=row["kind"],
        state=row["state"],
        subject=row["subject"],
        pseudonyms=tuple(json.loads(row["pseudonyms"])),
        received_at=datetime.fromisoformat(row["received_at"]),
        due=date.fromisoformat(row["due"]),
        closed_at=row["closed_at"],
        audit_subject=row["audit_subject"],
        extended_due=date.fromisoformat(row["extended_due"]) if row["extended_due"] else None,
        extension_reason=row["extension_reason"],
        assurance=row["assurance"],
        verified_by=row["verified_by"],
        prepared_by=row["prepared_by"],
        approved_by=row["approved_by"],
        reason=row["reason"],
        updated_at=row["updated_at"],
        rows=count,
    )


def _open(conn: sa.Connection, names: Sequence[str], kind: str) -> RequestRecord | None:
    """The open request of ``kind`` whose person has any of ``names``. Open requests are few
    (each is answered within a month), so their pseudonym lists are read and compared here."""
    wanted = set(names)
    rows = conn.execute(_OPEN, {"open_kind": kind}).all()
    for rid, pseudonyms in rows:
        if wanted.intersection(json.loads(pseudonyms)):
            return _get(conn, rid)
    return None
