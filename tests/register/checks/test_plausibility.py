"""Plausibility rules: an Art. 9(2) letter that cannot fit, no DPO for special categories at scale,
applicants kept for years. Positive rows fire; negative rows are near misses."""

from __future__ import annotations

import pytest

from varna.register.checks import Severity, load_rules

E, W = Severity.error, Severity.warning
A = "activities.customer_contract"
HEALTH = ["identity.name", "contact.email", "special.health"]
DPO = {"email": "dpo@exempel.se"}


def exception(letter: str) -> dict:
    return {f"{A}.categories": HEALTH, f"{A}.special_category_condition": {"exception": letter}}


def applicants(period: str) -> dict:
    return {
        "subjects.applicant": {"label": {"sv": "Arbetssökande", "en": "Job applicants"}},
        f"{A}.subjects": ["applicant"],
        f"{A}.name": {"sv": "Rekrytering"},
        f"{A}.retention": {"rule": "period_after", "period": period, "anchor": "relation_ended"},
    }


PUBLIC_SOURCE = [{"kind": "public_register", "publicly_accessible": True}]

POSITIVE = [
    pytest.param(
        {**exception("e"), f"{A}.sources": ["data_subject"]},
        (
            "special-category-exception",
            E,
            "Art. 9(2)(e)",
            f"{A}.special_category_condition.exception",
        ),
        id="9-2-e:health-in-support-tickets",
    ),
    pytest.param(
        exception("e"),
        (
            "special-category-exception",
            E,
            "Art. 9(2)(e)",
            f"{A}.special_category_condition.exception",
        ),
        id="9-2-e:no-source-stated",
    ),
    pytest.param(
        exception("b"),
        (
            "special-category-exception",
            W,
            "Art. 9(2)(b)",
            f"{A}.special_category_condition.exception",
        ),
        id="9-2-b:customers-are-not-staff",
    ),
    pytest.param(
        exception("c"),
        (
            "special-category-exception",
            W,
            "Art. 9(2)(c)",
            f"{A}.special_category_condition.exception",
        ),
        id="9-2-c:vital-interests",
    ),
    pytest.param(
        {**exception("h"), f"{A}.large_scale": True},
        ("dpo-required", E, "Art. 37(1)(c)", f"{A}.large_scale"),
        id="dpo-required:large-scale-health",
    ),
    pytest.param(
        exception("h"),
        ("dpo-required", W, "Art. 37(1)(c)", f"{A}.categories"),
        id="dpo-required:scale-not-assessed",
    ),
    pytest.param(
        applicants("10 years"),
        ("retention-excessive", W, "Art. 5(1)(e)", f"{A}.retention"),
        id="retention-excessive:applicants-10-years",
    ),
    pytest.param(
        applicants("36 months"),
        ("retention-excessive", W, "Diskrimineringslagen", f"{A}.retention"),
        id="retention-excessive:applicants-3-years",
    ),
]

NEGATIVE = [
    pytest.param(
        {**exception("e"), f"{A}.sources": PUBLIC_SOURCE},
        "special-category-exception",
        id="9-2-e:from-a-public-source",
    ),
    pytest.param(exception("h"), "special-category-exception", id="9-2-h:care"),
    pytest.param(exception("a"), "special-category-exception", id="9-2-a:explicit-consent"),
    pytest.param(
        {**exception("b"), **applicants("6 months")},
        "special-category-exception",
        id="9-2-b:applicants",
    ),
    pytest.param(
        {**exception("h"), f"{A}.large_scale": True, "controller.dpo": DPO},
        "dpo-required",
        id="dpo-required:dpo-appointed",
    ),
    pytest.param(
        {**exception("h"), f"{A}.large_scale": False},
        "dpo-required",
        id="dpo-required:assessed-small-scale",
    ),
    pytest.param({}, "dpo-required", id="dpo-required:no-special-categories"),
    pytest.param(applicants("24 months"), "retention-excessive", id="retention-excessive:2-years"),
    pytest.param(
        {
            f"{A}.retention": {
                "rule": "period_after",
                "period": "10 years",
                "anchor": "relation_ended",
            }
        },
        "retention-excessive",
        id="retention-excessive:customers-are-not-applicants",
    ),
]


@pytest.mark.parametrize(("overrides", "expected"), POSITIVE)
def test_rule_fires(assert_fires, overrides, expected):
    assert_fires(overrides, *expected)


@pytest.mark.parametrize(("overrides", "rule"), NEGATIVE)
def test_rule_stays_quiet(assert_quiet, overrides, rule):
    assert_quiet(overrides, rule)


def test_every_rule_of_the_module_has_both_kinds_of_row():
    here = {n for n, fn in load_rules().items() if fn.__module__.endswith(".plausibility")}
    assert {p.values[1][0] for p in POSITIVE} == here
    assert {p.values[1] for p in NEGATIVE} == here
