"""The documents Varna renders, one function each: what the CLI and the web app call.

>>> from varna.render import render_policy
>>> rendered = render_policy(register, lang="sv", fmt=PolicyFormat.pdf)   # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from varna.register.model import Register
from varna.render.document import Document
from varna.render.policy import compose_policy
from varna.render.ropa import compose_record
from varna.render.ropa_export import record_document, to_csv, to_xlsx
from varna.render.wording import Lang
from varna.render.writers import to_html, to_markdown, to_pdf, to_typst


class PolicyFormat(StrEnum):
    html = "html"
    md = "md"
    pdf = "pdf"
    typ = "typ"


class RecordFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"
    html = "html"
    pdf = "pdf"


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered document and what the person rendering it should know."""

    content: bytes
    warnings: tuple[str, ...] = ()
    fallbacks: tuple[str, ...] = ()


def write_document(doc: Document, fmt: PolicyFormat) -> bytes:
    """``doc`` in ``fmt`` as bytes (UTF-8 for the text formats)."""
    if fmt is PolicyFormat.pdf:
        return to_pdf(doc)
    writer = {
        PolicyFormat.html: to_html,
        PolicyFormat.md: to_markdown,
        PolicyFormat.typ: to_typst,
    }[fmt]
    return writer(doc).encode("utf-8")


def render_policy(
    register: Register,
    *,
    lang: Lang = "sv",
    fmt: PolicyFormat = PolicyFormat.html,
    on: date | None = None,
) -> Rendered:
    """The privacy policy of ``register`` in ``lang`` and ``fmt``."""
    composition = compose_policy(register, lang, on=on)
    content = write_document(composition.document, fmt)
    return Rendered(content, composition.warnings, composition.fallbacks)


def render_record(
    register: Register,
    *,
    on: date,
    lang: Lang = "sv",
    fmt: RecordFormat = RecordFormat.xlsx,
    delimiter: str | None = None,
) -> Rendered:
    """The Art. 30 record of ``register`` as of ``on``, in ``fmt`` (``delimiter``: for CSV)."""
    record = compose_record(register, lang, on=on)
    if fmt is RecordFormat.xlsx:
        return Rendered(to_xlsx(record))
    if fmt is RecordFormat.csv:
        text = to_csv(record, delimiter=delimiter)
        return Rendered(text.encode("utf-8-sig"))  # the BOM tells Excel it is UTF-8
    doc = record_document(record)
    return Rendered(to_pdf(doc) if fmt is RecordFormat.pdf else to_html(doc).encode("utf-8"))
