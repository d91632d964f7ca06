"""The e-mails Varna sends to people, composed from the text catalogs (pure: nothing is sent)."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from email.utils import make_msgid

from varna.texts import Texts, texts_for


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


IMY = "Integritetsskyddsmyndigheten (IMY), https://www.imy.se"


def _step_texts(
    t: Texts, step: str, *, controller: str, reference: str, due: str, reason: str | None
) -> tuple[str, list[str]]:
    """The subject and paragraphs of one step (each string literal, for the catalogs)."""
    names = {"controller": controller, "reference": reference}
    answer_by = t.gettext("You will have our answer by {due} at the latest.", due=due)
    reasons = t.gettext("The reasons: {reason}", reason=reason or "-")
    steps: dict[str, Callable[[], tuple[str, list[str]]]] = {
        "received": lambda: (
            t.gettext("We have received your request {reference}", reference=reference),
            [t.gettext("{controller} has received your request {reference}.", **names), answer_by],
        ),
        "verified": lambda: (
            t.gettext("Your request {reference} is verified", reference=reference),
            [
                t.gettext(
                    "{controller} has verified your identity for request {reference}; a case "
                    "handler now carries it out.",
                    **names,
                ),
                answer_by,
            ],
        ),
        "extended": lambda: (
            t.gettext("Your request {reference} needs more time", reference=reference),
            [
                t.gettext(
                    "{controller} needs more time to answer your request {reference} and will "
                    "answer by {due} at the latest (GDPR Art. 12(3)).",
                    due=due,
                    **names,
                ),
                reasons,
            ],
        ),
        "refused": lambda: (
            t.gettext("Your request {reference} is refused", reference=reference),
            [
                t.gettext("{controller} will not carry out your request {reference}.", **names),
                reasons,
                t.gettext(
                    "You have the right to complain to the supervisory authority, {authority}, "
                    "and to seek a remedy in court (GDPR Art. 12(4)).",
                    authority=IMY,
                ),
            ],
        ),
    }
    if step not in steps:
        raise ValueError(f"unknown request step {step!r}: one of {', '.join(steps)}")
    return steps[step]()


def step_message(
    *,
    to: str,
    sender: str,
    controller: str,
    reference: str,
    step: str,
    due: str,
    reason: str | None,
    link: str,
    lang: str,
) -> EmailMessage:
    """A step of the person's request: ``received`` (the receipt with the Art. 12(3) deadline),
    ``verified``, ``extended`` (with reasons, Art. 12(3)) or ``refused`` (with reasons and the
    right to complain, Art. 12(4))."""
    t = texts_for(lang)
    subject, lines = _step_texts(
        t, step, controller=controller, reference=reference, due=due, reason=reason
    )
    lines.append(t.gettext("You can follow your request here: {link}", link=link))
    return _message(
        to=to, sender=sender, subject=subject, body="\n\n".join(lines) + "\n", lang=lang
    )


def recipient_notice_text(
    *,
    controller: str,
    reference: str,
    kind: str,
    categories: list[str],
    on: str,
    lang: str,
) -> tuple[str, str]:
    """The subject and body of an Art. 19 notice to a recipient of the data (drafted when the
    request is answered; the person's identities are added when it is sent)."""
    t = texts_for(lang)
    done = {
        "erasure": t.gettext("erased"),
        "rectification": t.gettext("rectified"),
        "restriction": t.gettext("restricted the processing of"),
    }.get(kind, kind)
    subject = t.gettext(
        "Notice under GDPR Art. 19 from {controller} ({reference})",
        controller=controller,
        reference=reference,
    )
    body = "\n\n".join(
        [
            t.gettext(
                "On {on}, at the request of the person concerned, {controller} {done} personal "
                "data that we have disclosed to you (our reference {reference}).",
                on=on,
                controller=controller,
                done=done,
                reference=reference,
            ),
            t.gettext("The data concerned: {categories}.", categories=", ".join(categories)),
            t.gettext(
                "GDPR Art. 19 asks us to tell you: please do the same with the data you "
                "received from us, and confirm to us when it is done."
            ),
        ]
    )
    return subject, body


def recipient_message(*, to: str, sender: str, subject: str, body: str, lang: str) -> EmailMessage:
    """An Art. 19 notice as drafted, to the recipient's contact address."""
    return _message(to=to, sender=sender, subject=subject, body=body + "\n", lang=lang)


def policy_change_message(
    *,
    to: str,
    sender: str,
    controller: str,
    version: str,
    effective: str,
    changes: list[str],
    link: str,
    lang: str,
) -> EmailMessage:
    """A policy version with material changes (Art. 12-14; seeds 000 and 001 promise it)."""
    t = texts_for(lang)
    subject = t.gettext("{controller} changes its privacy policy", controller=controller)
    lines = [
        t.gettext(
            "{controller} has published a new version ({version}) of its privacy policy, in "
            "force from {effective}.",
            controller=controller,
            version=version,
            effective=effective,
        ),
        t.gettext("What changes for you:") + "\n" + "\n".join(f"- {c}" for c in changes),
        t.gettext("Read the policy and what changed here: {link}", link=link),
    ]
    return _message(
        to=to, sender=sender, subject=subject, body="\n\n".join(lines) + "\n", lang=lang
    )


def staff_reminder_message(
    *, to: str, sender: str, controller: str, version: str, link: str, lang: str
) -> EmailMessage:
    """A staff member has not acknowledged the newest version of the policy (Art. 39(1)(b))."""
    t = texts_for(lang)
    subject = t.gettext("Please read the new privacy policy ({version})", version=version)
    lines = [
        t.gettext(
            "{controller} has published a new version ({version}) of its privacy policy. As one "
            "of its staff, please read it and confirm to the data protection officer that you "
            "have done so.",
            controller=controller,
            version=version,
        ),
        t.gettext("The policy: {link}", link=link),
    ]
    return _message(
        to=to, sender=sender, subject=subject, body="\n\n".join(lines) + "\n", lang=lang
    )


def breach_notice_message(
    *,
    to: str,
    sender: str,
    controller: str,
    nature: list[str],
    description: str,
    contact: str,
    consequences: str,
    measures: str,
    lang: str,
) -> EmailMessage:
    """The notice of a personal data breach to a person concerned (GDPR Art. 34(1)), in plain
    words: what happened, whom to contact, the likely consequences and the measures (Art. 34(2),
    which refers to Art. 33(3)(b)-(d))."""
    t = texts_for(lang)
    subject = t.gettext(
        "{controller}: a security incident concerning your data", controller=controller
    )
    lines = [
        t.gettext(
            "We are writing to tell you that {controller} has had a security incident that "
            "concerns your personal data.",
            controller=controller,
        ),
        t.gettext("What happened:") + "\n" + description,
    ]
    if nature:
        lines.append(
            t.gettext("What kind of incident:") + "\n" + "\n".join(f"- {n}" for n in nature)
        )
    lines.append(
        t.gettext("What it may mean for you:")
        + "\n"
        + (consequences or t.gettext("We are still assessing this and will tell you more."))
    )
    lines.append(
        t.gettext("What we have done and will do:")
        + "\n"
        + (measures or t.gettext("We are still assessing this and will tell you more."))
    )
    if contact:
        lines.append(
            t.gettext(
                "If you have questions, contact our data protection officer: {contact}",
                contact=contact,
            )
        )
    return _message(
        to=to, sender=sender, subject=subject, body="\n\n".join(lines) + "\n", lang=lang
    )
