"""Words for the register extract, in Swedish and English, generated from the typed register.

Each table maps an enum value to ``(sv, en)``; :func:`retention_text` turns a retention rule into
the sentence a person reads (``7 år efter utgången av det kalenderår då räkenskapsåret
avslutades``). Articles are cited as the Swedish and English texts of the GDPR number them
(``artikel 6.1 b`` / ``Article 6(1)(b)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from varna.law.citations import STATUTES
from varna.law.transfers import TransferMechanism
from varna.register.activities import (
    Basis,
    Bookkeeping,
    PeriodAfter,
    Retention,
    SourceKind,
    UntilWithdrawn,
    WhileActive,
)
from varna.register.model import Register
from varna.register.parties import RecipientKind
from varna.register.types import parse_period

Lang = Literal["sv", "en"]
Pair = tuple[str, str]


def pick(pair: Pair, lang: Lang) -> str:
    return pair[0] if lang == "sv" else pair[1]


def article(ref: str, lang: Lang) -> str:
    """``6(1)(b)`` as ``artikel 6.1 b`` (sv) or ``Article 6(1)(b)`` (en)."""
    if lang == "en":
        return f"GDPR Article {ref}"
    head, _, rest = ref.partition("(")
    parts = [p.rstrip(")") for p in rest.split("(")] if rest else []
    numbers = ".".join([head, *[p for p in parts if p.isdigit()]])
    letters = " ".join(p for p in parts if not p.isdigit())
    return f"artikel {numbers}{' ' + letters if letters else ''} i dataskyddsförordningen"


BASES: Mapping[Basis, Pair] = {
    Basis.consent: ("Samtycke", "Consent"),
    Basis.contract: ("Avtal", "Contract"),
    Basis.legal_obligation: ("Rättslig förpliktelse", "Legal obligation"),
    Basis.vital_interests: ("Grundläggande intressen", "Vital interests"),
    Basis.public_task: ("Allmänt intresse eller myndighetsutövning", "Public task"),
    Basis.legitimate_interests: ("Berättigat intresse", "Legitimate interests"),
}

RECIPIENT_KINDS: Mapping[RecipientKind, Pair] = {
    RecipientKind.processor: ("Personuppgiftsbiträde", "Processor"),
    RecipientKind.third_party: ("Tredje part", "Third party"),
    RecipientKind.authority: ("Myndighet", "Public authority"),
    RecipientKind.financing: ("Finansieringsbolag", "Financing company"),
    RecipientKind.acquirer: ("Köpare vid överlåtelse av verksamheten", "Buyer of the business"),
    RecipientKind.joint_controller: ("Gemensamt personuppgiftsansvarig", "Joint controller"),
    RecipientKind.group_company: ("Bolag i samma koncern", "Company in our group"),
}

SOURCES: Mapping[SourceKind, Pair] = {
    SourceKind.data_subject: ("Från dig", "From you"),
    SourceKind.employer: ("Från din arbetsgivare", "From your employer"),
    SourceKind.customer: ("Från våra kunder", "From our customers"),
    SourceKind.public_register: ("Från offentliga register", "From public registers"),
    SourceKind.private_register: ("Från privata register", "From private registers"),
    SourceKind.partner: ("Från våra samarbetspartner", "From our partners"),
    SourceKind.recruitment_agency: ("Från rekryteringsföretag", "From recruitment agencies"),
    SourceKind.information_service: (
        "Från externa informationstjänster",
        "From external information services",
    ),
    SourceKind.generated: ("Från din användning av våra tjänster", "From your use of our services"),
}

MECHANISMS: Mapping[TransferMechanism, Pair] = {
    TransferMechanism.ADEQUACY: (
        "EU-kommissionens beslut om adekvat skyddsnivå (artikel 45)",
        "the European Commission's adequacy decision (Article 45)",
    ),
    TransferMechanism.DPF: (
        "EU–US Data Privacy Framework, beslut om adekvat skyddsnivå (artikel 45)",
        "the EU–US Data Privacy Framework adequacy decision (Article 45)",
    ),
    TransferMechanism.SCC: (
        "EU-kommissionens standardavtalsklausuler (artikel 46.2 c)",
        "the European Commission's standard contractual clauses (Article 46(2)(c))",
    ),
    TransferMechanism.BCR: (
        "bindande företagsbestämmelser (artikel 47)",
        "binding corporate rules (Article 47)",
    ),
    TransferMechanism.CODE_OF_CONDUCT: (
        "en godkänd uppförandekod (artikel 46.2 e)",
        "an approved code of conduct (Article 46(2)(e))",
    ),
    TransferMechanism.CERTIFICATION: (
        "en godkänd certifiering (artikel 46.2 f)",
        "an approved certification (Article 46(2)(f))",
    ),
    TransferMechanism.ART49: (
        "undantag för särskilda situationer (artikel 49)",
        "a derogation for specific situations (Article 49)",
    ),
    TransferMechanism.PRIVACY_SHIELD: (
        "Privacy Shield (ogiltig sedan 16 juli 2020)",
        "the Privacy Shield (invalid since 16 July 2020)",
    ),
    TransferMechanism.SAFE_HARBOR: (
        "Safe Harbor (ogiltig sedan 6 oktober 2015)",
        "Safe Harbor (invalid since 6 October 2015)",
    ),
}


def statute_text(statute: str, lang: Lang) -> str:
    """A statute key (``bokforingslagen``) as its full citation; other text as written."""
    cited = STATUTES.get(statute)
    if cited is None:
        return statute
    return cited.full_sv if lang == "sv" else cited.full_en


def _period(text: str, lang: Lang) -> str:
    return parse_period(text).label(lang)


def retention_text(rule: Retention | None, register: Register, lang: Lang) -> str:
    """How long data is kept, or the criteria for it (Art. 15(1)(d)), from the typed rule."""
    if rule is None:
        return pick(
            (
                "Registret anger ingen lagringstid; fråga oss.",
                "The register states no period; ask us.",
            ),
            lang,
        )
    if isinstance(rule, PeriodAfter):
        anchor = register.anchor_label(rule.anchor).get(lang)
        return f"{_period(rule.period, lang)} {pick(('efter', 'after'), lang)} {anchor}"
    if isinstance(rule, WhileActive):
        head = pick(("Så länge relationen består", "While the relationship lasts"), lang)
        if not rule.then:
            return head
        anchor = register.anchor_label(rule.anchor).get(lang)
        then = _period(rule.then, lang)
        return head + pick(
            (f", och därefter {then} efter {anchor}", f", then {then} after {anchor}"), lang
        )
    if isinstance(rule, Bookkeeping):
        years = _period(f"{rule.years} years", lang)
        return pick(
            (
                f"{years} efter utgången av det kalenderår då räkenskapsåret avslutades",
                f"{years} after the end of the calendar year in which the financial year ended",
            ),
            lang,
        )
    assert isinstance(rule, UntilWithdrawn)
    head = pick(("Tills du återkallar ditt samtycke", "Until you withdraw your consent"), lang)
    if rule.grace:
        grace = _period(rule.grace, lang)
        head += pick((f", och därefter högst {grace}", f", and at most {grace} after that"), lang)
    return head
