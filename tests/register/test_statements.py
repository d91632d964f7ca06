"""What the register records in the organisation's own terms: unknown whereabouts, periods in
words, controller facts not given, commitments, channels per right, alternative Art. 22(2)
grounds, bases per subject group and retention per category. Each row loads or is refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from varna.register import Register

from .registers import patched

A = "activities.customer_contract"
WORDS = {"text": {"sv": "under en viss period"}}
CONTRACT_FOR = {"basis": "contract", "subjects": ["customer"]}

VALID = [
    pytest.param(
        {
            "recipients.x": {
                "name": {"sv": "X"},
                "kind": "processor",
                "purpose": {"sv": "Drift"},
                "location": "unknown",
            }
        },
        id="location-unknown",
    ),
    pytest.param(
        {
            "recipients.x": {
                "name": {"sv": "X"},
                "kind": "processor",
                "purpose": {"sv": "Drift"},
                "location": "may_transfer",
                "safeguard_promised": {"sv": "Jämförbart skydd."},
            }
        },
        id="may-transfer-with-a-promise",
    ),
    pytest.param({f"{A}.retention": ..., f"{A}.retention_in_words": WORDS}, id="period-in-words"),
    pytest.param(
        {"controller.name": None, "controller.address": None, "controller.contact": None},
        id="controller-facts-not-given",
    ),
    pytest.param(
        {
            "commitments": [
                {
                    "kind": "never",
                    "topic": "sharing",
                    "text": {"sv": "Vi säljer aldrig dina uppgifter."},
                }
            ]
        },
        id="negative-commitment",
    ),
    pytest.param(
        {
            "commitments": [
                {
                    "kind": "conditional",
                    "topic": "transfers",
                    "condition": {"sv": "Om uppgifter förs ut"},
                    "text": {"sv": "skyddar vi dem"},
                }
            ]
        },
        id="conditional-commitment",
    ),
    pytest.param(
        {
            "controller.request_channels": [
                {"rights": ["access"], "formality": "signed", "via": {"sv": "per brev"}}
            ]
        },
        id="channel-per-right",
    ),
    pytest.param({f"{A}.legal_bases": [CONTRACT_FOR]}, id="basis-per-subject"),
    pytest.param(
        {
            f"{A}.category_retention": [
                {"categories": ["contact.email"], "retention_in_words": WORDS}
            ]
        },
        id="retention-per-category",
    ),
    pytest.param(
        {
            f"{A}.automated_decision": {
                "solely_automated": True,
                "profiling": False,
                "basis": "explicit_consent",
                "alternative_bases": ["contract"],
                "logic": {"sv": "L"},
                "significance": {"sv": "S"},
            }
        },
        id="two-art-22-grounds",
    ),
]

INVALID = [
    pytest.param(
        {
            "recipients.x": {
                "name": {"sv": "X"},
                "kind": "processor",
                "purpose": {"sv": "Drift"},
                "country": "SE",
                "location": "within_eea",
            }
        },
        "either country or location",
        id="country-and-location",
    ),
    pytest.param(
        {
            "recipients.x": {
                "name": {"sv": "X"},
                "kind": "processor",
                "purpose": {"sv": "Drift"},
                "location": "unknown",
                "safeguard_promised": {"sv": "Skydd."},
            }
        },
        "may_transfer",
        id="promise-without-a-possible-transfer",
    ),
    pytest.param({f"{A}.retention_in_words": WORDS}, "not both", id="rule-and-words"),
    pytest.param({"controller.name": ...}, "Field required", id="name-left-out-not-null"),
    pytest.param(
        {"commitments": [{"kind": "conditional", "topic": "sharing", "text": {"sv": "delar vi"}}]},
        "has a condition",
        id="conditional-without-condition",
    ),
    pytest.param(
        {f"{A}.legal_bases": [{"basis": "contract", "subjects": ["supplier"]}]},
        "subjects not in the activity",
        id="basis-for-a-stranger",
    ),
    pytest.param(
        {
            f"{A}.category_retention": [
                {"categories": ["special.health"], "retention_in_words": WORDS}
            ]
        },
        "categories not in the activity",
        id="retention-for-a-stranger",
    ),
    pytest.param(
        {f"{A}.category_retention": [{"categories": ["contact.email"]}]},
        "exactly one",
        id="category-retention-empty",
    ),
    pytest.param(
        {
            "controller.request_channels": [
                {"rights": ["access"], "formality": "fax", "via": {"sv": "per fax"}}
            ]
        },
        "formality",
        id="unknown-formality",
    ),
]


@pytest.mark.parametrize("overrides", VALID)
def test_loads(overrides):
    Register.model_validate(patched(overrides))


@pytest.mark.parametrize(("overrides", "message"), INVALID)
def test_is_refused(overrides, message):
    with pytest.raises(ValidationError, match=message):
        Register.model_validate(patched(overrides))
