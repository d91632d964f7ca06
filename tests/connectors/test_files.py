"""CSV and JSON-lines folders: text values, safe file names, atomic replacement."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from varna.connectors import FilesConnector
from varna.errors import ConnectorError


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "people.csv").write_text(
        "\ufeffid,email,name\n1,a@example.se,Åsa Öberg\n2,,Bo\n", encoding="utf-8"
    )
    (tmp_path / "events.jsonl").write_text(
        '{"id": 1, "who": "a@example.se", "n": 3}\n\n{"id": 2, "who": null, "n": 4}\n',
        encoding="utf-8",
    )
    return tmp_path


@pytest.mark.parametrize(
    "table",
    [
        pytest.param("../people", id="parent"),
        pytest.param("a/b", id="slash"),
        pytest.param("a\\b", id="backslash"),
        pytest.param("..", id="dotdot"),
        pytest.param("a\0b", id="nul"),
    ],
)
def test_table_names_must_be_plain_file_names(folder: Path, table: str) -> None:
    connector = FilesConnector(folder, fmt="csv", name="exports")
    with pytest.raises(ConnectorError, match="plain file name"):
        connector.find(table, "id", ["1"], columns=["id"])


def test_csv_reads_text_and_empty_cells_as_none(folder: Path) -> None:
    connector = FilesConnector(folder, fmt="csv", name="exports")
    rows = connector.find("people", "id", [1, 2], columns=["id", "email", "name"])
    assert rows == [
        {"id": "1", "email": "a@example.se", "name": "Åsa Öberg"},
        {"id": "2", "email": None, "name": "Bo"},
    ]


def test_csv_write_keeps_the_header_and_writes_none_as_empty(folder: Path) -> None:
    connector = FilesConnector(folder, fmt="csv", name="exports")
    with connector.transaction():
        connector.update("people", {"id": 1}, {"email": None})
    text = (folder / "people.csv").read_text(encoding="utf-8")
    assert text.splitlines() == ["id,email,name", "1,,Åsa Öberg", "2,,Bo"]


def test_jsonl_keeps_types(folder: Path) -> None:
    connector = FilesConnector(folder, fmt="jsonl", name="exports")
    with connector.transaction():
        connector.delete("events", {"id": "2"})
        connector.update("events", {"id": 1}, {"who": "x"})
    assert (folder / "events.jsonl").read_text(
        encoding="utf-8"
    ) == '{"id": 1, "who": "x", "n": 3}\n'


def test_a_failed_rename_leaves_the_old_file_and_no_temp_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = (folder / "people.csv").read_bytes()
    connector = FilesConnector(folder, fmt="csv", name="exports")

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)

    def change() -> None:
        with connector.transaction():
            connector.update("people", {"id": 1}, {"name": "X"})

    with pytest.raises(ConnectorError, match="cannot write"):
        change()
    assert (folder / "people.csv").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["events.jsonl", "people.csv"]
    assert connector.find("people", "id", ["1"], columns=["name"]) == [{"name": "Åsa Öberg"}]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("[1, 2]\n", "line 1 is not a JSON object", id="array"),
        pytest.param('{"id": 1}\nnot json\n', "line 2 is not a JSON object", id="garbage"),
    ],
)
def test_jsonl_lines_must_be_objects(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "t.jsonl").write_text(content, encoding="utf-8")
    with pytest.raises(ConnectorError, match=message):
        FilesConnector(tmp_path, fmt="jsonl").find("t", "id", [1], columns=["id"])


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConnectorError, match="no file for table 'orders'"):
        FilesConnector(tmp_path, fmt="csv").find("orders", "id", [1], columns=["id"])
