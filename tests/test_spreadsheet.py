"""CSV cells a spreadsheet would run as formulas are escaped, reversibly."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from varna.spreadsheet import read_cell, safe_cell, safe_record, safe_row


@pytest.mark.parametrize(
    ("value", "written"),
    [
        pytest.param('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")', id="equals"),
        pytest.param("+46701234567", "'+46701234567", id="plus"),
        pytest.param("-2+3", "'-2+3", id="minus"),
        pytest.param("@SUM(A1)", "'@SUM(A1)", id="at"),
        pytest.param("\t=1", "'\t=1", id="tab"),
        pytest.param("\r=1", "'\r=1", id="carriage-return"),
        pytest.param("'=1", "''=1", id="already-quoted"),
        pytest.param("Anna", "Anna", id="plain"),
        pytest.param("a=b", "a=b", id="formula-char-inside"),
        pytest.param("", "", id="empty"),
        pytest.param(-5, -5, id="negative-number"),
        pytest.param(None, None, id="none"),
    ],
)
def test_cells_that_would_run_are_quoted(value: object, written: object) -> None:
    assert safe_cell(value) == written
    assert safe_row([value]) == [written]
    assert safe_record({"c": value}) == {"c": written}
    if isinstance(value, str):
        assert read_cell(str(written)) == value


@given(st.text())
def test_read_cell_undoes_safe_cell(text: str) -> None:
    escaped = safe_cell(text)
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert read_cell(escaped) == text


def test_portability_csv_is_escaped() -> None:
    from varna.dsr.portability import PortableTable, _csv

    table = PortableTable(
        system="crm",
        table="customers",
        columns=("name", "note"),
        rows=({"name": '=HYPERLINK("http://evil")', "note": "ok"},),
    )
    text = _csv(table).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["name", "note"], ['\'=HYPERLINK("http://evil")', "ok"]]
