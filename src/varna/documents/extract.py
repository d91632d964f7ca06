"""The register extract (Art. 15), composed once and written as HTML, PDF, text or JSON.

The request engine answers in data (:class:`varna.dsr.access.AccessResult`); this module composes
that data into the shared document model of :mod:`varna.render.document`, and every format a
person receives is written from that one document: HTML and PDF (Typst) by the render package's
writers, plain text (for e-mail or a terminal) by :mod:`varna.render.plaintext`. JSON (schema
``varna.access/1``) is the data itself. It sits above both engines (it imports ``dsr`` and
``render``, which may not import each other); its words come from the text catalogs.

The extract holds what Art. 15 requires: the copy of every item of every record found (15(3)) by
system, each by its label (undeclared columns as other data in the same record), with the
processor holding the system and rows past their retention period marked; per activity, once,
the purposes and legal bases (15(1)(a)), the items (b), the recipients (c) with transfers and
their safeguards (15(2)), the retention period or its criteria (d) and the source of each item
(g); automated decisions (h), or a statement that there are none; the rights (e) and the
complaint to IMY (f). Technical table and column names are only in the appendix. Art. 15(3):
an electronic request gets an electronic answer in a commonly used format; HTML and PDF qualify.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from varna.documents.frame import complaint_section, contact_section, upper_first
from varna.dsr.access import AccessResult, ActivityUse, TableExtract
from varna.dsr.context import DecisionInfo, RecipientInfo
from varna.dsr.values import text_value
from varna.render.document import (
    Block,
    Cell,
    Document,
    Paragraph,
    Section,
    bold,
    bullets,
    cell,
    para,
)
from varna.render.document import table as make_table
from varna.render.plaintext import to_text
from varna.render.writers import to_html, to_pdf
from varna.texts.catalog import Texts, texts_for
from varna.texts.citations import article
from varna.texts.glossary import term

ExtractFormat = Literal["json", "html", "text"]
SUFFIXES = {"json": "json", "html": "html", "text": "txt", "pdf": "pdf"}


def _rows_table(t: TableExtract, texts: Texts) -> list[Block]:
    """The table's rows as a person reads them: each record numbered, each item by its label
    (technical names are in the appendix), rows past their retention period marked."""
    rows = []
    labels: dict[str, Cell] = {}  # the same few labels on every record: one cell each
    blank, empty = cell(""), texts.gettext("(empty)")
    for number, row in enumerate(t.rows, 1):
        mark = f"{number} *" if row.overdue else str(number)
        for i, f in enumerate(row.fields):
            label = labels.get(f.label)
            if label is None:
                label = labels[f.label] = cell(f.label)
            shown = text_value(f.value) if f.value not in (None, "") else empty
            rows.append((cell(mark) if i == 0 else blank, label, cell(shown)))
    if not rows:
        return []
    header = (texts.gettext("Row"), texts.gettext("Data"), texts.gettext("Value"))
    blocks: list[Block] = [make_table(header, rows, (0.8, 3.2, 5))]
    if t.overdue:
        blocks.append(
            para(
                texts.gettext(
                    "* The row is past the retention period we have set for it and should "
                    "already have been erased. We have reported this to our data protection "
                    "officer and will erase it (Article 5(1)(e))."
                )
            )
        )
    return blocks


def _system_sections(result: AccessResult, texts: Texts) -> list[Section]:
    """One section per system: who holds it, and each of its tables' records."""
    systems: dict[str, list[TableExtract]] = {}
    for t in result.tables:
        if t.rows:
            systems.setdefault(t.system, []).append(t)
    out = []
    for key, tables in systems.items():
        blocks: list[Block] = []
        host = tables[0].held_by
        if host is not None:
            blocks.append(
                para(
                    texts.gettext(
                        "{processor}, our {processor_term}, holds this data for us ({where}).",
                        processor=host.name,
                        processor_term=term("processor", texts),
                        where=_country(host, texts),
                    )
                )
            )
        for t in tables:
            count = texts.ngettext("{n} row", "{n} rows", len(t.rows))
            lead = f"{t.description or t.system_name} ({count})"
            blocks += [para(bold(lead)), *_rows_table(t, texts)]
        out.append(Section(tables[0].system_name, f"data-{key}", tuple(blocks)))
    return out


def _country(x: RecipientInfo, texts: Texts) -> str:
    if x.country is None:
        return texts.gettext("the country is not stated in our register")
    if x.third_country:
        return texts.gettext("in {country}, outside the EU/EEA", country=x.country)
    return texts.gettext("in {country}, within the EU/EEA", country=x.country)


def recipient_text(x: RecipientInfo, texts: Texts) -> str:
    """``Utskick Inc. (US), utanför EU/EES: …``: a recipient with its country and safeguard."""
    text = f"{x.name} ({x.country or '–'})"
    if x.third_country:
        safeguard = x.safeguard or texts.gettext("no safeguard stated")
        outside = texts.gettext("outside the EU/EEA")
        text += f", {outside}: {safeguard}"
    return text


def _decision_text(d: DecisionInfo, texts: Texts) -> str:
    kind = (
        texts.gettext("a decision based solely on automated processing, including profiling")
        if d.profiling
        else texts.gettext("a decision based solely on automated processing")
    )
    return texts.gettext(
        "We make {kind} here. How it works: {logic} What it means for you: {significance}",
        kind=kind,
        logic=d.logic,
        significance=d.significance,
    )


