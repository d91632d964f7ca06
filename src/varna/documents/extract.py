"""The register extract (Art. 15) and the erasure receipt (Art. 17, 19) as documents.

The request engine answers in data (:class:`varna.dsr.access.AccessResult`, the erasure
receipts); this module composes that data into the shared document model of
:mod:`varna.render.document`, so the PDF a person receives is written by the same Typst writer
as the privacy policy and the Art. 30 record: fonts embedded, text selectable, page numbers, the
controller's name in the page header. It sits above both engines (it imports ``dsr`` and
``render``, which may not import each other).

The extract holds what Art. 15 requires: the copy of the data (15(3)) by system and table, each
field with its category; per category the purposes and legal bases (15(1)(a)), the recipients
(c) with transfers and their safeguards (15(2)), the retention period or its criteria (d), the
sources (g) and automated decisions (h); the rights (e) and the complaint to IMY (f).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from varna.dsr.access import AccessResult, TableExtract
from varna.dsr.context import CategoryUse
from varna.dsr.erasure import ErasurePlan
from varna.dsr.executor import SystemReceipt
from varna.dsr.extract import WORDS, recipient_text
from varna.dsr.rectification import RectificationPlan
from varna.dsr.values import text_value
from varna.render.document import (
    Block,
    Document,
    Paragraph,
    Section,
    bold,
    bullets,
    cell,
    para,
    table,
)
from varna.render.writers import to_pdf

MORE: Mapping[str, Mapping[str, str]] = {
    "sv": {
        "field": "Uppgift",
        "column": "Fält",
        "value": "Värde",
        "row_no": "Rad",
        "empty": "(tomt)",
        "controller": "Personuppgiftsansvarig",
        "org": "Organisationsnummer",
        "receipt": "Kvitto på radering",
        "receipt_intro": "Det här kvittot visar vad vi gjorde med dina personuppgifter när du "
        "begärde radering (artikel 17 i dataskyddsförordningen). Uppgifter som lagen kräver att "
        "vi sparar finns kvar, med skälet angivet.",
        "system": "System",
        "updated": "Anonymiserade rader",
        "deleted": "Raderade rader",
        "kept": "Sparade rader",
        "hash": "Kontrollsumma",
        "kept_title": "Uppgifter som sparas enligt lag",
        "done_title": "Vad vi gjorde",
        "kept_line": "{table}: {rows} rader sparas, de sista till och med {until}, enligt "
        "{statute} ({ground}). Det som sparas: {fields}.",
        "kept_open": "{table}: {rows} rader sparas enligt {statute} ({ground}) så länge lagen "
        "kräver. Det som sparas: {fields}.",
        "nothing_done": "Inga uppgifter ändrades.",
        "rect_receipt": "Kvitto på rättelse",
        "rect_intro": "Det här kvittot visar vilka uppgifter vi rättade när du begärde rättelse "
        "(artikel 16 i dataskyddsförordningen) och vilka mottagare vi har underrättat om "
        "rättelsen (artikel 19).",
        "corrected": "Rättade fält",
        "rows_corrected": "Rader",
        "held_text": "{table}: {fields} står kvar som de bokfördes; en rättelse av "
        "räkenskapsinformation görs som en ny verifikation (bokföringslagen 5 kap. 5 §).",
        "recipients_told": "Mottagare som underrättats (artikel 19)",
        "recipients_to_tell": "Mottagare som ska underrättas (artikel 19)",
        "none": "inga",
        "request": "Begäran gjord med",
        "executed": "utförd",
    },
    "en": {
        "field": "Data",
        "column": "Field",
        "value": "Value",
        "row_no": "Row",
        "empty": "(empty)",
        "controller": "Controller",
        "org": "Company registration number",
        "receipt": "Erasure receipt",
        "receipt_intro": "This receipt shows what we did with your personal data when you asked "
        "for erasure (Article 17 GDPR). Data the law requires us to keep remains, with the "
        "reason given.",
        "system": "System",
        "updated": "Rows anonymised",
        "deleted": "Rows deleted",
        "kept": "Rows kept",
        "hash": "Checksum",
        "kept_title": "Data kept by law",
        "done_title": "What we did",
        "kept_line": "{table}: {rows} rows kept, the last until {until}, under {statute} "
        "({ground}). What is kept: {fields}.",
        "kept_open": "{table}: {rows} rows kept under {statute} ({ground}) for as long as the "
        "law requires. What is kept: {fields}.",
        "nothing_done": "No data was changed.",
        "rect_receipt": "Rectification receipt",
        "rect_intro": "This receipt shows which data we corrected when you asked for "
        "rectification (Article 16 GDPR) and which recipients we told of the correction "
        "(Article 19).",
        "corrected": "Fields corrected",
        "rows_corrected": "Rows",
        "held_text": "{table}: {fields} stay as recorded; an accounting record is corrected by a "
        "new voucher (Swedish Accounting Act, chapter 5 section 5).",
        "recipients_told": "Recipients told (Article 19)",
        "recipients_to_tell": "Recipients to be told (Article 19)",
        "none": "none",
        "request": "Request made with",
        "executed": "carried out",
    },
}


def _data_section(t: TableExtract, lang: str) -> Section:
    w, m = WORDS[lang], MORE[lang]
    count = f"{len(t.rows)} {w['row'] if len(t.rows) == 1 else w['rows']}"
    blocks: list[Block] = [para(t.description)] if t.description else []
    rows = []
    for number, row in enumerate(t.rows, 1):
        for i, f in enumerate(row.fields):
            shown = text_value(f.value) if f.value not in (None, "") else m["empty"]
            rows.append(
                (
                    cell(str(number) if i == 0 else ""),
                    cell(f.label),
                    cell(f.name),
                    cell(shown),
                )
            )
    if rows:
        header = (m["row_no"], m["field"], m["column"], m["value"])
        blocks.append(table(header, rows, (0.6, 2.4, 1.8, 4.2)))
    return Section(
        f"{t.system_name} · {t.table} ({count})", f"data-{t.system}-{t.table}", tuple(blocks)
    )


def _category(c: CategoryUse, lang: str) -> Section:
    w = WORDS[lang]
    title = c.label + (f" ({w['special']})" if c.special else "")
    blocks: list[Block] = []
    for p in c.processing:
        bases = "; ".join(f"{b.label} ({b.article})" for b in p.legal_bases) or "–"
        items: list[Paragraph] = [
            para(bold(f"{w['purpose']}: "), p.purpose),
            para(bold(f"{w['basis']}: "), bases),
            para(bold(f"{w['retention']}: "), p.retention),
        ]
        if p.sources:
            items.append(para(bold(f"{w['sources']}: "), ", ".join(p.sources)))
        names = "; ".join(recipient_text(x, w) for x in p.recipients) or w["no_recipients"]
        items.append(para(bold(f"{w['recipients']}: "), names))
        if p.automated_decision:
            d = p.automated_decision
            items.append(para(bold(f"{w['automated']}: "), f"{d.logic} {d.significance}"))
        blocks += [para(bold(p.name)), bullets(items)]
    for h in c.legal_holds:
        blocks.append(
            para(bold(f"{w['hold']}: "), f"{h.name}, {h.statute} ({h.article}). {h.retention}.")
        )
    return Section(title, f"category-{c.key}", tuple(blocks))


def _contact(controller: Mapping[str, Any], lang: str) -> Section:
    w, m = WORDS[lang], MORE[lang]
    address = controller.get("address") or {}
    where = ", ".join(str(address[k]) for k in ("street", "postal_code", "city") if address.get(k))
    lines = [
        para(bold(f"{m['controller']}: "), str(controller["name"])),
        para(f"{m['org']}: {controller['org_number']}"),
    ]
    if where:
        lines.append(para(where))
    contact = controller.get("contact") or {}
    lines += [para(str(v)) for k, v in contact.items() if k in ("email", "phone")]
    dpo = controller.get("dpo")
    if dpo:
        reach = ", ".join(str(dpo[k]) for k in ("name", "email", "phone") if dpo.get(k))
        lines.append(para(bold(f"{w['dpo']}: "), reach))
    return Section(w["contact"], "contact", tuple(lines))


def extract_document(result: AccessResult) -> Document:
    """The register extract as a document in the result's language."""
    lang = result.language
    w = WORDS[lang]
    data = [_data_section(t, lang) for t in result.tables if t.rows]
    intro: list[Block] = [para(w["intro"] if result.found else w["nothing"])]
    if result.other_people:
        intro.append(para(w["other_people"]))
    recipients = [
        (
            cell(x.name),
            cell(x.country or "–"),
            cell((x.safeguard or w["no_safeguard"]) if x.third_country else "–"),
        )
        for x in result.recipients
    ]
    sections = [
        Section(w["your_data"], "data", tuple(intro), tuple(data)),
        Section(w["why"], "why", (), tuple(_category(c, lang) for c in result.categories)),
    ]
    if recipients:
        header = (w["recipient"], w["country"], w["safeguard"])
        sections.append(
            Section(w["recipients_title"], "recipients", (table(header, recipients, (3, 1, 3)),))
        )
    rights = bullets([(bold(f"{x.text} "), f"({x.article})") for x in result.rights])
    sections.append(Section(w["rights"], "rights", (rights,)))
    c = result.complaint
    complaint = para(w["complaint_text"], " ", bold(str(c["authority"])), f", {c['website']}")
    sections.append(Section(w["complaint"], "complaint", (complaint,)))
    sections.append(_contact(result.controller, lang))
    generated = f"{result.controller['name']} · {w['generated']} {result.generated_at.date()}"
    return Document(
        title=w["title"],
        lang=lang,
        header=str(result.controller["name"]),
        meta=(para(generated),),
        sections=tuple(sections),
    )


