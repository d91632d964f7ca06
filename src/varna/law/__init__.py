"""Legal knowledge as code: identity numbers, deadlines, retention minimums, transfers, citations.

Pure functions and frozen data; time is always an argument. Each module's docstring names the
legal source it implements. This is engineering, not legal advice.
"""

from varna.errors import UnknownCountryCode
from varna.law.bookkeeping import (
    BOOKKEEPING_YEARS,
    CALENDAR_YEAR,
    FiscalYear,
    bookkeeping_erasable_from,
    bookkeeping_keep_until,
    fiscal_year_end,
    keep_until_after_year_end,
)
from varna.law.citations import CITATIONS, STATUTES, Citation, gdpr
from varna.law.countries import EEA_COUNTRIES, EEA_TERRITORIES, EU_MEMBER_STATES, ISO_3166_ALPHA2
from varna.law.deadlines import (
    BREACH_NOTIFICATION_HOURS,
    add_months,
    breach_notification_deadline,
    extended_deadline,
    is_working_day,
    next_working_day,
    response_deadline,
)
from varna.law.identity import (
    InterimNumber,
    LegalForm,
    OrganisationNumber,
    Personnummer,
    Sex,
    format_organisationsnummer,
    format_personnummer,
    is_valid_personnummer,
    parse_interim_number,
    parse_organisationsnummer,
    parse_personnummer,
)
from varna.law.minimums import (
    STATUTORY_MINIMUMS,
    CountedFrom,
    StatutoryMinimum,
    minimum_keep_until,
)
from varna.law.transfers import (
    ADEQUACY_DECISIONS,
    DPF_DECISION,
    AdequacyDecision,
    TransferAssessment,
    TransferMechanism,
    assess_transfer,
)

__all__ = [
    "ADEQUACY_DECISIONS",
    "BOOKKEEPING_YEARS",
    "BREACH_NOTIFICATION_HOURS",
    "CALENDAR_YEAR",
    "CITATIONS",
    "DPF_DECISION",
    "EEA_COUNTRIES",
    "EEA_TERRITORIES",
    "EU_MEMBER_STATES",
    "ISO_3166_ALPHA2",
    "STATUTES",
    "STATUTORY_MINIMUMS",
    "AdequacyDecision",
    "Citation",
    "CountedFrom",
    "FiscalYear",
    "InterimNumber",
    "LegalForm",
    "OrganisationNumber",
    "Personnummer",
    "Sex",
    "StatutoryMinimum",
    "TransferAssessment",
    "TransferMechanism",
    "UnknownCountryCode",
    "add_months",
    "assess_transfer",
    "bookkeeping_erasable_from",
    "bookkeeping_keep_until",
    "breach_notification_deadline",
    "extended_deadline",
    "fiscal_year_end",
    "format_organisationsnummer",
    "format_personnummer",
    "gdpr",
    "is_valid_personnummer",
    "is_working_day",
    "keep_until_after_year_end",
    "minimum_keep_until",
    "next_working_day",
    "parse_interim_number",
    "parse_organisationsnummer",
    "parse_personnummer",
    "response_deadline",
]
