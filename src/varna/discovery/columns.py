"""Column-name heuristics in Swedish and English: what a column probably holds, from its name.

A name is split into words (``kund_epost``, ``customerEmail``, ``Personnr``) and each word is
looked up; the first rule whose word occurs wins. The result is a hint for sampling and for
``register scaffold``; a detector on the values decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_RULES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    (
        "personnummer",
        0.9,
        (
            "personnummer",
            "personnr",
            "pnr",
            "persnr",
            "ssn",
            "personalnumber",
            "personal_number",
            "socialsecurity",
            "samordningsnummer",
            "idnr",
        ),
    ),
    (
        "organisationsnummer",
        0.9,
        ("organisationsnummer", "orgnr", "org_nr", "orgno", "companynumber", "vatnumber", "momsnr"),
    ),
    ("email", 0.9, ("email", "epost", "e_post", "mail", "mejl", "emailaddress")),
    (
        "phone",
        0.85,
        (
            "phone",
            "telefon",
            "tel",
            "mobil",
            "mobile",
            "mobilnr",
            "telnr",
            "cellphone",
            "fax",
            "sms",
        ),
    ),
    ("iban", 0.85, ("iban",)),
    ("bankgiro", 0.85, ("bankgiro", "bg", "bgnr")),
    ("plusgiro", 0.85, ("plusgiro", "pg", "pgnr", "postgiro")),
    ("card", 0.85, ("card", "kort", "kortnummer", "cardnumber", "pan", "ccnumber")),
    ("ipv4", 0.7, ("ip", "ipaddress", "ipadress", "ip_addr", "clientip", "remoteaddr")),
    ("mac_address", 0.8, ("mac", "macaddress", "hwaddr")),
    ("postal_code", 0.85, ("postnummer", "postnr", "zip", "zipcode", "postcode", "postalcode")),
    (
        "street_address",
        0.8,
        ("adress", "address", "gatuadress", "street", "gata", "utdelningsadress"),
    ),
    (
        "person_name",
        0.8,
        (
            "namn",
            "name",
            "fornamn",
            "förnamn",
            "efternamn",
            "firstname",
            "lastname",
            "surname",
            "fullname",
            "givenname",
        ),
    ),
    (
        "date_of_birth",
        0.85,
        (
            "fodelsedatum",
            "födelsedatum",
            "birthdate",
            "dob",
            "dateofbirth",
            "birthday",
            "fodd",
            "född",
        ),
    ),
    ("vehicle_registration", 0.8, ("regnr", "registreringsnummer", "licenseplate", "plate")),
    (
        "health",
        0.7,
        (
            "diagnos",
            "diagnosis",
            "diagnosis_code",
            "icd",
            "medicin",
            "medication",
            "sjukdom",
            "journal",
            "halsa",
            "hälsa",
            "health",
            "allergi",
            "allergy",
        ),
    ),
    ("trade_union", 0.8, ("fack", "fackforbund", "fackförbund", "union", "tradeunion")),
    ("religion", 0.8, ("religion", "trossamfund", "faith")),
    ("ethnic_origin", 0.8, ("etnicitet", "ethnicity", "ursprung", "origin", "race")),
)

_CAMEL = re.compile(r"(?<=[a-zåäö0-9])(?=[A-ZÅÄÖ])")
_SPLIT = re.compile(r"[^0-9a-zåäö]+")


@dataclass(frozen=True, slots=True)
class ColumnHint:
    """What a column name suggests: a label, a confidence and the word that decided it."""

    label: str
    score: float
    explanation: str


def column_words(name: str) -> list[str]:
    """Lower-case words of a name: ``customerEmail`` -> ``customer``, ``email``."""
    spaced = _CAMEL.sub("_", name).lower()
    return [w for w in _SPLIT.split(spaced) if w]


def classify_column(name: str) -> ColumnHint | None:
    """The first rule whose word is a word of ``name`` (or the whole name, joined), or None."""
    words = column_words(name)
    candidates = {*words, "".join(words), "_".join(words)}
    for index in range(len(words) - 1):
        candidates.add(words[index] + words[index + 1])
    for label, score, keys in _RULES:
        for key in keys:
            if key in candidates:
                return ColumnHint(label, score, f"column name word '{key}'")
    return None
