"""The receipts a person gets after an erasure (Art. 17, 19) or a rectification (Art. 16, 19).

Each says what was done where (counts and field names, never values), what the law keeps and why,
and which recipients were told; it ends with how to complain (Art. 12(4)) when the caller gives
the supervisory authority, and with the controller's contacts. Words come from the text catalogs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from varna.documents.frame import complaint_section, contact_section
from varna.dsr.erasure import ErasurePlan
from varna.dsr.executor import SystemReceipt
from varna.dsr.rectification import RectificationPlan
from varna.law.citations import STATUTES
from varna.render.document import Block, Document, Paragraph, Section, bold, cell, para, table
from varna.render.writers import to_pdf
from varna.texts.catalog import Texts, texts_for
from varna.texts.citations import article, statute

_BY_SHORT = {c.short: key for key, c in STATUTES.items()}


def _statute(cited: str, t: Texts) -> str:
    """A hold's statute as the plan records it (``BFL 7:2``) written out for a person."""
    return statute(_BY_SHORT.get(cited, cited), t)


def _ground(ground: str, t: Texts) -> str:
    """A hold's ground as the plan records it (``GDPR Art. 17(3)(b)``) in the reader's words."""
    ref = ground.removeprefix("GDPR Art. ").strip()
    return article(ref, t) if ref != ground else ground


def _kept_lines(plan: ErasurePlan, names: Mapping[str, str], t: Texts) -> list[Paragraph]:
    """One line per table and hold: how many rows stay, until when at the latest, and why."""
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
    for (system, table_name, law, ground), (rows, until, fields) in groups.items():
        shared = {
            "table": f"{names.get(system, system)} · {table_name}",
            "statute": _statute(law, t),
            "ground": _ground(ground, t),
            "fields": ", ".join(fields) or "–",
        }
        if isinstance(until, date):
            text = t.ngettext(
                "{table}: {n} row kept until {until}, under {statute} ({ground}). "
                "What is kept: {fields}.",
                "{table}: {n} rows kept, the last until {until}, under {statute} ({ground}). "
                "What is kept: {fields}.",
                rows,
                until=until.isoformat(),
                **shared,
            )
        else:
            text = t.ngettext(
                "{table}: {n} row kept under {statute} ({ground}) for as long as the law "
                "requires. What is kept: {fields}.",
                "{table}: {n} rows kept under {statute} ({ground}) for as long as the law "
                "requires. What is kept: {fields}.",
                rows,
                **shared,
            )
        out.append(para(text))
    return out


def _receipt(
    title: str,
    sections: list[Section],
    kinds: str,
    *,
    controller: Mapping[str, Any],
    complaint: Mapping[str, Any] | None,
    t: Texts,
    at: datetime,
) -> Document:
    """A receipt: what was done (``sections``), the complaint route, then the contact; dated,
    naming the identity kinds the request was made with (never their values)."""
    meta = (
        para(
            t.gettext(
                "{controller} · carried out {date}",
                controller=controller["name"],
                date=at.date().isoformat(),
            )
        ),
        para(t.gettext("Request made with: {kinds}", kinds=kinds)),
    )
    tail = [complaint_section(complaint, t)] if complaint else []
    return Document(
        title=title,
        lang=t.lang,
        header=str(controller["name"]),
        meta=meta,
        sections=(*sections, *tail, contact_section(controller, t)),
    )


