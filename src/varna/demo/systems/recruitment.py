"""recruitment.db: job applicants with CV and cover letter, per job posting 2021-2026.

A recruitment is closed some weeks after its deadline (``recruitment_closed_at``); the latest ones
are still open. One applicant in five is also a customer."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

from varna.demo.clock import TODAY, day_number, iso_day, iso_time
from varna.demo.names import MUNICIPALITIES
from varna.demo.tables import Batch, Row, SystemSpec, TableSpec, batched
from varna.demo.texts import JOBS, OUTCOMES, cover_letter, cv_text
from varna.demo.world import Sizes, World

APPLICANTS = TableSpec(
    "applicants",
    (
        ("id", "INTEGER PRIMARY KEY"),
        ("job_title", "TEXT NOT NULL"),
        ("name", "TEXT NOT NULL"),
        ("email", "TEXT NOT NULL"),
        ("phone", "TEXT"),
        ("cv_text", "TEXT"),
        ("cover_letter", "TEXT"),
        ("assessment", "TEXT"),
        ("applied_at", "TEXT NOT NULL"),
        ("recruitment_closed_at", "TEXT"),
    ),
    indexes=("email", "phone", "recruitment_closed_at"),
    folded=("email",),
)
FIRST_DAY = day_number(date(2021, 1, 1))


def _applicants(world: World, rng: random.Random) -> Iterator[Row]:
    people, count = world.people, world.sizes.subjects // 20
    postings = max(2, count // 40)
    for a in range(count):
        posting = a * postings // count
        published = FIRST_DAY + (posting + 1) * (TODAY - 30 - FIRST_DAY) // postings
        closed = published + 28 + 20 + rng.randrange(40)
        if a == 0:
            person = 0
        elif rng.random() < 0.2:
            person = rng.randrange(world.sizes.customers)
        else:
            person = world.other_person(rng.randrange(world.sizes.others))
        p, job = people[person], JOBS[posting % len(JOBS)]
        applied = published + rng.randrange(28)
        is_closed = closed <= TODAY
        yield (
            a + 1,
            job,
            p.name,
            p.email,
            p.phone,
            cv_text(rng, MUNICIPALITIES, int(iso_day(applied)[:4])),
            cover_letter(rng, job, p.name),
            OUTCOMES[rng.randrange(len(OUTCOMES))] if is_closed else None,
            iso_time(applied, rng.randrange(86_400)),
            iso_time(closed, 57_600) if is_closed else None,
        )


def generate(world: World, rng: random.Random) -> Iterator[Batch]:
    yield from batched("applicants", _applicants(world, rng))


def planned(sizes: Sizes) -> dict[str, int]:
    return {"applicants": sizes.subjects // 20}


SYSTEM = SystemSpec("recruitment", (APPLICANTS,), generate, planned)
