"""Published-text rules: English where the policy is published in English, the current name of
the supervisory authority, security measures described, the controller and policy identified."""

from __future__ import annotations

import pytest

from varna.register.checks import Severity, load_rules

E, W = Severity.error, Severity.warning
A = "activities.customer_contract"
BILINGUAL = {
    "controller.policy.languages": ["sv", "en"],
    f"{A}.name": {"sv": "Kundavtal", "en": "Customer contract"},
    f"{A}.purpose": {"sv": "Att leverera tjänsten.", "en": "To deliver the service."},
    "systems.crm.name": {"sv": "CRM", "en": "CRM"},
    "security.measures": [{"sv": "Behörighetsstyrning", "en": "Access control"}],
}
OLD_NAME = {"sv": "Klagomål lämnas till Datainspektionen.", "en": "Complain to the IMY."}

POSITIVE = [
    pytest.param(
        {"controller.policy.languages": ["sv", "en"]},
        ("missing-translation", W, "GDPR Art. 12(1)", f"{A}.name"),
        id="missing-translation:activity-name",
    ),
    pytest.param(
        {**BILINGUAL, "security.measures": [{"sv": "Kryptering"}]},
        ("missing-translation", W, "Art. 12(1)", "security.measures.0"),
        id="missing-translation:one-text-left",
    ),
    pytest.param(
        {f"{A}.purpose": OLD_NAME},
        ("outdated-authority", W, "GDPR Art. 13(2)(d), Art. 77", f"{A}.purpose"),
        id="outdated-authority:purpose",
    ),
    pytest.param(
        {
            "controller.supervisory_authority": {
                "name": {"sv": "DATAINSPEKTIONEN"},
                "website": "https://www.datainspektionen.se",
            }
        },
        ("outdated-authority", W, "Art. 77", "controller.supervisory_authority.name"),
        id="outdated-authority:authority-name-upper-case",
    ),
    pytest.param(
        {"security.measures": []},
        ("security-measures", W, "GDPR Art. 30(1)(g), Art. 32(1)", "security"),
        id="security-measures:empty",
    ),
    pytest.param(
        {"security": ...},
        ("security-measures", W, "Art. 32(1)", "security"),
        id="security-measures:section-absent",
    ),
    pytest.param(
        {"controller.org_number": ...},
        ("controller-identity", W, "GDPR Art. 13(1)(a)", "controller"),
        id="controller-identity:no-org-number",
    ),
    pytest.param(
        {"controller.policy.version": ...},
        ("controller-identity", W, "GDPR Art. 12(1)", "controller.policy"),
        id="controller-identity:policy-without-version",
    ),
    pytest.param(
        {"controller.policy.effective_date": ...},
        ("controller-identity", W, "Art. 5(2)", "controller.policy"),
        id="controller-identity:policy-without-date",
    ),
    pytest.param(
        {
            "controller.supervisory_authority": {
                "name": {"sv": "Integritetsskyddsmyndigheten"},
                "website": "https://www.datainspektionen.se",
            }
        },
        ("outdated-authority", W, "Art. 77", "controller.supervisory_authority.website"),
        id="outdated-authority:old-website",
    ),
    pytest.param(
        {"controller.name": None},
        ("controller-identity", E, "GDPR Art. 13(1)(a)", "controller.name"),
        id="controller-identity:no-name",
    ),
    pytest.param(
        {"controller.address": None},
        ("controller-identity", E, "Art. 30(1)(a)", "controller.address"),
        id="controller-identity:no-address",
    ),
    pytest.param(
        {"controller.contact": None},
        ("controller-identity", E, "Art. 14(1)(a)", "controller.contact"),
        id="controller-identity:no-contact",
    ),
]

NEGATIVE = [
    pytest.param({}, "missing-translation", id="missing-translation:swedish-only-policy"),
    pytest.param(BILINGUAL, "missing-translation", id="missing-translation:all-translated"),
    pytest.param({}, "outdated-authority", id="outdated-authority:default-imy"),
    pytest.param(
        {f"{A}.purpose": {"sv": "Klagomål lämnas till Integritetsskyddsmyndigheten."}},
        "outdated-authority",
        id="outdated-authority:current-name",
    ),
    pytest.param({}, "security-measures", id="security-measures:described"),
    pytest.param({}, "controller-identity", id="controller-identity:stated"),
    pytest.param(
        {"controller.org_number": "19121212-1212"},
        "controller-identity",
        id="controller-identity:sole-trader-personnummer",
    ),
]


@pytest.mark.parametrize(("overrides", "expected"), POSITIVE)
def test_rule_fires(assert_fires, overrides, expected):
    assert_fires(overrides, *expected)


@pytest.mark.parametrize(("overrides", "rule"), NEGATIVE)
def test_rule_stays_quiet(assert_quiet, overrides, rule):
    assert_quiet(overrides, rule)


def test_every_rule_of_the_module_has_both_kinds_of_row():
    here = {n for n, fn in load_rules().items() if fn.__module__.endswith(".texts")}
    assert {p.values[1][0] for p in POSITIVE} == here
    assert {p.values[1] for p in NEGATIVE} == here
