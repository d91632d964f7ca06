"""Identities a data-subject request starts from: ``email=a@b.se``, ``personnummer=...``.

Values are normalised so one person is one identity however it was typed: an e-mail address is
stripped and lower-cased; a personnummer or samordningsnummer becomes its 12-digit form
(:func:`varna.law.identity.parse_personnummer`); a telephone number becomes E.164 (region SE by
default, via ``phonenumbers``); other kinds are stripped. Systems store the same number in
several spellings, so :meth:`Identity.lookup_values` gives every usual spelling to search for
(``19811218-9876``, ``811218-9876``, ``198112189876``...).

Both sides of a comparison are normalised: an e-mail is compared case-insensitively in the
database too (:attr:`Identity.fold_case`: ``lower(column)``, or the column's case-insensitive
collation on MySQL/MariaDB), and a value found in a row is normalised the same way before it is
compared with the person's (:func:`discovered_identity`).

Accuracy limits: SQLite's ``lower()`` folds only ASCII letters, so an address with a non-ASCII
capital (``Åsa@...``) is found there only as stored or typed; phone spellings cover E.164,
international and national formats with and without spaces, not every variant.

``repr`` and ``str`` never show the value (house style 4).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import phonenumbers

from varna.errors import InvalidIdentityNumber, RequestError
from varna.law.identity import format_personnummer, parse_personnummer

PHONE_REGION = "SE"


@dataclass(frozen=True, slots=True, repr=False)
class Identity:
    """One identifier of the person: its kind (``email``) and normalised value."""

    kind: str
    value: str
    spellings: tuple[str, ...] = ()
    """Other spellings the systems may store (a personnummer with and without separator)."""
    fold_case: bool = False
    """Compare case-insensitively (an e-mail address): the database lower-cases the column."""

    def lookup_values(self) -> tuple[str, ...]:
        """The value and its other spellings, without repeats."""
        return tuple(dict.fromkeys((self.value, *self.spellings)))

    def __repr__(self) -> str:
        return f"Identity({self.kind}=***)"

    __str__ = __repr__


def _email(value: str) -> Identity:
    text = value.strip().lower()
    local, at, domain = text.partition("@")
    if not (local and at and domain) or any(ch.isspace() for ch in text):
        raise RequestError("email: expected an address such as name@example.se")
    raw = value.strip()
    return Identity("email", text, (raw,) if raw != text else (), fold_case=True)


def _personnummer(value: str, today: date) -> Identity:
    try:
        pnr = parse_personnummer(value, today=today)
    except InvalidIdentityNumber as exc:
        raise RequestError(f"personnummer: {exc}") from None
    long, short = format_personnummer(pnr), format_personnummer(pnr, long=False, today=today)
    return Identity("personnummer", pnr.value, (long, short, pnr.value[2:]))


def _phone(value: str, region: str) -> Identity:
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise RequestError("phone: not a telephone number") from None
    if not phonenumbers.is_valid_number(number):
        raise RequestError("phone: not a valid telephone number")
    fmt = phonenumbers.PhoneNumberFormat
    e164 = phonenumbers.format_number(number, fmt.E164)
    national = phonenumbers.format_number(number, fmt.NATIONAL)
    international = phonenumbers.format_number(number, fmt.INTERNATIONAL)
    digits = "".join(ch for ch in national if ch.isdigit())
    return Identity("phone", e164, (international, national, digits, value.strip()))


def normalise_identity(
    kind: str, value: str, *, today: date, region: str = PHONE_REGION
) -> Identity:
    """The :class:`Identity` of ``value``; raises :class:`RequestError` naming only the kind."""
    if kind == "email":
        return _email(value)
    if kind == "personnummer":
        return _personnummer(value, today)
    if kind == "phone":
        return _phone(value, region)
    text = value.strip()
    if not text:
        raise RequestError(f"{kind}: the value is empty")
    return Identity(kind, text)


def discovered_identity(kind: str, value: object, *, today: date) -> Identity | None:
    """The identity a system stores in an identity column; as stored when it does not parse."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        return normalise_identity(kind, text, today=today)
    except RequestError:
        return Identity(kind, text)


def parse_identity(text: str, *, kinds: set[str], today: date) -> Identity:
    """Parse ``KIND=VALUE`` (from the command line); ``kinds`` are the register's kinds."""
    kind, sep, value = text.partition("=")
    kind = kind.strip()
    if not sep or not kind:
        raise RequestError("write an identity as KIND=VALUE, e.g. email=name@example.se")
    if kind not in kinds:
        raise RequestError(
            f"unknown identity kind '{kind}' (the register knows: {', '.join(sorted(kinds))})"
        )
    return normalise_identity(kind, value, today=today)


def parse_identities(texts: Iterable[str], *, kinds: set[str], today: date) -> list[Identity]:
    """Parse every ``KIND=VALUE``, dropping repeats of one identity."""
    out: dict[tuple[str, str], Identity] = {}
    for text in texts:
        identity = parse_identity(text, kinds=kinds, today=today)
        out.setdefault((identity.kind, identity.value), identity)
    return list(out.values())
