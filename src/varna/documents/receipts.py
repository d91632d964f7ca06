"""The receipts a person gets after an erasure (Art. 17, 19) or a rectification (Art. 16, 19).

Each says what was done where (counts and field names, never values), what the law keeps and why,
and which recipients were told; it ends with how to complain (Art. 12(4)) when the caller gives
the supervisory authority, and with the controller's contacts. Words come from the text catalogs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from varna.documents.frame import authority_info, complaint_section, contact_section
from varna.dsr.erasure import ErasurePlan, Fate, KeptReason, RowErasure
from varna.dsr.executor import SystemReceipt
from varna.dsr.rectification import RectificationPlan
from varna.dsr.restriction import RestrictionPlan
from varna.law.citations import STATUTES
from varna.register.model import Register
from varna.register.taxonomy import BUILTIN_IDENTITY_KINDS
from varna.render.document import (
    Block,
    Cell,
    Document,
    Paragraph,
    Section,
    bold,
    cell,
    para,
    table,
)
from varna.render.writers import to_pdf
from varna.state.restrictions import Ground
from varna.texts.catalog import N_, Texts, texts_for
from varna.texts.citations import article, statute

_BY_SHORT = {c.short: key for key, c in STATUTES.items()}


def _statute(cited: str, t: Texts) -> str:
    """A hold's statute as the plan records it (``BFL 7:2``) written out for a person."""
    return statute(_BY_SHORT.get(cited, cited), t)


def _ground(ground: str, t: Texts) -> str:
    """A hold's ground as the plan records it (``GDPR Art. 17(3)(b)``) in the reader's words."""
    ref = ground.removeprefix("GDPR Art. ").strip()
    return article(ref, t) if ref != ground else ground


def _field_label(register: Register | None, system: str, table: str, column: str, lang: str) -> str:
    """A column as the person knows it: its label, else its category's (the technical name only
    when no register is at hand)."""
    if register is None:
        return column
    t = register.systems.get(system, None)
    spec = t.tables[table].fields.get(column) if t and table in t.tables else None
    if spec is None:
        return column
    return (spec.label or register.category(spec.category).label).get(lang)


def _kept_lines(
    plan: ErasurePlan,
    names: Mapping[str, str],
    t: Texts,
    register: Register | None,
) -> tuple[list[Paragraph], list[Paragraph]]:
    """One line per system and set of holds: how many rows stay, until when at the latest, why
    and which data. Each row is counted once, whatever the number of holds on it, so the lines
    add up to the rows kept under a hold; then one line per system and reason for every other row
    not deleted (:class:`KeptReason`), so every row the table counts as pseudonymised or kept has
    its reason."""
    groups: dict[tuple[str, tuple[tuple[str, str], ...]], list[Any]] = {}
    for row in plan.rows:
        if not row.holds:
            continue
        cites = tuple(dict.fromkeys((h.statute, h.ground) for h in row.holds))
        entry = groups.setdefault((row.system, cites), [0, None, {}, False])
        entry[0] += 1
        for hold in row.holds:
            if hold.until is None:
                entry[3] = True
            elif entry[1] is None or hold.until > entry[1]:
                entry[1] = hold.until
        for column in row.kept:
            shown = _field_label(register, row.system, row.table, column, t.lang)
            entry[2][shown] = None
    out = []
    unheld: dict[tuple[str, KeptReason | None], list[RowErasure]] = {}
    for row in plan.rows:
        if not row.holds and row.fate is not Fate.delete:
            unheld.setdefault((row.system, row.kept_reason), []).append(row)
    for (system, cites), (rows, until, fields, open_ended) in groups.items():
        shared = {
            "table": names.get(system, system),
            "statute": "; ".join(_statute(law, t) for law, _ in cites),
            "ground": "; ".join(dict.fromkeys(_ground(g, t) for _, g in cites)),
            "fields": ", ".join(fields) or "–",
        }
        if isinstance(until, date) and not open_ended:
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
    others = [
        para(_unheld_line(reason, rows, names.get(system, system), t))
        for (system, reason), rows in unheld.items()
    ]
    return out, others


