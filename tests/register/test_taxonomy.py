"""The built-in vocabulary: every category maps to a real fideslang category, carries Swedish and
English labels, and every Art. 9(1)/Art. 10 category says which kind it is."""

from __future__ import annotations

import re

import pytest
from fideslang.default_taxonomy import DEFAULT_TAXONOMY
from pydantic import ValidationError

from varna.register.model import Register
from varna.register.taxonomy import (
    BOOKKEEPING_CATEGORIES,
    BUILTIN_ANCHORS,
    BUILTIN_CATEGORIES,
    BUILTIN_IDENTITY_KINDS,
    BUILTIN_IDENTITY_STRENGTH,
    NATIONAL_ID_CATEGORIES,
    SpecialKind,
)
from varna.register.types import CATEGORY_PATTERN, KEY_PATTERN

from .registers import patched

FIDESLANG = {c.fides_key for c in DEFAULT_TAXONOMY.data_category}
CATEGORIES = [pytest.param(c, id=c.key) for c in BUILTIN_CATEGORIES.values()]
LABELS = [
    pytest.param(label, id=f"{kind}:{label.key}")
    for kind, table in (("identity", BUILTIN_IDENTITY_KINDS), ("anchor", BUILTIN_ANCHORS))
    for label in table.values()
]
#: Prefixes of the keys of special categories (Art. 9(1)) and criminal-offence data (Art. 10).
SPECIAL_PREFIXES = ("special.", "criminal.")


def test_fideslang_taxonomy_is_there():
    assert "user.contact.email" in FIDESLANG


@pytest.mark.parametrize("category", CATEGORIES)
def test_category_maps_to_a_fideslang_category(category):
    assert category.fideslang in FIDESLANG


@pytest.mark.parametrize("category", CATEGORIES)
def test_category_has_labels_in_both_languages(category):
    assert category.sv.strip()
    assert category.en.strip()


@pytest.mark.parametrize("category", CATEGORIES)
def test_category_key_has_the_register_format(category):
    assert re.match(CATEGORY_PATTERN, category.key)


@pytest.mark.parametrize("category", CATEGORIES)
def test_special_categories_and_only_they_have_a_kind(category):
    assert (category.special is not None) == category.key.startswith(SPECIAL_PREFIXES)


def test_every_special_kind_has_a_builtin_category():
    kinds = {c.special for c in BUILTIN_CATEGORIES.values() if c.special is not None}
    assert kinds == set(SpecialKind)


def test_criminal_offence_data_is_its_own_kind():
    assert BUILTIN_CATEGORIES["criminal.offences"].special is SpecialKind.criminal_offences
    assert BUILTIN_CATEGORIES["special.health"].special is SpecialKind.health


@pytest.mark.parametrize(
    "group",
    [
        pytest.param(BOOKKEEPING_CATEGORIES, id="bookkeeping"),
        pytest.param(NATIONAL_ID_CATEGORIES, id="national-id"),
    ],
)
def test_category_groups_name_builtin_categories(group):
    assert group <= set(BUILTIN_CATEGORIES)


def test_labels_differ_between_categories():
    seen: dict[str, str] = {}
    for c in BUILTIN_CATEGORIES.values():
        assert c.sv not in seen, f"{c.key} and {seen.get(c.sv)} share the label '{c.sv}'"
        seen[c.sv] = c.key


@pytest.mark.parametrize("label", LABELS)
def test_identity_kinds_and_anchors_have_keys_and_labels(label):
    assert re.match(KEY_PATTERN, label.key)
    assert label.sv.strip()
    assert label.en.strip()


def _with_vocabulary() -> Register:
    return Register.model_validate(
        patched(
            {
                "taxonomy": {
                    "categories": {
                        "custom.allergies": {
                            "label": {"sv": "Allergier", "en": "Allergies"},
                            "fideslang": "user.health_and_medical",
                            "special": "health",
                        }
                    },
                    "identity_kinds": {
                        "member_number": {"label": {"sv": "Medlemsnummer"}, "strength": "unique"}
                    },
                    "anchors": {"membership_ended": {"label": {"sv": "medlemskapet upphörde"}}},
                }
            }
        )
    )


def test_register_resolves_builtin_and_added_categories():
    register = _with_vocabulary()
    builtin = register.category("contact.email")
    assert (builtin.builtin, builtin.fideslang, builtin.label.get("en")) == (
        True,
        "user.contact.email",
        "E-mail address",
    )
    added = register.category("custom.allergies")
    assert (added.builtin, added.special, added.label.get("en")) == (
        False,
        SpecialKind.health,
        "Allergies",
    )
    with pytest.raises(KeyError):
        register.category("contact.mail")


def test_register_vocabulary_is_builtin_plus_additions():
    register = _with_vocabulary()
    assert register.category_keys() == set(BUILTIN_CATEGORIES) | {"custom.allergies"}
    assert register.identity_kinds() == set(BUILTIN_IDENTITY_KINDS) | {"member_number"}
    assert register.anchor_keys() == set(BUILTIN_ANCHORS) | {"membership_ended"}
    assert register.anchor_label("membership_ended").sv == "medlemskapet upphörde"
    assert register.anchor_label("relation_ended").en == "the customer relationship ended"


def _kinds(declared: dict[str, object]) -> Register:
    return Register.model_validate(patched({"taxonomy": {"identity_kinds": declared}}))


@pytest.mark.parametrize(
    ("declared", "kind", "strength"),
    [
        pytest.param({}, "personnummer", "unique", id="builtin-personnummer"),
        pytest.param({}, "customer_number", "unique", id="builtin-customer-number"),
        pytest.param({}, "account_id", "unique", id="builtin-account-id"),
        pytest.param({}, "email", "shareable", id="builtin-email"),
        pytest.param({}, "phone", "shareable", id="builtin-phone"),
        pytest.param({}, "ip_address", "weak", id="builtin-ip"),
        pytest.param({}, "device_id", "weak", id="builtin-device"),
        pytest.param({}, "cookie_id", "weak", id="builtin-cookie"),
        pytest.param(
            {"loyalty_id": {"label": {"sv": "Bonusnummer"}, "strength": "unique"}},
            "loyalty_id",
            "unique",
            id="custom",
        ),
        pytest.param(
            {"phone": {"label": {"sv": "Växelnummer"}, "strength": "weak"}},
            "phone",
            "weak",
            id="builtin-overridden",
        ),
    ],
)
def test_every_identity_kind_has_a_strength(declared, kind, strength):
    assert _kinds(declared).identity_strength(kind) == strength


def test_every_builtin_identity_kind_has_a_strength():
    assert set(BUILTIN_IDENTITY_STRENGTH) == set(BUILTIN_IDENTITY_KINDS)


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        pytest.param(
            {"loyalty_id": {"label": {"sv": "Bonusnummer"}}},
            "an identity kind needs a strength: add 'strength: unique'",
            id="no-strength",
        ),
        pytest.param(
            {"loyalty_id": {"label": {"sv": "Bonusnummer"}, "strength": "strong"}},
            "'unique', 'shareable' or 'weak'",
            id="unknown-strength",
        ),
    ],
)
def test_a_custom_kind_without_a_valid_strength_is_an_error(declared, message):
    with pytest.raises(ValidationError, match=message):
        _kinds(declared)
