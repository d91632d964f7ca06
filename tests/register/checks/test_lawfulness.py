"""Lawfulness rules: legal bases, consent, special categories, personnummer, marketing, automation.

Each rule has positive rows (it fires, with severity, citation and key path) and negative rows (a
near miss that must not fire). Rows patch the minimal register (``tests/register/conftest.py``).
"""

from __future__ import annotations

import pytest

from varna.register.checks import Severity, load_rules

E, W = Severity.error, Severity.warning
A = "activities.customer_contract"
LIA = {"basis": "legitimate_interests", "balancing_test": "LIA-2026-01"}
BOOKKEEPING_HOLD = {
    "bokforing": {
        "name": {"sv": "Bokföring"},
        "statute": "bokforingslagen",
        "retention": {"rule": "bookkeeping"},
        "categories": ["finance.invoice"],
    }
}
AUTOMATED = {
    "solely_automated": True,
    "profiling": True,
    "legal_effect": True,
    "logic": {"sv": "Kreditbetyg från inkomst och betalningshistorik."},
    "significance": {"sv": "Ansökan kan avslås."},
}
ON_BEHALF = {"name": {"sv": "Kunder som använder tjänsten"}, "categorical": True}
HEALTH = ["identity.name", "contact.email", "special.health"]

POSITIVE = [
    pytest.param(
        {f"{A}.legal_bases": []},
        ("no-legal-basis", E, "GDPR Art. 6(1)", A),
        id="no-legal-basis:empty-list",
    ),
    pytest.param(
        {f"{A}.legal_bases": ...},
        ("no-legal-basis", E, "GDPR Art. 6(1)", A),
        id="no-legal-basis:key-absent",
    ),
    pytest.param(
        {f"{A}.legal_bases": ["legitimate_interests"]},
        ("basis-incomplete", W, "Art. 6(1)(f)", f"{A}.legal_bases.0"),
        id="basis-incomplete:legitimate-interest-without-balancing-test",
    ),
    pytest.param(
        {f"{A}.legal_bases": ["contract", "legal_obligation"]},
        ("basis-incomplete", E, "Art. 6(1)(c)", f"{A}.legal_bases.1"),
        id="basis-incomplete:legal-obligation-without-statute",
    ),
    pytest.param(
        {f"{A}.legal_bases": ["consent"], f"{A}.provision": {"requirement": "contractual"}},
        ("consent-for-contract-data", E, "Art. 7(4)", f"{A}.legal_bases"),
        id="consent-for-contract-data:contractual-provision",
    ),
    pytest.param(
        {f"{A}.legal_bases": ["consent"], f"{A}.provision": {"requirement": "statutory"}},
        ("consent-for-contract-data", E, "Art. 7(4)", f"{A}.legal_bases"),
        id="consent-for-contract-data:statutory-provision",
    ),
    pytest.param(
        {
            f"{A}.legal_bases": ["consent"],
            f"{A}.categories": ["identity.name", "contact.email", "finance.invoice"],
        },
        ("consent-for-contract-data", E, "EDPB Guidelines 05/2020", f"{A}.legal_bases"),
        id="consent-for-contract-data:invoices",
    ),
    pytest.param(
        {
            f"{A}.legal_bases": ["consent"],
            "legal_holds": BOOKKEEPING_HOLD,
            f"{A}.legal_holds": ["bokforing"],
        },
        ("consent-for-contract-data", E, "Art. 7(4)", f"{A}.legal_bases"),
        id="consent-for-contract-data:legal-hold",
    ),
    pytest.param(
        {f"{A}.categories": HEALTH, "security.restricted_categories": ["special.health"]},
        ("special-category", E, "GDPR Art. 9(1)-(2)", f"{A}.categories"),
        id="special-category:health-without-art9-exception",
    ),
    pytest.param(
        {f"{A}.categories": HEALTH, f"{A}.special_category_condition": {"exception": "h"}},
        ("special-category", E, "Art. 32(1)(b)", f"{A}.categories"),
        id="special-category:health-not-restricted",
    ),
    pytest.param(
        {
            f"{A}.categories": ["identity.name", "contact.email", "criminal.offences"],
            "security.restricted_categories": ["criminal.offences"],
        },
        ("special-category", W, "GDPR Art. 10", f"{A}.categories"),
        id="special-category:criminal-offences",
    ),
    pytest.param(
        {
            "taxonomy": {
                "categories": {
                    "custom.allergies": {
                        "label": {"sv": "Allergier"},
                        "fideslang": "user.health_and_medical",
                        "special": "health",
                    }
                }
            },
            f"{A}.categories": ["identity.name", "contact.email", "custom.allergies"],
            "security.restricted_categories": ["custom.allergies"],
        },
        ("special-category", E, "GDPR Art. 9(1)-(2)", f"{A}.categories"),
        id="special-category:custom-category-marked-special",
    ),
    pytest.param(
        {f"{A}.categories": ["identity.name", "contact.email", "identity.personnummer"]},
        (
            "personnummer-justification",
            E,
            "Dataskyddslagen (2018:218) 3 kap. 10 §",
            f"{A}.categories",
        ),
        id="personnummer-justification:contract",
    ),
    pytest.param(
        {f"{A}.categories": ["identity.name", "contact.email", "identity.samordningsnummer"]},
        ("personnummer-justification", E, "3 kap. 10 §", f"{A}.categories"),
        id="personnummer-justification:samordningsnummer",
    ),
    pytest.param(
        {
            f"{A}.legal_bases": ["consent"],
            f"{A}.categories": ["identity.name", "contact.email", "identity.personnummer"],
        },
        ("personnummer-justification", W, "3 kap. 10 §", f"{A}.categories"),
        id="personnummer-justification:consent-only-is-a-warning",
    ),
    pytest.param(
        {f"{A}.legal_bases": [LIA], f"{A}.direct_marketing": {"channels": ["email"]}},
        ("marketing-consent", E, "Marknadsföringslagen (2008:486) 19 §", f"{A}.direct_marketing"),
        id="marketing-consent:email-on-legitimate-interest",
    ),
    pytest.param(
        {f"{A}.direct_marketing": {"channels": ["post", "sms"]}},
        ("marketing-consent", E, "GDPR Art. 21(2)", f"{A}.direct_marketing"),
        id="marketing-consent:sms-on-contract",
    ),
    pytest.param(
        {f"{A}.automated_decision": AUTOMATED},
        ("automated-decision", E, "GDPR Art. 22", f"{A}.automated_decision"),
        id="automated-decision:legal-effect-without-ground",
    ),
    pytest.param(
        {f"{A}.legal_bases": [LIA], f"{A}.portability_promised": True},
        ("portability-not-applicable", W, "GDPR Art. 20(1)(a)", f"{A}.portability_promised"),
        id="portability-not-applicable:legitimate-interest",
    ),
    pytest.param(
        {
            f"{A}.legal_bases": [{"basis": "legal_obligation", "statute": "bokforingslagen"}],
            f"{A}.portability_promised": True,
        },
        ("portability-not-applicable", W, "Art. 20(1)(a)", f"{A}.portability_promised"),
        id="portability-not-applicable:legal-obligation",
    ),
    pytest.param(
        {f"{A}.role": "processor"},
        ("processor-role", E, "GDPR Art. 30(2)(a)", f"{A}.on_behalf_of"),
        id="processor-role:no-controller-named",
    ),
]

