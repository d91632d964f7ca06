"""Exports round-trip, and verify away from the database with the key."""

from __future__ import annotations

import io
import json
from typing import Literal

import pytest

from varna.audit import AuditLog
from varna.audit.export import COLUMNS, event_row, read_export
from varna.audit.verifier import verify_rows
from varna.errors import StateError

Format = Literal["jsonl", "csv"]
FORMATS = pytest.mark.parametrize("fmt", ["jsonl", "csv"], ids=["jsonl", "csv"])


def _export(log: AuditLog, fmt: Format, after_seq: int = 0) -> str:
    stream = io.StringIO(newline="")
    count = log.export(stream, format=fmt, after_seq=after_seq)
    text = stream.getvalue()
    assert count == 10 - after_seq
    return text


@FORMATS
def test_export_roundtrip(filled: AuditLog, fmt: Format) -> None:
    text = _export(filled, fmt)
    assert list(read_export(io.StringIO(text, newline=""), format=fmt)) == list(
        filled.iter_events()
    )


@FORMATS
def test_export_verifies_offline(filled: AuditLog, key: bytes, fmt: Format) -> None:
    events = read_export(io.StringIO(_export(filled, fmt), newline=""), format=fmt)
    report = verify_rows((event_row(e) for e in events), key=key, head=filled.head())
    assert report.ok
    assert report.checked == 10


@FORMATS
def test_export_after_seq(filled: AuditLog, fmt: Format) -> None:
    events = list(
        read_export(io.StringIO(_export(filled, fmt, after_seq=7), newline=""), format=fmt)
    )
    assert [e.seq for e in events] == [8, 9, 10]


@FORMATS
def test_edited_export_fails_verification(filled: AuditLog, key: bytes, fmt: Format) -> None:
    text = _export(filled, fmt).replace("kunder-7år", "kunder-8år", 1)
    events = read_export(io.StringIO(text, newline=""), format=fmt)
    report = verify_rows((event_row(e) for e in events), key=key, head=None)
    assert [(f.seq, f.kind) for f in report.findings] == [(1, "changed")]


def test_jsonl_lines_hold_the_columns_in_order(filled: AuditLog) -> None:
    first = _export(filled, "jsonl").splitlines()[0]
    assert first.startswith('{"seq": 1, "at": "2025-01-31T12:00:00.000000+00:00", "actor"')
    assert list(json.loads(first)) == list(COLUMNS)


def test_csv_has_a_header(filled: AuditLog) -> None:
    assert _export(filled, "csv").splitlines()[0] == ",".join(COLUMNS)


def test_export_reports_progress(filled: AuditLog) -> None:
    seen: list[int] = []
    filled.export(io.StringIO(), on_progress=seen.append)
    assert seen == [10]


@pytest.mark.parametrize(
    ("fmt", "text", "message"),
    [
        ("jsonl", "not json\n", "line 1: not JSON"),
        ("jsonl", '{"seq": 1}\n', "line 1: not an audit export row"),
        ("csv", "seq,at\n1,x\n", "line 2: not an audit export row"),
        ("xml", "", "unknown audit export format"),
    ],
    ids=["jsonl-garbage", "jsonl-missing-columns", "csv-missing-columns", "unknown-format"],
)
def test_read_export_errors(fmt: Format, text: str, message: str) -> None:
    with pytest.raises(StateError, match=message):
        list(read_export(io.StringIO(text), format=fmt))


def test_export_unknown_format(filled: AuditLog) -> None:
    with pytest.raises(StateError, match="use 'jsonl' or 'csv'"):
        filled.export(io.StringIO(), format="xml")  # type: ignore[arg-type]


def test_csv_export_escapes_formulas_and_reads_back(log: AuditLog, key: bytes) -> None:
    log.append(actor="=cmd|' /C calc'!A0", action="dsr.access.executed", target="+1")
    stream = io.StringIO(newline="")
    log.export(stream, format="csv")
    text = stream.getvalue()
    assert "'=cmd" in text
    assert ",'+1," in text
    events = list(read_export(io.StringIO(text, newline=""), format="csv"))
    assert events == list(log.iter_events())
    report = verify_rows((event_row(e) for e in events), key=key, head=log.head())
    assert report.ok
