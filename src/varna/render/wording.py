"""Writing in one language: lists, dates, numbers, periods, countries, article references.

:class:`Words` carries the language a document is written in; every sentence a composer writes is
an English message id looked up in the text catalogs (``w.gettext("Your rights")``, or
``w.say(key)`` for the policy's standing sentences), so adding a language means adding a catalog.
Texts from the register go through :meth:`Words.text`, which notes where the English is missing and
Swedish stood in for it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from varna.register.types import Text
from varna.render.phrasebook import PHRASES
from varna.texts.catalog import Texts, available, languages, texts_for
from varna.texts.citations import NBSP
from varna.texts.citations import article as cite_article
from varna.texts.retention import number as number_words
from varna.texts.retention import period as period_words

if TYPE_CHECKING:
    from babel import Locale

Lang = str
"""A language with a text catalog (``sv``, ``en``, or one a translator added)."""

__all__ = ["NBSP", "Lang", "Words"]


def as_lang(value: object) -> Lang:
    """``Language.en``, ``"en"`` -> ``"en"``; a language without a text catalog is rejected."""
    text = str(value)
    if text == "en" or available(text):
        return text
    known = ", ".join(languages())
    raise ValueError(f"unknown language '{text}': use one with a text catalog ({known})")


def country_name(code: str, texts: Texts) -> str:
    """The name of the country ``code`` (ISO 3166-1 alpha-2) in the language of ``texts``: the
    catalog's name for running text where it gives one, else Babel's locale data (CLDR); the code
    if neither knows it."""
    name = _in_text(texts).get(code, code)
    if name != code:
        return name
    names = _locale(texts).territories
    return str(names.get(code, code))


def _in_text(texts: Texts) -> dict[str, str]:
    """Countries whose names read better in running text than the locale data's (``the United
    States``): a catalog gives the name, or leaves the code to use the locale data's."""
    return {
        "US": texts.pgettext("country name in running text", "US"),
        "GB": texts.pgettext("country name in running text", "GB"),
        "NL": texts.pgettext("country name in running text", "NL"),
        "KR": texts.pgettext("country name in running text", "KR"),
    }


def date_words(day: date, texts: Texts) -> str:
    """``16 april 2020`` / ``16 April 2020``: the locale's long date (CLDR, through Babel)."""
    from babel.dates import format_date

    return str(format_date(day, format="long", locale=_locale(texts)))


def _locale(texts: Texts) -> Locale:
    """The Babel locale for dates and country names: the catalog names it (``en_GB`` for English,
    so dates read ``16 April 2020``); the catalog's own language when Babel does not know that."""
    from babel import Locale, UnknownLocaleError

    # Translators: the CLDR locale whose dates and country names the documents use (sv, nb, en_GB)
    name = texts.pgettext("locale of dates and country names", "en_GB")
    for candidate in (name, texts.lang):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en_GB")


_TIES = re.compile(
    r"(?<=\b[Aa]rtikel) (?=\d)|(?<=\bArticle) (?=\d)|(?<=\d) (?=kap\.|§)|(?<=kap\.) (?=\d)"
)


def tie(text: str) -> str:
    """No-break spaces in ``artikel 21.2``, ``Article 12(3)``, ``9 kap. 28 §``."""
    return _TIES.sub(NBSP, text)


def lower_first(text: str) -> str:
    """``E-postadress`` -> ``e-postadress``, but ``IP-adress`` and ``CV`` stay as they are."""
    if len(text) > 1 and (text[1].isupper() or text[1].isdigit()):
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop (unless it ends in one already)."""
    text = upper_first(text.strip())
    return text if text.endswith((".", "!", "?", ":")) else text + "."


class Words:
    """Writes in one language: ``w.gettext("Your rights")`` is ``Dina rättigheter`` in Swedish."""

    def __init__(self, lang: Lang) -> None:
        self.lang: Lang = lang
        self.texts: Texts = texts_for(lang)
        """The text catalog of :attr:`lang`."""
        self.fallbacks: list[str] = []
        """Where a register text had no English and Swedish was used (for warnings)."""

    def gettext(self, message: str, /, **fields: object) -> str:
        """``message`` (its English words, the catalog's message id) in this language, its
        ``{fields}`` filled in."""
        return self.texts.gettext(message, **fields)

    def pgettext(self, context: str, message: str, /, **fields: object) -> str:
        """``message`` in ``context``, for an English word that needs two translations."""
        return self.texts.pgettext(context, message, **fields)

    def say(self, key: str, **fields: str) -> str:
        """The policy sentence ``key`` (:mod:`varna.render.phrasebook`) in this language, from the
        catalogs, its ``{fields}`` filled in."""
        return tie(self.texts.gettext(PHRASES[key], **fields))

    def text(self, text: Text, where: str = "") -> str:
        """A register text in this language, noting where Swedish stood in for it (the register
        carries Swedish and English; every other language shows the Swedish)."""
        if self.lang != "sv" and (self.lang != "en" or text.en is None):
            self.fallbacks.append(where)
        return text.get(self.lang)

    def join(self, items: list[str], *, conj: str | None = None) -> str:
        """``a, b och c`` / ``a, b and c``; when an item holds the conjunction itself, Swedish
        ends with ``samt`` and English with a serial comma, so the list stays readable."""
        word = conj or self.pgettext("list", "and")
        if len(items) <= 1:
            return "".join(items)
        if any(f" {word} " in item for item in items):
            if conj is None:
                # Translators: the word before a list's last item when an item holds "and"
                # itself: Swedish "samt"; English keeps "and" after a serial comma.
                word = self.pgettext("list whose items hold the word", "and")
            if len(items) > 2 and self.pgettext("serial comma", "yes") == "yes":
                return f"{', '.join(items[:-1])}, {word} {items[-1]}"
        return f"{', '.join(items[:-1])} {word} {items[-1]}"

    def date(self, day: date) -> str:
        """``16 april 2020`` / ``16 April 2020``."""
        return date_words(day, self.texts)

    def number(self, n: int) -> str:
        """Numbers up to twelve in words, as Swedish and English style guides advise."""
        return number_words(n, self.texts)

    def period(self, text: str) -> str:
        """``'24 months'`` -> ``24 månader``; ``'1 year'`` -> ``ett år`` / ``one year``."""
        return period_words(text, self.texts)

    def country(self, code: str) -> str:
        return country_name(code, self.texts)

    def article(self, ref: str) -> str:
        """A GDPR article written as ``6(1)(b)``: ``artikel 6.1 b`` / ``Article 6(1)(b)``."""
        return cite_article(ref, self.texts)
