"""Swedish identity numbers: personnummer, samordningsnummer, interim numbers.

Sources: Folkbokföringslagen (1991:481) 18 § (personnummer: birth date, three-digit birth number,
check digit; the separator becomes ``+`` from the year the person turns 100); 18 a § and
Skatteverket (samordningsnummer: the day plus 60; Skatteverket's test data and its answers to
implementers allow ``00`` for an unknown month or day, but not days a month lacks); SCB,
Befolkningsstatistik, on the birth number: it is one of 001-999, odd for men, even for women.
Interim numbers (a letter in place of the first digit of the birth number, used by e.g. Ladok)
are not issued by Skatteverket; they are recognised separately and rejected as personnummer.

The Luhn check digit comes from ``stdnum.luhn``. ``stdnum.se.personnummer`` is not used for the
date logic because it reads the system clock and rejects samordningsnummer; ``stdnum.se.orgnr``
checks organisation numbers (Lag (1974:174) om identitetsbeteckning för juridiska personer m.fl.).

Accuracy limits: a number that passes is well formed, not necessarily issued to anyone. No message
or repr contains the digits (Dataskyddslagen (2018:218) 3 kap. 10 §: identity numbers are
sensitive); ``value`` holds the real number.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

from stdnum import luhn
from stdnum.se import orgnr

from varna.errors import InvalidIdentityNumber

Sex = Literal["female", "male"]

INTERIM_LETTERS = frozenset("TRSUWXJKLMN")
"""Letters that may replace the first birth-number digit in an interim number."""

_SHAPE = re.compile(
    r"(?P<century>\d{2})?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    r"(?P<sep>[-+]?)(?P<first>[0-9A-Z])(?P<rest>\d{2})(?P<check>\d)",
    re.ASCII,  # \d must not match other scripts' digits
)
_COORDINATION_OFFSET = 60


@dataclass(frozen=True, slots=True, repr=False)
class Personnummer:
    """A valid personnummer or samordningsnummer. ``repr`` and ``str`` mask the digits."""

    value: str
    """The normalised 12-digit form ``YYYYMMDDNNNC`` (a samordningsnummer keeps its day + 60)."""
    birth_date: date | None
    """None only for a samordningsnummer whose month or day is unknown (``00``)."""
    is_coordination: bool
    sex: Sex
    """Legal sex at registration: the ninth digit of the ten-digit form, odd for male."""

    @property
    def birth_year(self) -> int:
        return int(self.value[:4])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value[:2]}******-****)"

    __str__ = __repr__


@dataclass(frozen=True, slots=True, repr=False)
class InterimNumber:
    """A valid interim number (``YYYYMMDD-LNNC``, L a letter). Not a personnummer."""

    value: str
    birth_date: date
    sex: Sex

    def __repr__(self) -> str:
        return f"InterimNumber({self.value[:2]}******-****)"

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class _Parts:
    year: int
    month: int
    day: int
    birth_number: str
    check: str
    kind: str


def _fail(kind: str, reason: str) -> InvalidIdentityNumber:
    return InvalidIdentityNumber(f"{kind}: {reason}")


def _split(text: str, *, today: date | None, interim: bool) -> _Parts:
    kind = "interim number" if interim else "personnummer"
    match = _SHAPE.fullmatch(text.strip())
    if match is None:
        raise _fail(
            kind, "expected YYMMDD-NNNC, YYMMDD+NNNC, YYMMDDNNNC or YYYYMMDDNNNC (10 or 12 digits)"
        )
    first = match["first"]
    if first.isalpha() and not interim:
        reason = "a letter in the birth number makes it an interim number, not a personnummer"
        raise _fail(kind, reason)
    if interim and first not in INTERIM_LETTERS:
        raise _fail(
            kind, f"the birth number must start with one of {''.join(sorted(INTERIM_LETTERS))}"
        )
    month, day = int(match["mm"]), int(match["dd"])
    if not interim and day >= _COORDINATION_OFFSET:
        kind, day = "samordningsnummer", day - _COORDINATION_OFFSET
    if match["century"] is not None:
        if match["century"] not in ("18", "19", "20"):
            raise _fail(kind, "the century must be 18, 19 or 20")
        year = int(match["century"] + match["yy"])
    else:
        today = today or date.today()  # the one clock read, only for ten-digit input
        year = today.year - (today.year - int(match["yy"])) % 100
        if match["sep"] == "+":
            year -= 100  # '+' from the year the person turns 100 (Folkbokföringslagen 18 §)
    _check_date(kind, year, month, day, today)
    birth_number = first + match["rest"]
    if birth_number == "000":
        raise _fail(kind, "birth number 000 is never assigned")
    luhn_digits = ("1" + match["rest"]) if interim else birth_number  # the letter counts as 1
    if not luhn.is_valid(match["yy"] + match["mm"] + match["dd"] + luhn_digits + match["check"]):
        raise _fail(kind, "the check digit does not match (Luhn)")
    return _Parts(year, month, int(match["dd"]), birth_number, match["check"], kind)


def _check_date(kind: str, year: int, month: int, day: int, today: date | None) -> None:
    unknown_allowed = kind == "samordningsnummer"
    if month > 12 or (month == 0 and not unknown_allowed):
        raise _fail(kind, "the month is not 01-12")
    if day == 0 and not unknown_allowed:
        raise _fail(kind, "the day is not a day of the month")
    last = monthrange(year, month)[1] if month else 31
    if day > last:
        raise _fail(kind, "the date does not exist in the calendar")
    if today is not None and (year, month, day) > (today.year, today.month, today.day):
        raise _fail(kind, "the birth date is in the future")


def _sex(birth_number: str) -> Sex:
    return "male" if int(birth_number[2]) % 2 else "female"


def parse_personnummer(text: str, *, today: date | None = None) -> Personnummer:
    """Parse a personnummer or samordningsnummer in its 10- or 12-digit form.

    ``today`` chooses the century of a ten-digit number (``-``: under 100 this year, ``+``: 100
    or older) and rejects birth dates after it; without it the system date is used for ten-digit
    input only. Raises :class:`InvalidIdentityNumber` naming the reason, never the number.
    """
    parts = _split(text, today=today, interim=False)
    is_coordination = parts.kind == "samordningsnummer"
    real_day = parts.day - _COORDINATION_OFFSET if is_coordination else parts.day
    known = parts.month != 0 and real_day != 0
    return Personnummer(
        value=f"{parts.year:04d}{parts.month:02d}{parts.day:02d}{parts.birth_number}{parts.check}",
        birth_date=date(parts.year, parts.month, real_day) if known else None,
        is_coordination=is_coordination,
        sex=_sex(parts.birth_number),
    )


def is_valid_personnummer(text: str, *, today: date | None = None) -> bool:
    """True when :func:`parse_personnummer` accepts ``text``."""
    try:
        parse_personnummer(text, today=today)
    except InvalidIdentityNumber:
        return False
    return True


def format_personnummer(pnr: Personnummer, *, long: bool = True, today: date | None = None) -> str:
    """``YYYYMMDD-NNNC`` (long) or ``YYMMDD-NNNC`` / ``YYMMDD+NNNC`` (short, needs ``today``)."""
    if long:
        return f"{pnr.value[:8]}-{pnr.value[8:]}"
    today = today or date.today()
    sep = "+" if pnr.birth_year + 100 <= today.year else "-"
    return f"{pnr.value[2:8]}{sep}{pnr.value[8:]}"


def parse_interim_number(text: str, *, today: date | None = None) -> InterimNumber:
    """Parse an interim number: a personnummer shape whose birth number starts with a letter.

    The letter counts as 1 in the Luhn check. Same forms and ``today`` rule as personnummer.
    """
    parts = _split(text, today=today, interim=True)
    return InterimNumber(
        value=f"{parts.year:04d}{parts.month:02d}{parts.day:02d}{parts.birth_number}{parts.check}",
        birth_date=date(parts.year, parts.month, parts.day),
        sex=_sex(parts.birth_number),
    )


class LegalForm(StrEnum):
    """The legal-form group an organisation number's first digit names (Skatteverket SKV 709)."""

    ESTATE = "estate"  # 1 dödsbon
    PUBLIC_BODY = "public_body"  # 2 stat, regioner, kommuner, församlingar
    FOREIGN_COMPANY = "foreign_company"  # 3 utländska företag med verksamhet eller fastighet här
    LIMITED_COMPANY = "limited_company"  # 5 aktiebolag
    SIMPLE_PARTNERSHIP = "simple_partnership"  # 6 enkla bolag
    ECONOMIC_ASSOCIATION = "economic_association"  # 7 ekonomiska föreningar, bostadsrättsföreningar
    NON_PROFIT = "non_profit"  # 8 ideella föreningar och stiftelser
    PARTNERSHIP = "partnership"  # 9 handelsbolag, kommanditbolag
    SOLE_TRADER = "sole_trader"  # enskild näringsidkare: the owner's personnummer


