"""A three-system shop for the request tests: CRM, billing and support, in memory.

Anna (customer 1) is found by e-mail in the CRM and in support; her personnummer, stored in
three spellings, leads to her invoices in billing; invoices and credit notes refer to each other
(a cycle); ``referred_by`` and ``agent_id`` point at other people and are not followed. Invoice
A-1 is still under the bookkeeping hold on ``NOW``; A-2's hold ended (fiscal years start in May).
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from varna.connectors import MemoryConnector
from varna.register import Register, parse_register

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
TODAY = NOW.date()
ANNA_PNR = "195704289999"
BERTIL_PNR = "194608239986"

SHOP_YAML = """
varna: 1
controller:
  name: Exempel Handel AB
  org_number: 556677-8899
  address: {street: Storgatan 1, postal_code: "111 22", city: Stockholm}
  contact: {email: dataskydd@exempel.se}
  dpo: {name: Dataskyddsombud, email: dpo@exempel.se}
  fiscal_year_start: {month: 5}
  policy: {version: "1", effective_date: 2026-01-01, languages: [sv, en]}
subjects:
  customer: {label: {sv: Kunder, en: Customers}}
  staff: {label: {sv: Personal, en: Staff}}
recipients:
  mailer:
    name: {sv: Utskick Inc., en: Mailer Inc.}
    kind: processor
    purpose: {sv: Skickar nyhetsbrev., en: Sends newsletters.}
    country: US
    dpa: {signed: 2025-01-01}
    transfer: {mechanism: scc, reference: SCC modul 2, copy_available_at: dpo@exempel.se}
  skatteverket:
    name: {sv: Skatteverket, en: Swedish Tax Agency}
    kind: authority
    purpose: {sv: Kontroll av bokföringen., en: Audits of the accounts.}
    country: SE
activities:
  customer_account:
    name: {sv: Kundkonto, en: Customer account}
    purpose: {sv: Att hantera ditt kundkonto., en: To manage your customer account.}
    legal_bases: [contract]
    personnummer_justification: {sv: Säker identifiering vid kredit., en: Secure identification.}
    subjects: [customer]
    categories: [identity.name, contact.email, identity.personnummer, correspondence.support_case]
    sources:
      - data_subject
      - {kind: public_register, name: {sv: SPAR, en: SPAR}, publicly_accessible: true}
    recipients: [mailer]
    retention: {rule: period_after, period: 24 months, anchor: relation_ended}
    automated_decision:
      solely_automated: true
      profiling: true
      legal_effect: true
      basis: contract
      logic:
        sv: Kreditbedömning utifrån betalningshistorik.
        en: Credit scoring from payment history.
      significance: {sv: Kan leda till att kredit nekas., en: May lead to credit being refused.}
    portability_promised: true
  bookkeeping:
    name: {sv: Bokföring, en: Bookkeeping}
    purpose: {sv: Att bokföra försäljningen., en: To keep the accounts.}
    legal_bases: [{basis: legal_obligation, statute: bokforingslagen}]
    personnummer_justification: {sv: Fakturor till privatpersoner., en: Invoices to consumers.}
    subjects: [customer]
    categories: [identity.name, identity.personnummer, finance.invoice, contact.postal_address]
    recipients: [skatteverket]
    retention: {rule: bookkeeping, anchor: transaction_date}
    legal_holds: [bookkeeping]
legal_holds:
  bookkeeping:
    name: {sv: Bokföringslagen, en: Swedish Accounting Act}
    statute: bokforingslagen
    retention: {rule: bookkeeping, anchor: transaction_date}
    categories: [finance.invoice, identity.name]
security:
  measures: [{sv: Behörighetsstyrning, en: Access control}]
systems:
  crm:
    name: {sv: Kundregister, en: CRM}
    kind: memory
    connection: {env: VARNA_TEST_CRM, default: "memory://"}
    country: SE
    tables:
      customers:
        primary_key: [id]
        subjects: [customer]
        activities: [customer_account]
        identities: {email: email, personnummer: pnr, customer_number: id}
        references:
          referred_by: {table: customers, column: id, follow: false}
        anchors: {relation_ended: ended_at}
        erasure: anonymise
        fields:
          name: {category: identity.name, erasure: fixed, value: "-"}
          email: {category: contact.email, erasure: hash}
          pnr: {category: identity.personnummer, erasure: mask}
      notes:
        primary_key: [id]
        subjects: [customer]
        activities: [customer_account]
        references: {customer_id: customers.id}
        fields:
          text: correspondence.support_case
  billing:
    name: {sv: Ekonomisystem, en: Billing}
    kind: memory
    connection: {env: VARNA_TEST_BILLING, default: "memory://"}
    country: SE
    tables:
      invoices:
        primary_key: ["no"]
        subjects: [customer]
        activities: [bookkeeping]
        identities: {personnummer: buyer_pnr}
        references:
          credit_note: {table: credit_notes, column: id}
        anchors: {transaction_date: date}
        legal_holds: [bookkeeping]
        erasure: anonymise
        fields:
          buyer_name: identity.name
          buyer_pnr: {category: identity.personnummer, erasure: mask}
          address: contact.postal_address
          date: {category: finance.invoice, erasure: keep, provided_by_subject: false}
          amount: {category: finance.invoice, erasure: keep, provided_by_subject: false}
      credit_notes:
        primary_key: [id]
        subjects: [customer]
        activities: [bookkeeping]
        references: {invoice_no: invoices.no}
        legal_holds: [bookkeeping]
        fields:
          amount: {category: finance.invoice, erasure: keep, provided_by_subject: false}
  support:
    name: {sv: Kundtjänst, en: Support desk}
    kind: memory
    connection: {env: VARNA_TEST_SUPPORT, default: "memory://"}
    country: SE
    tables:
      tickets:
        primary_key: [id]
        subjects: [customer]
        activities: [customer_account]
        identities: {email: requester}
        references:
          agent_id: {table: agents, column: id, follow: false}
          customer_id: {system: crm, table: customers, column: id}
        anchors: {relation_ended: closed_at}
        fields:
          requester: contact.email
          body: correspondence.support_case
      agents:
        primary_key: [id]
        subjects: [staff]
        identities: {email: email}
        fields:
          email: contact.email
          name: identity.name
