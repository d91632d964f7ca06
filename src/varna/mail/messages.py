"""The e-mails Varna sends to people, composed from the text catalogs (pure: nothing is sent)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

from varna.texts import texts_for


def _message(*, to: str, sender: str, subject: str, body: str, lang: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="varna.invalid")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    message["Content-Language"] = lang  # after set_content, which replaces Content-* headers
    return message


def code_message(
    *,
    to: str,
    sender: str,
    controller: str,
    code: str,
    reference: str,
    minutes: int,
    lang: str,
) -> EmailMessage:
    """The one-time code that proves the person controls ``to``."""
    t = texts_for(lang)
    subject = t.gettext("Your code: {code}", code=code)
    body = "\n\n".join(
        [
            t.gettext(
                "Someone, probably you, asked {controller} about personal data connected to this "
                "e-mail address (request {reference}).",
                controller=controller,
                reference=reference,
            ),
            t.gettext(
                "Your code is {code}. It works for {minutes} minutes.", code=code, minutes=minutes
            ),
            t.gettext(
                "If you did not ask, you can ignore this message: nothing is shown or changed "
                "without the code."
            ),
        ]
    )
    return _message(to=to, sender=sender, subject=subject, body=body + "\n", lang=lang)


def answered_message(
    *, to: str, sender: str, controller: str, reference: str, link: str, lang: str
) -> EmailMessage:
    """The answer to the person's request is ready behind ``link`` (never attached)."""
    t = texts_for(lang)
    subject = t.gettext("Your request {reference} is answered", reference=reference)
    body = "\n\n".join(
        [
            t.gettext(
                "{controller} has answered your request {reference}.",
                controller=controller,
                reference=reference,
            ),
            t.gettext("You can read the answer and download it here: {link}", link=link),
        ]
    )
    return _message(to=to, sender=sender, subject=subject, body=body + "\n", lang=lang)
