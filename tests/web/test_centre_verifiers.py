"""A verifier plug-in in the privacy centre: a person who would rather prove who they are another
way than by the e-mail code (here the tests' code-by-letter plug-in, installed as a distribution
of its own, standing in for an e-ID) claims a personnummer, answers the plug-in, and the request
is verified at the plug-in's assurance with the personnummer among its identities; a wrong code,
an invalid number or a changed form verifies nothing."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.settings import Settings
from varna.web.app import create_app
from verify.test_contract import HERE, install_plugin

from .conftest import Inbox
from .test_centre_flow import form_token, submit


@pytest.fixture
def letters_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(HERE))  # the plug-in's code
    site = install_plugin(tmp_path / "site", "letter_plugin:verifiers")
    monkeypatch.syspath_prepend(str(site))


@pytest.fixture
def centre(
    demo_company: Callable[[int], Path], smtp: tuple[Inbox, str], letters_installed: None
) -> Iterator[tuple[TestClient, Path, Varna]]:
    demo = demo_company(40)
    _inbox, url = smtp
    varna = Varna(Settings(smtp_url=url))
    with TestClient(create_app(varna)) as client:
        yield client, demo, varna
    varna.close()


def a_customer(demo: Path) -> tuple[str, str]:
    with sqlite3.connect(demo / "data" / "crm.db") as conn:
        email, number = conn.execute(
            "SELECT email, personnummer FROM customers "
            "WHERE email IS NOT NULL AND personnummer IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
    return str(email), str(number)


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, name
    return match.group(1)


def claim_number(client: TestClient, code_page: str, number: str) -> tuple[int, str]:
    """Choose the letter on the code page and give ``number``: the status and the next page."""
    page = client.get(code_page).text
    assert "Andra sätt att visa vem du är" in page
    answer = client.post(
        f"{code_page}/with/letter_code",
        data={"kind": "personnummer", "value": number, "csrf_token": form_token(page)},
    )
    return answer.status_code, answer.text


def the_letter() -> str:
    import letter_plugin

    return letter_plugin.POST[-1].code


def test_a_person_proves_a_personnummer_by_letter_instead_of_the_code(
    centre: tuple[TestClient, Path, Varna],
) -> None:
    client, demo, varna = centre
    email, number = a_customer(demo)
    code_page = submit(client, "erasure", email)
    status, step = claim_number(client, code_page, number)
    assert status == 200, step
    assert number not in step  # the claim is sealed in the form, never shown or in a URL
    action = re.search(r'action="(/sv/verify-with/letter_code/[^"]+)"', step)
    assert action
    answer = client.post(
        action.group(1),
        data={
            "code": the_letter(),
            "claim": hidden(step, "claim"),
            "prompt": "code",
            "csrf_token": form_token(step),
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"].startswith("/sv/requests/")
    [request] = varna.requests()
    assert (request.record.state, request.record.assurance) == ("verified", "sms_code")
    contact = varna._contact(request.ref)
    assert f"personnummer={number.replace('-', '')}" in {
        i.replace("-", "") for i in contact.identities
    }
    assert "personnummer" in contact.proven
    assert number not in repr(list(varna.audit.iter_events()))


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param("wrong-code", "wrong", id="wrong-code"),
        pytest.param("changed-claim", "unknown", id="changed-claim"),
    ],
)
def test_a_wrong_answer_or_a_changed_form_verifies_nothing(
    centre: tuple[TestClient, Path, Varna], change: str, reason: str
) -> None:
    client, demo, varna = centre
    email, number = a_customer(demo)
    code_page = submit(client, "erasure", email)
    _status, step = claim_number(client, code_page, number)
    action = re.search(r'action="(/sv/verify-with/letter_code/[^"]+)"', step)
    assert action
    code, claim = the_letter(), hidden(step, "claim")
    if change == "wrong-code":
        code = str((int(code) + 1) % 10**8).zfill(8)
    else:
        claim = claim[:-6] + ("A" if claim[-6] != "A" else "B") + claim[-5:]
    answer = client.post(
        action.group(1),
        data={"code": code, "claim": claim, "prompt": "code", "csrf_token": form_token(step)},
        follow_redirects=False,
    )
    assert answer.status_code == 422
    assert f'data-reason="{reason}"' in answer.text
    [request] = varna.requests()
    assert request.record.state == "received"


def test_an_invalid_personnummer_is_refused_on_the_code_page(
    centre: tuple[TestClient, Path, Varna],
) -> None:
    client, demo, _varna = centre
    email, number = a_customer(demo)
    code_page = submit(client, "erasure", email)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)  # the checksum no longer holds
    status, page = claim_number(client, code_page, wrong)
    assert status == 422
    assert 'data-reason="identity"' in page
    assert wrong not in page


def test_without_a_plugin_only_the_code_is_offered(
    demo_company: Callable[[int], Path], smtp: tuple[Inbox, str]
) -> None:
    demo = demo_company(10)
    varna = Varna(Settings(smtp_url=smtp[1]))
    try:
        with TestClient(create_app(varna)) as client:
            email, _ = a_customer(demo)
            page = client.get(submit(client, "access", email)).text
    finally:
        varna.close()
    assert "Andra sätt att visa vem du är" not in page
