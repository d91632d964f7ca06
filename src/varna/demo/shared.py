"""The shared folder (``data/shared``): a file server where staff keep documents, which the
register declares as a system without personal data. It is not so: a spreadsheet of job
applicants someone exported from the recruitment system lies there, and ``varna discover``
must find it (GDPR Art. 30(1), 5(1)(c)). Also a harmless price list, which must not fire."""

from __future__ import annotations

from pathlib import Path

from varna.demo.people import Population

APPLICANTS_FILE = "rekrytering/ansokningar_export.xlsx"
PRICE_LIST = "priser/prislista_2026.txt"
APPLICANTS = 40
"""Rows in the planted spreadsheet (every 20th person of the demo, at most this many)."""


def build_shared_folder(folder: Path, *, subjects: int, seed: int) -> int:
    """Write the shared folder's files; the number of applicant rows planted."""
    from openpyxl import Workbook

    people = Population(seed, subjects)
    picked = [people[i] for i in range(0, len(people), 20)][:APPLICANTS]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Ansökningar"
    sheet.append(["Namn", "Personnummer", "E-post", "Telefon", "Tjänst"])
    for person in picked:
        sheet.append(
            [person.name, person.personnummer, person.email, person.phone, "Undersköterska"]
        )
    (folder / APPLICANTS_FILE).parent.mkdir(parents=True, exist_ok=True)
    book.save(folder / APPLICANTS_FILE)
    (folder / PRICE_LIST).parent.mkdir(parents=True, exist_ok=True)
    (folder / PRICE_LIST).write_text(
        "Prislista 2026, version 2.4.1\n"
        "Trygghetslarm, månadsavgift: 249 kr (artikel 100245)\n"
        "Nattillsyn med kamera: 1 190 kr (artikel 100311)\n"
        "Gäller från 01/02/2026. Order- och fakturafrågor: faktura 2026-0042.\n",
        encoding="utf-8",
    )
    return len(picked)
