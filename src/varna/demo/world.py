"""The demo company's world: how many of everything, who plays which role, the customer accounts.

The ``N`` people (``subjects``) are split by index into roles, so every system agrees on who is who
without talking to the others:

==========================  ===============  ==============================================
people                      share            where they appear
==========================  ===============  ==============================================
customers                   N / 2            crm, billing, support, marketing, recruitment, web
customer representatives    N / 20           crm, support, marketing
care recipients (brukare)   3N / 10          care
others                      the rest (15 %)  support (unknown senders), marketing, recruitment
==========================  ===============  ==============================================

Customer ``c`` (person ``c``) has an account that every system can compute: its customer number,
whether it is a private customer (billed by us) or a user under a customer organisation's
agreement, when it started and ended, and how it pays. Customer 0 is a private customer who pays
by autogiro and appears in every system (a ticket, a newsletter subscription, a job application,
web visits): the person to try a data-subject request on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from stdnum import luhn

from varna.demo.clock import FOUNDED, TODAY, day_number
from varna.demo.names import LAST_NAMES, MUNICIPALITIES, ascii_slug
from varna.demo.people import Population, derive_seed, mix

#: The first customers signed up when the company was founded, on 1 January 2018; invoices run
#: from then to :data:`TODAY`, so the oldest are past Bokföringslagen's seven years and the
#: retention sweep has invoices to delete as well as invoices to keep.
FIRST_CUSTOMER_DAY = day_number(FOUNDED)


@dataclass(frozen=True, slots=True)
class Sizes:
    """How many of everything for ``subjects`` people (small floors keep tiny demos whole)."""

    subjects: int

    def __post_init__(self) -> None:
        if self.subjects < 10:
            raise ValueError("the demo needs at least 10 people")

    @property
    def customers(self) -> int:
        return self.subjects // 2

    @property
    def contacts(self) -> int:
        return max(self.subjects // 20, 1)

    @property
    def end_users(self) -> int:
        return max(self.subjects * 3 // 10, 1)

    @property
    def others(self) -> int:
        return self.subjects - self.customers - self.contacts - self.end_users

    @property
    def companies(self) -> int:
        return max(self.subjects // 200, 2)


class Company(NamedTuple):
    """A customer organisation: a municipality or a care company (a legal person)."""

    name: str
    org_number: str
    kind: str
    city: str
    domain: str
    created_day: int
    ended_day: int | None


class Account(NamedTuple):
    """Customer ``c``'s account."""

    customer_no: str
    private: bool
    company_id: int | None
    created_day: int
    ended_day: int | None
    interval_months: int
    pay_method: str
    billing_day: int


def _org_number(nine: str) -> str:
    return f"{nine[:6]}-{nine[6:]}{luhn.calc_check_digit(nine)}"


