"""References between parts of the register: every key used is defined, with a suggestion when
it is not; column references in ``table.column`` and ``system:table.column`` form."""

from __future__ import annotations

import pytest

from varna.register.model import Register
from varna.register.references import find_unresolved
from varna.register.systems import Reference

from .registers import patched

A = "activities.customer_contract"
T = "systems.crm.tables.customers"
HOLD = {
    "bokforing": {
        "name": {"sv": "Bokföring"},
        "statute": "bokforingslagen",
        "retention": {"rule": "bookkeeping"},
        "categories": ["finance.invoice"],
    }
}
MAILER = {"mailer": {"name": {"sv": "Utskick"}, "kind": "processor", "purpose": {"sv": "Utskick"}}}
BILLING = {
    "name": {"sv": "Ekonomi"},
    "kind": "sqlite",
    "country": "SE",
    "tables": {"invoices": {"primary_key": ["id"]}},
}


def _unresolved(overrides):
    return find_unresolved(Register.model_validate(patched(overrides)))


UNRESOLVED = [
    pytest.param(
        {f"{A}.categories": ["identity.name", "contact.mail"]},
        f"{A}.categories.1",
        "unknown category 'contact.mail'",
        "did you mean 'contact.email'?",
        id="activity-category",
    ),
    pytest.param(
        {f"{A}.subjects": ["customers"]},
        f"{A}.subjects.0",
        "unknown subject category 'customers'",
        "did you mean 'customer'?",
        id="activity-subject",
    ),
    pytest.param(
        {"recipients": MAILER, f"{A}.recipients": ["mailr"]},
        f"{A}.recipients.0",
        "unknown recipient 'mailr'",
        "did you mean 'mailer'?",
        id="activity-recipient",
    ),
    pytest.param(
        {f"{A}.recipients": ["skatteverket"]},
        f"{A}.recipients.0",
        "unknown recipient 'skatteverket'",
        "define it under 'recipients'",
        id="activity-recipient-nothing-close",
    ),
    pytest.param(
        {"legal_holds": HOLD, f"{A}.legal_holds": ["bokforng"]},
        f"{A}.legal_holds.0",
        "unknown legal hold 'bokforng'",
        "did you mean 'bokforing'?",
        id="activity-legal-hold",
    ),
    pytest.param(
        {f"{A}.retention.anchor": "relation_end"},
        f"{A}.retention.anchor",
        "unknown retention anchor 'relation_end'",
        "did you mean 'relation_ended'?",
        id="activity-retention-anchor",
    ),
    pytest.param(
        {"legal_holds": HOLD, "legal_holds.bokforing.categories": ["finance.invoices"]},
        "legal_holds.bokforing.categories.0",
        "unknown category 'finance.invoices'",
        "did you mean 'finance.invoice'?",
        id="hold-category",
    ),
    pytest.param(
        {
            "legal_holds": HOLD,
            "legal_holds.bokforing.retention": {
                "rule": "period_after",
                "period": "7 years",
                "anchor": "transaction",
            },
        },
        "legal_holds.bokforing.retention.anchor",
        "unknown retention anchor 'transaction'",
        "did you mean 'transaction_date'?",
        id="hold-anchor",
    ),
    pytest.param(
        {"recipients": MAILER, "recipients.mailer.sub_processors": ["hosting"]},
        "recipients.mailer.sub_processors.0",
        "unknown recipient 'hosting'",
        "define it under 'recipients'",
        id="sub-processor",
    ),
    pytest.param(
        {"security.restricted_categories": ["special.helth"]},
        "security.restricted_categories.0",
        "unknown category 'special.helth'",
        "did you mean 'special.health'?",
        id="restricted-category",
    ),
    pytest.param(
        {
            "recipients": MAILER,
            "cookies.stats": {
                "provider": "Statistik AB",
                "category": "statistics",
                "purpose": {"sv": "Statistik"},
                "recipient": "mailr",
            },
        },
        "cookies.stats.recipient",
        "unknown recipient 'mailr'",
        "did you mean 'mailer'?",
        id="cookie-recipient",
    ),
    pytest.param(
        {"recipients": MAILER, "systems.crm.hosted_by": "mailr"},
        "systems.crm.hosted_by",
        "unknown recipient 'mailr'",
        "did you mean 'mailer'?",
        id="system-host",
    ),
    pytest.param(
        {f"{T}.activities": ["customer_contrakt"]},
        f"{T}.activities.0",
        "unknown activity 'customer_contrakt'",
        "did you mean 'customer_contract'?",
        id="table-activity",
    ),
    pytest.param(
        {f"{T}.subjects": ["kunder"]},
        f"{T}.subjects.0",
        "unknown subject category 'kunder'",
        "define it under 'subjects'",
        id="table-subject",
    ),
    pytest.param(
        {"legal_holds": HOLD, f"{T}.legal_holds": ["bokforingen"]},
        f"{T}.legal_holds.0",
        "unknown legal hold 'bokforingen'",
        "did you mean 'bokforing'?",
        id="table-legal-hold",
    ),
    pytest.param(
        {f"{T}.identities": {"e_mail": "email"}},
        f"{T}.identities.e_mail",
        "unknown identity kind 'e_mail'",
        "did you mean 'email'?",
        id="table-identity-kind",
    ),
    pytest.param(
        {f"{T}.anchors": {"relation_ended": "ended_at", "x_signed": "signed_at"}},
        f"{T}.anchors.x_signed",
        "unknown retention anchor 'x_signed'",
        "define it under 'taxonomy.anchors'",
        id="table-anchor",
    ),
    pytest.param(
        {f"{T}.fields.email": "contact.mail"},
        f"{T}.fields.email.category",
        "unknown category 'contact.mail'",
        "did you mean 'contact.email'?",
        id="field-category",
    ),
    pytest.param(
        {f"{T}.references": {"invoice_id": "billing:invoices.id"}},
        f"{T}.references.invoice_id",
        "unknown system 'billing'",
        "define it under 'systems'",
        id="reference-system",
    ),
    pytest.param(
        {"systems.billing": BILLING, f"{T}.references": {"invoice_id": "biling:invoices.id"}},
        f"{T}.references.invoice_id",
        "unknown system 'biling'",
        "did you mean 'billing'?",
        id="reference-system-misspelt",
    ),
    pytest.param(
        {"systems.billing": BILLING, f"{T}.references": {"invoice_id": "billing:invoice.id"}},
        f"{T}.references.invoice_id",
        "unknown table 'invoice' in system 'billing'",
        "did you mean 'invoices'?",
        id="reference-table-in-other-system",
    ),
    pytest.param(
        {f"{T}.references": {"parent_id": "customer.id"}},
        f"{T}.references.parent_id",
        "unknown table 'customer' in system 'crm'",
        "did you mean 'customers'?",
        id="reference-table-same-system",
    ),
]


