"""Storage-limitation rules: a typed retention rule, statutory minimums, bookkeeping holds, review.

Positive rows fire with severity, citation and key path; negative rows are near misses.
"""

from __future__ import annotations

import pytest

from varna.register.checks import Severity, load_rules

E, W = Severity.error, Severity.warning
A = "activities.customer_contract"
BFL = "Bokföringslagen (1999:1078) 7 kap. 2 §"
BOOKKEEPING_STATUTE = [{"basis": "legal_obligation", "statute": "bokforingslagen"}]
INVOICES = ["identity.name", "contact.email", "finance.invoice"]


def hold(statute: str = "bokforingslagen", retention: dict | None = None) -> dict:
    """A legal hold named ``bokforing`` on invoices."""
    return {
        "bokforing": {
            "name": {"sv": "Bokföring"},
            "statute": statute,
            "retention": retention or {"rule": "bookkeeping"},
            "categories": ["finance.invoice"],
        }
    }


IN_WORDS = {
    "text": {"sv": "så länge du är kund hos oss och under en viss period efter det"},
    "justification": {"sv": "för att kunna ge dig service om du kommer tillbaka"},
}


def kept(rule: dict, categories: list[str] | None = None) -> dict:
    """Invoices (or ``categories``) in the activity, kept by ``rule``, with no hold."""
    return {f"{A}.categories": categories or INVOICES, f"{A}.retention": rule}


SEVEN_YEARS = {"rule": "period_after", "period": "7 years", "anchor": "transaction_date"}
BP = ("bookkeeping-period", E, BFL)

POSITIVE = [
    pytest.param(
        kept(SEVEN_YEARS),
        (*BP, f"{A}.retention"),
        id="bookkeeping-period:7-years-from-the-transaction-statute-not-named",
    ),
    pytest.param(
        {**kept(SEVEN_YEARS), f"{A}.legal_bases": BOOKKEEPING_STATUTE},
        (*BP, f"{A}.retention"),
        id="bookkeeping-period:7-years-from-the-transaction-statute-named",
    ),
    pytest.param(
        kept({"rule": "period_after", "period": "2555 days", "anchor": "transaction_date"}),
        (*BP, f"{A}.retention"),
        id="bookkeeping-period:7-times-365-days",
    ),
    pytest.param(
        kept({"rule": "period_after", "period": "5 years", "anchor": "collected"}),
        (*BP, f"{A}.retention"),
        id="bookkeeping-period:5-years-from-collection",
    ),
    pytest.param(
        {
            **kept(
                {"rule": "period_after", "period": "95 months", "anchor": "transaction_date"},
                ["identity.name", "payment.transaction"],
            ),
            "controller.fiscal_year_start": {"month": 5},
        },
        (*BP, f"{A}.retention"),
        id="bookkeeping-period:broken-fiscal-year-may-april",
    ),
    pytest.param(
        {
            "legal_holds": hold(
                "arkivlagen",
                {"rule": "period_after", "period": "7 years", "anchor": "transaction_date"},
            )
        },
        (*BP, "legal_holds.bokforing.retention"),
        id="bookkeeping-period:hold-on-invoices-under-another-statute",
    ),
    pytest.param(
        {f"{A}.retention": ..., f"{A}.retention_in_words": IN_WORDS},
        ("retention-in-words", W, "GDPR Art. 13(2)(a)", f"{A}.retention_in_words"),
        id="retention-in-words:en-viss-period",
    ),
    pytest.param(
        {f"{A}.retention": ...},
        ("missing-retention", E, "GDPR Art. 5(1)(e)", A),
        id="missing-retention:no-rule",
    ),
    pytest.param(
        {f"{A}.legal_bases": BOOKKEEPING_STATUTE},
        (*BP, f"{A}.retention"),
        id="bookkeeping-period:24-months-under-bokforingslagen",
    ),
    pytest.param(
        {
            f"{A}.legal_bases": BOOKKEEPING_STATUTE,
            f"{A}.retention": {"rule": "period_after", "period": "6 years", "anchor": "collected"},
        },
        (*BP, f"{A}.retention"),
        id="bookkeeping-period:6-years",
    ),
    pytest.param(
        {
            f"{A}.legal_bases": [{"basis": "legal_obligation", "statute": "patientdatalagen"}],
            f"{A}.retention": {"rule": "period_after", "period": "5 years", "anchor": "last_entry"},
        },
        ("retention-below-statutory-minimum", E, "Patientdatalagen (2008:355)", f"{A}.retention"),
        id="retention-below-statutory-minimum:patientdatalagen",
    ),
    pytest.param(
        {
            "legal_holds": hold(
                retention={"rule": "period_after", "period": "5 years", "anchor": "collected"}
            )
        },
        (*BP, "legal_holds.bokforing.retention"),
        id="bookkeeping-period:hold-too-short",
    ),
    pytest.param(
        {f"{A}.categories": INVOICES},
        ("bookkeeping-without-hold", W, "GDPR Art. 17(3)(b)", f"{A}.categories"),
        id="bookkeeping-without-hold:invoices",
    ),
    pytest.param(
        {f"{A}.categories": ["identity.name", "contact.email", "payment.transaction"]},
        ("bookkeeping-without-hold", W, BFL, f"{A}.categories"),
        id="bookkeeping-without-hold:payments",
    ),
    pytest.param(
        {
            f"{A}.categories": INVOICES,
            "legal_holds": hold("arkivlagen", {"rule": "bookkeeping"}),
            f"{A}.legal_holds": ["bokforing"],
        },
        ("bookkeeping-without-hold", W, BFL, f"{A}.categories"),
        id="bookkeeping-without-hold:hold-of-another-statute",
    ),
    pytest.param(
        {f"{A}.review_every": "2 years"},
        ("review-cycle", W, "GDPR Art. 5(1)(e)", f"{A}.review_every"),
        id="review-cycle:two-years",
    ),
    pytest.param(
        {f"{A}.review_every": "53 weeks"},
        ("review-cycle", W, "Art. 5(1)(e)", f"{A}.review_every"),
        id="review-cycle:53-weeks",
    ),
]