def _activity(a: ActivityUse, texts: Texts) -> Section:
    bases = "; ".join(f"{b.label} ({b.article})" for b in a.legal_bases) or texts.gettext(
        "not stated in our register"
    )
    items: list[Paragraph] = [
        para(bold(texts.gettext("Purpose") + ": "), a.purpose),
        para(bold(upper_first(term("legal_basis", texts)) + ": "), bases),
        para(bold(texts.gettext("Data about you") + ": "), ", ".join(a.items)),
        para(bold(texts.gettext("How long") + ": "), a.retention),
    ]
    for s in a.sources:
        which = ", ".join(s.items) if s.items else texts.gettext("all of the data above")
        items.append(para(bold(texts.gettext("Source") + ": "), f"{s.text}: {which}."))
    names = "; ".join(recipient_text(x, texts) for x in a.recipients)
    items.append(
        para(bold(texts.gettext("Recipients") + ": "), names or texts.gettext("Not disclosed"))
    )
    if a.automated_decision:
        items.append(
            para(
                bold(texts.gettext("Automated decision") + ": "),
                _decision_text(a.automated_decision, texts),
            )
        )
    blocks: list[Block] = [bullets(items)]
    for h in a.legal_holds:
        lead = texts.gettext("Kept by law even if you ask for erasure")
        blocks.append(
            para(bold(f"{lead}: "), f"{h.name}, {h.statute} ({h.article}). {h.retention}")
        )
    return Section(a.name, f"activity-{a.key}", tuple(blocks))


def _decisions(result: AccessResult, texts: Texts) -> Section:
    """Art. 15(1)(h): the decisions made, or an explicit statement that there are none."""
    art = article("22", texts)
    made = [(a.name, a.automated_decision) for a in result.activities if a.automated_decision]
    if not made:
        body: list[Block] = [
            para(
                texts.gettext(
                    "We make no decisions about you based solely on automated processing, "
                    "including profiling, that have legal effects for you or similarly "
                    "significantly affect you ({article}).",
                    article=art,
                )
            )
        ]
    else:
        body = [
            bullets([(bold(f"{name}: "), _decision_text(d, texts)) for name, d in made]),
            para(
                texts.gettext(
                    "You may ask for a person to review such a decision, state your point of "
                    "view and contest it ({article}).",
                    article=art,
                )
            ),
        ]
    return Section(texts.gettext("Automated decisions"), "automated", tuple(body))


def _appendix(result: AccessResult, texts: Texts) -> Section:
    """Technical names of the systems' tables and columns, for a reader who compares the
    extract with the systems (Art. 15(3)); the letter itself uses none."""
    rows = []
    for t in result.tables:
        seen: dict[str, str] = {}
        for row in t.rows:
            for f in row.fields:
                seen.setdefault(f.name, f.label)
        for name, shown in seen.items():
            rows.append((cell(t.system_name), cell(t.table), cell(name), cell(shown)))
    header = (
        texts.gettext("System"),
        texts.gettext("Table"),
        texts.gettext("Column"),
        texts.gettext("Shown as"),
    )
    intro = para(
        texts.gettext(
            "The names our systems use for the data above, for anyone who compares this extract "
            "with the systems."
        )
    )
    blocks: tuple[Block, ...] = (intro, make_table(header, rows, (2, 2, 2, 3))) if rows else ()
    return Section(texts.gettext("Appendix: technical names"), "appendix", blocks)


def extract_document(result: AccessResult) -> Document:
    """The register extract as a document in the result's language: a letter to the person,
    with every Art. 15(1)(a)-(h), 15(2) and 15(3) element, technical names only in the appendix."""
    texts = texts_for(result.language)
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
    if result.found:
        intro.append(
            para(
                texts.gettext(
                    "Below is a copy of every item we hold in each record that concerns you "
                    "({article}), including items our register does not describe separately, "
                    "shown as other data in the same record.",
                    article=article("15(3)", texts),
                )
            )
        )
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
            cell(x.country or texts.gettext("not stated")),
            cell((x.safeguard or texts.gettext("no safeguard stated")) if x.third_country else "–"),
        )
        for x in result.recipients
    ]
    sections = [
        Section(
            texts.gettext("Your data"), "data", tuple(intro), tuple(_system_sections(result, texts))
        ),
        Section(
            texts.gettext("Why we process the data"),
            "why",
            (),
            tuple(_activity(a, texts) for a in result.activities),
        ),
        _decisions(result, texts),
    ]
    if recipients:
        header = (
            upper_first(term("recipient", texts)),
            texts.gettext("Country"),
            texts.gettext("Transfer safeguard"),
        )
        note = para(
            texts.gettext(
                "Where data goes to a country outside the EU/EEA, the safeguard that protects it "
                "is named ({article}).",
                article=article("15(2)", texts),
            )
        )
        sections.append(
            Section(
                texts.gettext("Recipients and transfers outside the EU/EEA"),
                "recipients",
                (note, make_table(header, recipients, (3, 1, 3))),
            )
        )
    rights = bullets([(bold(f"{x.text} "), f"({x.article})") for x in result.rights])
    sections.append(Section(texts.gettext("Your rights"), "rights", (rights,)))
    sections.append(complaint_section(result.complaint, texts))
    sections.append(contact_section(result.controller, texts))
    if result.found:
        sections.append(_appendix(result, texts))
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
