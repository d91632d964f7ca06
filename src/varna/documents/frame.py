"""What every document to a person ends with: who the controller is and how to reach them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from varna.register.parties import IMY, SupervisoryAuthority
from varna.render.document import Section, bold, para
from varna.texts.catalog import Texts
from varna.texts.glossary import term


def contact_section(controller: Mapping[str, Any], t: Texts) -> Section:
    """The controller's name, registration number, address and contacts, and the DPO's
    (Art. 13(1)(a)-(b), which Art. 15 and the receipts repeat)."""
    address = controller.get("address") or {}
    where = ", ".join(str(address[k]) for k in ("street", "postal_code", "city") if address.get(k))
    lines = [
        para(bold(f"{upper_first(term('controller', t))}: "), str(controller["name"])),
        para(t.gettext("Company registration number: {number}", number=controller["org_number"])),
    ]
    if where:
        lines.append(para(where))
    contact = controller.get("contact") or {}
    lines += [para(str(v)) for k, v in contact.items() if k in ("email", "phone")]
    dpo = controller.get("dpo")
    if dpo:
        reach = ", ".join(_words(dpo[k], t.lang) for k in ("name", "email", "phone") if dpo.get(k))
        lines.append(para(bold(t.gettext("Data protection officer") + ": "), reach))
    return Section(t.gettext("Contact"), "contact", tuple(lines))


def authority_info(authority: SupervisoryAuthority | None, lang: str) -> dict[str, Any]:
    """The supervisory authority as the documents show it (IMY unless the register names
    another): name, website, e-mail and postal address."""
    a = authority or IMY
    return {
        "article": "GDPR Art. 77",
        "authority": a.name.get(lang),
        "website": a.website,
        "email": a.email,
        "address": a.address.model_dump(mode="json") if a.address else None,
    }


def complaint_section(complaint: Mapping[str, Any], t: Texts) -> Section:
    """The right to complain to the supervisory authority (Art. 77; 12(4), 15(1)(f)), with
    how to reach it."""
    text = t.gettext("You may lodge a complaint with the supervisory authority:")
    body = [para(text, " ", bold(str(complaint["authority"])))]
    address = complaint.get("address") or {}
    where = ", ".join(str(address[k]) for k in ("street", "postal_code", "city") if address.get(k))
    reach = [x for x in (where, complaint.get("email"), complaint.get("website")) if x]
    if reach:
        body.append(para(", ".join(str(x) for x in reach)))
    return Section(t.gettext("Complaints"), "complaint", tuple(body))


def _words(value: Any, lang: str) -> str:
    """A register value as dumped to JSON: a plain string, or ``{sv: ..., en: ...}`` (a name the
    register writes in both languages) in ``lang``, falling back to Swedish."""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("sv"))
    return str(value)


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]
