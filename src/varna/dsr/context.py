"""What comes with each category of data in a register extract (Art. 15(1)(a)-(d), (g), (h), 15(2)).

For each category found in the person's rows: the activities that process it (purpose, legal
bases with the statute, retention as text, sources, recipients with country and transfer
safeguard, automated decisions) and the legal holds that keep it even after an erasure request.
An activity counts for a category when a table the category was found in serves the activity and
the activity lists the category; a table whose activities list none of its categories gives all
its activities, so no data is shown without a purpose.
"""

from __future__ import annotations

import weakref
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from varna.dsr.values import json_value
from varna.law.countries import EEA_COUNTRIES, EEA_TERRITORIES
from varna.law.transfers import TransferMechanism, assess_transfer
from varna.register.activities import Activity, SourceKind
from varna.register.model import Register
from varna.texts.catalog import Texts, texts_for
from varna.texts.citations import article, statute
from varna.texts.glossary import BASES, MECHANISMS, RECIPIENT_KINDS, SOURCES, label
from varna.texts.retention import retention_sentence


@dataclass(frozen=True, slots=True)
class BasisInfo:
    basis: str
    label: str
    article: str
    statute: str | None
    interest: str | None


@dataclass(frozen=True, slots=True)
class RecipientInfo:
    key: str
    name: str
    kind: str
    purpose: str
    country: str | None
    third_country: bool
    safeguard: str | None
    reference: str | None
    copy_available_at: str | None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = json_value(asdict(self))
        return data


@dataclass(frozen=True, slots=True)
class HoldInfo:
    key: str
    name: str
    statute: str
    article: str
    retention: str


@dataclass(frozen=True, slots=True)
class DecisionInfo:
    solely_automated: bool
    profiling: bool
    legal_effect: bool
    logic: str
    significance: str


@dataclass(frozen=True, slots=True)
class Processing:
    """One activity that processes a category."""

    activity: str
    name: str
    purpose: str
    legal_bases: tuple[BasisInfo, ...]
    retention: str
    sources: tuple[str, ...]
    recipients: tuple[RecipientInfo, ...]
    automated_decision: DecisionInfo | None


@dataclass(frozen=True, slots=True)
class CategoryUse:
    """A category of the person's data and everything Art. 15 says comes with it."""

    key: str
    label: str
    special: str | None
    found_in: tuple[str, ...]
    processing: tuple[Processing, ...]
    legal_holds: tuple[HoldInfo, ...]

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = json_value(asdict(self))
        return data


def recipient_info(register: Register, key: str, lang: str, on: date) -> RecipientInfo:
    r, t = register.recipients[key], texts_for(lang)
    outside = r.country is not None and not (
        r.country in EEA_COUNTRIES or r.country in EEA_TERRITORIES
    )
    safeguard = None
    if r.transfer is not None:
        safeguard = label(MECHANISMS, r.transfer.mechanism, t)
    elif outside and r.country and not assess_transfer(r.country, None, on=on).needs_mechanism:
        safeguard = label(MECHANISMS, TransferMechanism.ADEQUACY, t)
    transfer = r.transfer
    return RecipientInfo(
        key=key,
        name=r.name.get(lang),
        kind=label(RECIPIENT_KINDS, r.kind, t),
        purpose=r.purpose.get(lang),
        country=r.country,
        third_country=outside,
        safeguard=safeguard,
        reference=transfer.reference.get(lang) if transfer and transfer.reference else None,
        copy_available_at=transfer.copy_available_at if transfer else None,
    )


def _source(kind: SourceKind, name: str | None, t: Texts) -> str:
    """``Från offentliga register (SPAR)``: where an item came from (Art. 15(1)(g))."""
    text = t.gettext("From {source}", source=label(SOURCES, kind, t))
    return f"{text} ({name})" if name else text


