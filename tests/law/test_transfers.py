"""GDPR Chapter V: which transfers to which countries are lawful under which mechanism."""

from __future__ import annotations

from datetime import date

import pytest

from varna.errors import LawError
from varna.law.countries import EEA_COUNTRIES, EU_MEMBER_STATES, ISO_3166_ALPHA2
from varna.law.transfers import (
    ADEQUACY_DECISIONS,
    TransferMechanism,
    UnknownCountryCode,
    assess_transfer,
)

M = TransferMechanism
ON = date(2026, 11, 1)
_LEGAL_MD = "AD AR CA FO GG IL IM JP JE NZ KR CH GB UY"
LEGAL_MD_ADEQUACY = _LEGAL_MD.split()
"""The adequacy list in shared/legal.md (US only under the DPF, so not here)."""


@pytest.mark.parametrize(
    ("country", "mechanism", "on", "needs", "valid", "citation"),
    [
        pytest.param("SE", None, ON, False, True, "GDPR Art. 44", id="SE-eea"),
        pytest.param("SE", M.SCC, ON, False, True, "GDPR Art. 44", id="SE-scc-not-needed"),
        pytest.param("SE", M.PRIVACY_SHIELD, ON, False, True, "Art. 44", id="SE-no-transfer"),
        pytest.param("NO", None, ON, False, True, "EEA Agreement", id="NO-eea-not-eu"),
        pytest.param("RE", None, ON, False, True, "GDPR Art. 44", id="RE-outermost-region"),
        pytest.param("AX", None, ON, False, True, "GDPR Art. 44", id="AX-aland"),
        pytest.param("US", M.DPF, ON, True, True, "2023/1795 of 10 July 2023", id="US-dpf"),
        pytest.param("US", M.DPF, date(2023, 7, 10), True, True, "2023/1795", id="US-dpf-day-1"),
        pytest.param("US", M.DPF, date(2023, 7, 9), True, False, "2023/1795", id="US-dpf-early"),
        pytest.param(
            "US",
            M.PRIVACY_SHIELD,
            date(2020, 7, 16),
            True,
            False,
            "CJEU C-311/18 (Schrems II), 16 July 2020",
            id="US-privacy-shield-fell",
        ),
        pytest.param(
            "US",
            M.PRIVACY_SHIELD,
            ON,
            True,
            False,
            "CJEU C-311/18 (Schrems II), 16 July 2020",
            id="US-privacy-shield-now",
        ),
        pytest.param(
            "US",
            M.PRIVACY_SHIELD,
            date(2020, 7, 15),
            True,
            True,
            "2016/1250",
            id="US-privacy-shield-day-before",
        ),
        pytest.param(
            "US",
            M.PRIVACY_SHIELD,
            date(2016, 1, 1),
            True,
            False,
            "2016/1250",
            id="US-privacy-shield-not-yet",
        ),
        pytest.param(
            "US",
            M.SAFE_HARBOR,
            ON,
            True,
            False,
            "CJEU C-362/14 (Schrems I), 6 October 2015",
            id="US-safe-harbor",
        ),
        pytest.param(
            "US",
            M.SAFE_HARBOR,
            date(2010, 1, 1),
            True,
            True,
            "2000/520/EC",
            id="US-safe-harbor-in-2010",
        ),
        pytest.param("US", None, ON, True, False, "Art. 44 and 46", id="US-none"),
        pytest.param("US", M.ADEQUACY, ON, True, False, "GDPR Art. 45", id="US-adequacy"),
        pytest.param("US", M.SCC, ON, True, True, "2021/914", id="US-scc"),
        pytest.param("JP", None, ON, False, True, "2019/419", id="JP-adequacy"),
        pytest.param("JP", M.ADEQUACY, ON, False, True, "2019/419", id="JP-adequacy-named"),
        pytest.param("JP", M.SCC, ON, False, True, "2019/419", id="JP-scc-not-needed"),
        pytest.param("JP", None, date(2018, 6, 1), True, False, "46", id="JP-before-decision"),
        pytest.param("JP", M.DPF, ON, True, False, "2023/1795", id="JP-dpf-is-us-only"),
        pytest.param("JP", M.PRIVACY_SHIELD, ON, True, False, "2016/1250", id="JP-ps-is-us-only"),
        pytest.param("GB", None, ON, False, True, "2021/1772", id="GB-adequacy"),
        pytest.param("GB", None, date(2032, 1, 1), True, False, "46", id="GB-after-expiry"),
        pytest.param("CA", None, ON, False, True, "2002/2/EC", id="CA-commercial"),
        pytest.param("BR", None, ON, False, True, "2026/179", id="BR-adequacy-2026"),
        pytest.param("BR", None, date(2025, 6, 1), True, False, "46", id="BR-before-decision"),
        pytest.param("CN", None, ON, True, False, "GDPR Art. 44 and 46(1)", id="CN-none"),
        pytest.param(
            "CN",
            M.SCC,
            ON,
            True,
            True,
            "GDPR Art. 46(2)(c); Commission Implementing Decision (EU) 2021/914",
            id="CN-scc",
        ),
        pytest.param("CN", M.BCR, ON, True, True, "GDPR Art. 46(2)(b) and 47", id="CN-bcr"),
        pytest.param("CN", M.CODE_OF_CONDUCT, ON, True, True, "46(2)(e)", id="CN-code"),
        pytest.param("CN", M.CERTIFICATION, ON, True, True, "46(2)(f)", id="CN-certification"),
        pytest.param("CN", M.ART49, ON, True, True, "GDPR Art. 49(1)", id="CN-art49"),
        pytest.param("CN", M.ADEQUACY, ON, True, False, "GDPR Art. 45", id="CN-no-adequacy"),
        pytest.param("CN", M.DPF, ON, True, False, "2023/1795", id="CN-dpf"),
        pytest.param("CN", M.SAFE_HARBOR, ON, True, False, "2000/520/EC", id="CN-safe-harbor"),
    ],
)
def test_assess_transfer(
    country: str,
    mechanism: TransferMechanism | None,
    on: date,
    needs: bool,
    valid: bool,
    citation: str,
) -> None:
    result = assess_transfer(country, mechanism, on=on)
    assert (result.needs_mechanism, result.valid) == (needs, valid), result.reason
    assert citation in result.citation
    assert result.reason