_GROUPS = {
    "1": LegalForm.ESTATE,
    "2": LegalForm.PUBLIC_BODY,
    "3": LegalForm.FOREIGN_COMPANY,
    "5": LegalForm.LIMITED_COMPANY,
    "6": LegalForm.SIMPLE_PARTNERSHIP,
    "7": LegalForm.ECONOMIC_ASSOCIATION,
    "8": LegalForm.NON_PROFIT,
    "9": LegalForm.PARTNERSHIP,
}
"""First digit to group. No group is documented for 0 or 4: such numbers parse with no hint."""
_ORG_SHAPE = re.compile(r"(?P<prefix>\d{2})?(?P<head>\d{6})-?(?P<tail>\d{4})", re.ASCII)


@dataclass(frozen=True, slots=True, repr=False)
class OrganisationNumber:
    """A valid organisationsnummer, or a personnummer a sole trader uses as one. Masked repr."""

    value: str
    """The ten digits ``NNNNNNNNNC`` (for a sole trader, the personnummer's ten-digit form)."""
    legal_form: LegalForm | None
    """The group the first digit names; ``SOLE_TRADER`` for a personnummer; None if undocumented."""
    personnummer: Personnummer | None = None
    """Set when the number is a personnummer or samordningsnummer (a sole trader's)."""

    @property
    def is_personnummer(self) -> bool:
        return self.personnummer is not None

    def __repr__(self) -> str:
        return f"OrganisationNumber({self.value[0]}*****-****)"

    __str__ = __repr__