def _unheld_line(reason: KeptReason | None, rows: list[RowErasure], table: str, t: Texts) -> str:
    """Why ``rows`` (kept by no law) stay, in words for the person: every row that is not
    deleted has a reason (the plan's :class:`KeptReason`)."""
    n = len(rows)
    if reason is KeptReason.not_theirs:
        return t.ngettext(
            "{table}: {n} row is not about you (for example a product or a store your data "
            "refers to) and stays unchanged.",
            "{table}: {n} rows are not about you (for example a product or a store your data "
            "refers to) and stay unchanged.",
            n,
            table=table,
        )
    if reason is KeptReason.shared:
        others = sum(r.shared_with for r in rows)
        return t.ngettext(
            "{table}: {n} row is also used by others ({others} other records refer to it), so "
            "it stays.",
            "{table}: {n} rows are also used by others ({others} other records refer to them), "
            "so they stay.",
            n,
            table=table,
            others=others,
        )
    if reason is KeptReason.weak_identity:
        return t.ngettext(
            "{table}: {n} row was found only through an identifier that many people share, so "
            "we did not change it. Contact us if you can show that it is about you.",
            "{table}: {n} rows were found only through an identifier that many people share, "
            "so we did not change them. Contact us if you can show that they are about you.",
            n,
            table=table,
        )
    if reason is KeptReason.processor:
        return t.ngettext(
            "{table}: {n} row is held by us on behalf of another organisation, which decides "
            "whether it is erased (Art. 28(3)(e)).",
            "{table}: {n} rows are held by us on behalf of another organisation, which decides "
            "whether they are erased (Art. 28(3)(e)).",
            n,
            table=table,
        )
    if reason is KeptReason.detached:
        return t.ngettext(
            "{table}: {n} record that referred to you stays, no longer linked to you.",
            "{table}: {n} records that referred to you stay, no longer linked to you.",
            n,
            table=table,
        )
    if reason is KeptReason.already_erased or not any(r.changes for r in rows):
        return t.ngettext(
            "{table}: {n} more row had already been erased earlier.",
            "{table}: {n} more rows had already been erased earlier.",
            n,
            table=table,
        )
    return t.ngettext(
        "{table}: {n} more row is kept by no law: its personal data was erased and only what "
        "cannot identify you without other data we hold remains.",
        "{table}: {n} more rows are kept by no law: their personal data was erased and only "
        "what cannot identify you without other data we hold remains.",
        n,
        table=table,
    )


def erasure_recipients(register: Register, plan: ErasurePlan, lang: str) -> list[str]:
    """The recipients told of an erasure (Art. 19): the register's recipients of the activities
    that process the categories erased (a deleted row's every field, a kept row's changed ones)."""
    found: dict[str, None] = {}
    for row in plan.rows:
        if row.fate is not Fate.delete and not row.changes:
            continue
        table = register.table(row.system, row.table)
        columns = table.fields if row.fate is Fate.delete else row.changes
        categories = {table.fields[c].category for c in columns if c in table.fields}
        for a in table.activities:
            act = register.activities[a]
            if categories & set(act.categories) or not act.categories:
                found.update(dict.fromkeys(act.recipients))
    return [register.recipients[k].name.get(lang) for k in found if k in register.recipients]


def _receipt(
    title: str,
    sections: list[Section],
    *,
    controller: Mapping[str, Any],
    complaint: Mapping[str, Any] | None,
    t: Texts,
    at: datetime,
    appendix: Section | None = None,
) -> Document:
    """A receipt: what was done (``sections``), the complaint route (Art. 12(4)), then the
    contact, and the technical appendix; dated. The body names no identity kind and no table:
    those are in the appendix."""
    meta = (
        para(
            t.gettext(
                "{controller} · carried out {date}",
                controller=controller["name"],
                date=at.date().isoformat(),
            )
        ),
    )
    route = complaint_section(complaint or authority_info(None, t.lang), t)
    return Document(
        title=title,
        lang=t.lang,
        header=str(controller["name"]),
        meta=meta,
        sections=(
            *sections,
            route,
            contact_section(controller, t),
            *([appendix] if appendix else []),
        ),
    )


