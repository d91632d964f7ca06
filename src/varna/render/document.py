"""The intermediate document model every document is composed into before it is written.

A :class:`Document` is sections of blocks (paragraphs, lists, tables, callouts); blocks hold
:class:`Span` runs of plain text, optionally bold or linked. The policy, the Art. 30 record and the
register extract are composed into this model once; the HTML, Markdown and Typst writers turn the
same model into their format, so the three never drift. Text here is plain: each writer escapes it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text: plain, bold, or a link."""

    text: str
    href: str | None = None
    strong: bool = False


Part = str | Span
"""What block builders accept: a string is a plain span."""


def _spans(parts: Sequence[Part]) -> tuple[Span, ...]:
    return tuple(Span(p) if isinstance(p, str) else p for p in parts if p != "")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of spans."""

    spans: tuple[Span, ...]
    kind: ClassVar[str] = "paragraph"

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True, slots=True)
class BulletList:
    """An unordered list; each item is a paragraph."""

    items: tuple[Paragraph, ...]
    kind: ClassVar[str] = "list"


Cell = tuple[Paragraph | BulletList, ...]
"""A table cell: paragraphs and lists."""


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a header row; ``widths`` are relative column widths."""

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    keep: bool = False
    """Keep the table on one page where it fits (paged formats)."""
    kind: ClassVar[str] = "table"

    def __post_init__(self) -> None:
        if len(self.widths) != len(self.header):
            raise ValueError("a table needs one width per column")
        if set(map(len, self.rows)) - {len(self.header)}:
            raise ValueError("every table row needs one cell per column")


@dataclass(frozen=True, slots=True)
class Callout:
    """A framed box that stands out from the text (Art. 21(4): the right to object)."""

    title: str
    blocks: tuple[Paragraph | BulletList, ...]
    kind: ClassVar[str] = "callout"


Block = Paragraph | BulletList | Table | Callout


@dataclass(frozen=True, slots=True)
class Section:
    """A titled section; ``anchor`` is its stable id for links (``#rights``)."""

    title: str
    anchor: str
    blocks: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A whole document: metadata for the title block, page header and footer, and sections."""

    title: str
    lang: str
    header: str
    """Running page header (the controller's name)."""
    meta: tuple[Paragraph, ...]
    """Lines under the title: who, version, effective date."""
    sections: tuple[Section, ...]
    footer: str = ""
    landscape: bool = False
    contents: bool = False
    """Whether writers add a table of contents."""

    def walk(self) -> Iterator[Section]:
        """Every section, depth first."""
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.sections))


# -- builders --------------------------------------------------------------------------------


def para(*parts: Part) -> Paragraph:
    """A paragraph from strings and spans."""
    return Paragraph(_spans(parts))


def bold(text: str) -> Span:
    return Span(text, strong=True)


def link(text: str, href: str) -> Span:
    return Span(text, href=href)


def bullets(items: Sequence[Paragraph | Part | Sequence[Part]]) -> BulletList:
    """A list; each item is a paragraph, a string or span, or a sequence of them."""
    out: list[Paragraph] = []
    for item in items:
        if isinstance(item, Paragraph):
            out.append(item)
        elif isinstance(item, str | Span):
            out.append(para(item))
        else:
            out.append(para(*item))
    return BulletList(tuple(out))


def cell(*blocks: Paragraph | BulletList | Part) -> Cell:
    """A table cell from paragraphs and lists (a string or span is one paragraph)."""
    if len(blocks) == 1 and type(blocks[0]) is str:  # most cells: one value, built often
        text = blocks[0]
        return (Paragraph((Span(text),) if text else ()),)
    return tuple(b if isinstance(b, Paragraph | BulletList) else para(b) for b in blocks)


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    *,
    keep: bool = False,
) -> Table:
    return Table(tuple(header), tuple(tuple(r) for r in rows), tuple(widths), keep)
