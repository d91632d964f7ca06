"""The demo's support mailbox: a Maildir in ``<dir>/mail/support`` holding customers' e-mail
not yet moved into a case (seed 004's inbox, purged monthly).

Deterministic: the same seed gives the same messages, dated by the demo's calendar
(:data:`varna.demo.clock.AS_OF`). Two in three messages are older than the register's month,
so ``varna retention plan --at 2026-10-31`` shows them expiring; some carry a personnummer in
their text, as real support mail does, for discovery to find.
"""

from __future__ import annotations

import mailbox
import random
from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from pathlib import Path

from varna.demo.clock import AS_OF

MESSAGES = 24
"""Messages in the inbox: 16 from before the last month, 8 from it."""

_FIRST = ("Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Per", "Sara", "Nils")
_LAST = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson")
_TOPICS = (
    ("Fråga om faktura", "Jag har fått en faktura som jag inte känner igen."),
    ("Byte av adress", "Vi har flyttat och vill att ni ändrar vår adress."),
    ("Hemtjänsten i morgon", "Kan besöket flyttas till eftermiddagen?"),
    ("Inloggning fungerar inte", "Jag kommer inte in på mina sidor sedan i går."),
)


def _personnummer(rng: random.Random) -> str:
    born = f"{rng.randint(1940, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    digits = born[2:] + f"{rng.randint(0, 999):03d}"
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return f"{born}-{digits[6:]}{(10 - total % 10) % 10}"


def build_mailbox(folder: Path, *, seed: int) -> int:
    """Write the support inbox into ``folder`` (created); returns the number of messages."""
    rng = random.Random(f"support-mail-{seed}")
    folder.parent.mkdir(parents=True, exist_ok=True)
    box = mailbox.Maildir(folder, create=True)
    end = datetime.combine(AS_OF, time(17, 0), tzinfo=UTC)
    for i in range(MESSAGES):
        days = rng.randint(35, 150) if i < 16 else rng.randint(0, 27)
        when = end - timedelta(days=days, minutes=rng.randint(0, 600))
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        subject, body = rng.choice(_TOPICS)
        msg = EmailMessage()
        msg["From"] = f"{first} {last} <{first.lower()}.{last.lower()}{i}@example.se>"
        msg["To"] = "support@norrsken.example"
        msg["Subject"] = subject
        msg["Date"] = when.strftime("%a, %d %b %Y %H:%M:%S +0000")
        msg["Message-ID"] = f"<demo-{seed}-{i}@mail.example>"
        text = f"Hej!\n\n{body}"
        if i % 3 == 0:
            text += f" Mitt personnummer är {_personnummer(rng)}."
        msg.set_content(f"{text}\n\nMed vänlig hälsning\n{first} {last}\n")
        entry = mailbox.MaildirMessage(msg)
        entry.set_date(when.timestamp())
        box.add(entry)
    box.close()
    return MESSAGES