NEGATIVE = [
    pytest.param({}, "no-legal-basis", id="no-legal-basis:contract"),
    pytest.param(
        {f"{A}.legal_bases": ["consent", "contract", LIA]},
        "no-legal-basis",
        id="no-legal-basis:several-bases",
    ),
    pytest.param(
        {f"{A}.legal_bases": ["contract", LIA]}, "basis-incomplete", id="basis-incomplete:lia-done"
    ),
    pytest.param(
        {f"{A}.legal_bases": [{"basis": "legal_obligation", "statute": "bokforingslagen"}]},
        "basis-incomplete",
        id="basis-incomplete:statute-named",
    ),
    pytest.param(
        {
            f"{A}.legal_bases": ["consent", "contract"],
            f"{A}.provision": {"requirement": "contractual"},
        },
        "consent-for-contract-data",
        id="consent-for-contract-data:consent-beside-contract",
    ),
    pytest.param(
        {f"{A}.legal_bases": ["consent"], f"{A}.provision": {"requirement": "voluntary"}},
        "consent-for-contract-data",
        id="consent-for-contract-data:voluntary",
    ),
    pytest.param(
        {f"{A}.legal_bases": ["contract"], f"{A}.provision": {"requirement": "contractual"}},
        "consent-for-contract-data",
        id="consent-for-contract-data:contract-only",
    ),
    pytest.param(
        {
            f"{A}.categories": HEALTH,
            f"{A}.special_category_condition": {"exception": "h"},
            "security.restricted_categories": ["special.health"],
        },
        "special-category",
        id="special-category:exception-and-restricted",
    ),
    pytest.param(
        {"security.restricted_categories": ["special.health"]},
        "special-category",
        id="special-category:restricted-but-not-processed",
    ),
    pytest.param(
        {
            f"{A}.categories": ["identity.name", "contact.email", "identity.personnummer"],
            f"{A}.personnummer_justification": {"sv": "Säker identifiering vid avtal."},
        },
        "personnummer-justification",
        id="personnummer-justification:stated",
    ),
    pytest.param(
        {f"{A}.categories": ["identity.name", "contact.email", "identity.birth_date"]},
        "personnummer-justification",
        id="personnummer-justification:birth-date-only",
    ),
    pytest.param(
        {f"{A}.direct_marketing": {"channels": ["post", "phone"]}},
        "marketing-consent",
        id="marketing-consent:not-electronic",
    ),
    pytest.param(
        {f"{A}.direct_marketing": {"channels": ["email"], "existing_customers_only": True}},
        "marketing-consent",
        id="marketing-consent:existing-customers",
    ),
    pytest.param(
        {
            f"{A}.legal_bases": ["consent", "contract"],
            f"{A}.direct_marketing": {"channels": ["email", "sms"]},
        },
        "marketing-consent",
        id="marketing-consent:consent",
    ),
    pytest.param(
        {f"{A}.automated_decision": {**AUTOMATED, "basis": "contract"}},
        "automated-decision",
        id="automated-decision:art22-ground",
    ),
    pytest.param(
        {f"{A}.automated_decision": {**AUTOMATED, "legal_effect": False}},
        "automated-decision",
        id="automated-decision:no-legal-effect",
    ),
    pytest.param(
        {f"{A}.automated_decision": {**AUTOMATED, "solely_automated": False}},
        "automated-decision",
        id="automated-decision:human-involved",
    ),
    pytest.param(
        {f"{A}.portability_promised": True},
        "portability-not-applicable",
        id="portability-not-applicable:contract",
    ),
    pytest.param(
        {f"{A}.legal_bases": ["consent"], f"{A}.portability_promised": True},
        "portability-not-applicable",
        id="portability-not-applicable:consent",
    ),
    pytest.param(
        {f"{A}.role": "processor", f"{A}.on_behalf_of": [ON_BEHALF], f"{A}.legal_bases": []},
        "no-legal-basis",
        id="no-legal-basis:processor-acts-on-the-controllers-basis",
    ),
    pytest.param(
        {f"{A}.legal_bases": [LIA], f"{A}.portability_promised": False},
        "portability-not-applicable",
        id="portability-not-applicable:not-promised",
    ),
    pytest.param(
        {
            f"{A}.role": "processor",
            f"{A}.on_behalf_of": [
                {"name": {"sv": "Kunder som använder tjänsten"}, "categorical": True}
            ],
        },
        "processor-role",
        id="processor-role:controllers-named",
    ),
    pytest.param({f"{A}.role": "controller"}, "processor-role", id="processor-role:controller"),
]


@pytest.mark.parametrize(("overrides", "expected"), POSITIVE)
def test_rule_fires(assert_fires, overrides, expected):
    assert_fires(overrides, *expected)


@pytest.mark.parametrize(("overrides", "rule"), NEGATIVE)
def test_rule_stays_quiet(assert_quiet, overrides, rule):
    assert_quiet(overrides, rule)


def test_every_rule_of_the_module_has_both_kinds_of_row():
    here = {n for n, fn in load_rules().items() if fn.__module__.endswith(".lawfulness")}
    assert {p.values[1][0] for p in POSITIVE} == here
    assert {p.values[1] for p in NEGATIVE} == here
