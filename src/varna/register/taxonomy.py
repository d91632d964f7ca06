"""The built-in vocabulary of the register: data categories, identity kinds and retention anchors.

Data categories carry Swedish and English labels, the fideslang data category they map to (for
interoperability with Fides datasets; every mapping is checked against fideslang's default taxonomy
in the tests) and, for GDPR Art. 9(1) special categories and Art. 10 criminal-offence data, which
kind they are. Organisations extend the vocabulary in their register (``taxonomy:``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from varna.register.types import IdentityStrength


class SpecialKind(StrEnum):
    """Special categories of personal data, GDPR Art. 9(1), and criminal-offence data, Art. 10."""

    racial_or_ethnic_origin = "racial_or_ethnic_origin"
    political_opinions = "political_opinions"
    religious_or_philosophical_beliefs = "religious_or_philosophical_beliefs"
    trade_union_membership = "trade_union_membership"
    genetic = "genetic"
    biometric = "biometric"
    health = "health"
    sex_life_or_orientation = "sex_life_or_orientation"
    criminal_offences = "criminal_offences"


@dataclass(frozen=True, slots=True)
class BuiltinCategory:
    key: str
    sv: str
    en: str
    fideslang: str
    special: SpecialKind | None = None


def _c(
    key: str, sv: str, en: str, fideslang: str, special: SpecialKind | None = None
) -> BuiltinCategory:
    return BuiltinCategory(key, sv, en, fideslang, special)


_H = SpecialKind.health

BUILTIN_CATEGORIES: dict[str, BuiltinCategory] = {
    c.key: c
    for c in (
        # identity
        _c("identity.name", "Namn", "Name", "user.name"),
        _c(
            "identity.personnummer",
            "Personnummer",
            "Personal identity number",
            "user.government_id.national_identification_number",
        ),
        _c(
            "identity.samordningsnummer",
            "Samordningsnummer",
            "Coordination number",
            "user.government_id.national_identification_number",
        ),
        _c(
            "identity.birth_date", "Födelsedatum", "Date of birth", "user.demographic.date_of_birth"
        ),
        _c("identity.age", "Ålder", "Age", "user.demographic.age_range"),
        _c("identity.gender", "Kön", "Gender", "user.demographic.gender"),
        _c("identity.customer_number", "Kundnummer", "Customer number", "user.unique_id"),
        _c("identity.image", "Porträttbild", "Portrait photo", "user.content.self_image"),
        _c("identity.language", "Språk", "Language", "user.demographic.language"),
        # contact
        _c("contact.email", "E-postadress", "E-mail address", "user.contact.email"),
        _c("contact.phone", "Telefonnummer", "Telephone number", "user.contact.phone_number"),
        _c("contact.postal_address", "Postadress", "Postal address", "user.contact.address"),
        _c(
            "contact.postal_area",
            "Postort och postnummer",
            "Postal area",
            "user.contact.address.postal_code",
        ),
        _c(
            "contact.social_media",
            "Konto i sociala medier",
            "Social media account",
            "user.contact.url",
        ),
        # work (representatives of companies and authorities)
        _c("work.title", "Titel och befattning", "Title and position", "user.job_title"),
        _c(
            "work.employer",
            "Arbetsgivare eller organisation",
            "Employer or organisation",
            "user.workplace",
        ),
        _c("work.department", "Avdelning och chef", "Department and manager", "user.workplace"),
        # account
        _c("account.username", "Användarnamn", "Username", "user.account.username"),
        _c(
            "account.credentials",
            "Inloggningsuppgifter",
            "Login credentials",
            "user.authorization.credentials",
        ),
        _c(
            "account.settings",
            "Kontoinställningar och favoriter",
            "Account settings and favourites",
            "user.account.settings",
        ),
        _c(
            "account.subscription",
            "Avtal och abonnemang",
            "Contract and subscriptions",
            "user.behavior.purchase_history",
        ),
        # technical
        _c("technical.ip_address", "IP-adress", "IP address", "user.device.ip_address"),
        _c("technical.mac_address", "MAC-adress", "MAC address", "user.device.device_id"),
        _c("technical.device_id", "Enhets-id", "Device identifier", "user.device.device_id"),
        _c(
            "technical.device_info",
            "Enhets- och webbläsaruppgifter",
            "Device and browser details",
            "user.device",
        ),
        _c(
            "technical.cookie_id",
            "Cookie-identifierare",
            "Cookie identifier",
            "user.device.cookie_id",
        ),
        _c("technical.log", "Tekniska loggar", "Technical logs", "user.telemetry"),
        # usage
        _c(
            "usage.navigation",
            "Navigering och besökta sidor",
            "Navigation and pages visited",
            "user.behavior.browsing_history",
        ),
        _c(
            "usage.behaviour",
            "Digitalt beteende i tjänsten",
            "Behaviour in the service",
            "user.behavior",
        ),
        _c("usage.login_history", "Inloggningshistorik", "Login history", "user.behavior"),
        _c("usage.change_history", "Ändringshistorik", "Change history", "user.behavior"),
        _c(
            "usage.media_consumption",
            "Visat innehåll",
            "Content viewed",
            "user.behavior.media_consumption",
        ),
        _c(
            "usage.preferences",
            "Intressen och rekommendationer",
            "Interests and recommendations",
            "user.demographic.profile",
        ),
        # location
        _c(
            "location.precise",
            "Exakt geografisk position",
            "Precise location",
            "user.location.precise",
        ),
        _c(
            "location.approximate",
            "Ungefärlig geografisk position",
            "Approximate location",
            "user.location.imprecise",
        ),
        # payment and bookkeeping
        _c("payment.bank_account", "Bankkonto", "Bank account", "user.financial.bank_account"),
        _c(
            "payment.iban",
            "IBAN och BIC/SWIFT",
            "IBAN and BIC/SWIFT",
            "user.financial.bank_account",
        ),
        _c("payment.card", "Betalkort", "Payment card", "user.financial.credit_card"),
        _c(
            "payment.autogiro",
            "Autogiromedgivande",
            "Direct debit mandate (autogiro)",
            "user.financial.bank_account",
        ),
        _c("payment.transaction", "Betalningar", "Payments", "user.financial"),
        _c(
            "finance.invoice",
            "Fakturor och verifikationer",
            "Invoices and vouchers",
            "user.financial",
        ),
        _c(
            "finance.order",
            "Offerter och ordrar",
            "Quotes and orders",
            "user.behavior.purchase_history",
        ),
        # communication and content
        _c("correspondence.message", "Korrespondens", "Correspondence", "user.content.private"),
        _c(
            "correspondence.support_case", "Supportärenden", "Support cases", "user.content.private"
        ),
        _c("correspondence.meeting", "Mötesbokningar", "Meeting bookings", "user.content.private"),
        _c(
            "content.user_generated",
            "Användargenererat innehåll",
            "User-generated content",
            "user.content.public",
        ),
        _c(
            "content.survey",
            "Svar på kundundersökningar",
            "Customer survey responses",
            "user.content.private",
        ),
        _c("content.free_text", "Fritext om relationen", "Free-text notes", "user.content.private"),
        _c("content.life_story", "Personberättelser", "Life stories", "user.content.private"),
        _c("media.image", "Bilder", "Images", "user.content.self_image"),
        _c("media.video", "Filmer", "Video", "user.content.private"),
        # marketing
        _c(
            "marketing.preferences",
            "Marknadsföringsval och samtycken",
            "Marketing choices and consents",
            "user.privacy_preferences",
        ),
        # recruitment
        _c("recruitment.cv", "CV", "CV", "user.content.private"),
        _c("recruitment.cover_letter", "Personligt brev", "Cover letter", "user.content.private"),
        _c(
            "recruitment.assessment",
            "Bedömningar i rekryteringen",
            "Recruitment assessments",
            "user.content.private",
        ),
        # special categories, Art. 9(1), and Art. 10
        _c("special.health", "Hälsouppgifter", "Health data", "user.health_and_medical", _H),
        _c(
            "special.genetic",
            "Genetiska uppgifter",
            "Genetic data",
            "user.health_and_medical.genetic",
            SpecialKind.genetic,
        ),
        _c(
            "special.biometric",
            "Biometriska uppgifter",
            "Biometric data",
            "user.biometric",
            SpecialKind.biometric,
        ),
        _c(
            "special.ethnic_origin",
            "Etniskt ursprung",
            "Racial or ethnic origin",
            "user.demographic.race_ethnicity",
            SpecialKind.racial_or_ethnic_origin,
        ),
        _c(
            "special.political_opinions",
            "Politiska åsikter",
            "Political opinions",
            "user.demographic.political_opinion",
            SpecialKind.political_opinions,
        ),
        _c(
            "special.religious_beliefs",
            "Religiös eller filosofisk övertygelse",
            "Religious or philosophical beliefs",
            "user.demographic.religious_belief",
            SpecialKind.religious_or_philosophical_beliefs,
        ),
        _c(
            "special.trade_union",
            "Medlemskap i fackförening",
            "Trade-union membership",
            "user.workplace",
            SpecialKind.trade_union_membership,
        ),
        _c(
            "special.sex_life",
            "Sexualliv eller sexuell läggning",
            "Sex life or sexual orientation",
            "user.demographic.sexual_orientation",
            SpecialKind.sex_life_or_orientation,
        ),
        _c(
            "criminal.offences",
            "Uppgifter om lagöverträdelser",
            "Criminal-offence data",
            "user.criminal_history",
            SpecialKind.criminal_offences,
        ),
    )
}

#: fideslang categories no built-in category names and no parent of theirs maps, which Fides
#: files under another parent than Varna does: ``import-fides`` maps them to these.
FIDESLANG_ALIASES: dict[str, str] = {
    "user.authorization.password": "account.credentials",
    # biometric data used to identify a person is a special category, GDPR Art. 9(1)
    "user.authorization.biometric": "special.biometric",
    "user.contact.fax_number": "contact.phone",
    "user.contact.organization": "work.employer",
}

#: Categories that are bookkeeping records (räkenskapsinformation, Bokföringslagen 1 kap. 2 §).
BOOKKEEPING_CATEGORIES = frozenset({"finance.invoice", "payment.transaction"})

#: Categories that identify a person by national identity number (Dataskyddslagen 3 kap. 10 §).
NATIONAL_ID_CATEGORIES = frozenset({"identity.personnummer", "identity.samordningsnummer"})


@dataclass(frozen=True, slots=True)
class BuiltinLabel:
    key: str
    sv: str
    en: str


def _labels(*rows: tuple[str, str, str]) -> dict[str, BuiltinLabel]:
    return {key: BuiltinLabel(key, sv, en) for key, sv, en in rows}


#: Kinds of identity by which a data-subject request finds a person.
BUILTIN_IDENTITY_KINDS = _labels(
    ("email", "E-postadress", "E-mail address"),
    ("personnummer", "Personnummer eller samordningsnummer", "Personal or coordination number"),
    ("phone", "Telefonnummer", "Telephone number"),
    ("customer_number", "Kundnummer", "Customer number"),
    ("account_id", "Konto-id", "Account id"),
    ("user_id", "Användar-id", "User id"),
    ("ip_address", "IP-adress", "IP address"),
    ("device_id", "Enhets-id", "Device id"),
    ("cookie_id", "Cookie-id", "Cookie id"),
)

#: How surely each built-in identity kind points at one person; a register may declare other
#: kinds (and override these) under ``taxonomy.identity_kinds`` with a ``strength``.
BUILTIN_IDENTITY_STRENGTH: dict[str, IdentityStrength] = {
    "personnummer": IdentityStrength.unique,
    "customer_number": IdentityStrength.unique,
    "account_id": IdentityStrength.unique,
    "user_id": IdentityStrength.unique,
    "email": IdentityStrength.shareable,
    "phone": IdentityStrength.shareable,
    "ip_address": IdentityStrength.weak,
    "device_id": IdentityStrength.weak,
    "cookie_id": IdentityStrength.weak,
}

#: Events a retention period can be counted from; a table maps each to one of its columns.
BUILTIN_ANCHORS = _labels(
    ("collected", "att uppgiften samlades in", "the data was collected"),
    ("last_activity", "din senaste aktivitet", "your last activity"),
    ("relation_ended", "att kundrelationen upphörde", "the customer relationship ended"),
    ("contract_ended", "att avtalet upphörde", "the contract ended"),
    ("transaction_date", "transaktionens datum", "the date of the transaction"),
    ("case_closed", "att ärendet avslutades", "the case was closed"),
    ("consent_withdrawn", "att samtycket återkallades", "consent was withdrawn"),
    ("recruitment_closed", "att rekryteringen avslutades", "the recruitment was closed"),
    ("last_entry", "den senaste anteckningen", "the last entry"),
)
