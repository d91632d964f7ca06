"""Payment identifiers: bankgiro, plusgiro, IBAN, payment cards.

Sources: Bankgirot, "Bankgironummer" (7-8 digits, ``NNN-NNNN`` or ``NNNN-NNNN``, Luhn); Plusgirot
(2-8 digits, the last a Luhn check digit after a dash); ISO 13616 (IBAN, mod 97 = 1); ISO/IEC
7812 (card numbers: issuer identification number, Luhn).
"""

from __future__ import annotations

from stdnum import iban

from varna.discovery.detectors.checksums import luhn_valid
from varna.discovery.models import Detector, Pattern

_PAYMENT_WORDS = ("ocr", "referens", "order", "ordernummer", "faktura", "fakturanr")


_NOT_DIGITS = str.maketrans("", "", " -+.")


def _digits(value: str) -> str:
    return value.translate(_NOT_DIGITS)


class BankgiroDetector(Detector):
    """Bankgiro numbers (``NNN-NNNN`` or ``NNNN-NNNN``, Luhn over the digits).

    Accuracy limits: the shape is shared with phone numbers and references and Luhn passes one
    number in ten, so a context word (``bankgiro``, ``bg``) is required.
    """

    label = "bankgiro"
    patterns = (Pattern("bankgiro", r"[0-9]{3,4}-[0-9]{4}", 0.3),)
    context = ("bankgiro", "bankgironummer", "bg", "bg-nr", "bg nr", "bankgiro nr")
    context_boost = 0.6
    context_window = 25

    def validate(self, value: str) -> float | None:
        return -1.0 if luhn_valid(_digits(value)) else None


class PlusgiroDetector(Detector):
    """Plusgiro numbers (``NNNNNNN-N``, also grouped as ``NN NN NN-N``; Luhn).

    Accuracy limits: like bankgiro, reported only with a context word (``plusgiro``, ``pg``).
    """

    label = "plusgiro"
    patterns = (
        Pattern("plusgiro", r"[0-9]{1,7}-[0-9]", 0.3),
        Pattern("plusgiro grouped", r"[0-9]{1,2}(?: [0-9]{2}){1,3}-[0-9]", 0.3),
    )
    context = ("plusgiro", "plusgironummer", "pg", "postgiro", "pg-nr", "pg nr")
    context_boost = 0.6
    context_window = 25

    def validate(self, value: str) -> float | None:
        digits = _digits(value)
        return -1.0 if len(digits) >= 2 and luhn_valid(digits) else None


class IbanDetector(Detector):
    """IBAN in electronic or grouped print form (ISO 13616: country, check digits, BBAN; mod 97).

    Accuracy limits: the country's BBAN length and format are checked (python-stdnum); a
    mistyped IBAN that still passes mod 97 is reported, one that fails is not.
    """

    label = "iban"
    patterns = (
        Pattern("iban", r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", 0.9),
        Pattern("iban grouped", r"[A-Z]{2}[0-9]{2}(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?", 0.9),
    )
    context = ("iban", "konto", "account", "bank")

    def validate(self, value: str) -> float | None:
        return -1.0 if iban.is_valid(value) else None


_ISSUERS: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    # (name, prefix ranges "lo-hi" on the leading digits, allowed lengths)
    ("Visa", "4-4", (13, 16, 19)),
    ("Mastercard", "51-55", (16,)),
    ("Mastercard", "2221-2720", (16,)),
    ("American Express", "34-34", (15,)),
    ("American Express", "37-37", (15,)),
    ("Discover", "6011-6011", (16, 19)),
    ("Discover", "644-649", (16, 19)),
    ("Discover", "65-65", (16, 19)),
    ("Maestro", "50-50", (12, 13, 14, 15, 16, 17, 18, 19)),
    ("Maestro", "56-69", (12, 13, 14, 15, 16, 17, 18, 19)),
    ("Maestro", "0604-0604", (12, 13, 14, 15, 16, 17, 18, 19)),
    ("JCB", "3500-3599", (16, 17, 18, 19)),
    ("JCB", "2131-2131", (15,)),
    ("JCB", "1800-1800", (15,)),
    ("Diners Club", "36-36", (14, 15, 16, 17, 18, 19)),
    ("Diners Club", "38-39", (14, 15, 16, 17, 18, 19)),
    ("Diners Club", "300-305", (14, 15, 16, 17, 18, 19)),
    ("UnionPay", "62-62", (16, 17, 18, 19)),
)


def issuer(digits: str) -> str | None:
    """The card network whose IIN range and length ``digits`` fall in, or None."""
    for name, span, lengths in _ISSUERS:
        low, high = span.split("-")
        head = int(digits[: len(low)])
        if int(low) <= head <= int(high) and len(digits) in lengths:
            return name
    return None


class CardDetector(Detector):
    """Payment card numbers: 12-19 digits, optionally in groups, Luhn and an issuer range.

    Accuracy limits: Luhn passes one random number in ten and the issuer ranges cover most
    of the rest of the number space's shape, so long Luhn-valid references that start like a
    card (4, 5, 6) are reported; ``OCR`` or ``order`` just before lowers the score.
    """

    label = "card"
    negative_context = _PAYMENT_WORDS
    patterns = (
        Pattern("card", r"[0-9]{12,19}", 0.5),
        Pattern("card grouped", r"[0-9]{4}(?:[ -][0-9]{4}){2}[ -][0-9]{1,7}", 0.85),
        Pattern("amex grouped", r"3[47][0-9]{2}[ -][0-9]{6}[ -][0-9]{5}", 0.85),
    )
    context = ("kort", "kortnummer", "card", "visa", "mastercard", "amex", "betalkort")

    def validate(self, value: str) -> float | None:
        digits = _digits(value)
        if not 12 <= len(digits) <= 19 or not luhn_valid(digits) or issuer(digits) is None:
            return None
        return -1.0
