"""The name gazetteer: first names and surnames common in Sweden and among its residents.

Source: the person providers of the ``Faker`` package, which cite their statistics: for Sweden
the Institute for Language and Folklore (Isof, the 500 most common first names) and
Skatteverket (the 500 most common surnames); for the neighbouring countries and for the largest
groups of people born abroad who live in Sweden (SCB, Utrikes födda efter födelseland: Finland,
Poland, Iraq and Syria, Iran, Turkey, the former Yugoslavia, Somalia and East Africa) the
providers fi_FI, no_NO, da_DK, en_GB, pl_PL, ar_AA, fa_IR, tr_TR, hr_HR and en_KE. Only the name
lists are read; nothing is generated.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from functools import cache

_LOCALES = (
    "sv_SE",
    "no_NO",
    "da_DK",
    "fi_FI",
    "en_GB",
    "pl_PL",
    "ar_AA",
    "fa_IR",
    "tr_TR",
    "hr_HR",
    "en_KE",
)

SURNAME_SUFFIXES = (
    "sson",
    "son",
    "sen",
    "berg",
    "ström",
    "strom",
    "qvist",
    "kvist",
    "quist",
    "gren",
    "lund",
    "lind",
    "holm",
    "blad",
    "dahl",
    "stedt",
    "stad",
    "man",
    "mark",
    "bäck",
    "borg",
    "ell",
    "ius",
    "éus",
    "ander",
    "eus",
    "nen",
    "vić",
    "vic",
    "ski",
    "ska",
    "ović",
    "lin",
    "din",
)
"""Endings that make a capitalised word a likely surname (Swedish ``-sson``, ``-berg``, Finnish
``-nen``, Slavic ``-vić``, ``-ski``)."""


_FOLD = str.maketrans("ıİşŞçÇğĞćĆčČšŠžŽłŁńśźżő", "iIsScCgGcCcCsSzZlLnszzo")


def _names(attribute: str) -> frozenset[str]:
    found: set[str] = set()
    for locale in _LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:  # pragma: no cover - a locale dropped by a Faker release
            continue
        values: Iterable[str] = getattr(provider, attribute, ())
        for value in values:
            if value[:1].isupper() and " " not in value and len(value) > 1:
                found.add(value)
                found.add(value.translate(_FOLD))  # Yılmaz is often written Yilmaz
    return frozenset(found)


@cache
def first_names() -> frozenset[str]:
    """Every first name of the gazetteer (case as written, e.g. ``Åsa``)."""
    return _names("first_names")


@cache
def surnames() -> frozenset[str]:
    """Every surname of the gazetteer."""
    return _names("last_names")


def is_surname(word: str) -> bool:
    """True when ``word`` is a gazetteer surname or has a surname ending (hyphenated parts
    each count)."""
    if word in surnames():
        return True
    if "-" in word:
        return all(_surname_part(p) for p in word.split("-") if p)
    return _surname_part(word)


def _surname_part(part: str) -> bool:
    return part in surnames() or (len(part) > 4 and part.lower().endswith(SURNAME_SUFFIXES))
