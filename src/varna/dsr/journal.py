"""The erasure journal: what a started erasure still has to do, so a re-run after a crash
finishes it.

Before the first system is touched, the whole plan (row keys and the values each field gets) is
written to ``<folder>/<request id>.json``. Each system is then bracketed: it is marked *intended*
together with its intent audit event before its transaction starts, and *done* together with its
outcome audit event after it commits; the entry is removed when every system is done. A re-run
of the same request finds the entry and applies the rest of that plan first: rows found through
a system that is already erased (an e-mail address now hashed) are still reached, and nothing is
done twice because every action sets fixed values or deletes by primary key. Files are replaced
atomically (temporary file, fsync, rename) and readable only by their owner: they hold row keys
and erased values, the same as the systems themselves.

:class:`StateErasureJournal` keeps the same entries in Varna's state database instead, which is
what the service uses: with the state on PostgreSQL every worker sees every unfinished erasure,
and a mark and its audit event are one transaction (:meth:`AuditLog.append_at_commit`), so a
crash can never leave a system marked done without its outcome in the log, or the reverse. The
file journal can only append the event after writing the file (tests and tools without a state
database).

Whoever works on a request holds its claim (:meth:`ErasureJournal.claim`) from reading the journal
to closing it: two simultaneous erasures of one person run one after the other, and the second
finds the first's work done instead of recording every system again.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from varna.audit.log import AuditLog
from varna.audit.models import NewEvent
from varna.dsr.erasure import ErasurePlan, Fate, KeptReason, RowErasure
from varna.dsr.holds import HoldCite
from varna.dsr.identity import Identity
from varna.dsr.values import decode_value, encode_value
from varna.errors import RequestError
from varna.state.database import StateDB, Transaction
from varna.state.journal import JournalStore

VERSION = 1
Change = Callable[[dict[str, Any]], None]


def _row(r: RowErasure) -> dict[str, Any]:
    return {
        "system": r.system,
        "table": r.table,
        "key": {k: encode_value(v) for k, v in r.key.items()},
        "fate": r.fate.value,
        "changes": {k: encode_value(v) for k, v in r.changes.items()},
        "kept": list(r.kept),
        "holds": [
            [h.hold, h.until.isoformat() if h.until else None, h.ground, h.statute] for h in r.holds
        ],
        "reason": r.reason,
        "kept_reason": r.kept_reason.value if r.kept_reason else None,
        "shared_with": r.shared_with,
    }


def _unrow(d: dict[str, Any]) -> RowErasure:
    holds = tuple(
        HoldCite(h, date.fromisoformat(u) if u else None, g, s) for h, u, g, s in d["holds"]
    )
    return RowErasure(
        d["system"],
        d["table"],
        {k: decode_value(v) for k, v in d["key"].items()},
        Fate(d["fate"]),
        {k: decode_value(v) for k, v in d["changes"].items()},
        tuple(d["kept"]),
        holds,
        d["reason"],
        kept_reason=KeptReason(d["kept_reason"]) if d.get("kept_reason") else None,
        shared_with=int(d.get("shared_with", 0)),
    )


class ErasureJournal:
    """Unfinished erasures, one JSON file per request, in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __repr__(self) -> str:
        return f"ErasureJournal({str(self.folder)!r})"

    def _path(self, request_id: str) -> Path:
        return self.folder / f"{request_id}.json"

    def _write(self, request_id: str, data: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(prefix=".journal.", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self._path(request_id))
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def _read(self, request_id: str) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = json.loads(self._path(request_id).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise RequestError(
                f"erasure journal {self._path(request_id)} cannot be read ({type(exc).__name__}); "
                "restore it from a backup or remove it after checking the systems by hand"
            ) from exc
        if data.get("version") != VERSION:
            raise RequestError(f"erasure journal {self._path(request_id)} has an unknown version")
        return data

    def start(self, plan: ErasurePlan) -> None:
        """Record ``plan`` before anything is changed (a no-op if it is already recorded)."""
        if self._read(plan.request_id) is None:
            self._write(
                plan.request_id,
                {
                    "version": VERSION,
                    "created_at": plan.created_at.isoformat(),
                    "rows": [_row(r) for r in plan.rows],
                    "intended": [],
                    "done": [],
                },
            )

    def pending(self, request_id: str, identities: Sequence[Identity]) -> ErasurePlan | None:
        """The unfinished plan of this request, if a run stopped before it ended."""
        data = self._read(request_id)
        if data is None:
            return None
        rows = tuple(_unrow(r) for r in data["rows"])
        created = datetime.fromisoformat(data["created_at"])
        return ErasurePlan(created, request_id, tuple(identities), rows)

    def done(self, request_id: str) -> set[str]:
        """Systems whose erasure committed and was recorded."""
        data = self._read(request_id)
        return set(data["done"]) if data else set()

    def intended(self, request_id: str) -> set[str]:
        """Systems whose intent was recorded (done or not)."""
        data = self._read(request_id)
        return set(data.get("intended", [])) if data else set()

    @contextmanager
    def claim(self, request_id: str) -> Iterator[None]:
        """Work on this request alone until the block ends (an ``flock`` in the folder,
        released if the process dies)."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = hashlib.sha256(request_id.encode()).hexdigest()[:16]
        with (self.folder / f".claim-{name}.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def mark_intended(
        self,
        request_id: str,
        system: str,
        *,
        audit: AuditLog | None = None,
        events: Sequence[NewEvent] = (),
    ) -> None:
        """Record that ``system`` is about to change, with its intent ``events``."""
        self._change(request_id, _add_to("intended", system), audit=audit, events=events)

    def mark_done(
        self,
        request_id: str,
        system: str,
        *,
        audit: AuditLog | None = None,
        events: Sequence[NewEvent] = (),
    ) -> None:
        """Record that ``system``'s transaction committed, with its outcome ``events``."""
        self._change(request_id, _add_to("done", system), audit=audit, events=events)

    def _change(
        self,
        request_id: str,
        change: Change,
        *,
        audit: AuditLog | None,
        events: Sequence[NewEvent],
    ) -> None:
        data = self._read(request_id)
        if data is not None:
            change(data)
            self._write(request_id, data)
        if audit is not None and events:
            audit.append_many(events)

    def finish(self, request_id: str) -> None:
        self._path(request_id).unlink(missing_ok=True)

    def mark_stopped(self, request_id: str, record: dict[str, Any]) -> None:
        """Record why the erasure stopped (error code, system, table, constraint: no data)."""
        self._change(request_id, _set("stopped", record), audit=None, events=())

    def stopped(self, request_id: str) -> dict[str, Any] | None:
        """Why the unfinished erasure stopped, if a run recorded it."""
        data = self._read(request_id)
        found = data.get("stopped") if data else None
        return dict(found) if isinstance(found, dict) else None

    def entry(self, request_id: str) -> dict[str, Any] | None:
        """The entry without its rows: when it was planned, systems marked, why it stopped."""
        data = self._read(request_id)
        if data is None:
            return None
        return {
            "request": request_id,
            "created_at": data.get("created_at"),
            "rows": len(data.get("rows", [])),
            "intended": list(data.get("intended", [])),
            "done": list(data.get("done", [])),
            "stopped": data.get("stopped"),
        }

    def abandon(
        self, request_id: str, *, audit: AuditLog | None = None, events: Sequence[NewEvent] = ()
    ) -> None:
        """Discard the entry, with the audit ``events`` that record who did it and why."""
        self.finish(request_id)
        if audit is not None and events:
            audit.append_many(events)


def _set(key: str, value: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        data[key] = value

    return change


def _add_to(key: str, system: str) -> Change:
    def change(data: dict[str, Any]) -> None:
        marked = data.setdefault(key, [])
        if system not in marked:
            marked.append(system)

    return change


class StateErasureJournal(ErasureJournal):
    """The same journal in Varna's state database (table ``erasure_journal``, through
    :class:`varna.state.journal.JournalStore`): with the state on PostgreSQL, an erasure
    interrupted in one worker is finished by a re-run in any other."""

    def __init__(self, state: StateDB) -> None:
        self.state = state
        self._store = JournalStore(state)

    def __repr__(self) -> str:
        return f"StateErasureJournal({self.state.where!r})"

    def _write(self, request_id: str, data: dict[str, Any]) -> None:
        self._store.write(request_id, json.dumps(data, ensure_ascii=False))

    def _read(self, request_id: str) -> dict[str, Any] | None:
        body = self._store.read(request_id)
        if body is None:
            return None
        return self._parse(request_id, body)

    @staticmethod
    def _parse(request_id: str, body: str) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(body)
        except ValueError as exc:
            raise RequestError(
                f"erasure journal entry {request_id} cannot be read; check the systems by hand "
                "and delete the entry"
            ) from exc
        if data.get("version") != VERSION:
            raise RequestError(f"erasure journal entry {request_id} has an unknown version")
        return data

    def finish(self, request_id: str) -> None:
        self._store.delete(request_id)

    def abandon(
        self, request_id: str, *, audit: AuditLog | None = None, events: Sequence[NewEvent] = ()
    ) -> None:
        """Discard the entry and write its audit ``events`` in one state transaction."""

        def record(tx: Transaction) -> None:
            if audit is not None and events:
                audit.append_at_commit(tx, events)

        self._store.delete(request_id, record=record)

    @contextmanager
    def claim(self, request_id: str) -> Iterator[None]:
        """Work on this request alone, across processes and hosts (see StateDB.exclusive)."""
        with self.state.exclusive(f"erasure:{request_id}"):
            yield

    def _change(
        self,
        request_id: str,
        change: Change,
        *,
        audit: AuditLog | None,
        events: Sequence[NewEvent],
    ) -> None:
        """The mark and its audit events in one transaction: both are written or neither."""

        def changed(body: str) -> str:
            data = self._parse(request_id, body)
            change(data)
            return json.dumps(data, ensure_ascii=False)

        def record(tx: Transaction) -> None:
            if audit is not None and events:
                audit.append_at_commit(tx, events)

        self._store.update(request_id, changed, record=record)
