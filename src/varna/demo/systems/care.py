"""care.db: care recipients (brukare) and their care notes, kept as processor for the customer
organisations. ``end_users.customer_no`` names the organisation user in the CRM responsible for
the recipient, with no foreign key (another system); ``care_notes.end_user_id`` has one."""

from __future__ import annotations

import random
from collections.abc import Iterator

from varna.demo.clock import TODAY, iso_day, iso_time
from varna.demo.tables import Batch, Buffer, SystemSpec, TableSpec
from varna.demo.texts import CARE_SERVICES, care_sentences
from varna.demo.world import Sizes, World

END_USERS = TableSpec(
    "end_users",
    (
        ("id", "INTEGER PRIMARY KEY"),
        ("customer_no", "TEXT NOT NULL"),
        ("name", "TEXT NOT NULL"),
        ("birth_date", "TEXT"),
        ("street", "TEXT"),
        ("postal_code", "TEXT"),
        ("city", "TEXT"),
        ("service", "TEXT NOT NULL"),
        ("created_at", "TEXT NOT NULL"),
        ("assignment_ended_at", "TEXT"),
        ("last_note_at", "TEXT"),
        ("restricted", "INTEGER NOT NULL DEFAULT 0"),
    ),
    indexes=("customer_no", "assignment_ended_at"),
)
CARE_NOTES = TableSpec(
    "care_notes",
    (
        ("id", "INTEGER PRIMARY KEY"),
        ("end_user_id", "INTEGER NOT NULL"),
        ("written_at", "TEXT NOT NULL"),
        ("author_role", "TEXT NOT NULL"),
        ("note", "TEXT NOT NULL"),
    ),
    foreign_keys=("FOREIGN KEY (end_user_id) REFERENCES end_users (id)",),
    indexes=("end_user_id", "written_at"),
)
AUTHORS = ("undersköterska", "undersköterska", "sjuksköterska", "larmoperatör", "systemet")
NOTES_PER_END_USER = 5  # on average: 1 to 9
PERSONNUMMER_EVERY = 40
"""Every 40th note quotes the recipient's personnummer in its free text, which the register
does not declare for ``care_notes.note`` (a plant for ``varna discover``; no random draw, so
the rest of the demo is the same with or without it)."""


def generate(world: World, rng: random.Random) -> Iterator[Batch]:
    people, users = world.people, world.organisation_users
    pool, rand = care_sentences(rng), rng.random
    buffer = Buffer("end_users", "care_notes")
    note_id = 0
    for e in range(world.sizes.end_users):
        p = people[world.end_user_person(e)]
        account = world.account(users[0 if e == 0 else int(rand() * len(users))])
        end = account.ended_day if account.ended_day is not None else TODAY
        start = account.created_day + int(rand() * max(end - account.created_day - 1, 1))
        ended = None
        if account.ended_day is not None or rand() < 0.2:
            ended = min(end, start + 30 + int(rand() * 900))
            end = min(end, ended)
        n = 1 + int(rand() * (2 * NOTES_PER_END_USER - 1))
        moments = sorted(
            (start + 1 + int(rand() * max(end - start - 1, 1)), int(rand() * 86_400))
            for _ in range(n)
        )
        for day, second in moments:
            note_id += 1
            text = pool[int(rand() * len(pool))]
            if rand() < 0.4:
                text = f"{text} {pool[int(rand() * len(pool))]}"
            author = AUTHORS[int(rand() * len(AUTHORS))]
            if note_id % PERSONNUMMER_EVERY == 0:  # planted: what `varna discover` must find
                text = f"{text} Anhörig uppgav pnr {p.personnummer} vid samtalet."
            note = (note_id, e + 1, iso_time(day, second), author, text)
            if batch := buffer.add("care_notes", note):
                yield batch
        last_day, last_second = moments[-1]
        end_user = (
            e + 1,
            account.customer_no,
            p.name,
            iso_day(people.elder_birth_day(world.end_user_person(e))),
            p.street,
            p.postal_code,
            p.city,
            CARE_SERVICES[int(rand() * len(CARE_SERVICES))],
            iso_time(start, 28_800 + int(rand() * 32_400)),
            iso_time(ended, 43_200) if ended is not None else None,
            iso_time(last_day, last_second),
            0,
        )
        if batch := buffer.add("end_users", end_user):
            yield batch
    yield from buffer.rest()


def planned(sizes: Sizes) -> dict[str, int]:
    return {"end_users": sizes.end_users, "care_notes": sizes.end_users * NOTES_PER_END_USER}


SYSTEM = SystemSpec("care", (END_USERS, CARE_NOTES), generate, planned)