def extract_pdf(result: AccessResult) -> bytes:
    """The register extract as PDF."""
    return to_pdf(extract_document(result))


def _kept_lines(plan: ErasurePlan, names: Mapping[str, str], lang: str) -> list[Paragraph]:
    """One line per table and hold: how many rows stay, until when at the latest, and why."""
    m = MORE[lang]
    groups: dict[tuple[str, str, str, str], list[Any]] = {}
    for row in plan.rows:
        for hold in row.holds:
            key = (row.system, row.table, hold.statute, hold.ground)
            entry = groups.setdefault(key, [0, None, {}])
            entry[0] += 1
            if hold.until is not None and (entry[1] is None or hold.until > entry[1]):
                entry[1] = hold.until
            entry[2].update(dict.fromkeys(row.kept))
    out = []
    for (system, table_name, statute, ground), (rows, until, fields) in groups.items():
        template = m["kept_line"] if until else m["kept_open"]
        text = template.format(
            table=f"{names.get(system, system)} · {table_name}",
            rows=rows,
            until=until.isoformat() if until else "",
            statute=statute,
            ground=ground.replace("GDPR Art. ", "dataskyddsförordningen artikel ")
            if lang == "sv"
            else ground,
            fields=", ".join(fields) or "–",
        )
        out.append(para(text))
    return out


