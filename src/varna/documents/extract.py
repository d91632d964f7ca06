"""The register extract (Art. 15), composed once and written as HTML, PDF, text or JSON.

The request engine answers in data (:class:`varna.dsr.access.AccessResult`); this module composes
that data into the shared document model of :mod:`varna.render.document`, and every format a
person receives is written from that one document: HTML and PDF (Typst) by the render package's
writers, plain text (for e-mail or a terminal) by :mod:`varna.render.plaintext`. JSON (schema
``varna.access/1``) is the data itself. It sits above both engines (it imports ``dsr`` and
``render``, which may not import each other); its words come from the text catalogs.

The extract holds what Art. 15 requires: the copy of the data (15(3)) by system and table, each
field with its category; per category the purposes and legal bases (15(1)(a)), the recipients
(c) with transfers and their safeguards (15(2)), the retention period or its criteria (d), the
sources (g) and automated decisions (h); the rights (e) and the complaint to IMY (f). Art. 15(3):
an electronic request gets an electronic answer in a commonly used format; HTML and PDF qualify.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from varna.documents.frame import complaint_section, contact_section, upper_first
from varna.dsr.access import AccessResult, TableExtract
from varna.dsr.context import CategoryUse, RecipientInfo
from varna.dsr.values import text_value
from varna.render.document import Block, Document, Paragraph, Section, bold, bullets, cell, para
from varna.render.document import table as make_table
from varna.render.plaintext import to_text
from varna.render.writers import to_html, to_pdf
from varna.texts.catalog import Texts, texts_for
from varna.texts.citations import article
from varna.texts.glossary import term

ExtractFormat = Literal["json", "html", "text"]
SUFFIXES = {"json": "json", "html": "html", "text": "txt", "pdf": "pdf"}


def _data_section(t: TableExtract, texts: Texts) -> Section:
    count = texts.ngettext("{n} row", "{n} rows", len(t.rows))
    blocks: list[Block] = [para(t.description)] if t.description else []
    rows = []
    for number, row in enumerate(t.rows, 1):
        for i, f in enumerate(row.fields):
            shown = text_value(f.value) if f.value not in (None, "") else texts.gettext("(empty)")
            rows.append(
                (cell(str(number) if i == 0 else ""), cell(f.label), cell(f.name), cell(shown))
            )
    if rows:
        header = (
            texts.gettext("Row"),
            texts.gettext("Data"),
            texts.gettext("Field"),
            texts.gettext("Value"),
        )
        blocks.append(make_table(header, rows, (0.6, 2.4, 1.8, 4.2)))
    return Section(
        f"{t.system_name} · {t.table} ({count})", f"data-{t.system}-{t.table}", tuple(blocks)
    )


def recipient_text(x: RecipientInfo, texts: Texts) -> str:
    """``Utskick Inc. (US), utanför EU/EES: …``: a recipient with its country and safeguard."""
    text = f"{x.name} ({x.country or '–'})"
    if x.third_country:
        safeguard = x.safeguard or texts.gettext("no safeguard stated")
        outside = texts.gettext("outside the EU/EEA")
        text += f", {outside}: {safeguard}"
    return text


def _category(c: CategoryUse, texts: Texts) -> Section:
    title = c.label + (f" ({term('special_category', texts)})" if c.special else "")
    blocks: list[Block] = []
    for p in c.processing:
        bases = "; ".join(f"{b.label} ({b.article})" for b in p.legal_bases) or "–"
        items: list[Paragraph] = [
            para(bold(texts.gettext("Purpose") + ": "), p.purpose),
            para(bold(upper_first(term("legal_basis", texts)) + ": "), bases),
            para(bold(texts.gettext("How long") + ": "), p.retention),
        ]
        if p.sources:
            items.append(para(bold(texts.gettext("Source") + ": "), ", ".join(p.sources)))
        names = "; ".join(recipient_text(x, texts) for x in p.recipients)
        items.append(
            para(bold(texts.gettext("Recipients") + ": "), names or texts.gettext("Not disclosed"))
        )
        if p.automated_decision:
            d = p.automated_decision
            items.append(
                para(
                    bold(texts.gettext("Automated decision") + ": "), f"{d.logic} {d.significance}"
                )
            )
        blocks += [para(bold(p.name)), bullets(items)]
    for h in c.legal_holds:
        lead = texts.gettext("Kept by law even if you ask for erasure")
        blocks.append(
            para(bold(f"{lead}: "), f"{h.name}, {h.statute} ({h.article}). {h.retention}")
        )
    return Section(title, f"category-{c.key}", tuple(blocks))


def extract_document(result: AccessResult) -> Document:
    """The register extract as a document in the result's language."""
    texts = texts_for(result.language)
    data = [_data_section(t, texts) for t in result.tables if t.rows]
    intro_text = (
        texts.gettext(
            "This is the personal data we process about you, why we do so, who we disclose it "
            "to, how long we keep it and what rights you have ({article}).",
            article=article("15", texts),
        )
        if result.found
        else texts.gettext("We found no personal data about you with the details you gave.")
    )
    intro: list[Block] = [para(intro_text)]
    if result.other_people:
        intro.append(
            para(
                texts.gettext(
                    "Data about other people, such as the member of staff handling your case, "
                    "is not included (Article 15(4))."
                )
            )
        )
    recipients = [
        (
            cell(x.name),
            cell(x.country or "–"),
            cell((x.safeguard or texts.gettext("no safeguard stated")) if x.third_country else "–"),
        )
        for x in result.recipients
    ]
    sections = [
        Section(texts.gettext("Your data"), "data", tuple(intro), tuple(data)),
        Section(
            texts.gettext("Why we process the data"),
            "why",
            (),
            tuple(_category(c, texts) for c in result.categories),
        ),
    ]
    if recipients:
        header = (
            upper_first(term("recipient", texts)),
            texts.gettext("Country"),
            texts.gettext("Transfer safeguard"),
        )
        sections.append(
            Section(
                texts.gettext("Recipients and transfers outside the EU/EEA"),
                "recipients",
                (make_table(header, recipients, (3, 1, 3)),),
            )
        )
    rights = bullets([(bold(f"{x.text} "), f"({x.article})") for x in result.rights])
    sections.append(Section(texts.gettext("Your rights"), "rights", (rights,)))
    sections.append(complaint_section(result.complaint, texts))
    sections.append(contact_section(result.controller, texts))
    generated = texts.gettext(
        "{controller} · prepared {date}",
        controller=result.controller["name"],
        date=result.generated_at.date().isoformat(),
    )
    return Document(
        title=upper_first(term("register_extract", texts)),
        lang=result.language,
        header=str(result.controller["name"]),
        meta=(para(generated),),
        sections=tuple(sections),
    )


