"""CSV cells a spreadsheet will not run as formulas (CSV injection, OWASP; CWE-1236).

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and, in some versions, a tab or carriage return) as a formula: a customer named
``=HYPERLINK("http://...")`` in an extract or an export would run when a case handler opens it.
Every CSV Varna writes for people (exports, data portability, the Art. 30 record, screened
marketing lists, the audit export) passes its cells through :func:`safe_cell`, which puts a
single quote in front of such a text, the usual escape that spreadsheets show as plain text.
A text that already starts with a quote gets one more, so :func:`read_cell` undoes the escape
exactly (the audit export is read back by ``audit verify``).
Numbers are left alone (``-5`` as a number is not a formula); the organisation's own CSV data
files (the CSV connector) are data, not documents, and are written as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = (*TRIGGERS, "'")


def safe_cell(value: Any) -> Any:
    """``value``, with a ``'`` in front when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(_ESCAPED):
        return "'" + value
    return value


def read_cell(text: str) -> str:
    """The value :func:`safe_cell` escaped."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_ESCAPED) else text


def safe_row(values: Iterable[Any]) -> list[Any]:
    """:func:`safe_cell` of every value of a row."""
    return [safe_cell(v) for v in values]


def safe_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """:func:`safe_cell` of every value of a ``csv.DictWriter`` row (keys are the header)."""
    return {k: safe_cell(v) for k, v in row.items()}
