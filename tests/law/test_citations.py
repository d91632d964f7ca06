"""The citation registry and the statutory retention minimums built on it."""

from __future__ import annotations

import re
from datetime import date

import pytest

from varna.errors import LawError
from varna.law.bookkeeping import FiscalYear
from varna.law.citations import CITATIONS, STATUTES, Citation, gdpr
from varna.law.minimums import STATUTORY_MINIMUMS, CountedFrom, minimum_keep_until

_GDPR_ARTICLES = """
    6(1)(a) 6(1)(b) 6(1)(c) 6(1)(d) 6(1)(e) 6(1)(f) 7(3) 9(2)(a) 9(2)(b) 9(2)(c) 9(2)(d) 9(2)(e)
    9(2)(f) 9(2)(g) 9(2)(h) 9(2)(i) 9(2)(j) 12(3) 13 14 15 16 17(3)(b) 17(3)(e) 18 19 20 21 22
    28(3) 30 32 33(1) 44 45 46 46(2)(c) 47 48 49
"""
GDPR_ARTICLES = _GDPR_ARTICLES.split()


@pytest.mark.parametrize("article", GDPR_ARTICLES)
def test_every_gdpr_article_varna_uses_is_cited(article: str) -> None:
    citation = gdpr(article)
    assert citation.short == f"GDPR Art. {article}"
    assert f"Article {article}" in citation.full_en
    assert "dataskyddsförordningen" in citation.full_sv
    assert citation.url is not None


@pytest.mark.parametrize(
    ("key", "sv_name", "short"),
    [
        pytest.param("bokforingslagen", "Bokföringslag (1999:1078) 7 kap. 2 §", "BFL 7:2"),
        pytest.param("dataskyddslagen-3-10", "Lag (2018:218)", "DSL 3:10"),
        pytest.param("patientdatalagen", "Patientdatalag (2008:355) 3 kap. 17 §", "PDL 3:17"),
        pytest.param("diskrimineringslagen", "Diskrimineringslag (2008:567)", "DL"),
        pytest.param("marknadsforingslagen-19", "Marknadsföringslag (2008:486) 19 §", "MFL 19 §"),
        pytest.param("lek-9-28", "Lag (2022:482) om elektronisk kommunikation 9 kap. 28 §", "LEK"),
        pytest.param("folkbokforingslagen-18", "Folkbokföringslag (1991:481) 18 §", "FOL"),
    ],
)
def test_swedish_statutes(key: str, sv_name: str, short: str) -> None:
    citation = STATUTES[key]
    assert citation.key == key
    assert citation.full_sv.startswith(sv_name)
    assert citation.short.startswith(short)
    assert CITATIONS[key] is citation


@pytest.mark.parametrize(
    ("key", "text"),
    [
        pytest.param("cjeu-c-311-18", "16 July 2020"),
        pytest.param("cjeu-c-362-14", "6 October 2015"),
        pytest.param("scc-2021-914", "2021/914"),
        pytest.param("dpf-2023-1795", "Data Privacy Framework"),
        pytest.param("regulation-1182-71", "periods, dates and time limits"),
    ],
)
def test_other_sources(key: str, text: str) -> None:
    assert text in CITATIONS[key].full_en


@pytest.mark.parametrize("citation", list(CITATIONS.values()), ids=list(CITATIONS))
def test_citation_shape(citation: Citation) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", citation.key)
    assert citation.short
    assert citation.full_sv
    assert citation.full_en
    assert citation.url is None or citation.url.startswith("https://")
    assert not re.search(r"\b(Bokforing|Marknadsforing|forordning|forsamling)", citation.full_sv)


def test_registries_are_read_only() -> None:
    with pytest.raises(TypeError):
        STATUTES["x"] = STATUTES["bokforingslagen"]  # type: ignore[index]
    with pytest.raises(KeyError, match="does not cite"):
        gdpr("99")


def test_statutory_minimums_name_known_statutes() -> None:
    assert set(STATUTORY_MINIMUMS) == {"bokforingslagen", "patientdatalagen"}
    assert set(STATUTORY_MINIMUMS) <= set(STATUTES)
    assert STATUTORY_MINIMUMS["bokforingslagen"].years == 7
    assert STATUTORY_MINIMUMS["bokforingslagen"].counted_from is CountedFrom.FISCAL_YEAR_END
    assert STATUTORY_MINIMUMS["patientdatalagen"].years == 10
    assert STATUTORY_MINIMUMS["patientdatalagen"].counted_from is CountedFrom.LAST_ENTRY


@pytest.mark.parametrize(
    ("statute", "event", "fiscal_year", "expected"),
    [
        pytest.param(
            "bokforingslagen",
            date(2021, 3, 1),
            FiscalYear(),
            date(2028, 12, 31),
            id="bfl-calendar-year",
        ),
        pytest.param(
            "bokforingslagen",
            date(2021, 9, 1),
            FiscalYear(5),
            date(2029, 12, 31),
            id="bfl-broken-year",
        ),
        pytest.param(
            "patientdatalagen",
            date(2016, 5, 17),
            FiscalYear(),
            date(2026, 5, 17),
            id="pdl-ten-years",
        ),
        pytest.param(
            "patientdatalagen",
            date(2016, 2, 29),
            FiscalYear(),
            date(2026, 2, 28),
            id="pdl-leap-day",
        ),
    ],
)
def test_minimum_keep_until(
    statute: str, event: date, fiscal_year: FiscalYear, expected: date
) -> None:
    assert minimum_keep_until(statute, event, fiscal_year=fiscal_year) == expected


def test_minimum_keep_until_unknown_statute() -> None:
    with pytest.raises(LawError, match="no minimum"):
        minimum_keep_until("diskrimineringslagen", date(2026, 1, 1))
