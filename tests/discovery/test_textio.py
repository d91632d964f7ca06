"""``varna discover text``: JSONL in, spans out; errors name the line, never its text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from varna.cli.app import app

runner = CliRunner()


def _run(tmp_path: Path, lines: list[str], *args: str) -> tuple[int, list[dict[str, object]], str]:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["discover", "text", str(source), "-o", str(out), *args])
    rows = [json.loads(x) for x in out.read_text().splitlines()] if out.exists() else []
    return result.exit_code, rows, result.output


@pytest.mark.parametrize(
    ("record", "spans"),
    [
        (
            {"id": 1, "text": "Ring Åsa på 070-123 45 67", "lang": "sv"},
            [[12, 25, "phone"]],
        ),
        (
            {"id": "x", "text": "😀 mejla anna@exempel.example nu"},
            [[8, 28, "email"]],
        ),
        ({"id": [1, 2], "text": "Inget här. Datum 01/02/2023, version 1.2.3.4"}, []),
        ({"text": "pnr 19850312-1231"}, [[4, 17, "personnummer"]]),
    ],
    ids=["swedish-letters-before", "astral-char-before", "decoys-only", "no-id-uses-line"],
)
def test_spans_are_python_character_offsets(
    tmp_path: Path, record: dict[str, object], spans: list[list[object]]
) -> None:
    code, rows, _ = _run(tmp_path, [json.dumps(record, ensure_ascii=False)])
    assert code == 0
    assert rows[0]["id"] == record.get("id", 1)  # echoed as given; the line number without one
    assert [s[:3] for s in rows[0]["spans"]] == spans  # type: ignore[index]
    text = str(record["text"])
    for start, end, _label, score in rows[0]["spans"]:  # type: ignore[union-attr]
        assert 0 <= start < end <= len(text)
        assert 0 < score <= 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": 1, "text": "pnr 19850312-1231"', "in.jsonl:1: not a JSON object"),
        ('{"id": 1, "body": "pnr 19850312-1231"}', "in.jsonl:1: a record needs a string 'text'"),
    ],
    ids=["broken-json", "no-text-key"],
)
def test_bad_records_are_reported_without_their_text(
    tmp_path: Path, line: str, message: str
) -> None:
    code, _, output = _run(tmp_path, [line])
    assert code == 1
    assert message in output
    assert "19850312" not in output


def test_summary_counts_labels_without_values(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": n, "text": f"pnr 19850312-1231 och tel 070-123 45 6{n}"})
        for n in range(3)
    ]
    code, rows, output = _run(tmp_path, lines, "--labels", "personnummer")
    assert code == 0
    assert len(rows) == 3
    assert "3 records" in output
    assert "personnummer 3" in output
    assert "phone" not in output
    assert "1231" not in output
