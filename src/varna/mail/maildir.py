"""E-mail into a local Maildir folder instead of a mail server: for the demo and for a machine
without one (``VARNA_SMTP_URL=maildir:PATH``). Every message is one file in ``PATH/new``, readable
with any mail program or a text editor."""

from __future__ import annotations

import mailbox
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

from varna.errors import ConnectorError


class MaildirMailer:
    """Delivers messages into the Maildir at ``folder`` (created when missing)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __repr__(self) -> str:
        return f"MaildirMailer({str(self.folder)!r})"

    def send(self, message: EmailMessage) -> None:
        """Add ``message`` to the folder."""
        self.send_many([message])

    def send_many(self, messages: Sequence[EmailMessage]) -> list[bool]:
        """Add ``messages`` to the folder; each is True (a folder takes every message)."""
        try:
            box = mailbox.Maildir(self.folder, create=True)
            for message in messages:
                box.add(message)
            box.close()
            return [True] * len(messages)
        except OSError as exc:
            raise ConnectorError(
                f"cannot write e-mail into the folder {self.folder} ({type(exc).__name__}); "
                "check VARNA_SMTP_URL"
            ) from exc
