"""Contact details: e-mail addresses, phone numbers, Swedish postal codes and street addresses.

Sources: RFC 5322 (the common subset of addr-spec), ITU-T E.164 and PTS's Swedish numbering plan
through libphonenumber (the ``phonenumbers`` package), PostNord's postal code scheme (five
digits, written ``NNN NN``, 100 00-984 99).
"""

from __future__ import annotations

import phonenumbers

from varna.discovery.models import Detector, Pattern


class EmailDetector(Detector):
    """E-mail addresses (the dot-atom form of RFC 5322 with a dotted domain).

    Accuracy limits: quoted local parts and addresses in non-Latin scripts are not found; a
    dotted word with an ``@`` (``user@host.local``) is reported.
    """

    label = "email"
    patterns = (
        Pattern(
            "addr-spec",
            r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,24}",
            0.95,
        ),
    )
    context = ("e-post", "email", "e-mail", "mail", "mejl")


class PhoneDetector(Detector):
    """Phone numbers, Swedish national (``070-123 45 67``) and international (``+46 70 ...``).

    Every candidate is parsed by libphonenumber with Sweden as the default region and must be
    a valid number for its region. Accuracy limits: numbers written without any grouping that
    are also valid personnummer or card numbers are reported by whichever scores higher; foreign
    numbers without ``+`` or ``00`` are read as Swedish.
    """

    label = "phone"
    patterns = (
        Pattern("national", r"0[1-9][0-9]{0,3}(?:[- ]?[0-9]{2,4}){2,4}", 0.7),
        Pattern(
            "national parenthesised",
            r"\(0[1-9][0-9]{0,3}\) ?[0-9]{2,4}(?:[- ]?[0-9]{2,4}){1,3}",
            0.7,
        ),
        Pattern(
            "international",
            r"(?:\+|00)[1-9][0-9]{0,3}(?:[- ]?\(?0?\)?[- ]?)?(?:[- ]?[0-9]{1,4}){2,6}",
            0.8,
        ),
    )
    context = ("tel", "telefon", "mobil", "phone", "ring", "sms", "mobile", "fax", "nr")
    negative_context = ("ocr", "order", "faktura", "ref")

    def validate(self, value: str) -> float | None:
        digits = sum(c.isdigit() for c in value)
        if not 7 <= digits <= 15:
            return None
        try:
            number = phonenumbers.parse(value, "SE")
        except phonenumbers.NumberParseException:
            return None
        return -1.0 if phonenumbers.is_valid_number(number) else None


class PostalCodeDetector(Detector):
    """Swedish postal codes: ``NNN NN`` or ``NNNNN`` followed by a town, or after a context word.

    Accuracy limits: the five digits are only plausible (100 00-984 99); a bare five-digit
    number without a capitalised town after it or a context word before it is not reported.
    The span is the code alone, without the town.
    """

    label = "postal_code"
    patterns = (
        Pattern("code and town", r"(?:SE-)?[1-9][0-9]{2} ?[0-9]{2} [A-ZÅÄÖ][a-zåäöé]+", 0.75),
        Pattern("code", r"(?:SE-)?[1-9][0-9]{2} ?[0-9]{2}", 0.3),
    )
    context = ("postnummer", "postnr", "post nr", "postal code", "zip", "adress", "address")
    context_boost = 0.45

    def validate(self, value: str) -> float | None:
        digits = "".join(c for c in value[:9] if c.isdigit())[:5]
        return -1.0 if 10000 <= int(digits) <= 98499 else None

    def trim(self, text: str, start: int, end: int) -> tuple[int, int]:
        """The code without the town: up to the fifth digit."""
        seen = 0
        for index in range(start, end):
            seen += text[index].isdigit()
            if seen == 5:
                return start, index + 1
        return start, end


_STREET_SUFFIXES = (
    "gatan|vägen|gränd|gränden|stigen|torget|torg|allén|backe|backen|plan|platsen|leden|"
    "väg|gata|street|road|avenue|lane|strand|stranden|kajen|esplanaden|promenaden|slingan|"
    "vägen|parken|höjden|ringen|liden|gårdsvägen|dalen|hagen|bron|tvärgatan|ängen"
)


class StreetAddressDetector(Detector):
    """Swedish street addresses: a street name ending in ``-gatan``, ``-vägen``, ``-gränd``
    (and other common endings) followed by a house number and an optional letter.

    Accuracy limits: streets without one of the common endings (``Drottninggatan`` is found,
    ``Stora Nygatan`` is, ``Kungsholms strand`` needs the context word) and rural addresses
    (``Box``, ``Lantbruk 3``) are missed; a building named like a street is reported.
    """

    label = "street_address"
    patterns = (
        Pattern(
            "street and number",
            rf"(?:[A-ZÅÄÖ][a-zåäöé]+ )?[A-ZÅÄÖ][a-zåäöé]*(?:{_STREET_SUFFIXES}) [0-9]{{1,4}}"
            r"(?: ?[A-Za-z])?",
            0.8,
        ),
    )
    context = ("adress", "address", "bor på", "gatuadress", "boende")
