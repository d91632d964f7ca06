"""Deterministic people: every attribute of person ``i`` is a function of ``i`` and the seed.

There is no shared random state, so each system, built in its own process, derives the same person
from the same index: a customer's e-mail address in the CRM is the sender of their support tickets
and the address of their newsletter subscription.

Identity numbers are unique by construction, not by luck: the personnummer, the mobile number and
the number in the e-mail address come from keyed pseudo-random permutations of the index (Feistel
networks, :class:`Permutation`) and injective maps of their output, so two people never share one.
Personnummer are 12 digits (``YYYYMMDDNNNC``), the check digit by the Luhn algorithm and the
birth number odd for men and even for women (Folkbokföringslagen 18 §); the people are adults
born 1935 to 2005. Mobile numbers are E.164 in the Swedish 070, 072, 073, 076 and 079 series.
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cache
from typing import NamedTuple

from varna.demo.clock import compact_day, day_number
from varna.demo.names import (
    FEMALE_NAMES,
    LAST_NAMES,
    MAIL_DOMAINS,
    MALE_NAMES,
    STREETS,
    TOWNS,
    ascii_slug,
)

MASK64 = (1 << 64) - 1
FIRST_ADULT_DAY = day_number(date(1935, 1, 1))
LAST_ADULT_DAY = day_number(date(2005, 12, 31))
FIRST_ELDER_DAY = day_number(date(1922, 1, 1))
LAST_ELDER_DAY = day_number(date(1950, 12, 31))
_ADULT_DAYS = LAST_ADULT_DAY - FIRST_ADULT_DAY + 1
_MOBILE_SERIES = "02369"  # +46 70, 72, 73, 76, 79
MAX_PEOPLE = 10_000_000
_ID_BITS = 24  # 2**24 > MAX_PEOPLE
_ID_MASK = (1 << _ID_BITS) - 1
_PNR_KEYS = _ADULT_DAYS * 999  # birth day and birth number 001-999
_PHONES = 5 * 10**7


def mix(i: int, salt: int) -> int:
    """A cheap, well-spread 64-bit hash of ``i`` (the splitmix64 finaliser)."""
    z = (i * 0x9E3779B97F4A7C15 + salt) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def derive_seed(seed: int, *names: str) -> int:
    """A 64-bit seed for one purpose (``derive_seed(42, "billing")``), stable across processes
    and Python versions (``hash()`` of a string is not)."""
    text = "/".join([str(seed), *names]).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


class Permutation:
    """A keyed pseudo-random bijection of ``range(2**bits)`` (``bits`` even): a four-round
    Feistel network. Restricted to ``range(n)`` it is an injection, which is all the demo needs."""

    def __init__(self, bits: int, key: int) -> None:
        if bits % 2 or bits < 2:
            raise ValueError("a Feistel permutation needs an even number of bits")
        self.bits = bits
        self._half = bits // 2
        self._keys = tuple(mix(r, key) for r in range(4))

    def __call__(self, x: int) -> int:
        half, shift = self._half, 64 - self._half
        k0, k1, k2, k3 = self._keys
        m = 0x9E3779B97F4A7C15
        left, right = x >> half, x & ((1 << half) - 1)
        left ^= (((right ^ k0) * m) & MASK64) >> shift
        right ^= (((left ^ k1) * m) & MASK64) >> shift
        left ^= (((right ^ k2) * m) & MASK64) >> shift
        right ^= (((left ^ k3) * m) & MASK64) >> shift
        return (left << half) | right


def _luhn_sum(digits: str, doubled_first: bool) -> int:
    total = 0
    for pos, ch in enumerate(digits):
        d = int(ch)
        if (pos % 2 == 0) == doubled_first:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total


@cache
def _adult_days() -> tuple[str, ...]:
    """``YYYYMMDD`` of every adult birth day, by day offset."""
    return tuple(compact_day(FIRST_ADULT_DAY + n) for n in range(_ADULT_DAYS))


@cache
def _day_sums() -> tuple[int, ...]:
    """Minus the Luhn sum of ``YYMMDD`` of every adult birth day (positions 0-5, doubled first),
    so that ``(day_sum + serial_sum) % 10`` is the check digit."""
    return tuple(-_luhn_sum(d[2:], True) for d in _adult_days())


_SERIALS = tuple(f"{n:03d}" for n in range(1000))
_SERIAL_SUMS = tuple(-_luhn_sum(n, True) for n in _SERIALS)  # positions 6-8
_FEMALE = tuple((n, ascii_slug(n)) for n in FEMALE_NAMES)
_MALE = tuple((n, ascii_slug(n)) for n in MALE_NAMES)
_LAST = tuple((n, ascii_slug(n)) for n in LAST_NAMES)
_TOWN_POOL = tuple(town for town in TOWNS for _ in range(town[2]))
_N_LAST, _N_TOWNS, _N_DOMAINS, _N_STREETS = (
    len(_LAST),
    len(_TOWN_POOL),
    len(MAIL_DOMAINS),
    len(STREETS),
)


class Person(NamedTuple):
    """One person of the demo population."""

    first: str
    last: str
    email: str
    phone: str
    personnummer: str
    birth_day: int
    street: str
    postal_code: str
    city: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


class Population:
    """The people of the demo: ``population[i]`` is always the same person for one seed."""

    def __init__(self, seed: int, size: int) -> None:
        if not 1 <= size <= MAX_PEOPLE:
            raise ValueError(f"the demo has 1 to {MAX_PEOPLE:,} people")
        self.size = size
        self._salt = derive_seed(seed, "people")
        self._elder_salt = derive_seed(seed, "people", "elder")
        self._identity = Permutation(_ID_BITS, derive_seed(seed, "identity numbers"))
        bits = max(2, (size - 1).bit_length())
        self._mail = Permutation(bits + bits % 2, derive_seed(seed, "e-mail"))

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i: int) -> Person:
        h = mix(i, self._salt)
        y = self._identity(i)
        # Scaling a 24-bit value up to a larger range keeps it unique (x -> x * big // small).
        key = y * _PNR_KEYS >> _ID_BITS
        q = ((y * 0x5DEECE66D + 11) & _ID_MASK) * _PHONES >> _ID_BITS
        day, serial = key // 999, key % 999 + 1
        firsts = _MALE if serial % 2 else _FEMALE
        first, f = firsts[h % len(firsts)]
        last, la = _LAST[(h >> 12) % _N_LAST]
        style = (h >> 24) & 3
        if style == 0:
            local = f"{f}.{la}"
        elif style == 1:
            local = f + la
        elif style == 2:
            local = f"{f[0]}.{la}"
        else:
            local = f"{la}.{f}"
        town, prefix, _ = _TOWN_POOL[(h >> 40) % _N_TOWNS]
        check = (_day_sums()[day] + _SERIAL_SUMS[serial]) % 10
        return Person(
            first,
            last,
            f"{local}{self._mail(i)}@{MAIL_DOMAINS[(h >> 28) % _N_DOMAINS]}",
            f"+467{_MOBILE_SERIES[q // 10_000_000]}{q % 10_000_000:07d}",
            f"{_adult_days()[day]}{_SERIALS[serial]}{check}",
            FIRST_ADULT_DAY + day,
            f"{STREETS[(h >> 32) % _N_STREETS]} {1 + (h >> 48) % 79}",
            f"{prefix} {(h >> 56) % 100:02d}",
            town,
        )

    def elder_birth_day(self, i: int) -> int:
        """A birth day for person ``i`` as a care recipient (born 1922 to 1950)."""
        span = LAST_ELDER_DAY - FIRST_ELDER_DAY + 1
        return FIRST_ELDER_DAY + mix(i, self._elder_salt) % span
