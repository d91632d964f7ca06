"""A person uses the privacy centre end to end on the demo company: asks for their data, reads
the code from a real SMTP server, confirms it and downloads the extract; and what a stranger,
a guesser or a forger gets instead."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.errors import RequestError
from varna.settings import Settings
from varna.web.app import create_app

from .conftest import Inbox


@pytest.fixture
def centre(
    demo_company: Callable[[int], Path], smtp: tuple[Inbox, str]
) -> Iterator[tuple[TestClient, Inbox, Path, Varna]]:
    demo = demo_company(40)
    inbox, url = smtp
    varna = Varna(Settings(smtp_url=url, public_url="https://centre.example"))
    with TestClient(create_app(varna)) as client:
        yield client, inbox, demo, varna
    varna.close()


def a_customer(demo: Path) -> str:
    with sqlite3.connect(demo / "data" / "crm.db") as conn:
        row = conn.execute(
            "SELECT email FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
    return str(row[0])


def form_token(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


def submit(client: TestClient, kind: str, email: str, lang: str = "sv") -> str:
    """Fill in the form for ``kind``; the path of the code page it leads to."""
    token = form_token(client.get(f"/{lang}/requests/new/{kind}").text)
    answer = client.post(
        f"/{lang}/requests",
        data={"kind": kind, "email": email, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def confirm(client: TestClient, code_page: str, code: str) -> tuple[int, str]:
    token = form_token(client.get(code_page).text)
    answer = client.post(
        code_page, data={"code": code, "csrf_token": token}, follow_redirects=False
    )
    return answer.status_code, answer.headers.get("location", answer.text[:2000])


def test_a_person_gets_their_extract(centre: tuple[TestClient, Inbox, Path, Varna]) -> None:
    client, inbox, demo, varna = centre
    email = a_customer(demo)
    code_page = submit(client, "access", email)
    assert email not in code_page
    assert len(inbox.to(email)) == 1
    assert inbox.to(email)[0]["Content-Language"] == "sv"
    status, status_page = confirm(client, code_page, inbox.code_for(email))
    assert status == 303, status_page
    assert email not in status_page
    page = client.get(status_page).text
    assert "Besvarat" in page
    [link] = re.findall(r'href="(/sv/requests/[^"]+/answers/[^"]+)"', page)
    download = client.get(link)
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert download.headers["cache-control"] == "no-store"
    # the answered-e-mail links to the status page on the public address, not the code
    ready = inbox.to(email)[-1].get_content()
    assert "https://centre.example/sv/requests/" in ready
    # answered: no longer open, and the download is in the audit log
    ref = status_page.rsplit("/", 1)[1].rsplit(".", 1)[0]
    assert ref.startswith("R-")
    assert ref not in {r.ref for r in varna.requests()}
    actions = [e.action for e in varna.audit.iter_events()]
    assert "request.answer.downloaded" in actions
    assert varna.audit.verify().ok


def test_a_stranger_gets_the_same_answer_and_an_empty_extract(
    centre: tuple[TestClient, Inbox, Path, Varna],
) -> None:
    client, inbox, _demo, _varna = centre
    stranger = "nobody-here@example.org"
    code_page = submit(client, "access", stranger)
    page = client.get(code_page).text
    assert "på väg" in page or "on its way" in page  # no hint whether data exists
    status, _ = confirm(client, code_page, inbox.code_for(stranger))
    assert status == 303


def test_wrong_codes_are_counted_and_lock(centre: tuple[TestClient, Inbox, Path, Varna]) -> None:
    client, inbox, demo, _varna = centre
    email = a_customer(demo)
    code_page = submit(client, "access", email)
    right = inbox.code_for(email)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    reasons = []
    for _ in range(6):
        status, body = confirm(client, code_page, wrong)
        assert status == 422
        reasons.append(re.findall(r'data-reason="(\w+)"', body))
    assert reasons == [["wrong"]] * 4 + [["locked"]] * 2
    # after five wrong tries even the right code is refused
    status, body = confirm(client, code_page, right)
    assert status == 422
    assert 'data-reason="locked"' in body


def test_a_form_from_another_site_is_refused(centre: tuple[TestClient, Inbox, Path, Varna]) -> None:
    client, inbox, demo, _varna = centre
    email = a_customer(demo)
    answer = client.post(
        "/sv/requests", data={"kind": "access", "email": email, "csrf_token": "x" * 40}
    )
    assert answer.status_code == 403
    assert inbox.messages == []


def test_a_forged_status_link_shows_nothing(centre: tuple[TestClient, Inbox, Path, Varna]) -> None:
    client, inbox, demo, _varna = centre
    email = a_customer(demo)
    code_page = submit(client, "access", email)
    _, status_page = confirm(client, code_page, inbox.code_for(email))
    ref = status_page.rsplit("/", 1)[1].rsplit(".", 1)[0]
    forged = client.get(f"/sv/requests/{ref}.{'0' * 32}")
    assert forged.status_code == 422
    assert ref not in forged.text


def test_erasure_waits_for_staff(centre: tuple[TestClient, Inbox, Path, Varna]) -> None:
    client, inbox, demo, _varna = centre
    email = a_customer(demo)
    code_page = submit(client, "erasure", email, lang="en")
    _, status_page = confirm(client, code_page, inbox.code_for(email))
    page = client.get(status_page).text
    assert "Confirmed: being prepared" in page
    assert "/answers/" not in page


def test_the_centre_keeps_nothing_longer_than_it_needs(
    centre: tuple[TestClient, Inbox, Path, Varna],
) -> None:
    client, inbox, demo, varna = centre
    email = a_customer(demo)
    code_page = submit(client, "access", email)
    confirm(client, code_page, inbox.code_for(email))
    ref = next(r.ref for r in varna.requests(open_only=False))
    token = varna.status_token(ref)
    assert varna.request_status(token).answers  # the extract, for 30 days
    now = datetime.now(UTC)
    varna.purge_centre_data(now=now)
    assert varna.request_status(token).answers  # not yet expired
    with pytest.raises(RequestError, match="not kept"):  # the closed request's contact is gone
        varna.conflicts(ref, now=now)
    later = varna.purge_centre_data(now=now + timedelta(days=31))
    assert later.answers == 1
    assert later.codes >= 1
    assert varna.request_status(token).answers == ()
    assert "centre.purged" in [e.action for e in varna.audit.iter_events()]
