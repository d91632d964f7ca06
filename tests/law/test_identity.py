"""Personnummer, samordningsnummer, interim and organisation numbers against the shared vectors."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from shared_data import SHARED_DATA, shared_params
from varna.errors import InvalidIdentityNumber, LawError
from varna.law.identity import (
    LegalForm,
    format_organisationsnummer,
    format_personnummer,
    is_valid_personnummer,
    parse_interim_number,
    parse_organisationsnummer,
    parse_personnummer,
)

VECTORS = SHARED_DATA / "personnummer"
TODAY = date(2026, 1, 15)
"""A fixed 'today' after every vector's birth date; it decides ten-digit centuries."""

FORMATS = ("long_format", "short_format", "separated_format", "separated_long")

# Skatteverket's test samordningsnummer include days the month lacks (30 February, 31 April, 29
# February in common years). Skatteverket told implementers these are not valid
# (ActiveLogin/ActiveLogin.Identity#126), so the parser rejects them.
_IMPOSSIBLE = """
    192004912388 193002902397 193302912385 193309912388 194209912387 194804912386 195102892386
    195109912385 195202912381 196602902394 197404912383 197902902399 198106912382 198502902391
    199611912388 200111912382 200302912381 200902912385 201109912384 201302892383 201402902397
    201402912388 201604912384 201902892387
"""
IMPOSSIBLE_COORDINATION_DATES = frozenset(_IMPOSSIBLE.split())


