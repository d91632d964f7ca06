"""Swedish identity numbers: personnummer, samordningsnummer, organisationsnummer.

Sources: Folkbokföringslagen (1991:481) 18 § and 18 a § (birth date, birth number, Luhn check
digit; the samordningsnummer adds 60 to the day); Lag (1974:174) om identitetsbeteckning för
juridiska personer (the organisationsnummer: a ``month`` of 20 or more, Luhn).
"""

from __future__ import annotations

from calendar import monthrange
from typing import ClassVar

from varna.discovery.detectors.checksums import luhn_valid
from varna.discovery.models import Detector, Pattern

_NEGATIVE = ("ocr", "referens", "ref", "order", "faktura", "ts=", "timestamp", "epoch", "unix")


_NOT_DIGITS = str.maketrans("", "", " -+.")


def _digits(value: str) -> str:
    """The ASCII digits of a candidate (the patterns admit only digits and separators)."""
    return value.translate(_NOT_DIGITS)


def _date_ok(yymmdd: str, centuries: tuple[int, ...], *, coordination: bool) -> bool:
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    if coordination:
        if day <= 60:
            return False
        day -= 60
    if not 1 <= month <= 12 or day < 1:
        return False
    return any(day <= monthrange(c * 100 + yy, month)[1] for c in centuries)


class _BirthNumber(Detector):
    """Shared checks of personnummer and samordningsnummer (date, century, birth number, Luhn)."""

    coordination: ClassVar[bool] = False
    negative_context: ClassVar[tuple[str, ...]] = _NEGATIVE
    patterns = (
        Pattern("12 digits with separator", r"(?:18|19|20)[0-9]{6}[-+][0-9]{4}", 0.95),
        Pattern("12 digits", r"(?:18|19|20)[0-9]{10}", 0.85),
        Pattern("10 digits with separator", r"[0-9]{6}[-+][0-9]{4}", 0.9),
        Pattern("10 digits", r"[0-9]{10}", 0.6),
        Pattern("10 digits with a space", r"(?:18|19|20)?[0-9]{6} [0-9]{4}", 0.3),
    )
    context = (
        "personnummer",
        "personnr",
        "pnr",
        "person nr",
        "samordningsnummer",
        "samordningsnr",
        "personal identity number",
        "ssn",
        "född",
        "identity number",
    )

    def validate(self, value: str) -> float | None:
        digits = _digits(value)
        if len(digits) == 12:
            centuries: tuple[int, ...] = (int(digits[:2]),)
            digits = digits[2:]
        else:
            centuries = (19, 20) if "+" not in value else (18, 19)
        if (digits[4] >= "6") != self.coordination:
            return None  # the day is 61-91 exactly when it is a samordningsnummer
        if digits[6:9] == "000" or not luhn_valid(digits):
            return None
        if not _date_ok(digits[:6], centuries, coordination=self.coordination):
            return None
        return -1.0


class PersonnummerDetector(_BirthNumber):
    """Personnummer (``YYMMDD-NNNC``, ``YYYYMMDDNNNC``, with or without separator).

    Accuracy limits: the check is the calendar date and the Luhn digit, so one random
    ten-digit number in about 30 passes; ten digits without a separator score lower and
    phone-like or timestamp-like numbers can still pass. A number that passes may never have
    been issued. ``OCR``, ``order`` and timestamp words just before a number lower its score.
    """

    label = "personnummer"


class SamordningsnummerDetector(_BirthNumber):
    """Samordningsnummer: a personnummer whose day is 61-91 (Folkbokföringslagen 18 a §).

    Reported under the label ``personnummer`` (it is used wherever a personnummer is, and the
    text interface's labels have no other name for it); the explanation names it.

    Accuracy limits: as :class:`PersonnummerDetector`; the day + 60 makes accidental matches
    rarer. Unknown day or month (``00``), which Skatteverket allows, is not reported.
    """

    label = "personnummer"
    coordination = True


class OrganisationsnummerDetector(Detector):
    """Organisationsnummer (``NNNNNN-NNNN``, optionally prefixed ``16``): third digit >= 2, Luhn.

    Accuracy limits: one random ten-digit number in about 25 passes; without a separator a
    context word (``org.nr``, ``organisationsnummer``, ``VAT``) is needed. A sole trader's
    organisationsnummer is a personnummer and is reported as one.
    """

    label = "organisationsnummer"
    negative_context = _NEGATIVE
    patterns = (
        Pattern("with separator", r"(?:16)?[0-9]{6}-[0-9]{4}", 0.85),
        Pattern("10 digits", r"(?:16)?[0-9]{10}", 0.4),
        Pattern("VAT number", r"SE[0-9]{10}01", 0.9),
    )
    context = (
        "organisationsnummer",
        "org.nr",
        "orgnr",
        "org nr",
        "org. nr",
        "organisation number",
        "company number",
        "momsreg",
        "vat",
        "ab",
    )

    def validate(self, value: str) -> float | None:
        digits = _digits(value.removeprefix("SE"))
        if value.startswith("SE"):
            digits = digits[:10]
        elif len(digits) == 12:
            digits = digits[2:]
        if int(digits[2]) < 2 or not luhn_valid(digits):
            return None
        return -1.0
