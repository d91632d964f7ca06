"""The semantic difference between registers, each change marked material or not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from varna.register import Register
from varna.render import diff_registers

Edit = Callable[[dict[str, Any]], None]


def _edited(register: Register, edit: Edit) -> Register:
    data = register.model_dump(mode="json")
    edit(data)
    return Register.model_validate(data)


def _set(path: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node[part]
        node[last] = value

    return edit


def _add_activity(data: dict[str, Any]) -> None:
    data["activities"]["surveys"] = {
        "name": {"sv": "Kundundersökningar"},
        "purpose": {"sv": "Att fråga kunderna vad de tycker."},
        "legal_bases": ["legitimate_interests"],
        "subjects": ["customer"],
        "categories": ["contact.email", "content.survey"],
        "retention": {"rule": "period_after", "period": "6 months", "anchor": "collected"},
    }


def _new_recipient(data: dict[str, Any]) -> None:
    data["recipients"]["crm"] = {
        "name": {"sv": "CRM-leverantören"},
        "kind": "processor",
        "purpose": {"sv": "CRM."},
        "country": "AU",
        "transfer": {"mechanism": "scc"},
        "dpa": {"signed": "2026-01-01"},
    }
    data["activities"]["subscription"]["recipients"].append("crm")


def _new_subject(data: dict[str, Any]) -> None:
    data["subjects"]["supplier"] = {"label": {"sv": "Leverantörer"}}


CASES = [
    ("new-purpose", _add_activity, "activity_added", True),
    (
        "purpose-changed",
        _set("activities.subscription.purpose", {"sv": "Nytt ändamål."}),
        "purpose_changed",
        True,
    ),
    (
        "basis-changed",
        _set("activities.recruitment.legal_bases", [{"basis": "contract"}]),
        "basis_changed",
        True,
    ),
    (
        "new-category",
        _set(
            "activities.newsletter.categories", ["identity.name", "contact.email", "contact.phone"]
        ),
        "category_added",
        True,
    ),
    (
        "category-removed",
        _set("activities.newsletter.categories", ["contact.email"]),
        "categories_removed",
        False,
    ),
    (
        "longer-retention",
        _set("activities.recruitment.retention.period", "3 years"),
        "retention_longer",
        True,
    ),
    (
        "shorter-retention",
        _set("activities.recruitment.retention.period", "1 year"),
        "retention_changed",
        False,
    ),
    (
        "retention-rule-kind",
        _set("activities.recruitment.retention", {"rule": "until_withdrawn"}),
        "retention_longer",
        True,
    ),
    ("new-recipient", _new_recipient, "recipient_added", True),
    ("new-third-country", _new_recipient, "third_country_added", True),
    (
        "recipient-to-third-country",
        _set("recipients.hosting.country", "US"),
        "recipient_country_changed",
        True,
    ),
    (
        "recipient-within-eea",
        _set("recipients.hosting.country", "DK"),
        "recipient_country_changed",
        False,
    ),
    (
        "transfer-safeguard",
        _set("recipients.mailer.transfer", {"mechanism": "bcr"}),
        "transfer_changed",
        False,
    ),
    ("new-subject", _new_subject, "subject_added", False),
    (
        "marketing-started",
        _set("activities.subscription.direct_marketing", {"channels": ["sms"]}),
        "marketing_added",
        True,
    ),
    (
        "recipient-dropped",
        _set("activities.subscription.recipients", ["hosting"]),
        "recipients_removed",
        False,
    ),
]


@pytest.mark.parametrize(
    ("edit", "kind", "material"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_change_is_found_and_weighed(
    complete: Register, edit: Edit, kind: str, material: bool
) -> None:
    diff = diff_registers(complete, _edited(complete, edit))
    found = [c for c in diff.changes if c.kind == kind]
    assert found, f"no {kind} in {[c.kind for c in diff.changes]}"
    assert found[0].material is material


def test_same_register_has_no_changes(complete: Register) -> None:
    diff = diff_registers(complete, complete)
    assert diff.changes == ()
    assert not diff.material
    assert diff.channels == ()


def test_material_change_names_whom_to_notify(complete: Register) -> None:
    diff = diff_registers(complete, _edited(complete, _add_activity))
    assert diff.material
    assert diff.channels == ("email", "customer_portal")
    assert diff.notify_subjects == ("customer",)
    assert diff.as_dict()["notify"] == {
        "channels": ["email", "customer_portal"],
        "subjects": ["customer"],
    }


def test_minor_change_notifies_no_one(complete: Register) -> None:
    diff = diff_registers(complete, _edited(complete, _new_subject))
    assert not diff.material
    assert diff.channels == ()
