"""Ordinary data that trips a naive identity model, added to a built demo company.

Real systems hold what the generated demo does not: an IP address several customers used (a
family's router, an office), a support ticket a relative wrote that carries the customer's
number, one e-mail address a couple shares, and e-mail addresses stored in upper or mixed case.
:func:`add_hostile_data` writes one of each into a demo built by :func:`varna.demo.builder.
build_demo` and returns where it put them, so tests can ask what a request by each reaches. It
is not part of the default demo: the demo's golden figures stay as they are.

The customers are drawn with ``random.Random(seed)`` from those with an e-mail address and a
personnummer, so the same demo and seed give the same cases. The addresses use the reserved
``example`` domains and the IP address the documentation range 203.0.113.0/24 (RFC 5737).
"""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

SHARED_IP = "203.0.113.77"
"""An IP address two logged-in customers and one anonymous visitor used."""


@dataclass(frozen=True, slots=True)
class Customer:
    """A demo customer a case is about: the values a request would give."""

    customer_no: str
    email: str
    personnummer: str


@dataclass(frozen=True, slots=True)
class HostileCases:
    """Where :func:`add_hostile_data` put each case."""

    shared_ip: str
    ip_customers: tuple[Customer, Customer]
    """Two customers who both used :attr:`shared_ip` while logged in."""
    relative_email: str
    """A relative's address, the sender of a ticket about :attr:`relative_customer`."""
    relative_customer: Customer
    family_email: str
    """One address the two :attr:`family_customers` share in the CRM."""
    family_customers: tuple[Customer, Customer]
    mixed_case_customer: Customer
    """Stored in upper case in the CRM and in mixed case in support and marketing;
    :attr:`Customer.email` holds the lower-case address a person types."""


def _customers(crm: sqlite3.Connection, rng: random.Random, count: int) -> list[Customer]:
    rows = crm.execute(
        "SELECT customer_no, email, personnummer FROM customers "
        "WHERE email IS NOT NULL AND personnummer IS NOT NULL ORDER BY id"
    ).fetchall()
    if len(rows) < count:
        raise ValueError(f"the demo has fewer than {count} customers with e-mail and personnummer")
    return [Customer(str(n), str(e).lower(), str(p)) for n, e, p in rng.sample(rows, count)]


def add_hostile_data(directory: Path, *, seed: int = 13) -> HostileCases:
    """Write the cases into the demo in ``directory`` (its ``data/*.db``); return them."""
    data = directory / "data"
    rng = random.Random(seed)
    with closing(sqlite3.connect(data / "crm.db")) as crm, crm:
        ip_a, ip_b, relative, fam_a, fam_b, mixed = _customers(crm, rng, 6)
        family = f"familjen.{fam_a.customer_no.lower()}@example.org"
        for member in (fam_a, fam_b):
            crm.execute(
                "UPDATE customers SET email = ? WHERE customer_no = ?", (family, member.customer_no)
            )
        crm.execute(
            "UPDATE customers SET email = ? WHERE customer_no = ?",
            (mixed.email.upper(), mixed.customer_no),
        )
    fam_a = Customer(fam_a.customer_no, family, fam_a.personnummer)
    fam_b = Customer(fam_b.customer_no, family, fam_b.personnummer)
    shown = mixed.email[:1].upper() + mixed.email[1:]  # Anna.Berg@example.se
    relative_email = f"anhorig.{relative.customer_no.lower()}@example.net"
    with closing(sqlite3.connect(data / "support.db")) as support, support:
        support.execute(
            "UPDATE tickets SET from_email = ? WHERE lower(from_email) = ?", (shown, mixed.email)
        )
        support.execute(
            "INSERT INTO tickets (customer_no, from_email, from_name, subject, body, opened_at, "
            "closed_at) VALUES (?, ?, ?, ?, ?, ?, NULL)",
            (
                relative.customer_no,
                relative_email,
                "Anhörig",
                "Mammas larm",
                "Hej, jag skriver för min mammas räkning om hennes trygghetslarm.",
                "2026-02-20T10:15:00",
            ),
        )
    with closing(sqlite3.connect(data / "marketing.db")) as marketing, marketing:
        marketing.execute(
            "INSERT INTO newsletter_signups (email, first_name, consent_given_at, consent_text, "
            "source) VALUES (?, NULL, ?, ?, ?)",
            (shown, "2025-05-01T08:00:00", "Ja, skicka nyhetsbrevet.", "website"),
        )
    with closing(sqlite3.connect(data / "web.db")) as web, web:
        for who in (ip_a.customer_no, ip_b.customer_no, None):
            web.execute(
                "INSERT INTO access_log (ts, ip_address, method, path, status, user_agent, "
                "customer_no) VALUES (?, ?, 'GET', '/mina-sidor', 200, 'Mozilla/5.0', ?)",
                ("2026-02-25T19:00:00", SHARED_IP, who),
            )
    return HostileCases(
        SHARED_IP, (ip_a, ip_b), relative_email, relative, family, (fam_a, fam_b), mixed
    )
