"""support.db: support e-mails as tickets, from customers, representatives and people who are
not customers. Tickets from customers carry the customer number the support tool matched."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

from varna.demo.clock import TODAY, day_number, iso_time
from varna.demo.tables import Batch, Row, SystemSpec, TableSpec, batched
from varna.demo.texts import CLOSINGS, CONTACT_MAIL, CUSTOMER_MAIL, GREETINGS, OTHER_MAIL
from varna.demo.world import Sizes, World

TICKETS = TableSpec(
    "tickets",
    (
        ("id", "INTEGER PRIMARY KEY"),
        ("customer_no", "TEXT"),
        ("from_email", "TEXT NOT NULL"),
        ("from_name", "TEXT"),
        ("subject", "TEXT"),
        ("body", "TEXT"),
        ("opened_at", "TEXT NOT NULL"),
        ("closed_at", "TEXT"),
    ),
    indexes=("customer_no", "from_email", "closed_at"),
    folded=("from_email",),
)
FIRST_DAY = day_number(date(2021, 1, 1))


def _tickets(world: World, rng: random.Random) -> Iterator[Row]:
    people, count, rand = world.people, world.sizes.subjects // 2, rng.random
    others = world.sizes.others
    for t in range(count):
        opened = FIRST_DAY + t * (TODAY - FIRST_DAY) // count
        roll = 0.0 if t == 0 else rand()
        customer_no = None
        if roll < 0.7:
            c = int(rand() * world.customers_by(opened)) if t else 0
            p = people[c]
            email, customer_no = p.email, world.customer_no(c)
            subject, text = CUSTOMER_MAIL[int(rand() * len(CUSTOMER_MAIL))]
            text = text.format(no=customer_no)
            if rand() < 0.3:
                text += f" Ring gärna på {p.phone}."
        elif roll < 0.8:
            k = int(rand() * world.sizes.contacts)
            p, email = people[world.contact_person(k)], world.contact_emails[k]
            subject, text = CONTACT_MAIL[int(rand() * len(CONTACT_MAIL))]
        else:
            p = people[world.other_person(int(rand() * others))]
            email = p.email
            subject, text = OTHER_MAIL[int(rand() * len(OTHER_MAIL))]
        greeting = GREETINGS[int(rand() * len(GREETINGS))]
        closing = CLOSINGS[int(rand() * len(CLOSINGS))]
        body = f"{greeting}\n\n{text}\n\n{closing}\n{p.first if rand() < 0.3 else p.name}"
        second = 28_800 + int(rand() * 32_400)
        closed_day, closed_second = divmod(
            opened * 86_400 + second + rng.randrange(600, 21 * 86_400), 86_400
        )
        if rand() >= 0.93:
            closed_day = TODAY + 1  # still open
        yield (
            t + 1,
            customer_no,
            email,
            p.name,
            subject,
            body,
            iso_time(opened, second),
            iso_time(closed_day, closed_second) if closed_day <= TODAY else None,
        )


def generate(world: World, rng: random.Random) -> Iterator[Batch]:
    yield from batched("tickets", _tickets(world, rng))


def planned(sizes: Sizes) -> dict[str, int]:
    return {"tickets": sizes.subjects // 2}


SYSTEM = SystemSpec("support", (TICKETS,), generate, planned)
