"""Text from the register never runs as a formula in the Art. 30 record's CSV or workbook."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from register.registers import dump, patched
from varna.register import parse_register
from varna.render.ropa import compose_record
from varna.render.ropa_export import to_csv, to_xlsx

FORMULA = '=HYPERLINK("http://evil.example","Klicka")'


def _record():  # type: ignore[no-untyped-def]
    data = patched({"activities.customer_contract.name": {"sv": FORMULA}})
    return compose_record(parse_register(dump(data)), "sv", on=date(2026, 11, 22))


def test_csv_cells_are_escaped() -> None:
    text = to_csv(_record())
    cells = [c for row in csv.reader(io.StringIO(text), delimiter=";") for c in row]
    assert "'" + FORMULA in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]


def test_workbook_cells_are_text() -> None:
    book = load_workbook(io.BytesIO(to_xlsx(_record())))
    found = [
        c
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert found
    assert {c.data_type for c in found} == {"s"}