def parse_organisationsnummer(text: str, *, today: date | None = None) -> OrganisationNumber:
    """Parse ``NNNNNN-NNNC``, ``NNNNNNNNNC`` or the 12-digit ``16NNNNNNNNNC``.

    A third digit of 2-9 makes an organisation number (Luhn via ``stdnum.se.orgnr``); 0 or 1
    makes a personnummer used by a sole trader, parsed with :func:`parse_personnummer` (12-digit
    forms start with the century, not 16). ``today`` is passed on for ten-digit personnummer.
    """
    kind = "organisationsnummer"
    stripped = text.strip()
    match = _ORG_SHAPE.fullmatch(stripped)
    if match is not None and int(match["head"][2]) >= 2:
        if match["prefix"] not in (None, "16"):
            raise _fail(kind, "the 12-digit form of an organisation number starts with 16")
        ten = match["head"] + match["tail"]
        if not orgnr.is_valid(ten):
            raise _fail(kind, "the check digit does not match (Luhn)")
        return OrganisationNumber(value=ten, legal_form=_GROUPS.get(ten[0]))
    if match is not None and match["prefix"] == "16":
        raise _fail(kind, "after the prefix 16 the third digit must be 2-9")
    try:
        pnr = parse_personnummer(stripped, today=today)
    except InvalidIdentityNumber as exc:
        reason = f"not an organisation number (third digit 2-9), nor a personnummer ({exc})"
        raise _fail(kind, reason) from None
    return OrganisationNumber(
        value=pnr.value[2:], legal_form=LegalForm.SOLE_TRADER, personnummer=pnr
    )


def format_organisationsnummer(org: OrganisationNumber, *, long: bool = False) -> str:
    """``NNNNNN-NNNC``; long: ``16NNNNNNNNNC``, or the 12-digit personnummer of a sole trader."""
    if not long:
        return f"{org.value[:6]}-{org.value[6:]}"
    return org.personnummer.value if org.personnummer is not None else f"16{org.value}"
