"""Register facts as phrases: legal bases, retention rules, statutes, safeguards, enum words."""

from __future__ import annotations

from typing import Any

import pytest

from varna.law.citations import STATUTES
from varna.law.transfers import TransferMechanism
from varna.register import Register
from varna.register.activities import LegalBasis
from varna.register.parties import Transfer
from varna.render import phrases
from varna.render.labels import ALL_TABLES
from varna.render.wording import NBSP, Words


def _plain(text: str) -> str:
    return text.replace(NBSP, " ")


@pytest.mark.parametrize(
    ("key", "sv", "en"),
    [
        (
            "bokforingslagen",
            "7 kap. 2 § bokföringslagen (1999:1078)",
            "the Swedish Accounting Act (1999:1078), chapter 7 section 2",
        ),
        (
            "marknadsforingslagen-19",
            "19 § marknadsföringslagen (2008:486)",
            "the Swedish Marketing Act (2008:486), section 19",
        ),
        (
            "lek-9-28",
            "9 kap. 28 § lagen (2022:482) om elektronisk kommunikation",
            "the Swedish Electronic Communications Act (2022:482), chapter 9 section 28",
        ),
        (
            "diskrimineringslagen",
            "diskrimineringslagen (2008:567)",
            "the Swedish Discrimination Act (2008:567)",
        ),
        (
            "Socialtjänstlagen (2001:453)",
            "Socialtjänstlagen (2001:453)",
            "Socialtjänstlagen (2001:453)",
        ),
    ],
)
def test_statutes(key: str, sv: str, en: str) -> None:
    assert _plain(phrases.statute(key, Words("sv"))) == sv
    assert _plain(phrases.statute(key, Words("en"))) == en


def test_every_statute_has_a_swedish_reference() -> None:
    for key in STATUTES:
        text = _plain(phrases.statute(key, Words("sv")))
        assert text[0].islower() or text[0].isdigit(), text


@pytest.mark.parametrize(
    ("basis", "sv", "en"),
    [
        (
            "contract",
            "För att fullgöra avtalet med dig (artikel 6.1 b).",
            "To perform the contract with you (Article 6(1)(b)).",
        ),
        ("consent", "Med ditt samtycke (artikel 6.1 a).", "With your consent (Article 6(1)(a))."),
        (
            {"basis": "legal_obligation", "statute": "bokforingslagen"},
            "För att uppfylla en rättslig förpliktelse (artikel 6.1 c) enligt 7 kap. 2 § "
            "bokföringslagen (1999:1078).",
            "To comply with a legal obligation (Article 6(1)(c)) under the Swedish Accounting Act "
            "(1999:1078), chapter 7 section 2.",
        ),
        (
            "vital_interests",
            "För att skydda dina eller någon annans grundläggande intressen (artikel 6.1 d).",
            "To protect your vital interests or those of another person (Article 6(1)(d)).",
        ),
        (
            "public_task",
            "För att utföra en uppgift av allmänt intresse eller som ett led i "
            "myndighetsutövning (artikel 6.1 e).",
            "To perform a task in the public interest or in "
            "the exercise of official authority (Article 6(1)(e)).",
        ),
        (
            {
                "basis": "legitimate_interests",
                "interest": {"sv": "att marknadsföra", "en": "to market"},
            },
            "För ett berättigat intresse (artikel 6.1 f): Att marknadsföra.",
            "For a legitimate interest (Article 6(1)(f)): To market.",
        ),
        (
            {"basis": "legitimate_interests", "balancing_test": "ia.pdf"},
            "För ett berättigat intresse, efter en intresseavvägning (artikel 6.1 f).",
            "For a legitimate interest, after balancing it against your interests "
            "(Article 6(1)(f)).",
        ),
    ],
    ids=["contract", "consent", "obligation", "vital", "public", "interest", "balancing"],
)
def test_bases_are_phrases_with_the_article(basis: Any, sv: str, en: str) -> None:
    item = LegalBasis.model_validate(basis)
    assert _plain(" ".join(phrases.basis(item, Words("sv")))) == sv
    assert _plain(" ".join(phrases.basis(item, Words("en")))) == en


RETENTION = [
    pytest.param(
        {"rule": "bookkeeping"},
        "sju år räknat från utgången av det kalenderår då räkenskapsåret avslutades",
        "seven years from the end of the calendar year in which the financial year ended",
        id="bookkeeping",
    ),
    pytest.param(
        {"rule": "period_after", "period": "24 months", "anchor": "relation_ended"},
        "24 månader efter att kundrelationen upphörde",
        "24 months after the customer relationship ended",
        id="period-after",
    ),
    pytest.param(
        {"rule": "while_active", "anchor": "relation_ended", "then": "36 months"},
        "så länge kundrelationen består och därefter i 36 månader",
        "while the customer relationship lasts and for 36 months after that",
        id="while-active",
    ),
    pytest.param(
        {"rule": "while_active", "anchor": "contract_ended"},
        "så länge avtalet gäller",
        "while the contract is in force",
        id="while-contract",
    ),
    pytest.param(
        {"rule": "until_withdrawn"},
        "tills du återkallar ditt samtycke",
        "until you withdraw your consent",
        id="until-withdrawn",
    ),
    pytest.param(
        {"rule": "until_withdrawn", "grace": "30 days"},
        "tills du återkallar ditt samtycke och därefter högst 30 dagar",
        "until you withdraw your consent and for at most 30 days after that",
        id="until-withdrawn-grace",
    ),
]


@pytest.mark.parametrize(("rule", "sv", "en"), RETENTION)
def test_retention_in_words(complete: Register, rule: dict[str, str], sv: str, en: str) -> None:
    activity = complete.activities["subscription"].model_validate(
        {**complete.activities["subscription"].model_dump(), "retention": rule}
    )
    assert activity.retention is not None
    assert phrases.retention(activity.retention, complete, Words("sv")) == sv
    assert phrases.retention(activity.retention, complete, Words("en")) == en


def test_opt_out_without_consent_is_an_objection(complete: Register) -> None:
    rule = complete.activities["newsletter"].retention
    assert rule is not None
    sv = phrases.retention(rule, complete, Words("sv"), consent=False)
    assert sv == "tills du invänder mot behandlingen och därefter högst 30 dagar"


@pytest.mark.parametrize("mechanism", list(TransferMechanism))
def test_every_mechanism_has_words(mechanism: TransferMechanism) -> None:
    transfer = Transfer(mechanism=mechanism)
    sv, en = phrases.mechanism(transfer, Words("sv")), phrases.mechanism(transfer, Words("en"))
    assert sv
    assert en
    assert sv != en


@pytest.mark.parametrize("enum", list(ALL_TABLES), ids=lambda e: e.__name__)
def test_every_enum_member_has_words(enum: Any) -> None:
    table = ALL_TABLES[enum]
    missing = [m for m in enum if m not in table]
    assert not missing, f"no words for {missing}: add them to varna/render/labels.py"
