"""The legal terms every document uses, and the words for the register's enumerations.

:data:`TERMS` is the glossary: one English message per legal term, translated once in each
catalog (``legal basis`` -> ``rättslig grund``), with the synonyms a document in that language must
not use instead (``laglig grund``): a test renders every document and looks for them. The tables
below map each enum value of the register to its message; a test checks every member has one, so
a value added to the register model cannot reach a reader as a bare key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from varna.law.transfers import TransferMechanism
from varna.register.activities import Basis, MarketingChannel, Requirement, SourceKind
from varna.register.model import CookieCategory
from varna.register.parties import Channel, RecipientKind
from varna.texts.catalog import N_, Texts


@dataclass(frozen=True, slots=True)
class Term:
    """A legal term: its English message and the synonyms each language must avoid."""

    message: str
    avoid: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


TERMS: Mapping[str, Term] = {
    "legal_basis": Term(N_("legal basis"), {"sv": ("laglig grund",), "en": ("lawful ground",)}),
    "controller": Term(
        N_("controller"), {"sv": ("registeransvarig", "dataansvarig"), "en": ("data controller",)}
    ),
    "processor": Term(N_("processor"), {"sv": ("databiträde",), "en": ("data processor",)}),
    "joint_controller": Term(N_("joint controller")),
    "data_subject": Term(N_("data subject")),
    "personal_data": Term(N_("personal data")),
    "special_category": Term(N_("special category"), {"sv": ("särskild kategori",)}),
    "register_extract": Term(N_("register extract"), {"sv": ("registerutdraget av",)}),
    "retention_deletion": Term(N_("deletion when the retention period ends")),
    "retention_period": Term(N_("retention period"), {"sv": ("sparandetid",)}),
    "pseudonymised": Term(N_("pseudonymised"), {"en": ("pseudonymized",)}),
    "anonymised": Term(N_("anonymised"), {"en": ("anonymized",)}),
    "erasure": Term(N_("erasure")),
    "rectification": Term(N_("rectification")),
    "restriction": Term(N_("restriction of processing")),
    "objection": Term(N_("objection")),
    "portability": Term(N_("data portability")),
    "recipient": Term(N_("recipient")),
    "third_country": Term(N_("third country"), {"sv": ("tredje land",)}),
    "supervisory_authority": Term(N_("supervisory authority")),
    "legal_obligation": Term(N_("legal obligation")),
    "legitimate_interest": Term(N_("legitimate interest")),
    "consent": Term(N_("consent")),
}


def term(key: str, t: Texts) -> str:
    """The glossary term ``key`` in ``t``'s language."""
    return t.gettext(TERMS[key].message)


BASES: Mapping[Basis, str] = {
    Basis.consent: N_("Consent"),
    Basis.contract: N_("Contract"),
    Basis.legal_obligation: N_("Legal obligation"),
    Basis.vital_interests: N_("Vital interests"),
    Basis.public_task: N_("Public task"),
    Basis.legitimate_interests: N_("Legitimate interests"),
}

RECIPIENT_KINDS: Mapping[RecipientKind, str] = {
    RecipientKind.processor: N_("Processor"),
    RecipientKind.third_party: N_("Third party"),
    RecipientKind.authority: N_("Public authority"),
    RecipientKind.financing: N_("Financing company"),
    RecipientKind.acquirer: N_("Buyer of the business"),
    RecipientKind.joint_controller: N_("Joint controller"),
    RecipientKind.group_company: N_("Company in our group"),
}

#: Sources as a phrase after "from", speaking to the person (policy, extract).
SOURCES: Mapping[SourceKind, str] = {
    SourceKind.data_subject: N_("you"),
    SourceKind.employer: N_("your employer"),
    SourceKind.customer: N_("our customers"),
    SourceKind.public_register: N_("public registers"),
    SourceKind.private_register: N_("private registers"),
    SourceKind.partner: N_("our partners"),
    SourceKind.recruitment_agency: N_("recruitment and staffing agencies"),
    SourceKind.information_service: N_("external information services"),
    SourceKind.generated: N_("your use of our services"),
}

