"""Retention rules and articles as a person reads them, in Swedish and English."""

from __future__ import annotations

from typing import Any

import pytest

from varna.dsr.wording import Lang, article, retention_text
from varna.register.activities import Bookkeeping, PeriodAfter, UntilWithdrawn, WhileActive

from .shop import shop_register


@pytest.mark.parametrize(
    ("rule", "lang", "text"),
    [
        pytest.param(
            Bookkeeping(rule="bookkeeping"),
            "sv",
            "7 år efter utgången av det kalenderår då räkenskapsåret avslutades",
            id="bfl-sv",
        ),
        pytest.param(
            Bookkeeping(rule="bookkeeping", years=10),
            "en",
            "10 years after the end of the calendar year in which the financial year ended",
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
            "1 år efter att kundrelationen upphörde",
            id="period-sv-singular",
        ),
        pytest.param(
            WhileActive(rule="while_active", then="36 months"),
            "sv",
            "Så länge relationen består, och därefter 36 månader efter att kundrelationen upphörde",
            id="while-then-sv",
        ),
        pytest.param(
            WhileActive(rule="while_active"), "en", "While the relationship lasts", id="while-en"
        ),
        pytest.param(
            UntilWithdrawn(rule="until_withdrawn", grace="30 days"),
            "sv",
            "Tills du återkallar ditt samtycke, och därefter högst 30 dagar",
            id="consent-sv",
        ),
        pytest.param(None, "en", "The register states no period; ask us.", id="none"),
    ],
)
def test_retention_text(rule: Any, lang: Lang, text: str) -> None:
    assert retention_text(rule, shop_register(), lang) == text


@pytest.mark.parametrize(
    ("ref", "lang", "text"),
    [
        pytest.param("6(1)(b)", "sv", "artikel 6.1 b i dataskyddsförordningen", id="sv-letter"),
        pytest.param("17(3)(b)", "sv", "artikel 17.3 b i dataskyddsförordningen", id="sv-17-3-b"),
        pytest.param("15", "sv", "artikel 15 i dataskyddsförordningen", id="sv-plain"),
        pytest.param("7(3)", "sv", "artikel 7.3 i dataskyddsförordningen", id="sv-paragraph"),
        pytest.param("6(1)(b)", "en", "GDPR Article 6(1)(b)", id="en"),
    ],
)
def test_article(ref: str, lang: Lang, text: str) -> None:
    assert article(ref, lang) == text
