"""The notification of a personal data breach to IMY (GDPR Art. 33), as a document.

IMY takes notifications through an e-service form. :func:`imy_fields` fills its fields, in the
form's order and numbered, from the breach register's record and the register (the controller,
its DPO, the categories of people and data, which categories are special, Art. 9 and 10); a field
Varna cannot know is written "to fill in" ("att fylla i"), never invented. :func:`imy_document`
lays them out as a table to paste from or print (HTML, and PDF through Typst). Counts and
categories only: the record holds no person's data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from varna.register.model import Register
from varna.render.document import Document, Section, cell, para, table
from varna.texts.catalog import N_, Texts, texts_for

#: The fields of IMY's breach form, in its order (labels in English; the catalogs give Swedish).
FIELDS: tuple[tuple[str, str], ...] = (
    ("organisation", N_("Name of the organisation")),
    ("org_number", N_("Organisation number")),
    ("address", N_("Postal address")),
    ("contact_person", N_("Contact person for this notification")),
    ("contact_reach", N_("Contact person's telephone and e-mail")),
    ("dpo", N_("Data protection officer")),
    ("type", N_("Type of notification")),
    ("imy_reference", N_("IMY's reference of an earlier notification")),
    ("occurred", N_("When the breach occurred")),
    ("ongoing", N_("Is the breach still going on?")),
    ("discovered", N_("When the breach was discovered")),
    ("aware", N_("When the organisation became aware of the breach")),
    ("how_discovered", N_("How the breach was discovered")),
    ("late", N_("Reasons for notifying later than 72 hours")),
    ("description", N_("What happened")),
    ("nature", N_("Kind of breach")),
    ("cause", N_("Cause of the breach")),
    ("systems", N_("Systems and data concerned")),
    ("subjects", N_("Categories of people concerned")),
    ("people", N_("Approximate number of people concerned")),
    ("categories", N_("Categories of personal data concerned")),
    ("special", N_("Special categories of personal data (Art. 9) or data on offences (Art. 10)")),
    ("records", N_("Approximate number of records concerned")),
    ("consequences", N_("Likely consequences for the people concerned")),
    ("risk", N_("The organisation's assessment of the risk")),
    ("measures_taken", N_("Measures taken")),
    ("measures_proposed", N_("Measures proposed")),
    ("informed", N_("Have the people concerned been informed?")),
    ("informed_how", N_("How and when the people were informed")),
    ("not_informed", N_("If they were not informed: why")),
    ("cross_border", N_("Does the breach concern people in other EU/EEA countries?")),
    ("authorities", N_("Other authorities informed (e.g. the police)")),
    ("processor", N_("Processor involved")),
    ("supplements", N_("Supplements")),
    ("breach_ref", N_("The organisation's own reference")),
)

NATURES = {
    "confidentiality": N_("Confidentiality (data disclosed or accessed without authorisation)"),
    "integrity": N_("Integrity (data altered without authorisation)"),
    "availability": N_("Availability (data lost or destroyed)"),
}
RISKS = {
    "none": N_("No risk: unlikely to result in a risk to people's rights and freedoms"),
    "risk": N_("Risk to people's rights and freedoms"),
    "high": N_("High risk to people's rights and freedoms (Art. 34)"),
}
TYPES = {
    "complete": N_("Complete notification"),
    "phases": N_("Notification in phases (more information will follow)"),
    "supplement": N_("Supplement to an earlier notification"),
}


def _when(value: str | None) -> str | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _contact(contact: Any, lang: str) -> str | None:
    if contact is None:
        return None
    parts = [contact.name.get(lang) if contact.name else None, contact.email, contact.phone]
    return ", ".join(p for p in parts if p) or None


def imy_fields(
    breach: Mapping[str, Any], register: Register, *, lang: str = "sv"
) -> list[tuple[str, str, str]]:
    """(number, label, value) of each field of IMY's form, filled from ``breach`` (as
    :meth:`Breach.as_dict`) and ``register``; unknown values read "to fill in"."""
    t = texts_for(lang)
    record: Mapping[str, Any] = breach.get("record", {})
    fill = t.gettext("to fill in")
    values = _values(breach, record, register, t, lang)
    return [
        (str(number), t.gettext(label), values.get(key) or fill)
        for number, (key, label) in enumerate(FIELDS, start=1)
    ]


def _values(
    breach: Mapping[str, Any],
    record: Mapping[str, Any],
    register: Register,
    t: Texts,
    lang: str,
) -> dict[str, str | None]:
    controller = register.controller
    address = controller.address
    where = None
    if address is not None:
        data = address.model_dump(exclude_none=True)
        where = ", ".join(str(v) for v in data.values() if isinstance(v, str)) or None
    yes, no = t.gettext("Yes"), t.gettext("No")
    subjects = [
        register.subjects[k].label.get(lang)
        for k in record.get("subject_categories") or record.get("scope_subjects") or []
        if k in register.subjects
    ]
    categories, special = [], []
    for key in record.get("data_categories") or record.get("scope_categories") or []:
        try:
            resolved = register.category(key)
        except KeyError:
            continue
        categories.append(resolved.label.get(lang))
        if resolved.special is not None:
            special.append(resolved.label.get(lang))
    notices = record.get("notices") or []
    sent = sum(int(n.get("sent", 0)) for n in notices)
    risk = breach.get("risk")
    kind = record.get("notification_type")
    supplements = record.get("supplements") or []
    window_end = record.get("window_end")
    counted = record.get("counted") or {}
    systems = list(record.get("systems") or [])
    system_text = ", ".join(f"{s} ({counted[s]})" if s in counted else s for s in systems) or None
    if window_end or record.get("window_start"):
        system_text = (
            (system_text or "")
            + " · "
            + t.gettext(
                "time window {start} to {end}",
                start=_when(record.get("window_start")) or "?",
                end=_when(window_end) or "?",
            )
        )
    people = record.get("people_approx")
    return {
        "organisation": controller.name,
        "org_number": controller.org_number,
        "address": where,
        "contact_person": None,
        "contact_reach": None,
        "dpo": _contact(controller.dpo, lang),
        "type": t.gettext(TYPES[kind]) if kind in TYPES else None,
        "imy_reference": record.get("imy_reference"),
        "occurred": _when(record.get("occurred_at")),
        "ongoing": None,
        "discovered": _when(record.get("discovered_at")),
        "aware": _when(breach.get("aware_at")),
        "how_discovered": record.get("how_discovered"),
        "late": record.get("late_reason"),
        "description": record.get("description") or record.get("title"),
        "nature": "; ".join(t.gettext(NATURES[n]) for n in record.get("nature") or []) or None,
        "cause": None,
        "systems": system_text,
        "subjects": ", ".join(subjects) or None,
        "people": (
            None
            if people is None
            else t.gettext("about {n}", n=people)
            + (" " + t.gettext("(rows counted)") if record.get("people_counted_as_rows") else "")
        ),
        "categories": ", ".join(categories) or None,
        "special": (", ".join(special) if special else no) if categories else None,
        "records": (
            None
            if record.get("records_approx") is None
            else t.gettext("about {n}", n=record["records_approx"])
        ),
        "consequences": record.get("consequences"),
        "risk": (
            t.gettext(RISKS[risk])
            + (f" {record['risk_reason']}" if record.get("risk_reason") else "")
            if risk in RISKS
            else None
        ),
        "measures_taken": record.get("measures_taken"),
        "measures_proposed": record.get("measures_proposed"),
        "informed": (yes if sent else (no if risk is not None else None)),
        "informed_how": (
            t.gettext("By e-mail, {n} people, {at}", n=sent, at=_when(notices[-1]["at"]))
            if sent
            else None
        ),
        "not_informed": (
            t.gettext("The risk is not assessed as high (Art. 34(1))")
            if risk in ("none", "risk")
            else None
        ),
        "cross_border": (
            None
            if record.get("cross_border") is None
            else (yes if record.get("cross_border") else no)
        ),
        "authorities": record.get("other_authorities"),
        "processor": record.get("processor"),
        "supplements": " | ".join(f"{_when(s['at'])}: {s['text']}" for s in supplements) or None,
        "breach_ref": str(breach.get("ref")),
    }


def imy_document(breach: Mapping[str, Any], register: Register, *, lang: str = "sv") -> Document:
    """The notification as a document: the numbered fields in a table, ready to paste."""
    t = texts_for(lang)
    rows = [
        (cell(number), cell(label), cell(*[para(line) for line in value.splitlines() or [""]]))
        for number, label, value in imy_fields(breach, register, lang=lang)
    ]
    fields = table(
        [t.gettext("No."), t.gettext("Field"), t.gettext("Answer")], rows, [0.6, 3.4, 6.0]
    )
    name = register.controller.name or t.gettext("the controller")
    intro = para(
        t.gettext(
            "The fields of IMY's e-service for reporting a personal data breach (Art. 33), "
            'filled from the breach register. Fields marked "to fill in" are not known to '
            "Varna: fill them in when you report."
        )
    )
    return Document(
        title=t.gettext("Personal data breach {ref}: notification to IMY", ref=breach["ref"]),
        lang=lang,
        header=name,
        meta=(intro,),
        sections=(Section(t.gettext("The form's fields"), "fields", (fields,)),),
    )