def _identity_kinds(identities: Sequence[Any], register: Register | None, lang: str) -> str:
    kinds = sorted({i.kind for i in identities})
    known = register.taxonomy.identity_kinds if register is not None else {}
    shown = []
    for k in kinds:
        if k in known:
            shown.append(known[k].label.get(lang))
        elif k in BUILTIN_IDENTITY_KINDS:
            builtin = BUILTIN_IDENTITY_KINDS[k]
            shown.append(builtin.sv if lang == "sv" else builtin.en)
        else:
            shown.append(k)
    return ", ".join(shown)


def _appendix(
    t: Texts,
    kinds: str,
    rows: Sequence[Sequence[Cell]],
    header: Sequence[str],
    widths: tuple[float, ...],
) -> Section:
    blocks: list[Block] = [
        para(
            t.gettext("Technical details, for anyone who checks this receipt against our systems.")
        ),
        para(bold(t.gettext("Request made with: {kinds}", kinds=kinds))),
    ]
    if rows:
        blocks.append(table(header, rows, widths))
    return Section(t.gettext("Appendix: technical details"), "appendix", tuple(blocks))


def receipt_document(
    plan: ErasurePlan,
    receipts: Sequence[SystemReceipt],
    *,
    controller: Mapping[str, Any],
    system_names: Mapping[str, str],
    lang: str,
    at: datetime,
    complaint: Mapping[str, Any] | None = None,
    register: Register | None = None,
) -> Document:
    """The erasure receipt: per system what was deleted, pseudonymised (a key or keyed hash
    remains) and kept, with the content hash of what was written (a reviewer with the journal
    can recompute it), and the legal ground for every field kept (Art. 17(3)); the recipients
    told (Art. 19, with ``register``); the complaint route (Art. 12(4)); technical names only in
    the appendix."""
    t = texts_for(lang)
    shown = [r for r in receipts if not r.skipped or r.deleted or r.updated]
    rows = [
        (
            cell(system_names.get(r.system, r.system)),
            cell(str(r.deleted)),
            cell(str(r.updated)),
            cell(str(r.kept + r.missing)),
            cell(str(r.deleted + r.updated + r.kept + r.missing)),
            cell(r.content_hash.removeprefix("sha256:")[:16]),
        )
        for r in shown
    ]
    if len(rows) > 1:
        deleted = sum(r.deleted for r in shown)
        updated = sum(r.updated for r in shown)
        kept = sum(r.kept + r.missing for r in shown)
        rows.append(
            (
                cell(bold(t.gettext("In all"))),
                cell(str(deleted)),
                cell(str(updated)),
                cell(str(kept)),
                cell(str(deleted + updated + kept)),
                cell(""),
            )
        )
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
        blocks.append(
            para(
                t.gettext(
                    "Pseudonymised rows keep a number or a keyed hash that can still be linked "
                    "to you with other information we hold; they are not anonymous."
                )
            )
        )
    else:
        blocks.append(para(t.gettext("No data was changed.")))
    if register is not None:
        told = erasure_recipients(register, plan, lang)
        art19 = article("19", t)
        blocks.append(
            para(
                bold(
                    t.gettext(
                        "Recipients of the data, whom we tell of the erasure ({article})",
                        article=art19,
                    )
                    + ": "
                ),
                ", ".join(told) or t.gettext("none"),
            )
        )
    sections = [Section(t.gettext("What we did"), "receipt", tuple(blocks))]
    kept_lines, other_lines = _kept_lines(plan, system_names, t, register)
    if kept_lines:
        note = t.gettext(
            "The rows kept under a legal hold are among the rows counted above: as pseudonymised "
            "where their other fields were erased, as kept where nothing else could be erased."
        )
        sections.append(Section(t.gettext("Data kept by law"), "kept", (para(note), *kept_lines)))
    if other_lines:
        sections.append(
            Section(t.gettext("Other rows not deleted, and why"), "kept-other", tuple(other_lines))
        )
    per_table: dict[tuple[str, str], list[int]] = {}
    for row in plan.rows:
        counts = per_table.setdefault((row.system, row.table), [0, 0, 0])
        counts[0 if row.fate is Fate.delete else 1 if row.changes else 2] += 1
    technical = [
        (cell(system_names.get(s, s)), cell(tn), *(cell(str(n)) for n in counts))
        for (s, tn), counts in per_table.items()
    ]
    tech_header = (
        t.gettext("System"),
        t.gettext("Table"),
        t.gettext("Rows deleted"),
        t.gettext("Rows pseudonymised"),
        t.gettext("Rows kept"),
    )
    kinds = _identity_kinds(plan.identities, register, lang)
    appendix = _appendix(t, kinds, technical, tech_header, (2.5, 2, 1, 1, 1))
    title = t.gettext("Erasure receipt")
    return _receipt(
        title, sections, controller=controller, complaint=complaint, t=t, at=at, appendix=appendix
    )