def _processing(register: Register, key: str, extra: list[str], lang: str, on: date) -> Processing:
    act, t = register.activities[key], texts_for(lang)
    bases = tuple(
        BasisInfo(
            b.basis.value,
            label(BASES, b.basis, t),
            article(f"6(1)({b.basis.letter})", t),
            statute(b.statute, t) if b.statute else None,
            b.interest.get(lang) if b.interest else None,
        )
        for b in act.legal_bases
    )
    sources = tuple(_source(s.kind, s.name.get(lang) if s.name else None, t) for s in act.sources)
    decision = act.automated_decision
    return Processing(
        activity=key,
        name=act.name.get(lang),
        purpose=act.purpose.get(lang),
        legal_bases=bases,
        retention=retention_sentence(act.retention, register, t),
        sources=sources,
        recipients=tuple(
            recipient_info(register, r, lang, on) for r in dict.fromkeys([*act.recipients, *extra])
        ),
        automated_decision=DecisionInfo(
            decision.solely_automated,
            decision.profiling,
            decision.legal_effect,
            decision.logic.get(lang),
            decision.significance.get(lang),
        )
        if decision
        else None,
    )


Uses = tuple[tuple[CategoryUse, ...], tuple[RecipientInfo, ...], tuple[Activity, ...]]
_MEMO: dict[int, tuple[weakref.ref[Register], dict[tuple[Any, ...], Uses]]] = {}
_MEMO_SIZE = 256


def category_uses(
    register: Register, tables: list[tuple[str, str]], *, lang: str, on: date
) -> Uses:
    """Per category found in ``tables``: its processing and holds; and every recipient and
    activity involved. Remembered per register (the answer depends only on these arguments),
    so a queue of requests does not rebuild it."""
    ref, memo = _MEMO.get(id(register), (None, {}))
    if ref is None or ref() is not register:
        memo, key_id = {}, id(register)
        _MEMO[key_id] = (weakref.ref(register, lambda _: _MEMO.pop(key_id, None)), memo)
    key = (tuple(tables), lang, on)
    if key not in memo:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        uses, recipients, activities = _category_uses(register, tables, lang=lang, on=on)
        memo[key] = (tuple(uses), tuple(recipients), tuple(activities))
    return memo[key]


def _category_uses(
    register: Register, tables: list[tuple[str, str]], *, lang: str, on: date
) -> tuple[list[CategoryUse], list[RecipientInfo], list[Activity]]:
    found_in: dict[str, list[str]] = {}
    acts: dict[str, dict[str, list[str]]] = {}
    holds: dict[str, dict[str, None]] = {}
    for skey, tname in tables:
        table, system = register.table(skey, tname), register.systems[skey]
        table_holds = [*table.legal_holds]
        for a in table.activities:
            table_holds += register.activities[a].legal_holds
        for spec in table.fields.values():
            cat = spec.category
            found_in.setdefault(cat, []).append(f"{skey}:{tname}")
            listing = [a for a in table.activities if cat in register.activities[a].categories]
            for a in listing or table.activities:
                hosts = acts.setdefault(cat, {}).setdefault(a, [])
                if system.hosted_by and system.hosted_by not in hosts:
                    hosts.append(system.hosted_by)
            for h in table_holds:
                if cat in register.legal_holds[h].categories:
                    holds.setdefault(cat, {})[h] = None
    uses = []
    for cat in sorted(found_in):
        resolved = register.category(cat)
        hold_infos = tuple(_hold(register, h, lang) for h in holds.get(cat, {}))
        processing = tuple(
            _processing(register, a, extra, lang, on) for a, extra in acts.get(cat, {}).items()
        )
        where = tuple(dict.fromkeys(found_in[cat]))
        special = resolved.special.value if resolved.special else None
        uses.append(
            CategoryUse(cat, resolved.label.get(lang), special, where, processing, hold_infos)
        )
    recipients = {r.key: r for u in uses for p in u.processing for r in p.recipients}
    activities = [register.activities[a] for cat in acts.values() for a in cat]
    return uses, [recipients[k] for k in sorted(recipients)], activities


def _hold(register: Register, key: str, lang: str) -> HoldInfo:
    hold, t = register.legal_holds[key], texts_for(lang)
    return HoldInfo(
        key,
        hold.name.get(lang),
        statute(hold.statute, t),
        article(f"17(3)({hold.ground.value})", t),
        retention_sentence(hold.retention, register, t),
    )


def controller_info(register: Register) -> dict[str, Any]:
    """Who is responsible, and how to reach them and their DPO (Art. 15 via 13(1)(a)-(b))."""
    c = register.controller
    return {
        "name": c.name,
        "org_number": c.org_number,
        "address": c.address.model_dump(mode="json") if c.address else None,
        "contact": c.contact.model_dump(mode="json", exclude_none=True) if c.contact else None,
        "dpo": c.dpo.model_dump(mode="json", exclude_none=True) if c.dpo else None,
    }
