"""Writers: one :class:`~varna.render.document.Document` to HTML, Markdown, Typst and PDF.

Each text format is a Jinja2 template in ``templates/``; HTML is autoescaped, Markdown and Typst
escape through the ``md`` and ``typ`` filters (Typst text is written as string literals, so no
character of the register's text can be read as markup). PDF compiles the Typst markup with the
``typst`` package: fonts are embedded and subset, text stays selectable.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from varna.errors import RenderError
from varna.render.document import Document
from varna.texts.catalog import texts_for

if TYPE_CHECKING:  # Typst is imported when a PDF is made, not when a server starts
    import typst

#: Typst ships Libertinus Serif, New Computer Modern and DejaVu Sans Mono; DejaVu Sans comes from
#: the system where present (scripts/install-system-deps), else headings fall back to the body font.
BODY_FONT = "Libertinus Serif"
HEADING_FONT = "DejaVu Sans"
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
_UNBREAKABLE = re.compile(r"\d+(?:\(\d+\))+(?:\([a-z]\))?")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#])")


def _md(text: object) -> str:
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _md_url(url: str) -> str:
    return url.replace(" ", "%20").replace(")", "%29")


def _typ(text: object) -> str:
    """A Typst string literal: ``"..."`` with backslashes and quotes escaped."""
    return json.dumps(str(text), ensure_ascii=False)


def _typ_text(text: object) -> str:
    """Typst markup for plain text: string literals, with ``6(1)(a)`` boxed so no line breaks
    inside an article reference."""
    out, last = [], 0
    for match in _UNBREAKABLE.finditer(str(text)):
        if match.start() > last:
            out.append("#" + _typ(str(text)[last : match.start()]))
        out.append(f"#box({_typ(match.group())})")
        last = match.end()
    if last < len(str(text)) or not out:
        out.append("#" + _typ(str(text)[last:]))
    return "".join(out)


def _typ_link(href: str) -> str:
    return f"<{href[1:]}>" if href.startswith("#") else _typ(href)


@cache
def _environment(kind: str) -> Environment:
    env = Environment(
        loader=PackageLoader("varna.render", "templates"),
        autoescape=select_autoescape(["html.j2"]) if kind == "html" else False,
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters.update(md=_md, mdurl=_md_url, typ=_typ, typtext=_typ_text, typlink=_typ_link)
    return env


@cache
def document_css() -> str:
    """The stylesheet of rendered documents (embedded in standalone HTML, linked by the web)."""
    return files("varna.render").joinpath("templates/document.css.j2").read_text(encoding="utf-8")


def _words(doc: Document) -> dict[str, str]:
    """Words the writers add themselves (the contents heading, "Page 1 of 3"), from the catalogs."""
    t = texts_for(doc.lang)
    return {
        "contents_title": t.gettext("Contents"),
        # Translators: "Page" and "of" in the page footer "Page 1 of 3".
        "page_word": t.gettext("Page"),
        "of_word": t.pgettext("page footer", "of"),
    }


def to_html(doc: Document) -> str:
    """A standalone HTML page with a small embedded stylesheet."""
    template = _environment("html").get_template("document.html.j2")
    return _tidy(template.render(doc=doc, css=document_css(), **_words(doc)))


def to_markdown(doc: Document) -> str:
    """GitHub-flavoured Markdown (tables; anchors as ``<a id>``)."""
    template = _environment("md").get_template("document.md.j2")
    return _tidy(template.render(doc=doc, **_words(doc)))


def to_typst(doc: Document) -> str:
    """Typst markup for the document."""
    template = _environment("typ").get_template("document.typ.j2")
    return _tidy(
        template.render(doc=doc, body_font=BODY_FONT, heading_font=_heading_font(), **_words(doc))
    )


def to_pdf(doc: Document) -> bytes:
    """The document as PDF: fonts embedded, text selectable, page numbers, header on each page."""
    return compile_typst(to_typst(doc))


@cache
def _fonts() -> typst.Fonts:
    """Typst's own fonts and DejaVu, never other system fonts: the same PDF on every machine."""
    import typst

    dirs = [str(d) for d in FONT_DIRS if d.is_dir()]
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=dirs)


def compile_typst(markup: str) -> bytes:
    """Compile Typst ``markup`` to PDF bytes with Varna's fonts only (reproducible output)."""
    import typst

    try:
        pdf = typst.compile(markup.encode("utf-8"), format="pdf", font_paths=_fonts())
    except typst.TypstError as exc:
        raise RenderError(f"Typst could not compile the document: {exc}") from exc
    if not isinstance(pdf, bytes):
        raise RenderError("Typst returned no PDF")
    return pdf


def _heading_font() -> str:
    return HEADING_FONT if any(d.is_dir() for d in FONT_DIRS) else BODY_FONT


def _tidy(text: str) -> str:
    """Collapse runs of blank lines the templates leave behind."""
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
