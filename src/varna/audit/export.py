"""Write the audit log out as JSON lines or CSV, and read such an export back.

An export is what the controller hands to a supervisory authority or an auditor to demonstrate
what was done (GDPR Art. 5(2), Art. 30(4): the record is made available on request). It keeps
``prev_hash`` and ``hash`` so whoever holds the key can verify it away from Varna's database:
``verify_rows((event_row(e) for e in read_export(stream, format=...)), key=key, head=None)``.

Both formats carry the same columns in the same order. In CSV, ``details`` is canonical JSON text
and an empty ``subject`` or ``target`` means none.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal, TextIO

from varna.audit.chain import canonical_json, format_at, parse_at
from varna.audit.models import AuditEvent
from varna.errors import StateError
from varna.spreadsheet import read_cell, safe_row

COLUMNS = ("seq", "at", "actor", "action", "subject", "target", "details", "prev_hash", "hash")
PROGRESS_EVERY = 10_000


def event_row(event: AuditEvent) -> tuple[Any, ...]:
    """The stored form of an event (the row ``verify_rows`` checks)."""
    return (
        event.seq,
        format_at(event.at),
        event.actor,
        event.action,
        event.subject,
        event.target,
        canonical_json(event.details),
        event.prev_hash,
        event.hash,
    )


def _write(
    emit: Callable[[tuple[Any, ...]], object],
    events: Iterable[AuditEvent],
    on_progress: Callable[[int], None] | None,
) -> int:
    count = 0
    for count, event in enumerate(events, start=1):
        emit(event_row(event))
        if on_progress is not None and count % PROGRESS_EVERY == 0:
            on_progress(count)
    if on_progress is not None:
        on_progress(count)
    return count


def write_jsonl(
    stream: TextIO,
    events: Iterable[AuditEvent],
    *,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """One JSON object per line, keys in :data:`COLUMNS` order, ``details`` as an object."""

    def emit(row: tuple[Any, ...]) -> None:
        record = dict(zip(COLUMNS, row, strict=True))
        record["details"] = json.loads(row[6])
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")

    return _write(emit, events, on_progress)


def write_csv(
    stream: TextIO,
    events: Iterable[AuditEvent],
    *,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """A header row and one row per event (RFC 4180 line endings: open with ``newline=""``)."""
    writer = csv.writer(stream)
    writer.writerow(COLUMNS)
    return _write(lambda row: writer.writerow(safe_row(row)), events, on_progress)


def _event(record: dict[str, Any], where: str) -> AuditEvent:
    try:
        details = record["details"]
        return AuditEvent(
            seq=int(record["seq"]),
            at=parse_at(record["at"]),
            actor=record["actor"],
            action=record["action"],
            subject=record["subject"] or None,
            target=record["target"] or None,
            details=json.loads(details) if isinstance(details, str) else details,
            prev_hash=record["prev_hash"],
            hash=record["hash"],
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise StateError(
            f"{where}: not an audit export row ({type(exc).__name__}); expected the columns "
            + ", ".join(COLUMNS)
        ) from exc


def read_export(
    stream: TextIO, *, format: Literal["jsonl", "csv"] = "jsonl"
) -> Iterator[AuditEvent]:
    """Parse an export written by :meth:`AuditLog.export`, in file order."""
    if format == "jsonl":
        for number, line in enumerate(stream, start=1):
            if line.strip():
                try:
                    record = json.loads(line)
                except ValueError as exc:
                    raise StateError(f"line {number}: not JSON") from exc
                yield _event(record, f"line {number}")
    elif format == "csv":
        for number, record in enumerate(csv.DictReader(stream), start=2):
            cells = {k: read_cell(v) if isinstance(v, str) else v for k, v in record.items()}
            yield _event(cells, f"line {number}")
    else:
        raise StateError(f"unknown audit export format {format!r}: use 'jsonl' or 'csv'")
