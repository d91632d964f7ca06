"""One sentence per retention rule, and periods and articles as each language writes them."""

from __future__ import annotations

from typing import Any

import pytest

from dsr.shop import shop_register
from varna.register.activities import Bookkeeping, PeriodAfter, UntilWithdrawn, WhileActive
from varna.texts import texts_for
from varna.texts.citations import NBSP, article
from varna.texts.retention import kept, period, retention, retention_sentence


@pytest.mark.parametrize(
    ("rule", "lang", "text"),
    [
        pytest.param(
            Bookkeeping(rule="bookkeeping"),
            "sv",
            "sju år räknat från utgången av det kalenderår då räkenskapsåret avslutades",
            id="bfl-sv",
        ),
        pytest.param(
            Bookkeeping(rule="bookkeeping", years=10),
            "en",
            "ten years from the end of the calendar year in which the financial year ended",
            id="bfl-en",
        ),
        pytest.param(
            PeriodAfter(rule="period_after", period="24 months", anchor="relation_ended"),
            "en",
            "24 months after the customer relationship ended",
            id="period-en",
        ),
        pytest.param(
            PeriodAfter(rule="period_after", period="1 year", anchor="relation_ended"),
            "sv",
            "ett år efter att kundrelationen upphörde",
            id="period-sv-singular",
        ),
        pytest.param(
            WhileActive(rule="while_active", then="36 months"),
            "sv",
            "så länge kundrelationen består och därefter i 36 månader",
            id="while-then-sv",
        ),
        pytest.param(
            WhileActive(rule="while_active", anchor="case_closed"),
            "en",
            "until the case is closed",
            id="while-case-en",
        ),
        pytest.param(
            UntilWithdrawn(rule="until_withdrawn", grace="30 days"),
            "sv",
            "tills du återkallar ditt samtycke och därefter högst 30 dagar",
            id="consent-sv",
        ),
    ],
)
def test_retention(rule: Any, lang: str, text: str) -> None:
    assert retention(rule, shop_register(), texts_for(lang)) == text


@pytest.mark.parametrize(
    ("rule", "lang", "text"),
    [
        pytest.param(
            PeriodAfter(rule="period_after", period="2 weeks", anchor="relation_ended"),
            "sv",
            "Två veckor efter att kundrelationen upphörde.",
            id="sentence-sv",
        ),
        pytest.param(None, "en", "The register states no retention period; ask us.", id="none"),
        pytest.param(None, "sv", "Registret anger ingen lagringstid; fråga oss.", id="none-sv"),
    ],
)
def test_retention_sentence(rule: Any, lang: str, text: str) -> None:
    assert retention_sentence(rule, shop_register(), texts_for(lang)) == text


@pytest.mark.parametrize(
    ("rule", "lang", "text"),
    [
        pytest.param(Bookkeeping(rule="bookkeeping"), "en", "for seven years from", id="for"),
        pytest.param(
            WhileActive(rule="while_active"), "sv", "så länge kundrelationen består", id="no-for"
        ),
    ],
)
def test_kept(rule: Any, lang: str, text: str) -> None:
    assert kept(rule, shop_register(), texts_for(lang)).startswith(text)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        pytest.param("1 month", "sv", "en månad", id="en-manad"),
        pytest.param("1 year", "sv", "ett år", id="ett-ar"),
        pytest.param("1 day", "en", "one day", id="one-day"),
        pytest.param("12 months", "sv", "tolv månader", id="twelve-in-words"),
        pytest.param("13 months", "en", "13 months", id="digits-above-twelve"),
        pytest.param("3 weeks", "en", "three weeks", id="weeks"),
    ],
)
def test_period(text: str, lang: str, expected: str) -> None:
    assert period(text, texts_for(lang)) == expected


@pytest.mark.parametrize(
    ("ref", "lang", "text"),
    [
        pytest.param("6(1)(b)", "sv", "artikel 6.1 b", id="sv-letter"),
        pytest.param("17(3)(b)", "sv", "artikel 17.3 b", id="sv-17-3-b"),
        pytest.param("15", "sv", "artikel 15", id="sv-plain"),
        pytest.param("7(3)", "sv", "artikel 7.3", id="sv-paragraph"),
        pytest.param("6(1)(b)", "en", "Article 6(1)(b)", id="en"),
    ],
)
def test_article(ref: str, lang: str, text: str) -> None:
    written = article(ref, texts_for(lang))
    assert written.replace(NBSP, " ") == text
    assert " " not in written  # never broken across lines