@pytest.mark.parametrize(("overrides", "path", "message", "hint"), UNRESOLVED)
def test_unresolved_reference_is_named_with_a_suggestion(overrides, path, message, hint):
    found = _unresolved(overrides)
    assert [(".".join(map(str, u.path)), u.message, u.hint) for u in found] == [
        (path, message, hint)
    ]


RESOLVED = [
    pytest.param({}, id="minimal"),
    pytest.param(
        {"systems.billing": BILLING, f"{T}.references": {"invoice_id": "billing:invoices.id"}},
        id="cross-system-reference",
    ),
    pytest.param({f"{T}.references": {"self_id": "customers.id"}}, id="same-system-reference"),
    pytest.param(
        {f"{T}.references": {"self_id": "crm:customers.id"}}, id="own-system-named-explicitly"
    ),
    pytest.param(
        {
            "taxonomy": {
                "categories": {
                    "loyalty.points": {"label": {"sv": "Poäng"}, "fideslang": "user.behavior"}
                },
                "identity_kinds": {
                    "member_number": {"label": {"sv": "Medlemsnummer"}, "strength": "unique"}
                },
                "anchors": {"membership_ended": {"label": {"sv": "medlemskapet upphörde"}}},
            },
            f"{A}.categories": ["identity.name", "contact.email", "loyalty.points"],
            f"{A}.retention.anchor": "membership_ended",
            f"{T}.identities": {"member_number": "member_no"},
            f"{T}.anchors": {"membership_ended": "left_at"},
            f"{T}.fields.points": "loyalty.points",
        },
        id="organisation-vocabulary",
    ),
    pytest.param(
        {"legal_holds": HOLD, f"{A}.legal_holds": ["bokforing"], f"{T}.legal_holds": ["bokforing"]},
        id="legal-hold",
    ),
]


@pytest.mark.parametrize("overrides", RESOLVED)
def test_defined_references_resolve(overrides):
    assert _unresolved(overrides) == []


@pytest.mark.parametrize(
    ("text", "system", "table", "column"),
    [
        pytest.param("customers.id", None, "customers", "id", id="table-column"),
        pytest.param("crm:customers.id", "crm", "customers", "id", id="system-table-column"),
        pytest.param("public.customers.id", None, "public.customers", "id", id="schema-table"),
        pytest.param(
            "billing:dbo.Invoice.CustomerId", "billing", "dbo.Invoice", "CustomerId", id="case"
        ),
    ],
)
def test_reference_shorthand(text, system, table, column):
    ref = Reference.model_validate(text)
    assert (ref.system, ref.table, ref.column) == (system, table, column)
    assert ref.label() == text
    assert ref.follow is True


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("customers", id="no-column"),
        pytest.param("crm:customers", id="system-no-column"),
        pytest.param("a:b:c.d", id="two-colons"),
        pytest.param("Crm:customers.id", id="system-not-a-key"),
        pytest.param("customers.", id="empty-column"),
        pytest.param(".id", id="empty-table"),
    ],
)
def test_malformed_reference_is_rejected(text):
    with pytest.raises(ValueError, match="write a reference as"):
        Reference.model_validate(text)


def test_reference_as_a_mapping_can_stop_following():
    ref = Reference.model_validate({"table": "staff", "column": "id", "follow": False})
    assert (ref.system, ref.follow, ref.label()) == (None, False, "staff.id")