def _receipt(
    title: str,
    sections: list[Section],
    kinds: str,
    *,
    controller: Mapping[str, Any],
    lang: str,
    at: datetime,
) -> Document:
    """A receipt: what was done (``sections``), then the contact; dated, naming the identity
    kinds the request was made with (never their values)."""
    m = MORE[lang]
    meta = (
        para(f"{controller['name']} · {m['executed']} {at.date().isoformat()}"),
        para(f"{m['request']}: {kinds}"),
    )
    return Document(
        title=title,
        lang=lang,
        header=str(controller["name"]),
        meta=meta,
        sections=(*sections, _contact(controller, lang)),
    )


def receipt_document(
    plan: ErasurePlan,
    receipts: Sequence[SystemReceipt],
    *,
    controller: Mapping[str, Any],
    system_names: Mapping[str, str],
    lang: str,
    at: datetime,
) -> Document:
    """The erasure receipt: per system what was deleted, anonymised and kept, with the content
    hash of what was written (a reviewer with the journal can recompute it), and the legal
    ground for every field kept (Art. 17(3))."""
    m = MORE[lang]
    kinds = ", ".join(sorted({i.kind for i in plan.identities}))
    rows = [
        (
            cell(system_names.get(r.system, r.system)),
            cell(str(r.deleted)),
            cell(str(r.updated)),
            cell(str(r.kept)),
            cell(r.content_hash.removeprefix("sha256:")[:16]),
        )
        for r in receipts
        if not r.skipped or r.deleted or r.updated
    ]
    blocks: list[Block] = [para(m["receipt_intro"])]
    if rows:
        header = (m["system"], m["deleted"], m["updated"], m["kept"], m["hash"])
        blocks.append(table(header, rows, (2.5, 1, 1, 1, 2)))
    else:
        blocks.append(para(m["nothing_done"]))
    sections = [Section(m["done_title"], "receipt", tuple(blocks))]
    kept = _kept_lines(plan, system_names, lang)
    if kept:
        sections.append(Section(m["kept_title"], "kept", tuple(kept)))
    return _receipt(m["receipt"], sections, kinds, controller=controller, lang=lang, at=at)


