"""marketing.db: newsletter sign-ups with the consent given and, for some, withdrawn.

About a quarter of the customers, most representatives and the people who are neither sign up;
rows are in the order the sign-ups happened."""

from __future__ import annotations

import random
from collections.abc import Iterator

from varna.demo.clock import TODAY, iso_time
from varna.demo.tables import Batch, Row, SystemSpec, TableSpec, batched
from varna.demo.world import FIRST_CUSTOMER_DAY, Sizes, World

SIGNUPS = TableSpec(
    "newsletter_signups",
    (
        ("id", "INTEGER PRIMARY KEY"),
        ("email", "TEXT NOT NULL"),
        ("first_name", "TEXT"),
        ("consent_given_at", "TEXT NOT NULL"),
        ("consent_text", "TEXT NOT NULL"),
        ("consent_withdrawn_at", "TEXT"),
        ("source", "TEXT NOT NULL"),
    ),
    indexes=("email", "consent_withdrawn_at"),
    folded=("email",),
)
#: Share of each group that signs up.
SHARE = {"customers": 0.24, "contacts": 0.6, "others": 1.0}
SOURCES = ("webbplats", "webbplats", "kundportal", "mässa", "webbinarium")


def _consent_text(day: int) -> str:
    return "nyhetsbrev-v1" if day < FIRST_CUSTOMER_DAY + 1100 else "nyhetsbrev-v2"


def _signups(world: World, rng: random.Random) -> list[tuple[int, int, str, str, str]]:
    """(day, second, e-mail, first name, source) of every sign-up."""
    people, sizes, out, rand = world.people, world.sizes, [], rng.random
    for c in range(sizes.customers):
        if c == 0 or rand() < SHARE["customers"]:
            start = world.account(c).created_day
            day = start + rng.randrange(max(TODAY - start, 1))
            p = people[c]
            out.append((day, int(rand() * 86_400), p.email, p.first, "kundportal"))
    groups = (
        (sizes.contacts, SHARE["contacts"], world.contact_person, world.contact_emails),
        (sizes.others, SHARE["others"], world.other_person, None),
    )
    for count, share, person_of, emails in groups:
        for k in range(count):
            if rand() < share:
                p = people[person_of(k)]
                day = FIRST_CUSTOMER_DAY + int(rand() * (TODAY - FIRST_CUSTOMER_DAY))
                email = emails[k] if emails else p.email
                source = SOURCES[int(rand() * len(SOURCES))]
                out.append((day, int(rand() * 86_400), email, p.first, source))
    out.sort()
    return out


def _rows(world: World, rng: random.Random) -> Iterator[Row]:
    rand = rng.random
    for n, (day, second, email, first, source) in enumerate(_signups(world, rng), 1):
        withdrawn = None
        if rand() < 0.15:
            gone = day + 30 + int(rand() * 900)
            withdrawn = iso_time(gone, int(rand() * 86_400)) if gone <= TODAY else None
        yield (n, email, first, iso_time(day, second), _consent_text(day), withdrawn, source)


def generate(world: World, rng: random.Random) -> Iterator[Batch]:
    yield from batched("newsletter_signups", _rows(world, rng))


def planned(sizes: Sizes) -> dict[str, int]:
    expected = (
        sizes.customers * SHARE["customers"]
        + sizes.contacts * SHARE["contacts"]
        + sizes.others * SHARE["others"]
    )
    return {"newsletter_signups": round(expected)}


SYSTEM = SystemSpec("marketing", (SIGNUPS,), generate, planned)