def _load(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def _list_rows() -> list[Any]:
    rows = []
    for entry in _load("list.json"):
        texts = [entry[f] for f in FORMATS] + [str(entry["integer"])]
        for fmt, text in zip([*FORMATS, "integer"], texts, strict=True):
            sex = "male" if entry["isMale"] else "female"
            args = (text, entry["valid"], entry["type"] == "con", sex)
            rows.append(pytest.param(*args, id=f"{entry['long_format']}-{fmt}"))
    return rows


def _structured_rows() -> list[Any]:
    rows = []
    for kind, by_type in _load("structured.json").items():
        for type_name, by_validity in by_type.items():
            for validity, values in by_validity.items():
                for i, value in enumerate(values):
                    param_id = f"{kind}-{type_name}-{validity}-{i}-{value}"
                    rows.append(pytest.param(str(value), validity == "valid", kind, id=param_id))
    return rows


def _assert_no_value_in_message(exc: Exception, text: str) -> None:
    """Neither the input nor its last ten characters appear (short inputs prove nothing)."""
    digits = "".join(ch for ch in text if ch.isalnum())
    if len(digits) >= 6:
        assert text.strip() not in str(exc)
        assert digits[-10:] not in str(exc)


@pytest.mark.parametrize(
    ("text", "valid", "coordination", "sex"), shared_params(4, _list_rows, "personnummer")
)
def test_list_vectors(text: str, valid: bool, coordination: bool, sex: str) -> None:
    if not valid:
        with pytest.raises(InvalidIdentityNumber) as info:
            parse_personnummer(text, today=TODAY)
        _assert_no_value_in_message(info.value, text)
        assert not is_valid_personnummer(text, today=TODAY)
        return
    pnr = parse_personnummer(text, today=TODAY)
    assert pnr.is_coordination is coordination
    assert pnr.sex == sex
    assert is_valid_personnummer(text, today=TODAY)


@pytest.mark.parametrize(
    ("text", "valid", "kind"), shared_params(3, _structured_rows, "personnummer")
)
def test_structured_vectors(text: str, valid: bool, kind: str) -> None:
    assert is_valid_personnummer(text, today=TODAY) is valid
    if valid:
        assert parse_personnummer(text, today=TODAY).is_coordination is (kind == "con")


def _interim_rows() -> list[Any]:
    return [
        pytest.param(entry[fmt], entry["valid"], id=f"{entry['separated_long']}-{fmt}")
        for entry in _load("interim.json")
        for fmt in FORMATS
    ]


@pytest.mark.parametrize(("text", "valid"), shared_params(2, _interim_rows, "personnummer"))
def test_interim_vectors_are_never_personnummer(text: str, valid: bool) -> None:
    with pytest.raises(InvalidIdentityNumber, match="interim number") as info:
        parse_personnummer(text, today=TODAY)
    _assert_no_value_in_message(info.value, text)
    if valid:
        interim = parse_interim_number(text, today=TODAY)
        assert interim.birth_date == date(2000, 1, 1)
        assert interim.sex == "female"
        assert repr(interim) == "InterimNumber(20******-****)"
    else:
        with pytest.raises(InvalidIdentityNumber, match=r"^interim number: "):
            parse_interim_number(text, today=TODAY)


def _org_rows() -> list[Any]:
    return [
        pytest.param(text, id=f"{entry['separated_format']}-{fmt}")
        for entry in _load("orgnumber.json")
        for fmt, text in (
            ("short", entry["short_format"]),
            ("separated", entry["separated_format"]),
            ("integer", str(entry["integer"])),
        )
    ]


@pytest.mark.parametrize("text", shared_params(1, _org_rows, "personnummer"))
def test_orgnumber_vectors_are_organisations_not_persons(text: str) -> None:
    org = parse_organisationsnummer(text, today=TODAY)
    assert org.legal_form is LegalForm.NON_PROFIT
    assert not org.is_personnummer
    assert not is_valid_personnummer(text, today=TODAY)


def _coordination_rows() -> list[Any]:
    return [
        pytest.param(value, value not in IMPOSSIBLE_COORDINATION_DATES, id=value)
        for value in _load("allCoords.json")
    ]


@pytest.mark.parametrize(("text", "valid"), shared_params(2, _coordination_rows, "personnummer"))
def test_skatteverket_coordination_numbers(text: str, valid: bool) -> None:
    if not valid:
        with pytest.raises(InvalidIdentityNumber, match=r"^samordningsnummer: the date does not"):
            parse_personnummer(text, today=TODAY)
        return
    pnr = parse_personnummer(text, today=TODAY)
    assert pnr.is_coordination
    assert pnr.value == text
    unknown = text[4:6] == "00" or text[6:8] == "60"
    assert (pnr.birth_date is None) is unknown


def _with_check(nine: str) -> str:
    """The ten-digit form of nine digits plus their Luhn check digit."""
    return nine + str(luhn.calc_check_digit(nine))


P = _with_check("811228984")  # 811228-9841 in stdnum's docs, born 1981-12-28, female
P25 = _with_check("250101123")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(f"{P[:6]}-{P[6:]}", date(1981, 12, 28), id="ten-dash"),
        pytest.param(P, date(1981, 12, 28), id="ten-bare"),
        pytest.param(f"19{P}", date(1981, 12, 28), id="twelve-bare"),
        pytest.param(f"19{P[:6]}-{P[6:]}", date(1981, 12, 28), id="twelve-dash"),
        pytest.param(f"  19{P}\n", date(1981, 12, 28), id="surrounding-whitespace"),
        pytest.param(f"{P[:6]}+{P[6:]}", date(1881, 12, 28), id="plus-is-a-century-earlier"),
        pytest.param(_with_check("260115123"), date(2026, 1, 15), id="born-today"),
        pytest.param(_with_check("270115123"), date(1927, 1, 15), id="yy-after-this-year-is-1900s"),
        pytest.param(f"{P25[:6]}+{P25[6:]}", date(1925, 1, 1), id="plus-100-this-year"),
        pytest.param(_with_check("000229123"), date(2000, 2, 29), id="leap-day-2000"),
        pytest.param(_with_check("260175123"), date(2026, 1, 15), id="coordination-today"),
    ],
)
def test_parse_personnummer_dates(text: str, expected: date) -> None:
    assert parse_personnummer(text, today=TODAY).birth_date == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("", "expected YYMMDD", id="empty"),
        pytest.param(P[:9], "expected YYMMDD", id="nine-digits"),
        pytest.param(P + "1", "expected YYMMDD", id="eleven-digits"),
        pytest.param("1" + "19" + P, "expected YYMMDD", id="thirteen-digits"),
        pytest.param(f"{P[:6]} {P[6:]}", "expected YYMMDD", id="space-separator"),
        pytest.param(f"{P[:6]}/{P[6:]}", "expected YYMMDD", id="slash-separator"),
        pytest.param(f"{P[:6]}--{P[6:]}", "expected YYMMDD", id="double-dash"),
        pytest.param(f"{P[:2]}-{P[2:]}", "expected YYMMDD", id="dash-in-wrong-place"),
        pytest.param("ABCDEF-GHIJ", "expected YYMMDD", id="letters"),
        pytest.param(f"{P[:6]}-{P[6:]}".replace("9", "٩"), "expected YYMMDD", id="arabic-digit"),
        pytest.param(P[:-1] + str((int(P[-1]) + 1) % 10), "check digit", id="bad-check-digit"),
        pytest.param("21" + P, "century must be 18, 19 or 20", id="century-21"),
        pytest.param(_with_check("811328984"), "month is not 01-12", id="month-13"),
        pytest.param(_with_check("810028984"), "month is not 01-12", id="month-00"),
        pytest.param(_with_check("811232984"), "does not exist", id="day-32"),
        pytest.param(_with_check("811200984"), "not a day of the month", id="day-00"),
        pytest.param(_with_check("810431984"), "does not exist", id="31-april"),
        pytest.param("19" + _with_check("010229984"), "does not exist", id="29-feb-1901"),
        pytest.param(_with_check("260116123"), "in the future", id="born-tomorrow"),
        pytest.param("20" + _with_check("270101123"), "in the future", id="twelve-digit-future"),
        pytest.param(_with_check("811228000"), "000 is never assigned", id="birth-number-000"),
        pytest.param(_with_check("811292984"), "samordningsnummer: the date", id="coord-day-32"),
        pytest.param(_with_check("811372984"), "samordningsnummer: the month", id="coord-month-13"),
    ],
)
def test_parse_personnummer_rejects(text: str, reason: str) -> None:
    with pytest.raises(InvalidIdentityNumber, match=reason) as info:
        parse_personnummer(text, today=TODAY)
    assert isinstance(info.value, LawError)
    assert isinstance(info.value, ValueError)
    if text.strip():
        _assert_no_value_in_message(info.value, text)


