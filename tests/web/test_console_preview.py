"""The preview of the answer on a request's page: special-category values (the care notes'
health data) masked for everyone first, shown only to a user holding ``special_categories``
after a reason, every unmasked view audited with who, what and why (never a value)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from varna.core import Varna
from varna.core.console_ops import MASK
from varna.core.execution_ops import Contact
from varna.dsr.requests import Kind

from . import test_console
from .console_people import NOW, form_token
from .test_console import Console

console = test_console.console  # the fixture of the console's tests


def a_care_recipient(demo: Path) -> tuple[int, str]:
    """A care recipient with a care note: their number and one note's text."""
    with sqlite3.connect(demo / "data" / "care.db") as conn:
        row = conn.execute(
            "SELECT end_user_id, note FROM care_notes WHERE note IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
    return int(row[0]), str(row[1])


def care_request(varna: Varna, recipient: int) -> str:
    identity = f"care_recipient_id={recipient}"
    status = varna.receive([identity], kind=Kind.access, now=NOW)
    varna.keep_contact(status.ref, Contact((identity,), None, "sv"), now=NOW)
    return status.ref


def audit_entries(varna: Varna, action: str) -> list[dict[str, Any]]:
    """The audit log's entries of ``action``: actor, target and details, oldest first."""
    import sqlalchemy as sa

    from varna.state.schema import audit_events

    t = audit_events.c
    with varna.state.read("test") as conn:
        rows = conn.execute(
            sa.select(t.actor, t.target, t.details).where(t.action == action).order_by(t.seq)
        ).all()
    return [
        {"actor": a, "target": tg, "details": d if isinstance(d, dict) else json.loads(d or "{}")}
        for a, tg, d in rows
    ]


# name, what the page shows of the preview, what unmasking answers
CASES = [
    pytest.param("admin.ada", "none", 403, id="admin-no-personal-data"),
    pytest.param("dpo.dag", "masked", 403, id="dpo-without-special"),
    pytest.param("dpo.siv", "masked", 200, id="dpo-with-special"),
    pytest.param("handler.anna", "masked", 403, id="handler-without-special"),
    pytest.param("handler.sam", "masked", 200, id="handler-with-special"),
    pytest.param("auditor.aud", "none", 403, id="auditor-pseudonyms-only"),
    pytest.param("engineer.eve", "forbidden", 403, id="engineer-no-requests"),
]


@pytest.mark.parametrize(("name", "shows", "unmask"), CASES)
def test_the_preview_masks_health_data_by_role_and_permission(
    console: Console, name: str, shows: str, unmask: int
) -> None:
    recipient, note = a_care_recipient(console.demo)
    ref = care_request(console.varna, recipient)
    client = console.as_(name)
    page = client.get(f"/console/requests/{ref}", follow_redirects=False)
    if shows == "forbidden":
        assert page.status_code == 403
    else:
        assert page.status_code == 200
        assert note not in page.text
    if shows == "masked":
        assert 'data-table="care.care_notes"' in page.text
        assert 'class="sensitive masked" data-column="note"' in page.text
        assert MASK in page.text
        assert ('id="unmask"' in page.text) is (unmask == 200)
    if shows == "none":
        assert "Preview of the answer" not in page.text
        assert MASK not in page.text
    token = form_token(client.get("/console/sign-in", follow_redirects=True).text)
    answer = client.post(
        f"/console/requests/{ref}/unmask",
        data={"reason": "Complaint about the night visits", "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == unmask
    unmasked = audit_entries(console.varna, "console.request.unmasked")
    for entry in unmasked:
        entry["details"].pop("as_of")
    if unmask == 200:
        assert note in answer.text
        assert 'id="unmasked-note"' in answer.text
        assert unmasked == [
            {
                "actor": f"console:{name}",
                "target": f"request:{ref}",
                "details": {
                    "columns": ["care.care_notes.note", "care.end_users.service"],
                    "categories": ["care.service", "special.health"],
                    "reason": "Complaint about the night visits",
                },
            }
        ]
        assert note not in json.dumps(unmasked)
    else:
        assert note not in answer.text
        assert unmasked == []


@pytest.mark.parametrize(
    ("reason", "status", "error"),
    [
        pytest.param("", 422, "reason", id="no-reason"),
        pytest.param("ok", 422, "reason", id="too-short"),
        pytest.param("mailed by anna@example.se", 422, "reason_personal", id="names-a-person"),
    ],
)
def test_unmasking_needs_a_reason_that_names_no_one(
    console: Console, reason: str, status: int, error: str
) -> None:
    recipient, note = a_care_recipient(console.demo)
    ref = care_request(console.varna, recipient)
    client = console.as_("dpo.siv")
    token = form_token(client.get(f"/console/requests/{ref}").text)
    answer = client.post(
        f"/console/requests/{ref}/unmask",
        data={"reason": reason, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == status
    assert f'data-reason="{error}"' in answer.text
    assert note not in answer.text
    assert audit_entries(console.varna, "console.request.unmasked") == []


def test_every_view_of_the_preview_is_audited(console: Console) -> None:
    recipient, _ = a_care_recipient(console.demo)
    ref = care_request(console.varna, recipient)
    client = console.as_("handler.anna")
    assert client.get(f"/console/requests/{ref}").status_code == 200
    viewed = audit_entries(console.varna, "console.request.viewed")
    assert [(v["actor"], v["target"]) for v in viewed] == [
        ("console:handler.anna", f"request:{ref}")
    ]
    details = viewed[0]["details"]
    assert (details["what"], details["conflicts"], details["unmasked"]) == (
        "plan and preview",
        0,
        False,
    )
    assert details["rows"] >= 2  # the recipient's row and at least one care note


def test_unmasking_needs_the_csrf_token(console: Console) -> None:
    recipient, _ = a_care_recipient(console.demo)
    ref = care_request(console.varna, recipient)
    client = console.as_("dpo.siv")
    answer = client.post(
        f"/console/requests/{ref}/unmask", data={"reason": "a good reason"}, follow_redirects=False
    )
    assert answer.status_code in (400, 403)
    assert audit_entries(console.varna, "console.request.unmasked") == []
