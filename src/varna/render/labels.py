"""Words for the register's enumerations, in Swedish and English.

Each table maps an enum value to ``(sv, en)``. A test checks every member of every enum has words,
so a value added to the register model cannot reach a reader as a bare key.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

from varna.register.activities import MarketingChannel, Requirement, SourceKind
from varna.register.model import CookieCategory
from varna.register.parties import Channel, RecipientKind
from varna.render.wording import Words

RECIPIENT_KINDS: Mapping[RecipientKind, tuple[str, str]] = {
    RecipientKind.processor: ("Personuppgiftsbiträde", "Processor"),
    RecipientKind.third_party: ("Tredje part", "Third party"),
    RecipientKind.authority: ("Myndighet", "Public authority"),
    RecipientKind.financing: ("Finansieringsbolag", "Financing company"),
    RecipientKind.acquirer: ("Köpare vid överlåtelse av verksamheten", "Buyer of the business"),
    RecipientKind.joint_controller: ("Gemensamt personuppgiftsansvarig", "Joint controller"),
    RecipientKind.group_company: ("Bolag i samma koncern", "Company in our group"),
}

SOURCES: Mapping[SourceKind, tuple[str, str]] = {
    SourceKind.data_subject: ("dig", "you"),
    SourceKind.employer: ("din arbetsgivare", "your employer"),
    SourceKind.customer: ("våra kunder", "our customers"),
    SourceKind.public_register: ("offentliga register", "public registers"),
    SourceKind.private_register: ("privata register", "private registers"),
    SourceKind.partner: ("våra samarbetspartner", "our partners"),
    SourceKind.recruitment_agency: (
        "rekryterings- och bemanningsföretag",
        "recruitment and staffing agencies",
    ),
    SourceKind.information_service: (
        "externa informationstjänster",
        "external information services",
    ),
    SourceKind.generated: (
        "din användning av våra tjänster",
        "your use of our services",
    ),
}

#: Sources as the Art. 30 record names them, in the third person.
RECORD_SOURCES: Mapping[SourceKind, tuple[str, str]] = {
    **SOURCES,
    SourceKind.data_subject: ("den registrerade", "the data subject"),
    SourceKind.employer: ("den registrerades arbetsgivare", "the data subject's employer"),
    SourceKind.partner: ("samarbetspartner", "partners"),
    SourceKind.customer: ("kunder", "customers"),
    SourceKind.generated: ("användning av tjänsterna", "use of the services"),
}

REQUIREMENTS: Mapping[Requirement, tuple[str, str]] = {
    Requirement.statutory: (
        "Du är skyldig enligt lag att lämna uppgifterna.",
        "You are required by law to provide the data.",
    ),
    Requirement.contractual: (
        "Avtalet med dig kräver att du lämnar uppgifterna.",
        "The contract with you requires you to provide the data.",
    ),
    Requirement.contract_prerequisite: (
        "Uppgifterna behövs för att vi ska kunna ingå och fullgöra avtalet med dig.",
        "We need the data to enter into and perform the contract with you.",
    ),
    Requirement.voluntary: (
        "Det är frivilligt att lämna uppgifterna.",
        "Providing the data is voluntary.",
    ),
}

COOKIE_CATEGORIES: Mapping[CookieCategory, tuple[str, str]] = {
    CookieCategory.necessary: ("Nödvändiga", "Strictly necessary"),
    CookieCategory.preferences: ("Inställningar", "Preferences"),
    CookieCategory.statistics: ("Statistik", "Statistics"),
    CookieCategory.marketing: ("Marknadsföring", "Marketing"),
}

NOTICE_CHANNELS: Mapping[Channel, tuple[str, str]] = {
    Channel.email: ("via e-post", "by e-mail"),
    Channel.sms: ("via sms", "by text message"),
    Channel.phone: ("per telefon", "by telephone"),
    Channel.post: ("per brev", "by post"),
    Channel.website: ("på vår webbplats", "on our website"),
    Channel.customer_portal: ("i kundportalen", "in the customer portal"),
    Channel.social_media: ("i sociala medier", "on social media"),
}

MARKETING_CHANNELS: Mapping[MarketingChannel, tuple[str, str]] = {
    MarketingChannel.email: ("e-post", "e-mail"),
    MarketingChannel.sms: ("sms", "text message"),
    MarketingChannel.phone: ("telefon", "telephone"),
    MarketingChannel.post: ("brev", "post"),
    MarketingChannel.social_media: ("sociala medier", "social media"),
}

E = TypeVar("E", bound=StrEnum)

ALL_TABLES: Mapping[type[StrEnum], Mapping[Any, tuple[str, str]]] = {
    RecipientKind: RECIPIENT_KINDS,
    SourceKind: SOURCES,
    Requirement: REQUIREMENTS,
    CookieCategory: COOKIE_CATEGORIES,
    Channel: NOTICE_CHANNELS,
    MarketingChannel: MARKETING_CHANNELS,
}


def label(table: Mapping[E, tuple[str, str]], value: E, w: Words) -> str:
    """The words for ``value`` from ``table`` in ``w``'s language."""
    sv, en = table[value]
    return w(sv, en)