def test_reprs_mask_the_number() -> None:
    pnr = parse_personnummer(f"19{P}", today=TODAY)
    assert repr(pnr) == "Personnummer(19******-****)"
    assert str(pnr) == repr(pnr)
    assert P not in f"{pnr!r} {pnr} {[pnr]}"
    assert pnr.value == f"19{P}"
    org = parse_organisationsnummer(f"19{P}", today=TODAY)
    assert repr(org) == "OrganisationNumber(8*****-****)"
    assert P not in f"{org!r} {org}"


@pytest.mark.parametrize(
    ("century", "nine", "long", "expected"),
    [
        pytest.param("19", "811228984", True, "19811228-984", id="long"),
        pytest.param("19", "811228984", False, "811228-984", id="short"),
        pytest.param("19", "811288984", False, "811288-984", id="short-coordination"),
        pytest.param("19", "260115456", False, "260115+456", id="short-turns-100-this-year"),
        pytest.param("19", "271231456", False, "271231-456", id="short-99-this-year"),
        pytest.param("19", "090527147", False, "090527+147", id="short-over-100"),
        pytest.param("18", "990101234", False, "990101+234", id="short-over-100-1899"),
    ],
)
def test_format_personnummer(century: str, nine: str, long: bool, expected: str) -> None:
    check = str(luhn.calc_check_digit(nine))
    pnr = parse_personnummer(century + nine + check, today=TODAY)
    assert format_personnummer(pnr, long=long, today=TODAY) == expected + check


