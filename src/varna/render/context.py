"""What every part of a document composer needs: the register, the words, and lookups over them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from varna.law.countries import EEA_COUNTRIES, EEA_TERRITORIES
from varna.register.activities import Activity, Basis, Role
from varna.register.model import Register
from varna.register.parties import Address, Contact, Recipient
from varna.render.document import Part, link
from varna.render.wording import Lang, Words, lower_first


def in_eea(country: str) -> bool:
    return country in EEA_COUNTRIES or country in EEA_TERRITORIES


@dataclass
class Context:
    """One composition: the register, the language, and warnings for the person rendering."""

    register: Register
    w: Words
    on: date
    """The date the composition speaks of (adequacy decisions are judged on it)."""
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, register: Register, lang: Lang, *, on: date) -> Context:
        return cls(register, Words(lang), on)

    # -- the register, as a reader meets it -------------------------------------------------
    def activities(self, *, role: Role = Role.controller) -> Iterator[tuple[str, Activity]]:
        """Activities in register order, by role (the policy covers the controller's)."""
        for key, activity in self.register.activities.items():
            if activity.role is role:
                yield key, activity

    def with_basis(self, *bases: Basis) -> list[str]:
        """Names of the controller's activities resting on any of ``bases``."""
        return [
            self.name(key)
            for key, a in self.activities()
            if any(b.basis in bases for b in a.legal_bases)
        ]

    def quoted(self, names: list[str], *, most: int = 4) -> str | None:
        """``”A” och ”B”`` for a few activity names in running text; None when there are more
        than ``most`` (the text then points at the tables instead)."""
        if not names or len(names) > most:
            return None
        left = self.w.pgettext("opening quotation mark", "“")
        right = self.w.pgettext("closing quotation mark", "”")
        return self.w.join([f"{left}{n}{right}" for n in names])

    def name(self, activity_key: str) -> str:
        activity = self.register.activities[activity_key]
        return self.w.text(activity.name, f"activities.{activity_key}.name")

    def recipients(self) -> list[tuple[str, Recipient]]:
        """Recipients the controller's activities disclose to, with their sub-processors."""
        keys: list[str] = []
        for _, activity in self.activities():
            for key in activity.recipients:
                if key not in keys:
                    keys.append(key)
        for key in list(keys):
            recipient = self.register.recipients.get(key)
            for sub in recipient.sub_processors if recipient else ():
                if sub not in keys:
                    keys.append(sub)
        return [(k, self.register.recipients[k]) for k in keys if k in self.register.recipients]

    def category_label(
        self, key: str, *, with_description: bool = False, mark_special: bool = True
    ) -> str:
        category = self.register.category(key)
        label = self.w.text(category.label, f"taxonomy.categories.{key}")
        defined = self.register.taxonomy.categories.get(key)
        if with_description and defined is not None and defined.description is not None:
            label += ": " + lower_first(self.w.text(defined.description).rstrip("."))
        if mark_special and category.special is not None:
            label += self.w.gettext(" (special category)")
        return label

    # -- how to reach the controller ---------------------------------------------------------
    @property
    def privacy_centre(self) -> str | None:
        """The privacy centre, where people exercise their rights, when the deployment has one."""
        return self.register.controller.policy.privacy_centre

    def address(self, address: Address) -> str:
        text = f"{address.street}, {address.postal_code} {address.city}"
        if address.country != "SE":
            text += f", {self.w.country(address.country)}"
        return text

    def reach(self, contact: Contact) -> list[list[Part]]:
        """Ways to reach a contact, each as a labelled line: ``E-post: dpo@…``."""
        w = self.w
        lines: list[list[Part]] = [[w.text(contact.name, "contact.name")]] if contact.name else []
        if contact.email:
            lines.append([w.gettext("E-mail: "), link(contact.email, f"mailto:{contact.email}")])
        if contact.phone:
            lines.append([w.gettext("Telephone: "), contact.phone])
        if contact.website:
            lines.append([w.gettext("Website: "), link(contact.website, contact.website)])
        if contact.address:
            lines.append([w.gettext("Postal address: "), self.address(contact.address)])
        return lines

    def contact_phrase(self) -> list[Part]:
        """``via e-post till info@… eller per telefon på 08-…``, for sentences."""
        w, contact = self.w, self.register.controller.contact
        ways: list[list[Part]] = []
        if contact is None:
            address = self.register.controller.address
            if address is None:
                return [w.say("contact.unknown")]
            contact = Contact(address=address)
        if contact.email:
            ways.append(
                [
                    # Translators: a way to reach us (the address follows); joined by ", ", " or "
                    w.gettext("by e-mail to "),
                    link(contact.email, f"mailto:{contact.email}"),
                ]
            )
        if contact.phone:
            ways.append([w.gettext("by telephone on "), contact.phone])
        if contact.website and not ways:
            ways.append([w.gettext("through "), link(contact.website, contact.website)])
        address = contact.address or self.register.controller.address
        if address is not None:
            ways.append([w.gettext("by post to "), self.address(address)])
        out: list[Part] = []
        for i, way in enumerate(ways):
            if i:
                out.append(", " if i < len(ways) - 1 else w.gettext(" or "))
            out.extend(way)
        return out

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
