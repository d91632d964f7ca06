"""The erasure journal: what a started erasure still has to do, so a re-run after a crash
finishes it.

Before the first system is touched, the whole plan (row keys and the values each field gets) is
written to ``<folder>/<request id>.json``; each system is marked done right after its transaction
commits; the file is removed when every system is done. A re-run of the same request finds the
file and applies the rest of that plan first: rows found through a system that is already erased
(an e-mail address now hashed) are still reached, and nothing is done twice because every action
sets fixed values or deletes by primary key. Files are replaced atomically (temporary file,
fsync, rename) and readable only by their owner: they hold row keys and erased values, the same
as the systems themselves.

:class:`StateErasureJournal` keeps the same entries in Varna's state database instead, which is
what the CLI uses: with the state on PostgreSQL every worker sees every unfinished erasure.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from varna.dsr.erasure import ErasurePlan, Fate, RowErasure
from varna.dsr.holds import HoldCite
from varna.dsr.identity import Identity
from varna.dsr.values import decode_value, encode_value
from varna.errors import RequestError
from varna.state.database import StateDB
from varna.state.schema import erasure_journal

VERSION = 1


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
        data = self._read(request_id)
        return set(data["done"]) if data else set()

    def mark_done(self, request_id: str, system: str) -> None:
        data = self._read(request_id)
        if data is not None and system not in data["done"]:
            data["done"].append(system)
            self._write(request_id, data)

    def finish(self, request_id: str) -> None:
        self._path(request_id).unlink(missing_ok=True)


class StateErasureJournal(ErasureJournal):
    """The same journal in Varna's state database (table ``erasure_journal``): with the state
    on PostgreSQL, an erasure interrupted in one worker is finished by a re-run in any other."""

    def __init__(self, state: StateDB) -> None:
        self.state = state

    def __repr__(self) -> str:
        return f"StateErasureJournal({self.state.where!r})"

    def _write(self, request_id: str, data: dict[str, Any]) -> None:
        body = json.dumps(data, ensure_ascii=False)
        table = erasure_journal
        with self.state.write("writing the erasure journal") as conn:
            exists = conn.scalar(
                sa.select(table.c.request_id).where(table.c.request_id == request_id)
            )
            if exists is None:
                conn.execute(sa.insert(table).values(request_id=request_id, body=body))
            else:
                conn.execute(
                    sa.update(table).where(table.c.request_id == request_id).values(body=body)
                )

    def _read(self, request_id: str) -> dict[str, Any] | None:
        table = erasure_journal
        with self.state.read("reading the erasure journal") as conn:
            body = conn.scalar(sa.select(table.c.body).where(table.c.request_id == request_id))
        if body is None:
            return None
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
        table = erasure_journal
        with self.state.write("closing the erasure journal entry") as conn:
            conn.execute(sa.delete(table).where(table.c.request_id == request_id))
