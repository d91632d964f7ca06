"""Transfers of personal data to third countries: GDPR Chapter V (Art. 44-49).

Sources: Art. 44 (general principle), Art. 45 (adequacy decisions, with the Commission's list and
the decisions named below), Art. 46(2) (safeguards: (b) binding corporate rules under Art. 47,
(c) standard contractual clauses, Commission Implementing Decision (EU) 2021/914, (e) codes of
conduct, (f) certification), Art. 49 (derogations for specific situations). Invalid mechanisms:
Safe Harbor (Decision 2000/520/EC) since CJEU C-362/14 (Schrems I) of 6 October 2015, Privacy
Shield (Implementing Decision (EU) 2016/1250) since CJEU C-311/18 (Schrems II) of 16 July 2020.

``valid`` answers "is the transfer lawful as declared": a declared mechanism that cannot apply
(Privacy Shield, Safe Harbor, the DPF outside the US) makes it invalid even where an adequacy
decision would cover the country; the reason then says what to declare instead. Accuracy limits:
the list is as of the decisions below (verify newer ones; Brazil, January 2026, is newer than
shared/legal.md); dates before 25 May 2018 are judged by the same rules, citing Directive
95/46/EC for adequacy; Art. 46 safeguards also need a transfer impact assessment (C-311/18),
which this function cannot see.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from varna.errors import UnknownCountryCode
from varna.law.countries import EEA_COUNTRIES, EEA_TERRITORIES, ISO_3166_ALPHA2


class TransferMechanism(StrEnum):
    """How a transfer to a third country is made lawful, as a register declares it."""

    ADEQUACY = "adequacy"  # Art. 45
    DPF = "dpf"  # Art. 45, EU-US Data Privacy Framework, Implementing Decision (EU) 2023/1795
    SCC = "scc"  # Art. 46(2)(c), Implementing Decision (EU) 2021/914
    BCR = "bcr"  # Art. 46(2)(b) and 47
    CODE_OF_CONDUCT = "code_of_conduct"  # Art. 46(2)(e) and 40
    CERTIFICATION = "certification"  # Art. 46(2)(f) and 42
    ART49 = "art49"  # Art. 49 derogation
    PRIVACY_SHIELD = "privacy_shield"  # invalid since 16 July 2020
    SAFE_HARBOR = "safe_harbor"  # invalid since 6 October 2015


@dataclass(frozen=True, slots=True)
class AdequacyDecision:
    """A Commission decision that a country (or part of its sector) protects data adequately."""

    country: str
    decision: str
    adopted: date
    until: date | None = None
    scope: str | None = None


ADEQUACY_DECISIONS: Mapping[str, AdequacyDecision] = MappingProxyType(
    {
        d.country: d
        for d in (
            AdequacyDecision("AD", "Commission Decision 2010/625/EU", date(2010, 10, 19)),
            AdequacyDecision("AR", "Commission Decision 2003/490/EC", date(2003, 6, 30)),
            AdequacyDecision(
                "CA", "Commission Decision 2002/2/EC", date(2001, 12, 20), scope="commercial"
            ),
            AdequacyDecision("FO", "Commission Decision 2010/146/EU", date(2010, 3, 5)),
            AdequacyDecision("GG", "Commission Decision 2003/821/EC", date(2003, 11, 21)),
            AdequacyDecision("IL", "Commission Decision 2011/61/EU", date(2011, 1, 31)),
            AdequacyDecision("IM", "Commission Decision 2004/411/EC", date(2004, 4, 28)),
            AdequacyDecision("JP", "Implementing Decision (EU) 2019/419", date(2019, 1, 23)),
            AdequacyDecision("JE", "Commission Decision 2008/393/EC", date(2008, 5, 8)),
            AdequacyDecision("NZ", "Implementing Decision 2013/65/EU", date(2012, 12, 19)),
            AdequacyDecision("KR", "Implementing Decision (EU) 2022/254", date(2021, 12, 17)),
            AdequacyDecision("CH", "Commission Decision 2000/518/EC", date(2000, 7, 26)),
            # Renewed on 19 December 2025 for six years.
            AdequacyDecision(
                "GB",
                "Implementing Decision (EU) 2021/1772",
                date(2021, 6, 28),
                until=date(2031, 12, 27),
            ),
            AdequacyDecision("UY", "Implementing Decision 2012/484/EU", date(2012, 8, 21)),
            AdequacyDecision("BR", "Implementing Decision (EU) 2026/179", date(2026, 1, 26)),
        )
    }
)
"""Adequacy decisions by country (Art. 45(3), or Directive 95/46/EC Art. 25(6) kept by 45(9))."""

DPF_DECISION = AdequacyDecision(
    "US", "Implementing Decision (EU) 2023/1795", date(2023, 7, 10), scope="DPF-certified"
)
"""The United States: only organisations certified under the EU-US Data Privacy Framework."""

_INVALIDATED = {
    TransferMechanism.SAFE_HARBOR: (
        AdequacyDecision("US", "Commission Decision 2000/520/EC (Safe Harbor)", date(2000, 7, 26)),
        date(2015, 10, 6),
        "CJEU C-362/14 (Schrems I), 6 October 2015",
    ),
    TransferMechanism.PRIVACY_SHIELD: (
        AdequacyDecision(
            "US", "Implementing Decision (EU) 2016/1250 (Privacy Shield)", date(2016, 7, 12)
        ),
        date(2020, 7, 16),
        "CJEU C-311/18 (Schrems II), 16 July 2020",
    ),
}
_SAFEGUARDS = {
    TransferMechanism.SCC: "GDPR Art. 46(2)(c); Commission Implementing Decision (EU) 2021/914",
    TransferMechanism.BCR: "GDPR Art. 46(2)(b) and 47",
    TransferMechanism.CODE_OF_CONDUCT: "GDPR Art. 46(2)(e) and 40",
    TransferMechanism.CERTIFICATION: "GDPR Art. 46(2)(f) and 42",
}
_TIA = "; assess the recipient country's law and add supplementary measures where needed"
_COUNTRY = re.compile(r"[A-Z]{2}")
GDPR_APPLIES = date(2018, 5, 25)
"""GDPR Art. 99(2); before it, adequacy decisions rested on Directive 95/46/EC Art. 25(6)."""
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, slots=True)
class TransferAssessment:
    """The verdict on one declared transfer, with the rule it rests on."""

    needs_mechanism: bool
    """The country is outside the EEA and no country-wide adequacy decision covers it."""
    valid: bool
    """The transfer is lawful as declared on that date."""
    reason: str
    """One English sentence a person can act on."""
    citation: str
    """The provision, decision or judgment the verdict rests on."""


def _adequacy(country: str, on: date) -> AdequacyDecision | None:
    found = ADEQUACY_DECISIONS.get(country)
    if found is None or on < found.adopted or (found.until is not None and on > found.until):
        return None
    return found


def _long(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _cite(decision: AdequacyDecision, on: date) -> str:
    article = "GDPR Art. 45" if on >= GDPR_APPLIES else "Directive 95/46/EC Art. 25(6)"
    return f"{article}; {decision.decision} of {_long(decision.adopted)}"


_NAMES = {"privacy_shield": "the EU-US Privacy Shield", "safe_harbor": "Safe Harbor"}


def _invalidated(mechanism: TransferMechanism, country: str, on: date) -> TransferAssessment:
    decision, invalid_from, judgment = _INVALIDATED[mechanism]
    name = _NAMES.get(mechanism.value, mechanism.value)
    if country != "US":
        return TransferAssessment(
            True, False, f"{name} only ever covered the US", _cite(decision, on)
        )
    if on >= invalid_from:
        reason = (
            f"{name} is invalid since {_long(invalid_from)}: use the EU-US Data Privacy "
            "Framework (dpf) or an Art. 46 safeguard"
        )
        return TransferAssessment(True, False, reason, judgment)
    if on < decision.adopted:
        reason = f"{name} was not adopted until {_long(decision.adopted)}"
        return TransferAssessment(True, False, reason, _cite(decision, on))
    reason = f"{name} was in force on that date (it fell on {_long(invalid_from)})"
    return TransferAssessment(True, True, reason, _cite(decision, on))


def assess_transfer(
    country: str, mechanism: TransferMechanism | None, *, on: date
) -> TransferAssessment:
    """Whether sending personal data to ``country`` under ``mechanism`` is lawful ``on`` a date.

    ``country`` is an ISO 3166-1 alpha-2 code in upper case; anything else raises
    :class:`UnknownCountryCode`. ``mechanism`` None means none was declared.
    """
    if not _COUNTRY.fullmatch(country) or country not in ISO_3166_ALPHA2:
        raise UnknownCountryCode("country must be an ISO 3166-1 alpha-2 code in upper case")
    if country in EEA_COUNTRIES or country in EEA_TERRITORIES:
        extra = f"; {mechanism} is not needed" if mechanism is not None else ""
        reason = f"{country} is in the EEA: no transfer to a third country{extra}"
        return TransferAssessment(False, True, reason, "GDPR Art. 44; EEA Agreement")
    if mechanism is not None and mechanism in _INVALIDATED:
        return _invalidated(mechanism, country, on)
    adequacy = _adequacy(country, on)
    if mechanism is TransferMechanism.DPF:
        if country != "US":
            hint = "; declare adequacy" if adequacy else ""
            return TransferAssessment(
                True, False, f"dpf covers only the US{hint}", _cite(DPF_DECISION, on)
            )
        if on < DPF_DECISION.adopted:
            reason = "the EU-US Data Privacy Framework applies from 10 July 2023"
            return TransferAssessment(True, False, reason, _cite(DPF_DECISION, on))
        reason = "adequacy for DPF-certified organisations; check the recipient is on the DPF list"
        return TransferAssessment(True, True, reason, _cite(DPF_DECISION, on))
    if adequacy is not None:
        extra = f"; {mechanism} is not needed" if mechanism not in (None, "adequacy") else ""
        scope = f" ({adequacy.scope} organisations)" if adequacy.scope else ""
        reason = f"{country} has an adequacy decision{scope}{extra}"
        return TransferAssessment(False, True, reason, _cite(adequacy, on))
    if mechanism is None:
        reason = f"{country} has no adequacy decision and no Art. 46 safeguard is declared"
        return TransferAssessment(True, False, reason, "GDPR Art. 44 and 46(1)")
    if mechanism is TransferMechanism.ADEQUACY:
        hint = "; only DPF-certified recipients are covered: declare dpf" if country == "US" else ""
        reason = f"{country} has no adequacy decision on that date{hint}"
        return TransferAssessment(True, False, reason, "GDPR Art. 45")
    if mechanism is TransferMechanism.ART49:
        reason = "derogation for a specific situation only; not for regular or systematic transfers"
        return TransferAssessment(True, True, reason, "GDPR Art. 49(1)")
    reason = f"appropriate safeguard: {mechanism}{_TIA}"
    return TransferAssessment(True, True, reason, _SAFEGUARDS[mechanism])
