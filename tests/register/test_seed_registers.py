"""Golden tests: the five seed policies written as registers (examples/seeds/) and what the check
finds in them.

Each register keeps its policy's flaws on purpose; the table below is what a DPO should be told
about each one. A change to a rule that alters these findings must change this table knowingly.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from varna.cli.app import app
from varna.register import Register, load_register
from varna.register.checks import Finding, Severity, run_checks

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
ON = date(2026, 11, 22)
E, W, NOTE = Severity.error, Severity.warning, Severity.info

Triple = tuple[str, Severity, str]

EXPECTED: dict[str, list[Triple]] = {
    # Camanio AB: consent for everything, legitimate interest for marketing and social media.
    "000_70affe82a277601f": [
        ("consent-for-contract-data", E, "activities.customer_account.legal_bases"),
        ("consent-for-contract-data", E, "activities.care_recipient_data.legal_bases"),
        ("special-category", E, "activities.care_recipient_data.categories"),
        ("consent-for-contract-data", E, "activities.billing.legal_bases"),
        ("marketing-consent", E, "activities.marketing.direct_marketing"),
        ("outdated-authority", W, "controller.supervisory_authority.name"),
        ("outdated-authority", W, "controller.supervisory_authority.website"),
        ("personnummer-justification", W, "activities.customer_account.categories"),
        ("personnummer-justification", W, "activities.representative_contacts.categories"),
        ("basis-incomplete", W, "activities.marketing.legal_bases.0"),
        ("retention-in-words", W, "activities.marketing.retention_in_words"),
        ("basis-incomplete", W, "activities.social_media.legal_bases.0"),
        ("retention-in-words", W, "activities.social_media.retention_in_words"),
        ("personnummer-justification", W, "activities.recruitment.categories"),
        ("processor-agreement", W, "recipients.suppliers.dpa"),
        ("processor-agreement", W, "recipients.analytics_partners.dpa"),
        ("recipient-location", W, "recipients.financing_companies"),
        ("recipient-location", W, "recipients.acquirer"),
        ("cookie-consent", W, "cookie_consent.practice"),
        ("activity-without-system", NOTE, "systems"),
    ],
    # Unnamed company (name, address and contact not given): contract and "applicable law",
    # newsletters on the contract, transfers that "may" happen with only a promise.
    "001_2d56f6591519f21d": [
        ("controller-identity", E, "controller.name"),
        ("controller-identity", E, "controller.address"),
        ("controller-identity", E, "controller.contact"),
        ("basis-incomplete", E, "activities.service_delivery.legal_bases.1"),
        ("personnummer-justification", E, "activities.service_delivery.categories"),
        ("marketing-consent", E, "activities.newsletters.direct_marketing"),
        ("missing-retention", E, "activities.website_cookies"),
        ("processor-agreement", E, "recipients.main_supplier"),
        ("third-country-transfer", E, "recipients.main_supplier.location"),
        ("third-country-transfer", E, "recipients.supplier_sub_processors.location"),
        ("processor-agreement", E, "recipients.support_suppliers"),
        ("third-country-transfer", E, "recipients.support_suppliers.location"),
        ("controller-identity", W, "controller"),
        ("processor-agreement", W, "recipients.supplier_sub_processors.dpa"),
        ("recipient-location", W, "recipients.legal_claims_parties"),
        ("activity-without-system", NOTE, "systems"),
    ],
    # Care of (Cirrus): contract and unnamed laws; Cirrus users are controllers.
    "002_f448cc22fa511414": [
        ("basis-incomplete", E, "activities.customer_service.legal_bases.1"),
        ("third-country-transfer", E, "recipients.suppliers.location"),
        ("controller-identity", W, "controller"),
        ("controller-identity", W, "controller.policy"),
        ("processor-agreement", W, "recipients.suppliers.dpa"),
        ("recipient-location", W, "recipients.legal_claims_parties"),
        ("activity-without-system", NOTE, "systems"),
    ],
    # Omilon AB: no legal bases at all, Privacy Shield, Datainspektionen.
    "003_475795fa20f32fac": [
        ("no-legal-basis", E, "activities.customer_relationship"),
        ("no-legal-basis", E, "activities.it_support"),
        ("no-legal-basis", E, "activities.service_operation"),
        ("no-legal-basis", E, "activities.recommendations"),
        ("no-legal-basis", E, "activities.statistics"),
        ("third-country-transfer", E, "recipients.service_providers_outside_eu.transfer"),
        ("controller-identity", W, "controller"),
        ("outdated-authority", W, "controller.supervisory_authority.name"),
        ("outdated-authority", W, "controller.supervisory_authority.website"),
        ("controller-identity", W, "controller.policy"),
        ("retention-in-words", W, "activities.customer_relationship.retention_in_words"),
        ("retention-in-words", W, "activities.it_support.retention_in_words"),
        ("retention-in-words", W, "activities.service_operation.retention_in_words"),
        ("retention-in-words", W, "activities.recommendations.retention_in_words"),
        ("retention-in-words", W, "activities.statistics.retention_in_words"),
        ("retention-in-words", W, "activities.surveys_and_newsletters.retention_in_words"),
        ("retention-in-words", W, "activities.website_cookies.retention_in_words"),
        ("recipient-location", W, "recipients.service_providers"),
        ("processor-agreement", W, "recipients.service_providers.dpa"),
        ("processor-agreement", W, "recipients.service_providers_outside_eu.dpa"),
        ("recipient-location", W, "recipients.others_entitled"),
        ("activity-without-system", NOTE, "systems"),
    ],
    # Intelliplan AB: usage data without basis or retention, processors without an agreement.
    "004_65b7c35b520ab143": [
        ("missing-retention", E, "activities.service_usage"),
        ("no-legal-basis", E, "activities.service_usage"),
        ("processor-agreement", E, "recipients.it_suppliers"),
        ("outdated-authority", W, "controller.supervisory_authority.name"),
        ("outdated-authority", W, "controller.supervisory_authority.website"),
        ("controller-identity", W, "controller.policy"),
        ("recipient-location", W, "recipients.it_suppliers"),
        ("activity-without-system", NOTE, "systems"),
    ],
}

#: No seed declares how consent is withdrawn (``activities.*.consent.withdrawal``); each gives a
#: contact to write to, so every activity resting on consent is an Art. 7(3) warning (an error
#: only where the register gives no way at all) until its register says how.
NO_WITHDRAWAL_PATH: dict[str, list[str]] = {
    "000_70affe82a277601f": [
        "billing",
        "care_recipient_data",
        "customer_account",
        "digital_behaviour",
        "other_data",
        "recruitment",
        "representative_contacts",
        "technical_data",
        "website_visits",
    ],
    "001_2d56f6591519f21d": ["service_analysis", "website_cookies"],
    "003_475795fa20f32fac": ["surveys_and_newsletters", "website_cookies"],
    "004_65b7c35b520ab143": ["registrations_and_marketing"],
}
for _stem, _keys in NO_WITHDRAWAL_PATH.items():
    # seed 001 names no contact at all (controller.contact is null): nowhere to withdraw
    _severity = E if _stem.startswith("001_") else W
    EXPECTED[_stem] += [("consent-withdrawal", _severity, f"activities.{key}") for key in _keys]


def _path(register: Register, finding: Finding) -> str:
    """The dotted key path of ``finding``, whose location is ``file:line dotted.path``."""
    prefix = f"{register.source}:"
    assert finding.location.startswith(prefix), finding.location
    line, _, dotted = finding.location.removeprefix(prefix).partition(" ")
    assert line.isdigit(), finding.location
    return dotted


def _seed(stem: str) -> Path:
    return SEEDS / f"{stem}.yaml"


def test_every_seed_register_has_a_table() -> None:
    assert sorted(p.stem for p in SEEDS.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_seed_register_loads(stem: str) -> None:
    register = load_register(_seed(stem))
    assert register.activities
    assert not register.systems


@pytest.mark.parametrize(("stem", "expected"), sorted(EXPECTED.items()), ids=sorted(EXPECTED))
def test_seed_register_findings(stem: str, expected: list[Triple]) -> None:
    register = load_register(_seed(stem))
    found = sorted((f.rule, f.severity, _path(register, f)) for f in run_checks(register, on=ON))
    assert found == sorted(expected)


def test_privacy_shield_is_invalid_since_schrems_ii() -> None:
    register = load_register(_seed("003_475795fa20f32fac"))
    transfers = [f for f in run_checks(register, on=ON) if f.rule == "third-country-transfer"]
    assert transfers
    for f in transfers:
        assert "privacy shield" in f.message.lower().replace("_", " ")
        assert "C-311/18" in (f.citation or "")


def test_cli_json_for_seed_003() -> None:
    path = str(_seed("003_475795fa20f32fac"))
    result = CliRunner().invoke(app, ["register", "check", path, "--format", "json"])
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    findings = payload["findings"]
    assert findings
    for f in findings:
        assert {"rule", "severity", "location", "message", "citation"} <= f.keys()
    assert any(
        f["rule"] == "third-country-transfer" and "C-311/18" in (f["citation"] or "")
        for f in findings
    )
