"""The message catalogs: every word a person reads, looked up by its English text.

Varna's wording lives in gettext catalogs, one per language, at
``locale/<lang>/LC_MESSAGES/varna.po`` beside this module; the English text in the code is the
message id (``_("Legal basis")``), and a catalog holds its translation (``Rättslig grund``). At run
time :func:`texts_for` reads the compiled ``varna.mo`` with the standard library's :mod:`gettext`,
so using Varna needs neither Babel nor a build step (Babel extracts and compiles; see
docs/translating.md).

The compiled ``.mo`` files are committed beside their ``.po`` sources: an installed wheel carries
them as package data, start-up stays cheap, and ``tests/texts/test_catalogs.py`` fails when a
``.mo`` is out of date with its ``.po`` or a marked message is missing from a catalog.

A language is available when a ``varna.mo`` exists for it in the package or in one of the folders
named in ``VARNA_LOCALE_DIRS`` (``os.pathsep``-separated, searched first): a translator adds
Norwegian by adding ``nb/LC_MESSAGES/varna.mo``, without touching code.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from varna.errors import RenderError

DOMAIN = "varna"
PACKAGE_LOCALES = Path(__file__).with_name("locale")
LOCALE_DIRS_ENV = "VARNA_LOCALE_DIRS"


def N_(message: str) -> str:
    """Marks ``message`` for extraction without translating it (tables built at import time)."""
    return message


def locale_dirs() -> tuple[Path, ...]:
    """Where catalogs are looked for: the folders in ``VARNA_LOCALE_DIRS``, then the package."""
    extra = os.environ.get(LOCALE_DIRS_ENV, "")
    return (*(Path(p) for p in extra.split(os.pathsep) if p), PACKAGE_LOCALES)


def languages() -> tuple[str, ...]:
    """Every language with a compiled catalog, sorted."""
    found = {
        mo.parent.parent.name
        for folder in locale_dirs()
        if folder.is_dir()
        for mo in folder.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")
    }
    return tuple(sorted(found))


@dataclass(frozen=True, slots=True)
class Texts:
    """The words of one language: ``t.gettext("Legal basis")`` -> ``Rättslig grund`` in sv."""

    lang: str
    catalog: gettext.NullTranslations = field(repr=False)

    def gettext(self, message: str, /, **fields: object) -> str:
        """``message`` in this language, its ``{fields}`` filled in."""
        text = self.catalog.gettext(message)
        return text.format(**fields) if fields else text

    def ngettext(self, singular: str, plural: str, n: int, /, **fields: object) -> str:
        """The singular or plural form for ``n`` (``n`` is a field too)."""
        return self.catalog.ngettext(singular, plural, n).format(n=n, **fields)

    def pgettext(self, context: str, message: str, /, **fields: object) -> str:
        """``message`` in ``context``: the same English word can need two translations."""
        text = self.catalog.pgettext(context, message)
        return text.format(**fields) if fields else text


def texts_for(lang: str) -> Texts:
    """The texts of ``lang``; :class:`RenderError` if no catalog exists for it. Loaded once per
    language and ``VARNA_LOCALE_DIRS`` value."""
    return _load(str(lang), os.environ.get(LOCALE_DIRS_ENV, ""))


@cache
def _load(lang: str, _extra_dirs: str) -> Texts:
    for folder in locale_dirs():
        try:
            catalog = gettext.translation(DOMAIN, localedir=folder, languages=[lang])
        except FileNotFoundError:
            continue
        return Texts(lang, catalog)
    if lang == "en":  # the message ids are English: English works even without its catalog
        return Texts(lang, gettext.NullTranslations())
    known = ", ".join(languages()) or "none"
    raise RenderError(
        f"no text catalog for language '{lang}' (catalogs exist for: {known}); add "
        f"{DOMAIN}.po for it as docs/translating.md describes"
    )


def clear_cache() -> None:
    """Forget loaded catalogs (after a catalog was added or recompiled in this process)."""
    _load.cache_clear()


def available(lang: str, dirs: Iterable[Path] | None = None) -> bool:
    """Whether a compiled catalog exists for ``lang``."""
    search = tuple(dirs) if dirs is not None else locale_dirs()
    return any((d / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file() for d in search)