class World:
    """Everything the systems share, computed lazily from ``(seed, subjects)``."""

    def __init__(self, seed: int, subjects: int) -> None:
        self.seed = seed
        self.sizes = Sizes(subjects)
        self.people = Population(seed, subjects)
        self._salt = derive_seed(seed, "accounts")

    # -- roles --------------------------------------------------------------------------------
    def contact_person(self, k: int) -> int:
        return self.sizes.customers + k

    def end_user_person(self, e: int) -> int:
        return self.sizes.customers + self.sizes.contacts + e

    def other_person(self, o: int) -> int:
        return self.sizes.subjects - self.sizes.others + o

    # -- customer accounts --------------------------------------------------------------------
    def customer_no(self, c: int) -> str:
        return f"K{100001 + c}"

    def account(self, c: int) -> Account:
        h = mix(c, self._salt)
        span = TODAY - 45 - FIRST_CUSTOMER_DAY
        created = FIRST_CUSTOMER_DAY + c * span // self.sizes.customers
        private = c == 0 or h % 100 < 60
        months = 4 + (h >> 8) % 60 if private else 6 + (h >> 8) % 96
        ended: int | None = created + months * 30 + (h >> 16) % 30
        if c == 0 or ended is None or ended >= TODAY:
            ended = None
        roll = (h >> 24) % 100
        pay = "autogiro" if c == 0 or roll < 22 else "iban" if roll < 25 else "bankgiro"
        interval = (12, 12, 6, 3, 3, 3)[(h >> 32) % 6] if private else 0
        return Account(
            customer_no=self.customer_no(c),
            private=private,
            company_id=None if private else 1 + (h >> 40) % self.sizes.companies,
            created_day=created,
            ended_day=ended,
            interval_months=interval,
            pay_method=pay,
            billing_day=1 + (h >> 48) % 28,
        )

    def customers_by(self, day: int) -> int:
        """How many customers had signed up by day number ``day`` (at least customer 0)."""
        span = TODAY - 45 - FIRST_CUSTOMER_DAY
        done = ((day - FIRST_CUSTOMER_DAY) * self.sizes.customers) // span + 1
        return min(max(done, 1), self.sizes.customers)

    @cached_property
    def organisation_users(self) -> tuple[int, ...]:
        """Customers who use the service under a customer organisation's agreement."""
        users = tuple(c for c in range(self.sizes.customers) if not self.account(c).private)
        return users or (self.sizes.customers - 1,)

    # -- organisations ------------------------------------------------------------------------
    @cached_property
    def companies(self) -> tuple[Company, ...]:
        """The customer organisations; company ``i`` has id ``i + 1``."""
        salt = derive_seed(self.seed, "companies")
        out: list[Company] = []
        patterns = (
            "{last}s Hemtjänst i {town} AB",
            "Omsorg {last} {town} AB",
            "{town} Vård och Omsorg {last} AB",
            "Trygg Hemma {town} {last} AB",
            "{last} Assistans och Omsorg i {town} AB",
            "{town}s Hemomsorg {last} AB",
        )
        combos = len(patterns) * len(LAST_NAMES) * len(MUNICIPALITIES)
        step = next(a for a in range(7919, combos) if math.gcd(a, combos) == 1)
        for i in range(self.sizes.companies):
            h = mix(i, salt)
            if i % 3 == 0 and i // 3 < len(MUNICIPALITIES):
                town = MUNICIPALITIES[(i // 3 * 7) % len(MUNICIPALITIES)]
                name, kind = f"{town} kommun", "kommun"
                org = _org_number(f"212000{(i // 3 * 37 + 101) % 1000:03d}")
            else:
                # i -> (pattern, surname, town) is one-to-one below ``combos``: names never repeat
                j = (i * step + salt) % combos
                j, t = divmod(j, len(MUNICIPALITIES))
                p, last = divmod(j, len(LAST_NAMES))
                town, kind = MUNICIPALITIES[t], "omsorgsföretag"
                name = patterns[p].format(last=LAST_NAMES[last], town=town)
                org = _org_number(f"559{(i * 7919 + 104_729) % 1_000_000:06d}")
            created = FIRST_CUSTOMER_DAY + (h >> 40) % (TODAY - 400 - FIRST_CUSTOMER_DAY)
            ended = created + 365 + (h >> 20) % 1500 if (h >> 52) % 10 == 0 else None
            out.append(
                Company(
                    name=name,
                    org_number=org,
                    kind=kind,
                    city=town,
                    domain=ascii_slug(name.removesuffix(" AB"), "-") + ".example",
                    created_day=created,
                    ended_day=ended if ended is not None and ended < TODAY else None,
                )
            )
        return tuple(out)

    @cached_property
    def contact_emails(self) -> tuple[str, ...]:
        """Work e-mail of each customer representative, unique (``anna.berg2@...`` on a clash)."""
        out: list[str] = []
        seen: set[str] = set()
        for k in range(self.sizes.contacts):
            person = self.people[self.contact_person(k)]
            domain = self.companies[self.contact_company(k) - 1].domain
            base = f"{ascii_slug(person.first)}.{ascii_slug(person.last)}"
            email, n = f"{base}@{domain}", 1
            while email in seen:
                n += 1
                email = f"{base}{n}@{domain}"
            seen.add(email)
            out.append(email)
        return tuple(out)

    def contact_company(self, k: int) -> int:
        """Company id of representative ``k``: the companies share them out evenly."""
        return 1 + k % self.sizes.companies