def receipt_document(
    plan: ErasurePlan,
    receipts: Sequence[SystemReceipt],
    *,
    controller: Mapping[str, Any],
    system_names: Mapping[str, str],
    lang: str,
    at: datetime,
    complaint: Mapping[str, Any] | None = None,
) -> Document:
    """The erasure receipt: per system what was deleted, pseudonymised (a key or keyed hash
    remains) and kept, with the content hash of what was written (a reviewer with the journal
    can recompute it), and the legal ground for every field kept (Art. 17(3))."""
    t = texts_for(lang)
    kinds = ", ".join(sorted({i.kind for i in plan.identities}))
    rows = [
        (
            cell(system_names.get(r.system, r.system)),
            cell(str(r.deleted)),
            cell(str(r.updated)),
            cell(str(r.kept)),
            cell(str(r.deleted + r.updated + r.kept)),
            cell(r.content_hash.removeprefix("sha256:")[:16]),
        )
        for r in receipts
        if not r.skipped or r.deleted or r.updated
    ]
    blocks: list[Block] = [
        para(
            t.gettext(
                "This receipt shows what we did with your personal data when you asked for "
                "erasure ({article}). Data the law requires us to keep remains, with the reason "
                "given.",
                article=article("17", t),
            )
        )
    ]
    if rows:
        header = (
            t.gettext("System"),
            t.gettext("Rows deleted"),
            t.gettext("Rows pseudonymised"),
            t.gettext("Rows kept"),
            t.gettext("Rows in all"),
            t.gettext("Checksum"),
        )
        blocks.append(table(header, rows, (2.5, 1, 1, 1, 1, 2)))
    else:
        blocks.append(para(t.gettext("No data was changed.")))
    sections = [Section(t.gettext("What we did"), "receipt", tuple(blocks))]
    kept = _kept_lines(plan, system_names, t)
    if kept:
        note = t.gettext(
            "The rows kept under a legal hold are among the rows counted above: as pseudonymised "
            "where their other fields were erased, as kept where nothing else could be erased."
        )
        sections.append(Section(t.gettext("Data kept by law"), "kept", (para(note), *kept)))
    title = t.gettext("Erasure receipt")
    return _receipt(title, sections, kinds, controller=controller, complaint=complaint, t=t, at=at)


def receipt_pdf(
    plan: ErasurePlan,
    receipts: Sequence[SystemReceipt],
    *,
    controller: Mapping[str, Any],
    system_names: Mapping[str, str],
    lang: str,
    at: datetime,
    complaint: Mapping[str, Any] | None = None,
) -> bytes:
    """The erasure receipt as PDF."""
    doc = receipt_document(
        plan,
        receipts,
        controller=controller,
        system_names=system_names,
        lang=lang,
        at=at,
        complaint=complaint,
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
    complaint: Mapping[str, Any] | None = None,
) -> Document:
    """The rectification receipt: which fields were corrected where (names, never values), what
    a legal hold keeps as recorded, and the recipients told or still to tell (Art. 19)."""
    t = texts_for(lang)
    changed: dict[tuple[str, str], list[Any]] = {}
    held: dict[tuple[str, str], dict[str, None]] = {}
    for row in plan.rows:
        if row.changes:
            entry = changed.setdefault((row.system, row.table), [0, {}])
            entry[0] += 1
            entry[1].update(dict.fromkeys(sorted(row.changes)))
        if row.held:
            held.setdefault((row.system, row.table), {}).update(dict.fromkeys(row.held))
    blocks: list[Block] = [
        para(
            t.gettext(
                "This receipt shows which data we corrected when you asked for rectification "
                "({article}) and which recipients we told of the correction ({notice}).",
                article=article("16", t),
                notice=article("19", t),
            )
        )
    ]
    rows = [
        (cell(f"{system_names.get(s, s)} · {tn}"), cell(str(n)), cell(", ".join(fields)))
        for (s, tn), (n, fields) in changed.items()
    ]
    if rows:
        header = (t.gettext("System"), t.gettext("Rows"), t.gettext("Fields corrected"))
        blocks.append(table(header, rows, (3, 1, 4)))
    else:
        blocks.append(para(t.gettext("No data was changed.")))
    for (s, tn), fields in held.items():
        where = f"{system_names.get(s, s)} · {tn}"
        text = t.gettext(
            "{table}: {fields} stay as recorded; an accounting record is corrected by a new "
            "voucher (Swedish Accounting Act, chapter 5 section 5).",
            table=where,
            fields=", ".join(fields),
        )
        blocks.append(para(text))
    told = [recipient_names.get(k, k) for k in notified]
    waiting = [recipient_names.get(k, k) for k in plan.recipients if k not in notified]
    art19 = article("19", t)
    blocks.append(
        para(
            bold(t.gettext("Recipients told ({article})", article=art19) + ": "),
            ", ".join(told) or t.gettext("none"),
        )
    )
    if waiting:
        blocks.append(
            para(
                bold(t.gettext("Recipients to be told ({article})", article=art19) + ": "),
                ", ".join(waiting),
            )
        )
    kinds = ", ".join(sorted({i.kind for i in plan.identities}))
    sections = [Section(t.gettext("What we did"), "receipt", tuple(blocks))]
    return _receipt(
        t.gettext("Rectification receipt"),
        sections,
        kinds,
        controller=controller,
        complaint=complaint,
        t=t,
        at=at,
    )