"""

SHOP_DATA: dict[str, dict[str, list[dict[str, Any]]]] = {
    "crm": {
        "customers": [
            {
                "id": 1,
                "name": "Anna Andersson",
                "email": "anna@example.se",
                "pnr": ANNA_PNR,
                "referred_by": 2,
                "ended_at": None,
            },
            {
                "id": 2,
                "name": "Bertil Berg",
                "email": "bertil@example.se",
                "pnr": BERTIL_PNR,
                "referred_by": None,
                "ended_at": None,
            },
        ],
        "notes": [
            {"id": 10, "customer_id": 1, "text": "Ringde om faktura"},
            {"id": 11, "customer_id": 1, "text": "Ny adress"},
            {"id": 12, "customer_id": 2, "text": "Bertils anteckning"},
        ],
    },
    "billing": {
        "invoices": [
            {
                "no": "A-1",
                "buyer_name": "Anna Andersson",
                "buyer_pnr": "19570428-9999",
                "address": "Storgatan 2",
                "date": date(2020, 3, 1),
                "amount": 100,
                "credit_note": 100,
            },
            {
                "no": "A-2",
                "buyer_name": "Anna Andersson",
                "buyer_pnr": "570428-9999",
                "address": "Storgatan 2",
                "date": date(2016, 6, 1),
                "amount": 50,
                "credit_note": None,
            },
            {
                "no": "B-1",
                "buyer_name": "Bertil Berg",
                "buyer_pnr": BERTIL_PNR,
                "address": "Bergsvägen 1",
                "date": date(2025, 6, 1),
                "amount": 75,
                "credit_note": 101,
            },
        ],
        "credit_notes": [
            {"id": 100, "invoice_no": "A-1", "amount": -100},
            {"id": 101, "invoice_no": "B-1", "amount": -75},
        ],
    },
    "support": {
        "tickets": [
            {
                "id": 500,
                "requester": "anna@example.se",
                "agent_id": 9,
                "customer_id": 1,
                "body": "Hjälp",
                "closed_at": None,
            },
            {
                "id": 501,
                "requester": "kollega@example.se",
                "agent_id": 9,
                "customer_id": 1,
                "body": "Om Anna",
                "closed_at": None,
            },
            {
                "id": 502,
                "requester": "bertil@example.se",
                "agent_id": 9,
                "customer_id": 2,
                "body": "Bertil",
                "closed_at": None,
            },
        ],
        "agents": [{"id": 9, "email": "agent@exempel.se", "name": "Agent Smith"}],
    },
}


def shop_register() -> Register:
    return parse_register(SHOP_YAML, source="shop.yaml")


def shop_connectors() -> dict[str, MemoryConnector]:
    return {
        key: MemoryConnector(copy.deepcopy(tables), name=key) for key, tables in SHOP_DATA.items()
    }


def _sql_type(values: list[Any]) -> Any:
    import sqlalchemy as sa

    sample = next((v for v in values if v is not None), "")
    if isinstance(sample, bool | int):
        return sa.Integer
    if isinstance(sample, date):
        return sa.Date
    return sa.Text


def shop_sqlite(folder: Path) -> tuple[Path, dict[str, str]]:
    """The shop in three SQLite files: the register file and the environment that points at them."""
    import sqlalchemy as sa

    folder.mkdir(parents=True, exist_ok=True)
    env = {}
    for system, tables in SHOP_DATA.items():
        url = f"sqlite:///{folder / f'{system}.db'}"
        env[f"VARNA_TEST_{system.upper()}"] = url
        engine = sa.create_engine(url)
        metadata = sa.MetaData()
        for name, rows in tables.items():
            columns = [sa.Column(c, _sql_type([r[c] for r in rows])) for c in rows[0]]
            table = sa.Table(name, metadata, *columns)
            metadata.create_all(engine)
            with engine.begin() as conn:
                conn.execute(sa.insert(table), rows)
        engine.dispose()
    register = folder / "shop.yaml"
    register.write_text(SHOP_YAML.replace("kind: memory", "kind: sqlite"), encoding="utf-8")
    return register, env


def dump_sqlite(env: dict[str, str]) -> dict[str, dict[str, list[tuple[Any, ...]]]]:
    """Every row of every shop table, sorted, per system: to compare end states."""
    import sqlalchemy as sa

    out: dict[str, dict[str, list[tuple[Any, ...]]]] = {}
    for system, tables in SHOP_DATA.items():
        engine = sa.create_engine(env[f"VARNA_TEST_{system.upper()}"])
        with engine.connect() as conn:
            out[system] = {
                t: sorted((tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {t}"))), key=repr)
                for t in tables
            }
        engine.dispose()
    return out
