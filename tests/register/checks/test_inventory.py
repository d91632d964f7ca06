"""Inventory rules: tables hold only what an activity needs, and requests and retention can run.

Positive rows fire with severity, citation (None where the rule cites no law) and key path;
negative rows are near misses.
"""

from __future__ import annotations

import pytest

from varna.register.checks import Severity, load_rules

E, W, NOTE = Severity.error, Severity.warning, Severity.info
A = "activities.customer_contract"
T = "systems.crm.tables.customers"
ORDERS = {
    "primary_key": ["id"],
    "activities": ["customer_contract"],
    "references": {"customer_id": "customers.id"},
    "fields": {"delivery_email": "contact.email"},
}

POSITIVE = [
    pytest.param(
        {f"{T}.fields.phone": "contact.phone"},
        ("kept-without-purpose", E, "Art. 5(1)(b), Art. 5(1)(c)", f"{T}.fields.phone.category"),
        id="kept-without-purpose:field-no-activity-covers",
    ),
    pytest.param(
        {f"{T}.activities": ...},
        ("kept-without-purpose", W, "Art. 30(1)(b)", T),
        id="kept-without-purpose:table-names-no-activity",
    ),
    pytest.param(
        {f"{A}.categories": ["identity.name", "contact.email", "contact.phone"]},
        ("activity-without-system", W, "GDPR Art. 30(1)", f"{A}.categories"),
        id="activity-without-system:category-in-no-table",
    ),
    pytest.param(
        {"systems": {}},
        ("activity-without-system", NOTE, "GDPR Art. 5(2)", "systems"),
        id="activity-without-system:no-systems",
    ),
    pytest.param(
        {f"{T}.anchors": ...},
        ("retention-anchor", E, "GDPR Art. 5(1)(e)", f"{T}.anchors"),
        id="retention-anchor:no-column-for-anchor",
    ),
    pytest.param(
        {f"{A}.retention": {"rule": "bookkeeping"}},
        ("retention-anchor", E, "GDPR Art. 5(1)(e)", f"{T}.anchors"),
        id="retention-anchor:bookkeeping-counts-from-transaction-date",
    ),
    pytest.param(
        {f"{A}.retention": {"rule": "while_active", "then": "3 months"}, f"{T}.anchors": ...},
        ("retention-anchor", W, "GDPR Art. 5(1)(e)", f"{T}.anchors"),
        id="retention-anchor:while-active-is-a-warning",
    ),
    pytest.param(
        {"systems.crm.tables.orders": ORDERS, f"{T}.anchors": ...},
        ("retention-anchor", E, "GDPR Art. 5(1)(e)", "systems.crm.tables.orders.anchors"),
        id="retention-anchor:parent-maps-no-anchor-either",
    ),
    pytest.param(
        {f"{T}.identities": ...},
        ("unfindable-table", W, "GDPR Art. 15", T),
        id="unfindable-table:no-identity-no-reference",
    ),
    pytest.param(
        {"systems.crm.kind": "oracle"},
        ("system-kind", W, None, "systems.crm.kind"),
        id="system-kind:unknown-kind",
    ),
    pytest.param(
        {"systems.crm.connection": ...},
        ("system-kind", W, None, "systems.crm"),
        id="system-kind:tables-without-connection",
    ),
]

NEGATIVE = [
    pytest.param(
        {
            f"{T}.fields.phone": "contact.phone",
            f"{A}.categories": ["identity.name", "contact.email", "contact.phone"],
        },
        "kept-without-purpose",
        id="kept-without-purpose:field-covered",
    ),
    pytest.param(
        {f"{T}.activities": ..., f"{T}.fields": {}},
        "kept-without-purpose",
        id="kept-without-purpose:no-fields-no-activities",
    ),
    pytest.param({}, "activity-without-system", id="activity-without-system:all-stored"),
    pytest.param(
        {
            f"{A}.categories": ["identity.name", "contact.email", "contact.phone"],
            f"{T}.fields.phone": "contact.phone",
        },
        "activity-without-system",
        id="activity-without-system:category-added-to-table",
    ),
    pytest.param({}, "retention-anchor", id="retention-anchor:mapped"),
    pytest.param(
        {f"{A}.retention": {"rule": "while_active"}},
        "retention-anchor",
        id="retention-anchor:while-active-default-anchor",
    ),
    pytest.param(
        {
            f"{A}.legal_bases": ["consent"],
            f"{A}.retention": {"rule": "until_withdrawn"},
            f"{T}.anchors": ...,
        },
        "retention-anchor",
        id="retention-anchor:until-withdrawn-has-no-anchor",
    ),
    pytest.param(
        {f"{T}.activities": ..., f"{T}.anchors": ...},
        "retention-anchor",
        id="retention-anchor:table-names-no-activity",
    ),
    pytest.param(
        {"systems.crm.tables.orders": ORDERS},
        "retention-anchor",
        id="retention-anchor:child-table-inherits-from-parent",
    ),
    pytest.param({}, "unfindable-table", id="unfindable-table:identity"),
    pytest.param(
        {"systems.crm.tables.orders": ORDERS},
        "unfindable-table",
        id="unfindable-table:reference-instead-of-identity",
    ),
    pytest.param(
        {f"{T}.identities": ..., f"{T}.fields": {}},
        "unfindable-table",
        id="unfindable-table:no-personal-data",
    ),
    pytest.param({"systems.crm.kind": "postgresql"}, "system-kind", id="system-kind:builtin"),
    pytest.param(
        {"systems.crm.kind": "mailbox", "systems.crm.connection": ...},
        "system-kind",
        id="system-kind:mailbox-needs-no-connection",
    ),
    pytest.param(
        {"systems.crm.connection": ..., "systems.crm.tables": {}},
        "system-kind",
        id="system-kind:no-tables-no-connection",
    ),
]


@pytest.mark.parametrize(("overrides", "expected"), POSITIVE)
def test_rule_fires(assert_fires, overrides, expected):
    assert_fires(overrides, *expected)


@pytest.mark.parametrize(("overrides", "rule"), NEGATIVE)
def test_rule_stays_quiet(assert_quiet, overrides, rule):
    assert_quiet(overrides, rule)


def test_every_rule_of_the_module_has_both_kinds_of_row():
    here = {n for n, fn in load_rules().items() if fn.__module__.endswith(".inventory")}
    assert {p.values[1][0] for p in POSITIVE} == here
    assert {p.values[1] for p in NEGATIVE} == here