NEGATIVE = [
    pytest.param(kept({"rule": "bookkeeping"}), "bookkeeping-period", id="bookkeeping-period:rule"),
    pytest.param(
        kept({"rule": "period_after", "period": "8 years", "anchor": "transaction_date"}),
        "bookkeeping-period",
        id="bookkeeping-period:8-years-from-the-transaction",
    ),
    pytest.param(
        {**kept(SEVEN_YEARS), "legal_holds": hold(), f"{A}.legal_holds": ["bokforing"]},
        "bookkeeping-period",
        id="bookkeeping-period:a-hold-keeps-the-invoices",
    ),
    pytest.param(
        {f"{A}.retention": {"rule": "period_after", "period": "1 month", "anchor": "collected"}},
        "bookkeeping-period",
        id="bookkeeping-period:no-accounting-records",
    ),
    pytest.param({"legal_holds": hold()}, "bookkeeping-period", id="bookkeeping-period:hold"),
    pytest.param(
        kept({"rule": "while_active", "anchor": "contract_ended", "then": "24 months"}),
        "bookkeeping-period",
        id="bookkeeping-period:kept-for-the-relation-is-no-bookkeeping-period",
    ),
    pytest.param({}, "retention-in-words", id="retention-in-words:typed-rule"),
    pytest.param(
        {f"{A}.retention": ..., f"{A}.retention_in_words": IN_WORDS},
        "missing-retention",
        id="missing-retention:stated-in-words-is-not-missing",
    ),
    pytest.param({}, "missing-retention", id="missing-retention:period-after"),
    pytest.param(
        {f"{A}.retention": {"rule": "while_active", "then": "3 months"}},
        "missing-retention",
        id="missing-retention:while-active",
    ),
    pytest.param(
        {f"{A}.legal_bases": ["consent"], f"{A}.retention": {"rule": "until_withdrawn"}},
        "missing-retention",
        id="missing-retention:until-withdrawn",
    ),
    pytest.param(
        {
            f"{A}.role": "processor",
            f"{A}.on_behalf_of": [{"name": {"sv": "Kunder"}, "categorical": True}],
            f"{A}.retention": ...,
        },
        "missing-retention",
        id="missing-retention:processor-follows-the-controllers-rule",
    ),
    pytest.param(
        {f"{A}.legal_bases": BOOKKEEPING_STATUTE, f"{A}.retention": {"rule": "bookkeeping"}},
        "retention-below-statutory-minimum",
        id="retention-below-statutory-minimum:bookkeeping-rule",
    ),
    pytest.param(
        {
            f"{A}.legal_bases": BOOKKEEPING_STATUTE,
            f"{A}.retention": {"rule": "period_after", "period": "8 years", "anchor": "collected"},
        },
        "retention-below-statutory-minimum",
        id="retention-below-statutory-minimum:8-years",
    ),
    pytest.param(
        {
            f"{A}.legal_bases": BOOKKEEPING_STATUTE,
            "legal_holds": hold(),
            f"{A}.legal_holds": ["bokforing"],
        },
        "retention-below-statutory-minimum",
        id="retention-below-statutory-minimum:hold-keeps-the-records",
    ),
    pytest.param(
        {f"{A}.legal_bases": BOOKKEEPING_STATUTE, f"{A}.retention": {"rule": "while_active"}},
        "retention-below-statutory-minimum",
        id="retention-below-statutory-minimum:open-ended",
    ),
    pytest.param(
        {f"{A}.legal_bases": [{"basis": "legal_obligation", "statute": "arkivlagen"}]},
        "retention-below-statutory-minimum",
        id="retention-below-statutory-minimum:statute-without-known-minimum",
    ),
    pytest.param(
        {"legal_holds": hold()},
        "retention-below-statutory-minimum",
        id="retention-below-statutory-minimum:hold-bookkeeping-rule",
    ),
    pytest.param(
        {f"{A}.categories": INVOICES, "legal_holds": hold(), f"{A}.legal_holds": ["bokforing"]},
        "bookkeeping-without-hold",
        id="bookkeeping-without-hold:hold",
    ),
    pytest.param(
        {f"{A}.categories": INVOICES, f"{A}.retention": {"rule": "bookkeeping"}},
        "bookkeeping-without-hold",
        id="bookkeeping-without-hold:bookkeeping-retention",
    ),
    pytest.param(
        {f"{A}.categories": ["identity.name", "contact.email", "finance.order"]},
        "bookkeeping-without-hold",
        id="bookkeeping-without-hold:orders-are-not-vouchers",
    ),
    pytest.param({f"{A}.review_every": "1 month"}, "review-cycle", id="review-cycle:monthly"),
    pytest.param({f"{A}.review_every": "1 year"}, "review-cycle", id="review-cycle:yearly"),
    pytest.param({f"{A}.review_every": "12 months"}, "review-cycle", id="review-cycle:12-months"),
]


@pytest.mark.parametrize(("overrides", "expected"), POSITIVE)
def test_rule_fires(assert_fires, overrides, expected):
    assert_fires(overrides, *expected)


@pytest.mark.parametrize(("overrides", "rule"), NEGATIVE)
def test_rule_stays_quiet(assert_quiet, overrides, rule):
    assert_quiet(overrides, rule)


def test_every_rule_of_the_module_has_both_kinds_of_row():
    here = {n for n, fn in load_rules().items() if fn.__module__.endswith(".retention")}
    assert {p.values[1][0] for p in POSITIVE} == here
    assert {p.values[1] for p in NEGATIVE} == here
