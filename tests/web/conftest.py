"""A web app around a real Varna on a copy of a seed register, with its state on SQLite."""

from __future__ import annotations

import re
import shutil
import socket
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from fastapi.testclient import TestClient

from varna.core import Varna
from varna.settings import Settings
from varna.web.app import create_app

SEED = Path(__file__).resolve().parents[2] / "src" / "varna" / "demo" / "register.yaml"
"""The demo company's register: it passes register check, so its policy can be published."""


@pytest.fixture
def register_file(tmp_path: Path) -> Path:
    target = tmp_path / "varna.yaml"
    shutil.copy(SEED, target)
    return target


@pytest.fixture
def varna(register_file: Path, tmp_path: Path) -> Iterator[Varna]:
    settings = Settings(home=tmp_path / "home", audit_key="test-audit-key-0123456789abcdef")
    service = Varna(settings, register_path=register_file)
    yield service
    service.close()


@pytest.fixture
def client(varna: Varna) -> Iterator[TestClient]:
    with TestClient(create_app(varna)) as test_client:
        yield test_client


class Inbox:
    """The messages a real local SMTP server (aiosmtpd) received during a test."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        message = BytesParser(policy=policy.default).parsebytes(content)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def code_for(self, address: str) -> str:
        """The one-time code in the newest message to ``address``."""
        body = self.to(address)[-1].get_content()
        match = re.search(r"\b(\d{6})\b", body)
        assert match, "no code in the message"
        return match.group(1)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, str]]:
    """A real SMTP server on a free loopback port: the inbox and its ``smtp://`` URL."""
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()