def receipt_pdf(
    plan: ErasurePlan,
    receipts: Sequence[SystemReceipt],
    *,
    controller: Mapping[str, Any],
    system_names: Mapping[str, str],
    lang: str,
    at: datetime,
    complaint: Mapping[str, Any] | None = None,
    register: Register | None = None,
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
        register=register,
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
    register: Register | None = None,
) -> Document:
    """The rectification receipt: which data was corrected in which system (labels, never
    values), what a legal hold keeps as recorded, the recipients told or still to tell (Art. 19),
    the complaint route (Art. 12(4)); tables and columns only in the appendix."""
    t = texts_for(lang)
    changed: dict[str, list[Any]] = {}
    held: dict[str, dict[str, None]] = {}
    technical: dict[tuple[str, str], list[Any]] = {}
    for row in plan.rows:
        if row.changes:
            entry = changed.setdefault(row.system, [0, {}])
            entry[0] += 1
            for column in sorted(row.changes):
                entry[1][_field_label(register, row.system, row.table, column, lang)] = None
            tech = technical.setdefault((row.system, row.table), [0, {}])
            tech[0] += 1
            tech[1].update(dict.fromkeys(sorted(row.changes)))
        if row.held:
            labels = (_field_label(register, row.system, row.table, c, lang) for c in row.held)
            held.setdefault(row.system, {}).update(dict.fromkeys(labels))
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
        (cell(system_names.get(s, s)), cell(str(n)), cell(", ".join(fields)))
        for s, (n, fields) in changed.items()
    ]
    if rows:
        header = (t.gettext("System"), t.gettext("Rows"), t.gettext("Fields corrected"))
        blocks.append(table(header, rows, (3, 1, 4)))
    else:
        blocks.append(para(t.gettext("No data was changed.")))
    for s, fields in held.items():
        text = t.gettext(
            "{table}: {fields} stay as recorded; an accounting record is corrected by a new "
            "voucher (Swedish Accounting Act, chapter 5 section 5).",
            table=system_names.get(s, s),
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
    sections = [Section(t.gettext("What we did"), "receipt", tuple(blocks))]
    tech_rows = [
        (cell(system_names.get(s, s)), cell(tn), cell(str(n)), cell(", ".join(cols)))
        for (s, tn), (n, cols) in technical.items()
    ]
    tech_header = (
        t.gettext("System"),
        t.gettext("Table"),
        t.gettext("Rows"),
        t.gettext("Column"),
    )
    kinds = _identity_kinds(plan.identities, register, lang)
    return _receipt(
        t.gettext("Rectification receipt"),
        sections,
        controller=controller,
        complaint=complaint,
        t=t,
        at=at,
        appendix=_appendix(t, kinds, tech_rows, tech_header, (2.5, 2, 1, 3)),
    )


#: The four points of Art. 18(1), as the receipt gives the ground.
_GROUNDS = {
    Ground.accuracy_contested: N_("you contest the accuracy of the data, while we check it"),
    Ground.unlawful_kept: N_(
        "the processing is unlawful and you asked for restriction instead of erasure"
    ),
    Ground.legal_claims: N_("we no longer need the data, but you need it for legal claims"),
    Ground.objection_pending: N_("you have objected, while we weigh our grounds against yours"),
}
_POINTS = {
    Ground.accuracy_contested: "18(1)(a)",
    Ground.unlawful_kept: "18(1)(b)",
    Ground.legal_claims: "18(1)(c)",
    Ground.objection_pending: "18(1)(d)",
}


def restriction_recipients(register: Register, plan: RestrictionPlan, lang: str) -> list[str]:
    """The recipients told of a restriction (Art. 19): those of the activities the restricted
    tables serve."""
    found: dict[str, None] = {}
    for row in plan.pinned:
        for a in register.table(row.system, row.table).activities:
            found.update(dict.fromkeys(register.activities[a].recipients))
    return [register.recipients[k].name.get(lang) for k in found if k in register.recipients]


def restriction_document(
    plan: RestrictionPlan,
    *,
    ground: Ground,
    controller: Mapping[str, Any],
    system_names: Mapping[str, str],
    lang: str,
    at: datetime,
    complaint: Mapping[str, Any] | None = None,
    register: Register | None = None,
) -> Document:
    """The restriction receipt (Art. 18): the ground, what processing is still allowed (18(2)),
    that the person is told before it is lifted (18(3)), the rows restricted per system, the
    recipients told (Art. 19, with ``register``) and the complaint route (Art. 12(4)); tables
    and identity kinds only in the appendix."""
    t = texts_for(lang)
    per_system: dict[str, int] = {}
    per_table: dict[tuple[str, str], int] = {}
    for row in plan.pinned:
        per_system[row.system] = per_system.get(row.system, 0) + 1
        per_table[(row.system, row.table)] = per_table.get((row.system, row.table), 0) + 1
    blocks: list[Block] = [
        para(
            t.gettext(
                "This receipt shows how we restricted the processing of your personal data "
                "when you asked for it ({article}). The ground: {ground} ({point}).",
                article=article("18", t),
                ground=t.gettext(_GROUNDS[ground]),
                point=article(_POINTS[ground], t),
            )
        ),
        para(
            t.gettext(
                "While the restriction applies we only store the data. We use it otherwise only "
                "with your consent, for legal claims, to protect another person's rights or for "
                "an important public interest ({article}). We will tell you before the "
                "restriction is lifted ({notice}).",
                article=article("18(2)", t),
                notice=article("18(3)", t),
            )
        ),
    ]
    rows = [(cell(system_names.get(s, s)), cell(str(n))) for s, n in per_system.items()]
    if rows:
        header = (t.gettext("System"), t.gettext("Rows restricted"))
        blocks.append(table(header, rows, (4, 1)))
    else:
        blocks.append(para(t.gettext("No data was changed.")))
    if register is not None:
        told = restriction_recipients(register, plan, lang)
        blocks.append(
            para(
                bold(
                    t.gettext(
                        "Recipients of the data, whom we tell of the restriction ({article})",
                        article=article("19", t),
                    )
                    + ": "
                ),
                ", ".join(told) or t.gettext("none"),
            )
        )
    tech_rows = [
        (cell(system_names.get(s, s)), cell(tn), cell(str(n))) for (s, tn), n in per_table.items()
    ]
    tech_header = (t.gettext("System"), t.gettext("Table"), t.gettext("Rows restricted"))
    kinds = _identity_kinds(plan.identities, register, lang)
    return _receipt(
        t.gettext("Restriction receipt"),
        [Section(t.gettext("What we did"), "receipt", tuple(blocks))],
        controller=controller,
        complaint=complaint,
        t=t,
        at=at,
        appendix=_appendix(t, kinds, tech_rows, tech_header, (2.5, 2, 1)),
    )