def extract_pdf(result: AccessResult) -> bytes:
    """The register extract as PDF."""
    return to_pdf(extract_document(result))


def render_json(result: AccessResult) -> str:
    return json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"


def render_html(result: AccessResult) -> str:
    """A standalone HTML page (every stored value escaped: ``<script>`` is shown, never run)."""
    return to_html(extract_document(result))


def render_text(result: AccessResult) -> str:
    """Plain text, for e-mail or a terminal: the same sections as the HTML and PDF."""
    return to_text(extract_document(result))


RENDERERS = {"json": render_json, "html": render_html, "text": render_text}


def render_extract(result: AccessResult, fmt: ExtractFormat) -> str:
    return RENDERERS[fmt](result)


def extract_filename(lang: str, fmt: str) -> str:
    """``registerutdrag.pdf`` (sv), ``register-extract.pdf`` (en): the file a person receives."""
    stem = term("register_extract", texts_for(lang)).replace(" ", "-")
    return f"{stem}.{SUFFIXES[fmt]}"


def write_extract(result: AccessResult, folder: Path, fmt: ExtractFormat | Literal["pdf"]) -> Path:
    """Write the extract into ``folder`` in ``fmt`` (see :func:`extract_filename`)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / extract_filename(result.language, fmt)
    if fmt == "pdf":
        path.write_bytes(extract_pdf(result))
    else:
        path.write_text(render_extract(result, fmt), encoding="utf-8")
    return path
