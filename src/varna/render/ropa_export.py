"""The Art. 30 record written out: xlsx (openpyxl), csv, and a document for HTML and PDF.

The spreadsheet has one sheet per table of the record, one row per activity, a bold frozen header
row, wrapped text, readable column widths and a filter on every column. The CSV puts both tables in
one file, the first column saying which provision each row meets. The document gives each activity
a table of its own (item, content), which reads better on a page than fourteen columns.
"""

from __future__ import annotations

import csv
import io

# No stubs are pinned for openpyxl (types-openpyxl would fix it).
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from varna.render.document import Block, Document, Section, cell, para, table
from varna.render.ropa import Record, Sheet
from varna.render.wording import Words
from varna.spreadsheet import safe_row

_HEADER_FILL = PatternFill("solid", start_color="E4E8EE", end_color="E4E8EE")
_KEEP_LINES = 40
"""A per-activity table of at most this many lines is kept on one page in the PDF."""
_WRAP = Alignment(wrap_text=True, vertical="top")


def to_xlsx(record: Record) -> bytes:
    """The record as an Excel workbook."""
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    for sheet in record.sheets:
        ws = book.create_sheet(f"{sheet.title} {sheet.article.split()[-1]}"[:31])
        ws.append([c.title for c in sheet.columns])
        for row in sheet.rows:
            ws.append(list(row))
        for index, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        for cells in ws.iter_rows():
            for c in cells:
                c.alignment = _WRAP
                if isinstance(c.value, str) and c.value.startswith("="):
                    c.data_type = "s"  # text from the register, never a formula (CWE-1236)
        for c in ws[1]:
            c.font = Font(bold=True)
            c.fill = _HEADER_FILL
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = ws.dimensions
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
    title = Words(record.lang).gettext("Record of processing activities")
    book.properties.title = f"{title}, {record.controller}" if record.controller else title
    book.properties.creator = "Varna"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(record: Record, *, delimiter: str | None = None) -> str:
    """Both tables in one CSV; the first column names the provision (``artikel 30.1``).

    ``delimiter`` defaults to the one of the record's language (``;`` in Swedish)."""
    w = Words(record.lang)
    titles: list[str] = []
    for sheet in record.sheets:
        titles += [c.title for c in sheet.columns if c.title not in titles]
    out = io.StringIO()
    # Translators: the field separator spreadsheets expect in the language: where the decimal
    # point is a comma (Swedish Excel and LibreOffice), the list and CSV separator is ";".
    sep = delimiter or w.pgettext("CSV field separator", ",")
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
    writer.writerow(safe_row([w.gettext("Article"), *titles]))
    for sheet in record.sheets:
        index = {c.title: i for i, c in enumerate(sheet.columns)}
        for row in sheet.rows:
            cells = [sheet.article, *(row[index[t]] if t in index else "" for t in titles)]
            writer.writerow(safe_row(cells))
    return out.getvalue()


def record_document(record: Record) -> Document:
    """The record as a document: per table a section; items equal for every activity (the
    controller, the DPO, security) once at its start, then per activity a table of the rest."""
    w = Words(record.lang)
    header = [w.gettext("Item"), w.gettext("Content")]
    sections = []
    for n, sheet in enumerate(record.sheets):
        shared = {
            i
            for i in range(1, len(sheet.columns))
            if len(sheet.rows) > 1 and len({row[i] for row in sheet.rows}) == 1
        }
        blocks: list[Block] = [
            para(w.gettext("Letters in brackets refer to {article}.", article=sheet.article))
        ]
        if shared:
            blocks.append(para(w.gettext("Common to all activities:")))
            blocks.append(_items(sheet, sheet.rows[0], sorted(shared), header))
        subsections = tuple(
            Section(row[0], f"art30-{n}-{i}", (_items(sheet, row, keep, header),))
            for i, row in enumerate(sheet.rows)
            for keep in [[j for j in range(1, len(sheet.columns)) if j not in shared]]
        )
        title = f"{sheet.title} ({sheet.article})"
        sections.append(Section(title, f"art30-{n}", tuple(blocks), subsections))
    day = w.date(record.on)
    return Document(
        title=w.gettext("Record of processing activities"),
        lang=record.lang,
        header=record.controller,
        meta=(
            para(
                w.gettext(
                    "{controller} · under Article 30 GDPR · {day}",
                    controller=record.controller,
                    day=day,
                )
            ),
        ),
        sections=tuple(sections),
        footer=w.gettext("Record as of {day}", day=day),
        contents=True,
    )


def _items(sheet: Sheet, row: tuple[str, ...], columns: list[int], header: list[str]) -> Block:
    rows = [
        [cell(sheet.columns[i].title), tuple(para(line) for line in row[i].split("\n"))]
        for i in columns
    ]
    lines = sum(max(row[i].count("\n") + 1, 1) for i in columns)
    return table(header, rows, (1.0, 3.0), keep=lines <= _KEEP_LINES)
