"""A small shop on SQLite for the planner tests: one table per rule, a parent and child, a
customer table other tables refer to, and a table under a hold with a rule of its own.

Fixed clock ``NOW`` (2030-06-30); fiscal years start on 1 May, so Bokföringslagen lets go of
records dated before 2022-05-01.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from varna.register import Register, parse_register

NOW = datetime(2030, 6, 30, tzinfo=UTC)

REGISTER = """
varna: 1
controller:
  name: Exempel Handel AB
  org_number: 556677-8899
  address: {street: Storgatan 1, postal_code: "111 22", city: Stockholm}
  contact: {email: dataskydd@exempel.se}
  fiscal_year_start: {month: 5}
  policy: {version: "1", effective_date: 2026-01-01, languages: [en]}
subjects:
  customer: {label: {sv: Kunder, en: Customers}}
activities:
  support:
    name: {sv: Support, en: Support}
    purpose: {sv: Svara., en: To answer.}
    legal_bases: [contract]
    categories: [correspondence.support_case]
    retention: {rule: period_after, period: 6 months, anchor: case_closed}
    review_every: 1 month
  newsletter:
    name: {sv: Nyhetsbrev, en: Newsletter}
    purpose: {sv: Skicka nyheter., en: To send news.}
    legal_bases: [consent]
    categories: [contact.email, identity.name]
    retention: {rule: until_withdrawn, grace: 30 days}
  accounts:
    name: {sv: Kundkonto, en: Customer account}
    purpose: {sv: Kontot., en: The account.}
    legal_bases: [contract]
    categories: [identity.name, contact.email]
    retention: {rule: while_active, anchor: relation_ended, then: 12 months}
  bookkeeping:
    name: {sv: Bokföring, en: Bookkeeping}
    purpose: {sv: Bokföra., en: To keep the accounts.}
    legal_bases: [{basis: legal_obligation, statute: bokforingslagen}]
    categories: [finance.invoice]
    retention: {rule: bookkeeping, anchor: transaction_date}
    legal_holds: [bookkeeping]
  payments:
    name: {sv: Betalningar, en: Payments}
    purpose: {sv: Ta betalt., en: To take payment.}
    legal_bases: [contract]
    categories: [finance.invoice]
    retention: {rule: period_after, period: 12 months, anchor: collected}
legal_holds:
  bookkeeping:
    name: {sv: Bokföringslagen, en: Swedish Accounting Act}
    statute: bokforingslagen
    retention: {rule: bookkeeping, anchor: transaction_date}
    categories: [finance.invoice]
systems:
  shop:
    name: {sv: Butiken, en: Shop}
    kind: sqlite
    connection: {env: VARNA_SHOP_URL}
    country: SE
    tables:
      tickets:
        primary_key: [id]
        activities: [support]
        anchors: {case_closed: closed_at}
        fields: {body: correspondence.support_case}
      subscribers:
        primary_key: [id]
        activities: [newsletter]
        anchors: {consent_withdrawn: withdrawn_at}
        erasure: anonymise
        fields:
          email: {category: contact.email, erasure: hash}
          name: identity.name
      customers:
        primary_key: [id]
        activities: [accounts]
        anchors: {relation_ended: ended_at}
        fields:
          name: identity.name
          email: {category: contact.email, erasure: fixed, value: "-"}
      orders:
        primary_key: [id]
        activities: [bookkeeping]
        anchors: {transaction_date: ordered_at}
        references: {customer_id: customers.id}
        legal_holds: [bookkeeping]
        erasure: anonymise
        fields: {total: {category: finance.invoice, erasure: keep}}
      order_lines:
        primary_key: [order_id, line]
        activities: [bookkeeping]
        references: {order_id: orders.id}
        legal_holds: [bookkeeping]
        fields: {amount: {category: finance.invoice, erasure: keep}}
      payments:
        primary_key: [id]
        activities: [payments]
        anchors: {collected: created_at, transaction_date: paid_at}
        legal_holds: [bookkeeping]
        fields: {amount: {category: finance.invoice, erasure: keep}}
"""

ROWS: dict[str, tuple[str, list[tuple[object, ...]]]] = {
    "tickets": (
        "id INTEGER PRIMARY KEY, closed_at TEXT, body TEXT",
        [
            (1, "2029-01-01 10:00:00", "a"),
            (2, "2029-12-29 23:59:59", "b"),
            (3, "2030-01-05 00:00:00", "c"),
            (4, None, "d"),
            (5, "2029-12-30 00:00:00", "e"),
        ],
    ),
    "subscribers": (
        "id INTEGER PRIMARY KEY, withdrawn_at TEXT, email TEXT, name TEXT",
        [
            (1, "2030-05-01 00:00:00", "one@example.invalid", "One"),
            (2, "2030-06-15 00:00:00", "two@example.invalid", "Two"),
            (3, None, "three@example.invalid", "Three"),
        ],
    ),
    "customers": (
        "id INTEGER PRIMARY KEY, ended_at TEXT, name TEXT, email TEXT",
        [
            (1, "2029-01-01", "One", "one@example.invalid"),
            (2, "2030-01-01", "Two", "two@example.invalid"),
            (3, None, "Three", "three@example.invalid"),
        ],
    ),
    "orders": (
        "id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), "
        "ordered_at TEXT, total INTEGER",
        [(1, 1, "2022-04-30", 10), (2, 2, "2022-05-01", 20), (3, 3, "2021-06-01 12:00:00", 30)],
    ),
    "order_lines": (
        "order_id INTEGER REFERENCES orders(id), line INTEGER, amount INTEGER, "
        "PRIMARY KEY (order_id, line)",
        [(1, 1, 4), (1, 2, 6), (2, 1, 20), (3, 1, 30)],
    ),
    "payments": (
        "id INTEGER PRIMARY KEY, created_at TEXT, paid_at TEXT, amount INTEGER",
        [
            (1, "2020-01-01", "2022-01-01", 1),
            (2, "2020-01-01", "2023-01-01", 2),
            (3, "2030-01-01", "2020-01-01", 3),
        ],
    ),
}


def small_register() -> Register:
    return parse_register(REGISTER, source="small.yaml")


def small_sqlite(path: Path) -> str:
    """Create and fill the shop in a SQLite file at ``path``; returns its URL."""
    url = f"sqlite:///{path}"
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    with engine.begin() as conn:
        for name, (columns, rows) in ROWS.items():
            conn.exec_driver_sql(f"CREATE TABLE {name} ({columns})")
            marks = ", ".join("?" * len(rows[0]))
            conn.exec_driver_sql(f"INSERT INTO {name} VALUES ({marks})", rows)
    engine.dispose()
    return url
