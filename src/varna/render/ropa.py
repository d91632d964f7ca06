"""The record of processing activities (registerförteckning), GDPR Art. 30, as rows.

:func:`compose_record` gives two tables: one row per activity where the organisation is controller
with every item of Art. 30(1) (a)-(g), and one row per activity where it is processor with the items
of Art. 30(2) (a)-(d). Every cell is filled: where the register is silent the cell says so, so a
reviewer sees the gap instead of an empty field. The exporters in :mod:`varna.render.ropa_export`
write the rows as xlsx, csv, HTML or PDF.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from varna.law.transfers import assess_transfer
from varna.register.activities import Activity, Basis, Role
from varna.register.model import Register
from varna.register.parties import Contact, Location, RecipientKind
from varna.render import phrases
from varna.render.context import Context, in_eea
from varna.render.labels import RECIPIENT_KINDS, RECORD_SOURCES, label
from varna.render.wording import Lang, lower_first, sentence, upper_first
from varna.texts.catalog import N_


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: int
    """Width in characters for spreadsheets."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """One table of the record: a title, the GDPR provision it meets, columns and rows."""

    title: str
    article: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Record:
    controller: str
    lang: Lang
    on: date
    sheets: tuple[Sheet, ...]


def compose_record(register: Register, lang: Lang = "sv", *, on: date) -> Record:
    """The Art. 30 record of ``register`` as of ``on``."""
    ctx = Context.build(register, lang, on=on)
    w = ctx.w
    controller = [(k, a) for k, a in ctx.activities()]
    processor = list(ctx.activities(role=Role.processor))
    sheets = [
        Sheet(
            w.gettext("Controller"),
            w.gettext("Article 30(1)"),
            _columns(ctx, _CONTROLLER),
            tuple(_controller_row(ctx, k, a) for k, a in controller),
        )
    ]
    if processor:
        sheets.append(
            Sheet(
                w.gettext("Processor"),
                w.gettext("Article 30(2)"),
                _columns(ctx, _PROCESSOR),
                tuple(_processor_row(ctx, k, a) for k, a in processor),
            )
        )
    return Record(register.controller.name or "", lang, on, tuple(sheets))


_CONTROLLER = (
    (N_("Processing activity"), 26),
    (N_("Purposes (b)"), 48),
    (N_("Legal basis"), 40),
    (N_("Controller (a)"), 30),
    (N_("Data protection officer (a)"), 26),
    (N_("Representative (a)"), 20),
    (N_("Categories of data subjects (c)"), 26),
    (N_("Categories of personal data (c)"), 34),
    (N_("Sources"), 24),
    (N_("Recipients (d)"), 36),
    (N_("Transfers to third countries (e)"), 32),
    (N_("Time limits for erasure (f)"), 36),
    (N_("Security measures (g)"), 44),
    (N_("Systems"), 22),
)
_PROCESSOR = (
    (N_("Processing activity"), 26),
    (N_("Processor (a)"), 30),
    (N_("Data protection officer (a)"), 26),
    (N_("Controllers (a)"), 34),
    (N_("Categories of processing (b)"), 48),
    (N_("Data subjects and personal data"), 34),
    (N_("Transfers to third countries (c)"), 32),
    (N_("Security measures (d)"), 44),
)


def _columns(ctx: Context, spec: tuple[tuple[str, int], ...]) -> tuple[Column, ...]:
    return tuple(Column(ctx.w.gettext(title), width) for title, width in spec)


def _controller_row(ctx: Context, key: str, a: Activity) -> tuple[str, ...]:
    w = ctx.w
    bases = [line for b in a.legal_bases for line in phrases.basis_label(b, w)]
    if a.special_category_condition:
        bases += phrases.special_condition(a.special_category_condition, w)
    return (
        ctx.name(key),
        sentence(w.text(a.purpose, f"activities.{key}.purpose")),
        _lines(bases) or w.gettext("No legal basis stated"),
        _controller_contact(ctx),
        _contact(ctx, ctx.register.controller.dpo)
        or w.gettext("No data protection officer appointed"),
        _contact(ctx, ctx.register.controller.representative) or _no_representative(ctx),
        _subjects(ctx, a),
        _categories(ctx, a),
        _sources(ctx, a),
        _recipients(ctx, a),
        _transfers(ctx, a),
        _erasure(ctx, key, a),
        _security(ctx),
        _lines(w.text(ctx.register.systems[s].name) for s in _systems(ctx, key))
        or w.gettext("No systems stated"),
    )


def _no_representative(ctx: Context) -> str:
    address = ctx.register.controller.address
    if address is not None and in_eea(address.country):
        return ctx.w.gettext("Not needed (established in the EU/EEA)")
    return ctx.w.gettext("No representative stated")


def _processor_row(ctx: Context, key: str, a: Activity) -> tuple[str, ...]:
    w = ctx.w
    parties = []
    for party in a.on_behalf_of:
        text = w.text(party.name)
        extra = [
            x
            for x in (
                party.contact and w.text(party.contact, f"activities.{key}.on_behalf_of"),
                party.dpo
                and w.gettext("DPO {dpo}", dpo=w.text(party.dpo, f"activities.{key}.on_behalf_of")),
            )
            if x
        ]
        parties.append(f"{text} ({', '.join(extra)})" if extra else text)
    purpose = f"{ctx.name(key)}: {lower_first(w.text(a.purpose, f'activities.{key}.purpose'))}"
    return (
        ctx.name(key),
        _controller_contact(ctx),
        _contact(ctx, ctx.register.controller.dpo)
        or w.gettext("No data protection officer appointed"),
        _lines(parties) or w.gettext("Not stated"),
        sentence(purpose),
        _lines([_subjects(ctx, a), _categories(ctx, a)]),
        _transfers(ctx, a),
        _security(ctx),
    )


def _lines(items: Iterable[str | None]) -> str:
    return "\n".join(x for x in items if x)


def _controller_contact(ctx: Context) -> str:
    c = ctx.register.controller
    name = c.name or ctx.w.gettext("Name not given in the register")
    head = name + (f", {c.org_number}" if c.org_number else "")
    address = ctx.address(c.address) if c.address else None
    return _lines([head, address, _contact(ctx, c.contact)])


def _contact(ctx: Context, contact: Contact | None) -> str:
    if contact is None:
        return ""
    name = ctx.w.text(contact.name, "contact.name") if contact.name else None
    parts = [name, contact.email, contact.phone, contact.website]
    if contact.address:
        parts.append(ctx.address(contact.address))
    return ", ".join(p for p in parts if p)


def _subjects(ctx: Context, a: Activity) -> str:
    subjects = ctx.register.subjects
    return _lines(ctx.w.text(subjects[s].label) for s in a.subjects if s in subjects)


def _categories(ctx: Context, a: Activity) -> str:
    return _lines(ctx.category_label(c) for c in a.categories)


def _sources(ctx: Context, a: Activity) -> str:
    w = ctx.w
    names = [
        w.text(s.name) if s.name else upper_first(label(RECORD_SOURCES, s.kind, w))
        for s in a.sources
    ]
    return _lines(names) or w.gettext("Not stated")


def _recipients(ctx: Context, a: Activity) -> str:
    w, out = ctx.w, []
    for key in a.recipients:
        r = ctx.register.recipients.get(key)
        if r is None:
            continue
        text = f"{w.text(r.name)} ({lower_first(label(RECIPIENT_KINDS, r.kind, w))})"
        out.append(text + (f", {w.country(r.country)}" if r.country else ""))
    return _lines(out) or w.gettext("No recipients")


def _transfers(ctx: Context, a: Activity) -> str:
    w, out = ctx.w, []
    for key in a.recipients:
        r = ctx.register.recipients.get(key)
        if r is not None and r.country is None:
            if r.location is Location.may_transfer:
                how = phrases.mechanism(r.transfer, w) if r.transfer else None
                out.append(
                    w.gettext("Possible transfer, country not stated: ")
                    + w.text(r.name)
                    + ", "
                    + (how or w.gettext("no safeguard stated"))
                )
            elif r.location in (None, Location.unknown) and r.kind is not RecipientKind.authority:
                out.append(
                    w.gettext("Not established where the recipient processes the data: ")
                    + w.text(r.name)
                )
            continue
        if r is None or r.country is None or in_eea(r.country):
            continue
        if r.transfer is not None:
            how = phrases.mechanism(r.transfer, w)
        elif not assess_transfer(r.country, None, on=ctx.on).needs_mechanism:
            how = w.gettext("adequacy decision (Article 45)")
        else:
            how = w.gettext("no safeguard stated")
        out.append(f"{w.country(r.country)}: {w.text(r.name)}, {how}")
    return _lines(out) or w.gettext("No transfers to third countries")


def _erasure(ctx: Context, key: str, a: Activity) -> str:
    w = ctx.w
    if a.retention is not None:
        first = sentence(
            phrases.retention(a.retention, ctx.register, w, neutral=True, consent=_consent(a))
        )
    elif a.retention_in_words is not None:
        words = w.text(a.retention_in_words.text, f"activities.{key}.retention_in_words")
        first = w.gettext("In words only: {words} (no time limit set).", words=words.rstrip("."))
    else:
        first = w.gettext("No time limit stated.")
    lines = [first]
    for hold_key in a.legal_holds:
        hold = ctx.register.legal_holds.get(hold_key)
        if hold is not None:
            cats = w.join([lower_first(ctx.category_label(c)) for c in hold.categories])
            kept = phrases.kept(hold.retention, ctx.register, w, neutral=True)
            law = phrases.statute(hold.statute, w)
            lines.append(
                w.gettext(
                    "Exception: {cats} are kept {kept} ({law}).", cats=cats, kept=kept, law=law
                )
            )
    return _lines(lines)


def _consent(a: Activity) -> bool:
    return not a.legal_bases or any(b.basis is Basis.consent for b in a.legal_bases)


def _security(ctx: Context) -> str:
    w, security = ctx.w, ctx.register.security
    lines = [sentence(w.text(m)) for m in security.measures]
    if security.restricted_categories:
        cats = w.join(
            [
                lower_first(ctx.category_label(c, mark_special=False))
                for c in security.restricted_categories
            ]
        )
        lines.append(w.gettext("Special authorisation is needed for {cats}.", cats=cats))
    return _lines(lines) or w.gettext("No measures stated")


def _systems(ctx: Context, activity_key: str) -> list[str]:
    return [
        key
        for key, system in ctx.register.systems.items()
        if any(activity_key in t.activities for t in system.tables.values())
    ]