#: Sources as the Art. 30 record names them, in the third person.
RECORD_SOURCES: Mapping[SourceKind, str] = {
    **SOURCES,
    SourceKind.data_subject: N_("the data subject"),
    SourceKind.employer: N_("the data subject's employer"),
    SourceKind.partner: N_("partners"),
    SourceKind.customer: N_("customers"),
    SourceKind.generated: N_("use of the services"),
}

REQUIREMENTS: Mapping[Requirement, str] = {
    Requirement.statutory: N_("You are required by law to provide the data."),
    Requirement.contractual: N_("The contract with you requires you to provide the data."),
    Requirement.contract_prerequisite: N_(
        "We need the data to enter into and perform the contract with you."
    ),
    Requirement.voluntary: N_("Providing the data is voluntary."),
}

COOKIE_CATEGORIES: Mapping[CookieCategory, str] = {
    CookieCategory.necessary: N_("Strictly necessary"),
    CookieCategory.preferences: N_("Preferences"),
    CookieCategory.statistics: N_("Statistics"),
    CookieCategory.marketing: N_("Marketing"),
}

NOTICE_CHANNELS: Mapping[Channel, str] = {
    Channel.email: N_("by e-mail"),
    Channel.sms: N_("by text message"),
    Channel.phone: N_("by telephone"),
    Channel.post: N_("by post"),
    Channel.website: N_("on our website"),
    Channel.customer_portal: N_("in the customer portal"),
    Channel.social_media: N_("on social media"),
}

MARKETING_CHANNELS: Mapping[MarketingChannel, str] = {
    MarketingChannel.email: N_("e-mail"),
    MarketingChannel.sms: N_("text message"),
    MarketingChannel.phone: N_("telephone"),
    MarketingChannel.post: N_("post"),
    MarketingChannel.social_media: N_("social media"),
}

MECHANISMS: Mapping[TransferMechanism, str] = {
    TransferMechanism.ADEQUACY: N_(
        "the European Commission's adequacy decision for the country (Article 45)"
    ),
    TransferMechanism.DPF: N_(
        "the European Commission's adequacy decision for organisations certified under the "
        "EU–US Data Privacy Framework (Article 45)"
    ),
    TransferMechanism.SCC: N_(
        "the European Commission's standard contractual clauses (Article 46(2)(c))"
    ),
    TransferMechanism.BCR: N_("binding corporate rules (Article 47)"),
    TransferMechanism.CODE_OF_CONDUCT: N_("an approved code of conduct (Article 46(2)(e))"),
    TransferMechanism.CERTIFICATION: N_("an approved certification mechanism (Article 46(2)(f))"),
    TransferMechanism.ART49: N_("a derogation for specific situations (Article 49)"),
    TransferMechanism.PRIVACY_SHIELD: N_(
        "the Privacy Shield, which the Court of Justice of the EU invalidated on 16 July 2020"
    ),
    TransferMechanism.SAFE_HARBOR: N_(
        "Safe Harbor, which the Court of Justice of the EU invalidated on 6 October 2015"
    ),
}

E = TypeVar("E", bound=StrEnum)

ALL_TABLES: Mapping[type[StrEnum], Mapping[Any, str]] = {
    Basis: BASES,
    RecipientKind: RECIPIENT_KINDS,
    SourceKind: SOURCES,
    Requirement: REQUIREMENTS,
    CookieCategory: COOKIE_CATEGORIES,
    Channel: NOTICE_CHANNELS,
    MarketingChannel: MARKETING_CHANNELS,
    TransferMechanism: MECHANISMS,
}


def label(table: Mapping[E, str], value: E, t: Texts) -> str:
    """The words for ``value`` from ``table`` in ``t``'s language."""
    return t.gettext(table[value])
