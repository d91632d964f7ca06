"""Other personal details: Swedish vehicle registration numbers and dates of birth in context.

Sources: Transportstyrelsen, Vägtrafikregistret (``ABC 123`` and, since 2019, ``ABC 12D``;
the letters I, Q, V and Å, Ä, Ö are not used, and a list of offensive combinations is
excluded, which is not checked here).
"""

from __future__ import annotations

from datetime import date

from varna.discovery.models import Detector, Pattern

_PLATE_LETTERS = "A-HJ-PR-UW-Z"


class VehicleRegistrationDetector(Detector):
    """Swedish vehicle registration numbers (``ABC 123``, ``ABC12D``).

    Accuracy limits: three capitals and three characters is a common shape for product codes,
    so a context word (``regnr``, ``bil``, ``fordon``) is required.
    """

    label = "vehicle_registration"
    patterns = (
        Pattern("plate", rf"[{_PLATE_LETTERS}]{{3}} ?[0-9]{{2}}[0-9{_PLATE_LETTERS}]", 0.35),
    )
    context = (
        "regnr",
        "reg.nr",
        "registreringsnummer",
        "reg nr",
        "bil",
        "bilen",
        "fordon",
        "fordonet",
        "vehicle",
        "plate",
        "parkering",
        "parkerad",
    )
    context_boost = 0.5


class DateOfBirthDetector(Detector):
    """Dates of birth: a calendar date right after ``född``, ``födelsedatum``, ``born``, ``DOB``.

    Accuracy limits: only ISO (``1985-03-12``), Swedish (``12/3 1985``, ``12 mars 1985``) and
    ``DD.MM.YYYY`` forms are read, and only after a context word; a date without one is never
    reported (``01/02/2023`` is an ordinary date).
    """

    label = "date_of_birth"
    patterns = (
        Pattern("iso", r"(?:19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]", 0.2),
        Pattern("day.month.year", r"[0-3]?[0-9][./][01]?[0-9][./ ](?:19|20)[0-9]{2}", 0.2),
        Pattern(
            "day monthname year",
            r"[0-3]?[0-9] (?:januari|februari|mars|april|maj|juni|juli|augusti|september"
            r"|oktober|november|december|jan|feb|mar|apr|jun|jul|aug|sep|okt|oct|nov|dec)"
            r" (?:19|20)[0-9]{2}",
            0.2,
        ),
    )
    context = ("född", "födelsedatum", "födelsedag", "born", "date of birth", "dob", "birth date")
    context_window = 20
    context_boost = 0.7

    def validate(self, value: str) -> float | None:
        if value[:2] in ("19", "20") and value[4] == "-":
            try:
                date.fromisoformat(value)
            except ValueError:
                return None
        return -1.0