def test_adequacy_before_the_gdpr_cites_the_directive() -> None:
    result = assess_transfer("US", M.SAFE_HARBOR, on=date(2010, 1, 1))
    assert result.citation.startswith(
        "Directive 95/46/EC Art. 25(6); Commission Decision 2000/520/EC"
    )
    assert assess_transfer("CH", None, on=date(2018, 5, 25)).citation.startswith("GDPR Art. 45")


def test_reasons_say_what_to_do() -> None:
    assert "declare dpf" in assess_transfer("US", M.ADEQUACY, on=ON).reason
    assert "declare adequacy" in assess_transfer("JP", M.DPF, on=ON).reason
    assert "DPF list" in assess_transfer("US", M.DPF, on=ON).reason
    assert "commercial" in assess_transfer("CA", None, on=ON).reason
    assert "supplementary measures" in assess_transfer("CN", M.SCC, on=ON).reason


@pytest.mark.parametrize("country", LEGAL_MD_ADEQUACY)
def test_every_adequacy_country_needs_no_mechanism(country: str) -> None:
    result = assess_transfer(country, None, on=ON)
    assert (result.needs_mechanism, result.valid) == (False, True)
    assert result.citation.startswith("GDPR Art. 45; ")


@pytest.mark.parametrize("country", sorted(EEA_COUNTRIES))
def test_every_eea_country_is_not_a_transfer(country: str) -> None:
    result = assess_transfer(country, None, on=ON)
    assert (result.needs_mechanism, result.valid) == (False, True)


@pytest.mark.parametrize(
    "code", ["se", "Se", "S", "SWE", "", " SE", "S1", "XK", "ZZ", "EU", "EL", "UK"]
)
def test_country_code_must_be_iso_alpha2_upper_case(code: str) -> None:
    with pytest.raises(UnknownCountryCode, match="ISO 3166-1 alpha-2") as info:
        assess_transfer(code, None, on=ON)
    assert isinstance(info.value, LawError)
    assert isinstance(info.value, ValueError)


def test_country_sets() -> None:
    assert len(EU_MEMBER_STATES) == 27
    assert sorted(EEA_COUNTRIES - EU_MEMBER_STATES) == ["IS", "LI", "NO"]
    assert len(ISO_3166_ALPHA2) == 249
    assert set(LEGAL_MD_ADEQUACY) <= set(ADEQUACY_DECISIONS)
    assert "US" not in ADEQUACY_DECISIONS  # only DPF-certified organisations, see DPF_DECISION
    assert set(ADEQUACY_DECISIONS) <= ISO_3166_ALPHA2 - EEA_COUNTRIES


def test_mechanism_keys_are_stable() -> None:
    assert [m.value for m in TransferMechanism] == [
        "adequacy",
        "dpf",
        "scc",
        "bcr",
        "code_of_conduct",
        "certification",
        "art49",
        "privacy_shield",
        "safe_harbor",
    ]
