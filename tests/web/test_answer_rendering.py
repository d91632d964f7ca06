"""An access answer is kept as its extract's data when the request is answered and rendered to
PDF only at its first download; the rendered PDF is then kept (sealed) and served as stored, every
download is audited, and a purge removes the answer whether or not it was rendered."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.core.execution_ops import DOCUMENT_MEDIA_TYPE

from .conftest import Inbox
from .test_centre_flow import a_customer, centre, confirm, submit

__all__ = ["centre"]


def answered(client: TestClient, inbox: Inbox, demo: Path, varna: Varna) -> tuple[str, str, str]:
    """A verified access request answered through the centre: (email, token, download path)."""
    email = a_customer(demo)
    status, status_page = confirm(client, submit(client, "access", email), inbox.code_for(email))
    assert status == 303, status_page
    token = status_page.rsplit("/", 1)[1]
    [link] = re.findall(r'href="(/sv/requests/[^"]+/answers/[^"]+)"', client.get(status_page).text)
    return email, token, link


def pdf_text(content: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "answer.pdf"
    pdf.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_extract_is_rendered_at_first_download_and_then_served_as_stored(
    centre: tuple[TestClient, Inbox, Path, Varna], tmp_path: Path
) -> None:
    client, inbox, demo, varna = centre
    email, token, link = answered(client, inbox, demo, varna)
    # answered (Art. 12(3)) with no PDF rendered: the answer holds the extract's document
    [kept] = varna.request_status(token).answers
    assert kept.media_type == DOCUMENT_MEDIA_TYPE
    assert "Besvarat" in client.get(f"/sv/requests/{token}").text

    first = client.get(link)
    assert first.status_code == 200
    assert first.headers["content-type"] == "application/pdf"
    assert first.content.startswith(b"%PDF")
    assert email in pdf_text(first.content, tmp_path)  # the person's data is in it
    [rendered] = varna.request_status(token).answers
    assert rendered.media_type == "application/pdf"

    # the second download is the stored PDF: replace what is stored and it is what is served
    stored = b"%PDF-1.7 stored"
    assert varna._answers().replace(
        kept.id,
        was_media_type="application/pdf",
        media_type="application/pdf",
        sealed=varna._sealer("answers").seal(stored),
    )
    second = client.get(link)
    assert second.status_code == 200
    assert second.content == stored
    # a rendering that lost the race stores nothing
    assert not varna._answers().replace(
        kept.id, was_media_type=DOCUMENT_MEDIA_TYPE, media_type="application/pdf", sealed=b"x"
    )
    downloads = [
        e.details["download"]
        for e in varna.audit.iter_events()
        if e.action == "request.answer.downloaded"
    ]
    assert downloads == [1, 2]
    assert varna.audit.verify().ok


@pytest.mark.parametrize("downloaded", [False, True])
def test_a_purge_removes_the_answer_rendered_or_not(
    centre: tuple[TestClient, Inbox, Path, Varna], downloaded: bool
) -> None:
    client, inbox, demo, varna = centre
    _, token, link = answered(client, inbox, demo, varna)
    if downloaded:
        assert client.get(link).status_code == 200
    [kept] = varna.request_status(token).answers
    assert kept.media_type == ("application/pdf" if downloaded else DOCUMENT_MEDIA_TYPE)
    now = datetime.now(UTC)
    assert varna.purge_centre_data(now=now + timedelta(days=31)).answers == 1
    assert varna.request_status(token).answers == ()
    gone = client.get(link)
    assert gone.status_code == 422  # "expired or does not exist", the same for both
    assert not gone.content.startswith(b"%PDF")
