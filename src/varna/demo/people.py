"""Deterministic people: every attribute of person ``i`` is computed from ``i`` and the seed.

No shared random state, so each system's builder (in its own process) derives the same person
from the same index: a customer's e-mail in the CRM is the sender of their support tickets.
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum import luhn

from varna.demo.names import FIRST_NAMES, LAST_NAMES, MAIL_DOMAINS, STREETS, TOWNS

_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "Å": "a", "Ä": "a", "Ö": "o"})
_MOBILE = ("70", "72", "73", "76", "79")


def mix(i: int, salt: int) -> int:
    """A cheap, well-spread hash of ``i`` (splitmix64 finaliser)."""
    z = (i * 0x9E3779B97F4A7C15 + salt) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return z ^ (z >> 31)


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str
    phone: str
    personnummer: str
    birth_date: str
    street: str
    postal_code: str
    city: str


class People:
    """The population of the demo: ``people[i]`` is always the same person for one seed."""

    def __init__(self, seed: int) -> None:
        self.salt = mix(seed, 0x5EED)

    def __getitem__(self, i: int) -> Person:
        h = mix(i, self.salt)
        first = FIRST_NAMES[h % len(FIRST_NAMES)]
        last = LAST_NAMES[(h >> 8) % len(LAST_NAMES)]
        domain = MAIL_DOMAINS[(h >> 16) % len(MAIL_DOMAINS)]
        email = f"{first}.{last}{i}@{domain}".translate(_ASCII).lower()
        phone = f"+46{_MOBILE[(h >> 20) % 5]}{(h >> 24) % 10_000_000:07d}"
        year = 1930 + (h >> 32) % 76
        month = 1 + (h >> 40) % 12
        day = 1 + (h >> 44) % 28
        serial = 1 + (h >> 50) % 998
        nine = f"{year % 100:02d}{month:02d}{day:02d}{serial:03d}"
        pnr = f"{year}{month:02d}{day:02d}{serial:03d}{luhn.calc_check_digit(nine)}"
        prefix, city = TOWNS[(h >> 12) % len(TOWNS)]
        street = f"{STREETS[(h >> 4) % len(STREETS)]} {1 + (h >> 28) % 120}"
        return Person(
            name=f"{first} {last}",
            email=email,
            phone=phone,
            personnummer=pnr,
            birth_date=f"{year}-{month:02d}-{day:02d}",
            street=street,
            postal_code=f"{prefix} {(h >> 36) % 100:02d}",
            city=city,
        )


def org_number(i: int, salt: int) -> str:
    """A Luhn-valid organisationsnummer of an aktiebolag (first digit 5, third digit >= 2)."""
    h = mix(i, salt)
    nine = f"5{(h % 10)}{2 + (h >> 8) % 8}{(h >> 16) % 1_000_000:06d}"
    return f"{nine[:6]}-{nine[6:]}{luhn.calc_check_digit(nine)}"
