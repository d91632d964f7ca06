"""The plain-text writer: one :class:`~varna.render.document.Document` as text for e-mail or a
terminal. Nothing is escaped (plain text runs nothing); headings are underlined, lists bulleted,
and each table row is written as one line of cells joined by `` · ``, under a header line."""

from __future__ import annotations

import textwrap

from varna.render.document import Block, BulletList, Cell, Document, Paragraph, Section, Table

WIDTH = 100


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    lead = indent if first is None else first
    if len(lead) + len(text) <= WIDTH:
        return [(lead + text).rstrip()]
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=lead,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [lead.rstrip()]


def _paragraph(p: Paragraph) -> str:
    return "".join(
        s.text + (f" <{s.href}>" if s.href and s.href != s.text else "") for s in p.spans
    )


def _cell(blocks: Cell) -> str:
    parts = []
    for b in blocks:
        items = b.items if isinstance(b, BulletList) else (b,)
        parts += [_paragraph(item) for item in items]
    return "; ".join(p for p in parts if p)


def _block(b: Block, indent: str) -> list[str]:
    if isinstance(b, Paragraph):
        return _wrap(_paragraph(b), indent)
    if isinstance(b, BulletList):
        return [
            line
            for item in b.items
            for line in _wrap(_paragraph(item), indent + "  ", indent + "* ")
        ]
    if isinstance(b, Table):
        return _table(b, indent)
    return _wrap(b.title, indent) + [
        line for inner in b.blocks for line in _block(inner, indent + "  ")
    ]


def _table(b: Table, indent: str) -> list[str]:
    """Columns padded to line up where the table fits the width, else cells joined by `` · ``."""
    rows = [list(b.header), *([_cell(c) for c in row] for row in b.rows)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(b.header))]
    if len(indent) + sum(widths) + 2 * len(widths) <= WIDTH:
        return [
            indent + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
            for r in rows
        ]
    return [indent + " · ".join(c for c in r if c) for r in rows]


def _section(s: Section, depth: int) -> list[str]:
    heading = s.title
    rule = "=" if depth == 1 else "-" if depth == 2 else ""
    out = ["", heading] + ([rule * len(heading)] if rule else [])
    for b in s.blocks:
        out += ["", *_block(b, "")]
    for sub in s.sections:
        out += _section(sub, depth + 1)
    return out


def to_text(doc: Document) -> str:
    """The document as plain text."""
    out = [doc.title, "#" * len(doc.title)]
    out += [line for p in doc.meta for line in _wrap(_paragraph(p))]
    for s in doc.sections:
        out += _section(s, 1)
    if doc.footer:
        out += ["", doc.footer]
    return "\n".join(out).strip() + "\n"
