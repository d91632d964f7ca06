"""Contact details: e-mail addresses, phone numbers, Swedish postal codes and street addresses.

Sources: RFC 5322 (the common subset of addr-spec), ITU-T E.164 and PTS's Swedish numbering plan
through libphonenumber (the ``phonenumbers`` package), PostNord's postal code scheme (five
digits, written ``NNN NN``, 100 00-984 99).
"""

from __future__ import annotations

import re

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
            r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9åäöüé](?:[A-Za-z0-9åäöüé-]{0,62}\.)+"
            r"[A-Za-z]{2,24}",
            0.95,
            prefilter=r"@[A-Za-z0-9åäöüé](?:[A-Za-z0-9åäöüé-]*\.)+[A-Za-z]{2,24}",
            prefilter_reach=64,
        ),
    )
    context = ("e-post", "email", "e-mail", "mail", "mejl")


_PHONE_PUNCTUATION = str.maketrans("", "", " -()/+")
_WRITTEN_LIKE_A_PHONE = re.compile(
    r"(?:\+46 ?(?:\(0\))? ?|0)[1-9][0-9]{0,3}[- ][0-9]{2,3}(?: [0-9]{2,3}){1,3}"
)
"""An area code, a dash or space, then digits in groups of two or three (``068-16 46 03``)."""
_PERSONNUMMER_SHAPE = re.compile(r"[0-9]{6}[-+][0-9]{4}")
_SWEDISH_MOBILE = re.compile(r"(?:0|0046|46)7[02369][0-9]{7}")


class PhoneDetector(Detector):
    """Phone numbers, Swedish national (``070-123 45 67``) and international (``+46 70 ...``).

    Every candidate is parsed by libphonenumber with Sweden as the default region; a valid
    number scores high, a Swedish number outside the numbering plan only when it is written
    the way phone numbers are (area code, dash, groups of two or three digits).

    Accuracy limits: numbers written without any grouping that are also valid personnummer or
    card numbers are reported by whichever scores higher; foreign numbers without ``+`` or
    ``00`` are read as Swedish.
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
    negative_context = ("ocr", "order", "faktura", "ref", "personnummer", "pnr", "org.nr", "kort")
    negative_window = 35

    def glued(self, text: str, start: int, end: int) -> bool:
        """Also a group of a longer digit sequence (``4133 8926 0878 8280`` holds no phone)."""
        before = text[max(0, start - 2) : start]
        after = text[end : end + 2]
        return (
            super().glued(text, start, end)
            or (len(before) == 2 and before[1] in " -" and before[0].isdigit())
            or (len(after) == 2 and after[0] in " -" and after[1].isdigit())
        )

    def validate(self, value: str) -> float | None:
        digits = value.translate(_PHONE_PUNCTUATION)
        if not 7 <= len(digits) <= 15 or _PERSONNUMMER_SHAPE.fullmatch(value):
            return None
        if _SWEDISH_MOBILE.fullmatch(digits):
            return -1.0  # 07[02369] and seven digits: PTS's mobile series, valid without lookup
        if value[0] == "0" and digits[1] != "0" and "(" not in value:
            # A Swedish national number: its digits are the E.164 number without parsing.
            number = phonenumbers.PhoneNumber(country_code=46, national_number=int(digits[1:]))
        else:
            try:
                number = phonenumbers.parse(value, "SE")
            except phonenumbers.NumberParseException:
                return None
        if phonenumbers.is_valid_number(number):
            return -1.0
        if _WRITTEN_LIKE_A_PHONE.fullmatch(value):
            return 0.55  # not in the numbering plan, but written the way phone numbers are
        return None


class PostalCodeDetector(Detector):
    """Swedish postal codes: ``NNN NN`` or ``NNNNN`` followed by a town, or after a context word.

    Accuracy limits: the five digits are only plausible (100 00-984 99); a bare five-digit
    number without a capitalised town after it or a context word just before it is not
    reported. The span is the code alone, without the town or the context word.
    """

    label = "postal_code"
    patterns = (
        Pattern(
            "code and town", r"(?:SE-)?[1-9][0-9]{2} ?[0-9]{2} [A-ZÅÄÖ][A-Za-zåäöéÅÄÖÉ]+", 0.75
        ),
        Pattern(
            "context word and code",
            r"(?i)(?:postnummer|postnr|post nr|postal code|zip code|zip)[:.]? ?"
            r"[1-9][0-9]{2} ?[0-9]{2}",
            0.85,
        ),
    )
    context = ("adress", "address", "bor på", "box")
    context_boost = 0.15

    def validate(self, value: str) -> float | None:
        digits = "".join(c for c in value if c.isdigit())[:5]
        return -1.0 if 10000 <= int(digits) <= 98499 else None

    def trim(self, text: str, start: int, end: int) -> tuple[int, int]:
        """The code alone: from its first digit (or ``SE-``) to its fifth digit."""
        first = start
        while not text[first].isdigit():
            first += 1
        if text[first - 3 : first] == "SE-":
            first -= 3
        seen = 0
        for index in range(first, end):
            seen += text[index].isdigit()
            if seen == 5:
                return first, index + 1
        return first, end


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
