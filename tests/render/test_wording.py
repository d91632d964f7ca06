"""Writing in Swedish and English: table-driven, both languages side by side."""

from __future__ import annotations

import gettext
from datetime import date

import pytest

from varna.render.wording import NBSP, Words, country_name, date_words, lower_first, sentence, tie
from varna.texts.catalog import Texts, texts_for


@pytest.mark.parametrize(
    ("ref", "sv", "en"),
    [
        ("6(1)(b)", "artikel 6.1 b", "Article 6(1)(b)"),
        ("9(2)(h)", "artikel 9.2 h", "Article 9(2)(h)"),
        ("21(1)", "artikel 21.1", "Article 21(1)"),
        ("15", "artikel 15", "Article 15"),
    ],
)
def test_article(ref: str, sv: str, en: str) -> None:
    assert Words("sv").article(ref).replace(NBSP, " ") == sv
    assert Words("en").article(ref).replace(NBSP, " ") == en


@pytest.mark.parametrize(
    ("period", "sv", "en"),
    [
        ("1 year", "ett år", "one year"),
        ("1 month", "en månad", "one month"),
        ("1 day", "en dag", "one day"),
        ("7 years", "sju år", "seven years"),
        ("12 months", "tolv månader", "twelve months"),
        ("24 months", "24 månader", "24 months"),
        ("2 weeks", "två veckor", "two weeks"),
    ],
)
def test_period(period: str, sv: str, en: str) -> None:
    assert Words("sv").period(period) == sv
    assert Words("en").period(period) == en


@pytest.mark.parametrize(
    ("code", "sv", "en"),
    [
        ("US", "USA", "the United States"),
        ("GB", "Storbritannien", "the United Kingdom"),
        ("IN", "Indien", "India"),
        ("CH", "Schweiz", "Switzerland"),
        ("NO", "Norge", "Norway"),
        ("KR", "Sydkorea", "South Korea"),
    ],
)
def test_country_names(code: str, sv: str, en: str) -> None:
    assert country_name(code, texts_for("sv")) == sv
    assert country_name(code, texts_for("en")) == en


@pytest.mark.parametrize(
    ("items", "sv", "en"),
    [
        (["a"], "a", "a"),
        (["a", "b"], "a och b", "a and b"),
        (["a", "b", "c"], "a, b och c", "a, b and c"),
        (
            ["fakturor och verifikationer", "betalningar"],
            "fakturor och verifikationer samt betalningar",
            None,
        ),
    ],
)
def test_join(items: list[str], sv: str, en: str | None) -> None:
    assert Words("sv").join(items) == sv
    if en is not None:
        assert Words("en").join(items) == en


@pytest.mark.parametrize(
    ("lang", "day", "expected"),
    [
        pytest.param("sv", date(2020, 4, 16), "16 april 2020", id="sv"),
        pytest.param("en", date(2020, 4, 16), "16 April 2020", id="en-british-order"),
        pytest.param("sv", date(2026, 1, 1), "1 januari 2026", id="sv-no-leading-zero"),
        pytest.param("en", date(2026, 12, 31), "31 December 2026", id="en-december"),
    ],
)
def test_dates_come_from_the_locale_data(lang: str, day: date, expected: str) -> None:
    assert Words(lang).date(day) == expected  # type: ignore[arg-type]


class _Locale(gettext.NullTranslations):
    """A catalog whose only translation is the locale entry."""

    def __init__(self, locale: str) -> None:
        super().__init__()
        self.locale = locale

    def pgettext(self, context: str, message: str) -> str:
        return self.locale if context == "locale of dates and country names" else message


@pytest.mark.parametrize(
    ("lang", "locale", "date_text", "germany"),
    [
        pytest.param("nb", "nb", "16. april 2020", "Tyskland", id="named-locale"),
        pytest.param("nb", "no such locale", "16. april 2020", "Tyskland", id="falls-back-to-lang"),
        pytest.param("xx", "no such locale", "16 April 2020", "Germany", id="then-to-en-gb"),
        pytest.param("sv", "en_GB", "16 April 2020", "Germany", id="the-catalog-decides"),
    ],
)
def test_the_catalog_names_the_locale_of_dates_and_countries(
    lang: str, locale: str, date_text: str, germany: str
) -> None:
    texts = Texts(lang, _Locale(locale))
    assert date_words(date(2020, 4, 16), texts) == date_text
    assert country_name("DE", texts) == germany
    assert country_name("QQ", texts) == "QQ"


@pytest.mark.parametrize(
    ("text", "lowered"),
    [("E-postadress", "e-postadress"), ("IP-adress", "IP-adress"), ("CV", "CV"), ("Namn", "namn")],
)
def test_lower_first_keeps_acronyms(text: str, lowered: str) -> None:
    assert lower_first(text) == lowered


def test_sentence_and_tie() -> None:
    assert sentence("att sälja") == "Att sälja."
    assert sentence("Klart.") == "Klart."
    assert tie("enligt 9 kap. 28 § och artikel 12.3") == (
        f"enligt 9{NBSP}kap.{NBSP}28{NBSP}§ och artikel{NBSP}12.3"
    )


def test_english_fallback_is_noted() -> None:
    from varna.register.types import Text

    w = Words("en")
    assert w.text(Text(sv="Bara svenska"), "x.y") == "Bara svenska"
    assert w.fallbacks == ["x.y"]
