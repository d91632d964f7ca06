"""Small typed values: periods, texts in two languages, keys and country codes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from varna.register.activities import Basis
from varna.register.types import (
    CategoryKey,
    CountryCode,
    Key,
    Language,
    Period,
    Text,
    Unit,
    parse_period,
)


@pytest.mark.parametrize(
    ("text", "amount", "unit", "en", "sv", "days"),
    [
        pytest.param("1 day", 1, Unit.days, "1 day", "1 dag", 1, id="1-day"),
        pytest.param("30 days", 30, Unit.days, "30 days", "30 dagar", 30, id="30-days"),
        pytest.param("1 week", 1, Unit.weeks, "1 week", "1 vecka", 7, id="1-week"),
        pytest.param("2 weeks", 2, Unit.weeks, "2 weeks", "2 veckor", 14, id="2-weeks"),
        pytest.param("1 month", 1, Unit.months, "1 month", "1 månad", 30, id="1-month"),
        pytest.param("24 months", 24, Unit.months, "24 months", "24 månader", 720, id="24-months"),
        pytest.param("1 year", 1, Unit.years, "1 year", "1 år", 365, id="1-year"),
        pytest.param("7 years", 7, Unit.years, "7 years", "7 år", 2555, id="7-years"),
        pytest.param("1 years", 1, Unit.years, "1 year", "1 år", 365, id="plural-with-one"),
        pytest.param("3 month", 3, Unit.months, "3 months", "3 månader", 90, id="singular-many"),
    ],
)
def test_parse_period(text, amount, unit, en, sv, days):
    period = parse_period(text)
    assert period == Period(amount, unit)
    assert period.label("en") == en
    assert period.label(Language.sv) == sv
    assert period.approx_days == days
    assert parse_period(period.label("en")) == period


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("24", id="no-unit"),
        pytest.param("months", id="no-amount"),
        pytest.param("0 days", id="zero"),
        pytest.param("-1 days", id="negative"),
        pytest.param("1.5 years", id="fraction"),
        pytest.param("24months", id="no-space"),
        pytest.param("24  months", id="two-spaces"),
        pytest.param("24 Months", id="capital"),
        pytest.param("24 månader", id="swedish"),
        pytest.param("24 hours", id="hours"),
        pytest.param("07 days", id="leading-zero"),
    ],
)
def test_parse_period_rejects(text):
    with pytest.raises(ValueError, match="a whole number and a unit"):
        parse_period(text)


@settings(derandomize=True, database=None, deadline=None)
@given(st.integers(min_value=1, max_value=10_000), st.sampled_from(list(Unit)))
def test_period_label_round_trips(amount, unit):
    period = Period(amount, unit)
    assert parse_period(period.label("en")) == period
    assert parse_period(f"{amount} {unit.value}") == period


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        pytest.param(Text(sv="Kunder", en="Customers"), "en", "Customers", id="english"),
        pytest.param(Text(sv="Kunder", en="Customers"), "sv", "Kunder", id="swedish"),
        pytest.param(Text(sv="Kunder", en="Customers"), Language.en, "Customers", id="enum"),
        pytest.param(Text(sv="Kunder"), "en", "Kunder", id="falls-back-to-swedish"),
        pytest.param(Text(sv="Kunder", en="Customers"), "de", "Kunder", id="other-language"),
    ],
)
def test_text_get(text, lang, expected):
    assert text.get(lang) == expected


def test_text_strips_and_needs_swedish():
    assert Text(sv="  Kunder ").sv == "Kunder"
    with pytest.raises(ValidationError):
        Text(sv="   ")
    with pytest.raises(ValidationError):
        Text.model_validate({"en": "Customers"})
    with pytest.raises(ValidationError, match="extra"):
        Text.model_validate({"sv": "Kunder", "de": "Kunden"})


def test_text_is_immutable():
    text = Text(sv="Kunder")
    with pytest.raises(ValidationError, match="frozen"):
        text.sv = "Andra"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("annotation", "value", "ok"),
    [
        pytest.param(Key, "customer_contract", True, id="key"),
        pytest.param(Key, "a1", True, id="key-digits"),
        pytest.param(Key, "Customer", False, id="key-capital"),
        pytest.param(Key, "1st", False, id="key-digit-first"),
        pytest.param(Key, "customer-contract", False, id="key-dash"),
        pytest.param(Key, "a" * 65, False, id="key-too-long"),
        pytest.param(CategoryKey, "contact.email", True, id="category"),
        pytest.param(CategoryKey, "a.b.c", True, id="category-three-parts"),
        pytest.param(CategoryKey, "email", False, id="category-undotted"),
        pytest.param(CategoryKey, "contact.", False, id="category-trailing-dot"),
        pytest.param(CategoryKey, "Contact.email", False, id="category-capital"),
        pytest.param(CountryCode, "SE", True, id="country"),
        pytest.param(CountryCode, "GB", True, id="country-gb"),
        pytest.param(CountryCode, "se", False, id="country-lower-case"),
        pytest.param(CountryCode, "SWE", False, id="country-alpha-3"),
        pytest.param(CountryCode, "UK", False, id="country-uk-is-not-iso"),
        pytest.param(CountryCode, "EL", False, id="country-el-is-not-iso"),
        pytest.param(CountryCode, "XX", False, id="country-unassigned"),
    ],
)
def test_typed_strings(annotation, value, ok):
    adapter = TypeAdapter(annotation)
    if ok:
        assert adapter.validate_python(value) == value
    else:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)


@pytest.mark.parametrize(
    ("value", "meant"), [pytest.param("UK", "GB", id="uk"), pytest.param("EL", "GR", id="el")]
)
def test_country_code_suggests_the_iso_code(value, meant):
    with pytest.raises(ValidationError, match=f"did you mean '{meant}'"):
        TypeAdapter(CountryCode).validate_python(value)


@pytest.mark.parametrize(
    ("basis", "letter"),
    [
        pytest.param(Basis.consent, "a", id="consent"),
        pytest.param(Basis.contract, "b", id="contract"),
        pytest.param(Basis.legal_obligation, "c", id="legal-obligation"),
        pytest.param(Basis.vital_interests, "d", id="vital-interests"),
        pytest.param(Basis.public_task, "e", id="public-task"),
        pytest.param(Basis.legitimate_interests, "f", id="legitimate-interests"),
    ],
)
def test_basis_letter_is_its_art_6_1_point(basis, letter):
    assert basis.letter == letter