def _valid_numbers(today: date) -> st.SearchStrategy[str]:
    """Twelve-digit personnummer and samordningsnummer born up to 199 years before ``today``."""
    born = st.dates(min_value=date(today.year - 199, 1, 1), max_value=today)

    def build(birth: date, birth_number: int, coordination: bool) -> str:
        day = birth.day + (60 if coordination else 0)
        nine = f"{birth.year % 100:02d}{birth.month:02d}{day:02d}{birth_number:03d}"
        return f"{birth.year // 100}{nine}{luhn.calc_check_digit(nine)}"

    return st.builds(build, born, st.integers(1, 999), st.booleans())


@given(value=_valid_numbers(TODAY), today_shift=st.integers(0, 3000))
def test_round_trip_parse_format_parse(value: str, today_shift: int) -> None:
    today = TODAY
    pnr = parse_personnummer(value, today=today)
    assert pnr.value == value
    for long in (True, False):
        text = format_personnummer(pnr, long=long, today=today)
        assert parse_personnummer(text, today=today) == pnr
    later = today + timedelta(days=today_shift)
    if pnr.birth_year > later.year - 200:
        short = format_personnummer(pnr, long=False, today=later)
        assert parse_personnummer(short, today=later) == pnr


@pytest.mark.parametrize(
    ("text", "legal_form", "long"),
    [
        pytest.param("556036-0793", LegalForm.LIMITED_COMPANY, "165560360793", id="aktiebolag"),
        pytest.param("5560360793", LegalForm.LIMITED_COMPANY, "165560360793", id="no-dash"),
        pytest.param("16556036-0793", LegalForm.LIMITED_COMPANY, "165560360793", id="16-dash"),
        pytest.param("165560360793", LegalForm.LIMITED_COMPANY, "165560360793", id="16-bare"),
        pytest.param("212000-0142", LegalForm.PUBLIC_BODY, "162120000142", id="kommun"),
        pytest.param("19811228-9841", LegalForm.SOLE_TRADER, "198112289841", id="sole-trader-12"),
        pytest.param("811228-9841", LegalForm.SOLE_TRADER, "198112289841", id="sole-trader-10"),
        pytest.param(
            "19730288-9931", LegalForm.SOLE_TRADER, "197302889931", id="sole-trader-coord"
        ),
        *(
            pytest.param(_with_check(f"{d}02000001"[:9]), form, None, id=f"group-{d}")
            for d, form in (
                ("1", LegalForm.ESTATE),
                ("2", LegalForm.PUBLIC_BODY),
                ("3", LegalForm.FOREIGN_COMPANY),
                ("5", LegalForm.LIMITED_COMPANY),
                ("6", LegalForm.SIMPLE_PARTNERSHIP),
                ("7", LegalForm.ECONOMIC_ASSOCIATION),
                ("8", LegalForm.NON_PROFIT),
                ("9", LegalForm.PARTNERSHIP),
                ("4", None),
                ("0", None),
            )
        ),
    ],
)
def test_parse_organisationsnummer(
    text: str, legal_form: LegalForm | None, long: str | None
) -> None:
    org = parse_organisationsnummer(text, today=TODAY)
    assert org.legal_form is legal_form
    assert org.is_personnummer is (legal_form is LegalForm.SOLE_TRADER)
    assert format_organisationsnummer(org) == f"{org.value[:6]}-{org.value[6:]}"
    if long is not None:
        assert format_organisationsnummer(org, long=True) == long


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("556036-0794", "check digit", id="bad-check-digit"),
        pytest.param("556036-079", "nor a personnummer", id="too-short"),
        pytest.param("5560360793 1", "nor a personnummer", id="trailing-garbage"),
        pytest.param("175560360793", "starts with 16", id="prefix-17"),
        pytest.param("16" + P, "after the prefix 16", id="16-before-personnummer"),
        pytest.param("811228-9842", "nor a personnummer .*check digit", id="bad-sole-trader"),
        pytest.param("", "nor a personnummer", id="empty"),
    ],
)
def test_parse_organisationsnummer_rejects(text: str, reason: str) -> None:
    with pytest.raises(InvalidIdentityNumber, match=f"^organisationsnummer: .*{reason}") as info:
        parse_organisationsnummer(text, today=TODAY)
    if text:
        _assert_no_value_in_message(info.value, text)
