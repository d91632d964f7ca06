"""The text interface: JSONL records in, one line of spans per record out.

Input lines are ``{"id": ..., "text": "..."}`` (other keys ignored); output lines are
``{"id": ..., "spans": [[start, end, label, score], ...]}`` with character offsets into the
Python string. Records stream through :func:`varna.discovery.engine.scan_stream`; neither the
text nor a value found in it is kept or written anywhere else.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from varna.discovery.engine import Piece, ScanOptions, scan_stream
from varna.errors import DiscoveryError


@dataclass(frozen=True, slots=True)
class TextScanSummary:
    """What a text scan did: counts only, never values."""

    records: int
    characters: int
    spans_by_label: dict[str, int]


def parse_records(lines: Iterable[str], *, source: str) -> Iterator[Piece]:
    """``(id, text)`` for each JSONL line; blank lines are skipped.

    Raises :class:`DiscoveryError` naming the line number (never its content) for a line that
    is not a JSON object with a string ``text``.
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DiscoveryError(
                f"{source}:{number}: not a JSON object ({exc.msg} at column {exc.colno}); "
                "write one object per line"
            ) from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise DiscoveryError(
                f"{source}:{number}: a record needs a string 'text' (and an 'id'); "
                'write {"id": ..., "text": "..."}'
            )
        yield record.get("id", number), record["text"]


def execute_text_scan(
    source: IO[str],
    sink: IO[str],
    *,
    name: str,
    options: ScanOptions,
    processes: int = 1,
) -> TextScanSummary:
    """Scan every record of ``source`` and write its spans line by line to ``sink``."""
    records = characters = 0
    counts: dict[str, int] = {}
    lengths: deque[int] = deque()  # results come back in input order

    def pieces() -> Iterator[Piece]:
        for identifier, text in parse_records(source, source=name):
            lengths.append(len(text))
            yield identifier, text

    for identifier, findings in scan_stream(pieces(), options, processes=processes):
        records += 1
        characters += lengths.popleft()
        spans = [f.as_span() for f in findings if f.score >= options.min_score]
        for span in spans:
            counts[str(span[2])] = counts.get(str(span[2]), 0) + 1
        sink.write(json.dumps({"id": identifier, "spans": spans}, ensure_ascii=False) + "\n")
    return TextScanSummary(records, characters, dict(sorted(counts.items())))
