"""Small typed values used throughout the register: keys, texts in two languages, periods."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from varna.law.countries import ISO_3166_ALPHA2

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
CATEGORY_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"
PERIOD_PATTERN = r"^[1-9][0-9]* (day|week|month|year)s?$"
ENV_PATTERN = r"^[A-Z][A-Z0-9_]*$"

Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN, max_length=64)]
"""A key in the register: lower-case letters, digits and underscores (``customer_support``)."""

CategoryKey = Annotated[str, StringConstraints(pattern=CATEGORY_PATTERN, max_length=128)]
"""A data category, dotted (``contact.email``)."""

#: Codes people write that ISO 3166-1 does not assign, and the code they mean.
_NOT_ISO = {"UK": "GB", "EL": "GR"}


def _iso_country(value: str) -> str:
    """Reject codes of the right shape that ISO 3166-1 does not assign (``UK``, ``XX``)."""
    if value not in ISO_3166_ALPHA2:
        meant = f" (did you mean '{_NOT_ISO[value]}'?)" if value in _NOT_ISO else ""
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code{meant}")
    return value


CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$"), AfterValidator(_iso_country)]
"""An ISO 3166-1 alpha-2 country code (``SE``)."""

PeriodText = Annotated[
    str,
    StringConstraints(pattern=PERIOD_PATTERN),
    Field(examples=["24 months", "7 years", "30 days"]),
]
"""A period: a whole number and a unit (``24 months``)."""

EnvVar = Annotated[str, StringConstraints(pattern=ENV_PATTERN)]
"""The name of an environment variable (``VARNA_CRM_URL``)."""

NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class Language(StrEnum):
    """Languages Varna writes user-facing texts in."""

    sv = "sv"
    en = "en"


class StrictModel(BaseModel):
    """Base of every register model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, coerce_numbers_to_str=True
    )


class Text(StrictModel):
    """A text shown to people, in Swedish and (where the policy is published in it) English."""

    sv: NonEmpty = Field(description="The text in Swedish.")
    en: NonEmpty | None = Field(None, description="The text in English.")

    def get(self, lang: Language | str) -> str:
        """The text in ``lang``, falling back to Swedish."""
        return self.en if str(lang) == "en" and self.en else self.sv


def _words(value: Any) -> Any:
    """A plain string is the organisation's words in Swedish only: ``Kundservice`` is
    ``{sv: Kundservice}`` (``register check`` warns where an English document would show it)."""
    return {"sv": value} if isinstance(value, str) else value


Words = Annotated[Text, BeforeValidator(_words)]
"""A name or phrase the organisation writes itself (a contact's name, a transfer's reference):
a plain string (Swedish only, or a proper name) or ``{sv: ..., en: ...}``."""


class IdentityStrength(StrEnum):
    """How surely an identity kind points at one person (design §3, house style 13).

    ``unique``: one person (personnummer, samordningsnummer, customer number, account id);
    ``shareable``: usually one person, sometimes a family or an office (e-mail, telephone);
    ``weak``: many people (IP address, device id, cookie id). Rows found by a weak identity are
    the only rows it reaches: it never leads on, and erasure by it alone is refused.
    """

    unique = "unique"
    shareable = "shareable"
    weak = "weak"


class Unit(StrEnum):
    days = "days"
    weeks = "weeks"
    months = "months"
    years = "years"


@dataclass(frozen=True, slots=True)
class Period:
    """A parsed period such as 24 months."""

    amount: int
    unit: Unit

    def label(self, lang: Language | str) -> str:
        sv = {
            "days": ("dag", "dagar"),
            "weeks": ("vecka", "veckor"),
            "months": ("månad", "månader"),
            "years": ("år", "år"),
        }
        en = {
            "days": ("day", "days"),
            "weeks": ("week", "weeks"),
            "months": ("month", "months"),
            "years": ("year", "years"),
        }
        names = sv if str(lang) == "sv" else en
        one, many = names[self.unit.value]
        return f"{self.amount} {one if self.amount == 1 else many}"

    @property
    def approx_days(self) -> int:
        """Length in days, months counted as 30 and years as 365: for comparisons only."""
        per = {"days": 1, "weeks": 7, "months": 30, "years": 365}
        return self.amount * per[self.unit.value]


_PERIOD_RE = re.compile(PERIOD_PATTERN)


def parse_period(text: str) -> Period:
    """Parse ``'24 months'`` into a :class:`Period`; the text was validated by the schema."""
    if not _PERIOD_RE.match(text):
        raise ValueError("a period is a whole number and a unit, such as '24 months'")
    amount, unit = text.split(" ")
    return Period(int(amount), Unit(unit if unit.endswith("s") else unit + "s"))