def receipt_pdf(
    plan: ErasurePlan,
    receipts: Sequence[SystemReceipt],
    *,
    controller: Mapping[str, Any],
    system_names: Mapping[str, str],
    lang: str,
    at: datetime,
) -> bytes:
    """The erasure receipt as PDF."""
    doc = receipt_document(
        plan, receipts, controller=controller, system_names=system_names, lang=lang, at=at
    )
    return to_pdf(doc)


def rectification_document(
    plan: RectificationPlan,
    *,
    notified: Sequence[str],
    controller: Mapping[str, Any],
    system_names: Mapping[str, str],
    recipient_names: Mapping[str, str],
    lang: str,
    at: datetime,
) -> Document:
    """The rectification receipt: which fields were corrected where (names, never values), what
    a legal hold keeps as recorded, and the recipients told or still to tell (Art. 19)."""
    m = MORE[lang]
    changed: dict[tuple[str, str], list[Any]] = {}
    held: dict[tuple[str, str], dict[str, None]] = {}
    for row in plan.rows:
        if row.changes:
            entry = changed.setdefault((row.system, row.table), [0, {}])
            entry[0] += 1
            entry[1].update(dict.fromkeys(sorted(row.changes)))
        if row.held:
            held.setdefault((row.system, row.table), {}).update(dict.fromkeys(row.held))
    blocks: list[Block] = [para(m["rect_intro"])]
    rows = [
        (
            cell(f"{system_names.get(s, s)} · {t}"),
            cell(str(n)),
            cell(", ".join(fields)),
        )
        for (s, t), (n, fields) in changed.items()
    ]
    if rows:
        header = (m["system"], m["rows_corrected"], m["corrected"])
        blocks.append(table(header, rows, (3, 1, 4)))
    else:
        blocks.append(para(m["nothing_done"]))
    blocks += [
        para(
            m["held_text"].format(table=f"{system_names.get(s, s)} · {t}", fields=", ".join(fields))
        )
        for (s, t), fields in held.items()
    ]
    told = [recipient_names.get(k, k) for k in notified]
    waiting = [recipient_names.get(k, k) for k in plan.recipients if k not in notified]
    blocks.append(para(bold(f"{m['recipients_told']}: "), ", ".join(told) or m["none"]))
    if waiting:
        blocks.append(para(bold(f"{m['recipients_to_tell']}: "), ", ".join(waiting)))
    kinds = ", ".join(sorted({i.kind for i in plan.identities}))
    sections = [Section(m["done_title"], "receipt", tuple(blocks))]
    return _receipt(m["rect_receipt"], sections, kinds, controller=controller, lang=lang, at=at)
