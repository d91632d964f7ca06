"""crm.db: customer organisations, customers (people) and the organisations' representatives."""

from __future__ import annotations

import random
from collections.abc import Iterator

from varna.demo.clock import TODAY, iso_time
from varna.demo.names import TITLES
from varna.demo.people import derive_seed, mix
from varna.demo.tables import Batch, Row, SystemSpec, TableSpec, batched
from varna.demo.world import Sizes, World

COMPANIES = TableSpec(
    "companies",
    (
        ("id", "INTEGER PRIMARY KEY"),
        ("org_number", "TEXT NOT NULL"),
        ("name", "TEXT NOT NULL"),
        ("kind", "TEXT NOT NULL"),
        ("city", "TEXT"),
        ("created_at", "TEXT NOT NULL"),
        ("ended_at", "TEXT"),
    ),
    unique=("org_number",),
)
CUSTOMERS = TableSpec(
    "customers",
    (
        ("id", "INTEGER PRIMARY KEY"),
        ("customer_no", "TEXT NOT NULL"),
        ("company_id", "INTEGER"),
        ("name", "TEXT NOT NULL"),
        ("personnummer", "TEXT"),
        ("email", "TEXT"),
        ("phone", "TEXT"),
        ("street", "TEXT"),
        ("postal_code", "TEXT"),
        ("city", "TEXT"),
        ("created_at", "TEXT NOT NULL"),
        ("ended_at", "TEXT"),
        ("restricted", "INTEGER NOT NULL DEFAULT 0"),
    ),
    foreign_keys=("FOREIGN KEY (company_id) REFERENCES companies (id)",),
    indexes=("company_id", "personnummer", "email", "phone", "ended_at"),
    folded=("email",),
    unique=("customer_no",),
)
CONTACTS = TableSpec(
    "contacts",
    (
        ("id", "INTEGER PRIMARY KEY"),
        ("company_id", "INTEGER NOT NULL"),
        ("name", "TEXT NOT NULL"),
        ("title", "TEXT"),
        ("email", "TEXT"),
        ("phone", "TEXT"),
        ("last_contact_at", "TEXT NOT NULL"),
        ("restricted", "INTEGER NOT NULL DEFAULT 0"),
    ),
    foreign_keys=("FOREIGN KEY (company_id) REFERENCES companies (id)",),
    indexes=("company_id", "email", "phone", "last_contact_at"),
    folded=("email",),
)


def _companies(world: World) -> Iterator[Row]:
    for i, c in enumerate(world.companies):
        ended = iso_time(c.ended_day, 61_200) if c.ended_day is not None else None
        yield (i + 1, c.org_number, c.name, c.kind, c.city, iso_time(c.created_day, 36_000), ended)


def _customers(world: World) -> Iterator[Row]:
    people, salt = world.people, derive_seed(world.seed, "crm", "customers")
    for c in range(world.sizes.customers):
        p, a, h = people[c], world.account(c), mix(c, salt)
        ended = iso_time(a.ended_day, 28_800 + h % 32_400) if a.ended_day is not None else None
        yield (
            c + 1,
            a.customer_no,
            a.company_id,
            p.name,
            p.personnummer,
            p.email,
            p.phone,
            p.street,
            p.postal_code,
            p.city,
            iso_time(a.created_day, 28_800 + (h >> 16) % 32_400),
            ended,
            0,
        )


def _contacts(world: World) -> Iterator[Row]:
    people, emails = world.people, world.contact_emails
    salt = derive_seed(world.seed, "crm", "contacts")
    for k in range(world.sizes.contacts):
        p, h = people[world.contact_person(k)], mix(k, salt)
        company = world.contact_company(k)
        start = world.companies[company - 1].created_day
        last = start + h % max(TODAY - start, 1)
        title = TITLES[(h >> 32) % len(TITLES)]
        when = iso_time(last, 28_800 + (h >> 40) % 32_400)
        yield (k + 1, company, p.name, title, emails[k], p.phone, when, 0)


def generate(world: World, rng: random.Random) -> Iterator[Batch]:
    yield from batched("companies", _companies(world))
    yield from batched("customers", _customers(world))
    yield from batched("contacts", _contacts(world))


def planned(sizes: Sizes) -> dict[str, int]:
    return {"companies": sizes.companies, "customers": sizes.customers, "contacts": sizes.contacts}


SYSTEM = SystemSpec("crm", (COMPANIES, CUSTOMERS, CONTACTS), generate, planned)
