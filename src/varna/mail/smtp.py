"""Sending e-mail over SMTP (``smtplib``): the one place Varna talks to a mail server.

The server comes from ``VARNA_SMTP_URL``: ``smtp://host:port`` (plain, for a local relay),
``smtp+starttls://user:password@host:587`` or ``smtps://user:password@host:465``. Errors name the
server, never a recipient.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from varna.errors import ConnectorError, SettingsError

SCHEMES = ("smtp", "smtp+starttls", "smtps")


class SmtpMailer:
    """Sends messages through one SMTP server."""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES or not parts.hostname:
            raise SettingsError(
                f"VARNA_SMTP_URL must look like smtp://host:port, smtp+starttls://user:pw@host:587 "
                f"or smtps://user:pw@host:465 (got scheme '{parts.scheme}')"
            )
        self._scheme = parts.scheme
        self._host = parts.hostname
        self._port = parts.port or {"smtp": 25, "smtp+starttls": 587, "smtps": 465}[parts.scheme]
        self._user = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password) if parts.password else None
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"SmtpMailer({self._scheme}://{self._host}:{self._port})"

    def send(self, message: EmailMessage) -> None:
        """Deliver ``message`` to the server (which queues it)."""
        if not self.send_many([message])[0]:
            raise ConnectorError(
                f"the mail server {self._host}:{self._port} refused the recipient or the message; "
                "check the address (the server's log says why)"
            )

    def send_many(self, messages: Sequence[EmailMessage]) -> list[bool]:
        """Deliver ``messages`` over one connection; for each, whether the server took it (a
        refused recipient is False; a server that cannot be reached raises for all)."""
        taken: list[bool] = []
        try:
            if self._scheme == "smtps":
                context = ssl.create_default_context()
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self._host, self._port, timeout=self._timeout, context=context
                )
            else:
                client = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
            with client:
                if self._scheme == "smtp+starttls":
                    client.starttls(context=ssl.create_default_context())
                if self._user is not None:
                    client.login(self._user, self._password or "")
                for message in messages:
                    try:
                        client.send_message(message)
                        taken.append(True)
                    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError):
                        taken.append(False)
                        client.rset()
        except (OSError, smtplib.SMTPException) as exc:
            raise ConnectorError(
                f"the mail server {self._host}:{self._port} did not take the message "
                f"({type(exc).__name__}); check VARNA_SMTP_URL and that the server runs"
            ) from exc
        return taken
