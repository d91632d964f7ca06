"""Consent rules: a way to withdraw consent (GDPR Art. 7(3)) and purposes the ledger can tell
apart (Art. 7(2))."""

from __future__ import annotations

import pytest

from varna.register.checks import Severity, load_rules

E, W = Severity.error, Severity.warning


def newsletter(consent: dict | None = None, basis: list | None = None) -> dict:
    act = {
        "name": {"sv": "Nyhetsbrev"},
        "purpose": {"sv": "Att skicka nyhetsbrev till den som bett om det."},
        "legal_bases": basis or ["consent"],
        "subjects": ["customer"],
        "categories": ["contact.email"],
        "retention": {"rule": "until_withdrawn"},
    }
    if consent is not None:
        act["consent"] = consent
    return act


WITHDRAW = {"withdrawal": ["link_in_message"]}
EMAIL = {"newsletter_email": {"kind": "newsletter", "channel": "email"}}

POSITIVE = [
    pytest.param(
        {"activities.newsletter": newsletter()},
        ("consent-withdrawal", W, "Art. 7(3)", "activities.newsletter"),
        id="consent-withdrawal:only-by-writing-to-the-controller",
    ),
    pytest.param(
        {"activities.newsletter": newsletter(), "controller.contact": None},
        ("consent-withdrawal", E, "Art. 7(3)", "activities.newsletter"),
        id="consent-withdrawal:nowhere-to-withdraw",
    ),
    pytest.param(
        {"activities.newsletter": newsletter({"obtained": ["form"], "purposes": EMAIL})},
        ("consent-withdrawal", W, "Art. 7(3)", "activities.newsletter.consent"),
        id="consent-withdrawal:obtained-but-no-way-back",
    ),
    pytest.param(
        {
            "activities.newsletter": newsletter({**WITHDRAW, "purposes": EMAIL}),
            "activities.news2": newsletter({**WITHDRAW, "purposes": EMAIL}),
        },
        ("consent-purpose-twice", E, "Art. 7(2)", "activities.news2.consent.purposes"),
        id="consent-purpose-twice:same-key-in-two-activities",
    ),
]

NEGATIVE = [
    pytest.param(
        {"activities.newsletter": newsletter(WITHDRAW)},
        "consent-withdrawal",
        id="consent-withdrawal:link-in-message",
    ),
    pytest.param(
        {"activities.newsletter": newsletter(basis=["contract"])},
        "consent-withdrawal",
        id="consent-withdrawal:not-on-consent",
    ),
    pytest.param(
        {
            "activities.newsletter": newsletter({**WITHDRAW, "purposes": EMAIL}),
            "activities.news2": newsletter(
                {**WITHDRAW, "purposes": {"newsletter_sms": {"kind": "newsletter"}}}
            ),
        },
        "consent-purpose-twice",
        id="consent-purpose-twice:distinct-keys",
    ),
]


@pytest.mark.parametrize(("overrides", "expected"), POSITIVE)
def test_rule_fires(assert_fires, overrides, expected):
    assert_fires(overrides, *expected)


@pytest.mark.parametrize(("overrides", "rule"), NEGATIVE)
def test_rule_stays_quiet(assert_quiet, overrides, rule):
    assert_quiet(overrides, rule)


def test_every_rule_of_the_module_has_both_kinds_of_row():
    here = {n for n, fn in load_rules().items() if fn.__module__.endswith(".consent")}
    assert {p.values[1][0] for p in POSITIVE} == here
    assert {p.values[1] for p in NEGATIVE} == here
