"""Placeholder rule: values standing in for facts nobody gave block publishing; real values that
merely look odd do not."""

from __future__ import annotations

import pytest

from varna.register.checks import Severity, load_rules
from varna.register.checks.placeholders import is_placeholder

E = Severity.error
P = "placeholder"

POSITIVE = [
    pytest.param(
        {"controller.name": "OKÄND – policyn anger inget företagsnamn"},
        (P, E, "GDPR Art. 5(1)(a)", "controller.name"),
        id="placeholder:unknown-company",
    ),
    pytest.param(
        {"controller.address": {"street": "Ej angiven i policyn", "postal_code": "1", "city": "A"}},
        (P, E, "Art. 12(1)", "controller.address.street"),
        id="placeholder:street-not-given",
    ),
    pytest.param(
        {"controller.address": {"street": "Box 1", "postal_code": "000 00", "city": "Henån"}},
        (P, E, "Art. 5(1)(a)", "controller.address.postal_code"),
        id="placeholder:postal-code-zeros",
    ),
    pytest.param(
        {"controller.contact": {"website": "https://policyn-anger-ingen-webbadress.invalid/"}},
        (P, E, "Art. 5(1)(a)", "controller.contact.website"),
        id="placeholder:invalid-domain",
    ),
    pytest.param(
        {"activities.customer_contract.purpose": {"sv": "TODO: skriv ändamålet"}},
        (P, E, "Art. 5(1)(a)", "activities.customer_contract.purpose.sv"),
        id="placeholder:todo-in-a-text",
    ),
    pytest.param(
        {
            "taxonomy.identity_kinds": {
                "loyalty_id": {
                    "label": {"sv": "Lojalitets-id"},
                    "strength": "weak",
                    "todo": "decide the strength",
                }
            }
        },
        ("todo", Severity.warning, None, "taxonomy.identity_kinds.loyalty_id.todo"),
        id="todo:identity-kind-drafted",
    ),
    pytest.param(
        {
            "taxonomy.categories": {
                "fides.sensor": {
                    "label": {"sv": "Sensor Data"},
                    "fideslang": "user.sensor",
                    "todo": "give it a Swedish label",
                }
            }
        },
        ("todo", Severity.warning, None, "taxonomy.categories.fides.sensor.todo"),
        id="todo:category-drafted",
    ),
]

NEGATIVE = [
    pytest.param({}, P, id="placeholder:minimal-register"),
    pytest.param(
        {"controller.address": {"street": "Box 1", "postal_code": "473 21", "city": "Henån"}},
        P,
        id="placeholder:real-box-address",
    ),
    pytest.param({"controller.name": "Okänsla AB"}, P, id="placeholder:name-like-okand"),
    pytest.param(
        {"activities.customer_contract.purpose": {"sv": "Att ange lagringstid för fakturor."}},
        P,
        id="placeholder:angiven-as-a-word",
    ),
    pytest.param({"controller.name": None}, P, id="placeholder:null-is-honest"),
    pytest.param(
        {
            "systems.crm.tables.customers.fields.email": {
                "category": "contact.email",
                "erasure": "fixed",
                "value": "raderad@example.invalid",
            }
        },
        P,
        id="placeholder:erasure-value-is-not-published",
    ),
    pytest.param(
        {
            "taxonomy.identity_kinds": {
                "loyalty_id": {"label": {"sv": "Lojalitets-id"}, "strength": "unique"}
            }
        },
        "todo",
        id="todo:decided",
    ),
]


@pytest.mark.parametrize(("overrides", "expected"), POSITIVE)
def test_rule_fires(assert_fires, overrides, expected):
    assert_fires(overrides, *expected)


@pytest.mark.parametrize(("overrides", "rule"), NEGATIVE)
def test_rule_stays_quiet(assert_quiet, overrides, rule):
    assert_quiet(overrides, rule)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("XXX", True, id="xxx"),
        pytest.param("Not stated", True, id="not-stated"),
        pytest.param("n/a", True, id="n-a"),
        pytest.param("https://www.camanio.se", False, id="real-url"),
        pytest.param("131 30", False, id="real-postal-code"),
        pytest.param("Inte angivna", True, id="inte-angivna"),
    ],
)
def test_is_placeholder(value, expected):
    assert is_placeholder(value) is expected


def test_every_rule_of_the_module_has_both_kinds_of_row():
    here = {n for n, fn in load_rules().items() if fn.__module__.endswith(".placeholders")}
    assert {p.values[1][0] for p in POSITIVE} == here
    assert {p.values[1] for p in NEGATIVE} == here
