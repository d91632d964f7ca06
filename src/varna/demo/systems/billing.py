"""billing.db: invoices to private customers 2018-2026, their lines, and the payments that carry
bank details (autogiro withdrawals and bank transfers; OCR payments through bankgiro are matched
in the bank's file and not kept here).

Invoices are numbered in date order, as Bokföringslagen's unbroken series asks; each invoice's
amount is the sum of its lines plus 25 % VAT, in whole kronor. ``invoices.customer_no`` names a
CRM customer without a foreign key (another system); ``invoice_lines.invoice_no`` and
``payments.invoice_no`` have one, with ON DELETE NO ACTION.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import NamedTuple

from varna.demo.clock import TODAY, first_of_month, iso_day, iso_time, month_start
from varna.demo.people import derive_seed, mix
from varna.demo.tables import BATCH, Batch, Row, SystemSpec, TableSpec
from varna.demo.world import Account, Sizes, World

INVOICES = TableSpec(
    "invoices",
    (
        ("id", "INTEGER PRIMARY KEY"),
        ("invoice_no", "TEXT NOT NULL"),
        ("customer_no", "TEXT NOT NULL"),
        ("invoice_date", "TEXT NOT NULL"),
        ("due_date", "TEXT NOT NULL"),
        ("billing_name", "TEXT"),
        ("billing_street", "TEXT"),
        ("billing_postal_code", "TEXT"),
        ("billing_city", "TEXT"),
        ("net_sek", "INTEGER NOT NULL"),
        ("vat_sek", "INTEGER NOT NULL"),
        ("amount_sek", "INTEGER NOT NULL"),
    ),
    indexes=("customer_no", "invoice_date"),
    unique=("invoice_no",),
)
INVOICE_LINES = TableSpec(
    "invoice_lines",
    (
        ("id", "INTEGER PRIMARY KEY"),
        ("invoice_no", "TEXT NOT NULL"),
        ("line_no", "INTEGER NOT NULL"),
        ("description", "TEXT NOT NULL"),
        ("quantity", "INTEGER NOT NULL"),
        ("unit_price_sek", "INTEGER NOT NULL"),
        ("amount_sek", "INTEGER NOT NULL"),
    ),
    foreign_keys=("FOREIGN KEY (invoice_no) REFERENCES invoices (invoice_no) ON DELETE NO ACTION",),
    indexes=("invoice_no",),
)
PAYMENTS = TableSpec(
    "payments",
    (
        ("id", "INTEGER PRIMARY KEY"),
        ("invoice_no", "TEXT NOT NULL"),
        ("customer_no", "TEXT NOT NULL"),
        ("paid_at", "TEXT NOT NULL"),
        ("amount_sek", "INTEGER NOT NULL"),
        ("method", "TEXT NOT NULL"),
        ("payer_personnummer", "TEXT"),
        ("bank_account", "TEXT"),
        ("autogiro_mandate", "TEXT"),
        ("iban", "TEXT"),
        ("bic", "TEXT"),
    ),
    foreign_keys=("FOREIGN KEY (invoice_no) REFERENCES invoices (invoice_no) ON DELETE NO ACTION",),
    indexes=("invoice_no", "customer_no", "payer_personnummer", "paid_at"),
)

#: Subscriptions (monthly price excluding VAT) and one-off items of the demo company.
SUBSCRIPTIONS = (
    ("Trygghetslarm", 349),
    ("Trygghetslarm med GPS", 449),
    ("Digital nattillsyn", 295),
    ("Medicinpåminnare", 199),
    ("Surfplatta med omsorgsapp", 249),
)
EXTRAS = (
    ("Extra larmknapp", 295),
    ("Batteribyte", 150),
    ("Utryckning utanför avtal", 595),
    ("Nyckelhantering", 250),
    ("Pappersfaktura", 29),
)
INSTALLATION = ("Installation", 495)
#: (IBAN bank code, first clearing number, BIC) of four large Swedish banks.
BANKS = (
    ("500", 5000, "ESSESESS"),
    ("600", 6000, "HANDSESS"),
    ("800", 8000, "SWEDSESS"),
    ("300", 3000, "NDEASESS"),
)


class Billed(NamedTuple):
    """What billing knows of one private customer."""

    customer_no: str
    name: str
    street: str
    postal_code: str
    city: str
    product: str
    price: int
    account: Account
    payer_personnummer: str | None
    bank_account: str | None
    mandate: str | None
    iban: str | None
    bic: str | None


def iban(bank: str, clearing: int, account: int) -> str:
    """A Swedish IBAN with valid check digits (ISO 13616; ``SE`` is 28 14 as digits)."""
    bban = f"{bank}{clearing:04d}{account:013d}"
    return f"SE{98 - int(bban + '281400') % 97:02d}{bban}"


def _customers(world: World) -> dict[int, Billed]:
    """Billing details of every private customer, and the months they are invoiced."""
    salt = derive_seed(world.seed, "billing", "bank")
    out: dict[int, Billed] = {}
    for c in range(world.sizes.customers):
        a = world.account(c)
        if not a.private:
            continue
        p, h = world.people[c], mix(c, salt)
        bank, first, bic = BANKS[h % len(BANKS)]
        clearing, account = first + (h >> 8) % 1000, (h >> 20) % 10**9
        autogiro = a.pay_method == "autogiro"
        product, price = SUBSCRIPTIONS[(h >> 50) % len(SUBSCRIPTIONS)]
        out[c] = Billed(
            a.customer_no,
            p.name,
            p.street,
            p.postal_code,
            p.city,
            product,
            price,
            a,
            p.personnummer if autogiro else None,
            f"{clearing}-{account:09d}" if autogiro else None,
            f"AG-{a.customer_no}-{1 + (h >> 58) % 9}" if autogiro else None,
            iban(bank, clearing, account) if a.pay_method == "iban" else None,
            bic if a.pay_method == "iban" else None,
        )
    return out


def _schedule(details: dict[int, Billed]) -> dict[int, list[tuple[int, int]]]:
    """Invoice run per month: (invoice day, customer), from sign-up to the end or today."""
    months: dict[int, list[tuple[int, int]]] = {}
    for c, billed in details.items():
        a = billed.account
        end = a.ended_day if a.ended_day is not None else TODAY
        for m in range(month_start(a.created_day), month_start(end) + 1, a.interval_months):
            day = max(first_of_month(m) + a.billing_day - 1, a.created_day)
            if day <= end:
                months.setdefault(m, []).append((day, c))
    return months


def generate(world: World, rng: random.Random) -> Iterator[Batch]:
    """Invoices month by month, each with its lines (the subscription for the period, the
    installation on the first invoice, sometimes an extra) and, where the customer pays by
    autogiro or bank transfer, its payment."""
    details = _customers(world)
    months = _schedule(details)
    rand = rng.random
    invoices: list[Row] = []
    lines: list[Row] = []
    payments: list[Row] = []
    n = line_id = payment_id = 0
    for m in sorted(months):
        for day, c in sorted(months[m]):
            b, a = details[c], details[c].account
            n += 1
            invoice_no = f"F{1_000_000 + n}"
            line_id += 1
            q = a.interval_months
            net = q * b.price
            lines.append((line_id, invoice_no, 1, f"{b.product}, {q} mån", q, b.price, net))
            extra = (
                INSTALLATION
                if day - a.created_day < 31
                else EXTRAS[int(rand() * len(EXTRAS))]
                if rand() < 0.45
                else None
            )
            if extra is not None:
                line_id += 1
                net += extra[1]
                lines.append((line_id, invoice_no, 2, extra[0], 1, extra[1], extra[1]))
            vat, due = net // 4, day + 30
            invoices.append(
                (
                    n,
                    invoice_no,
                    b.customer_no,
                    iso_day(day),
                    iso_day(due),
                    b.name,
                    b.street,
                    b.postal_code,
                    b.city,
                    net,
                    vat,
                    net + vat,
                )
            )
            # OCR payments through bankgiro are matched in the bank's file, not kept here.
            if b.mandate is not None or b.iban is not None:
                paid = due if b.mandate else due - int(rand() * 12)
                if paid <= TODAY:
                    payment_id += 1
                    method = "autogiro" if b.mandate else "banköverföring"
                    when = iso_time(paid, 21_600 + int(rand() * 36_000))
                    payments.append(
                        (
                            payment_id,
                            invoice_no,
                            b.customer_no,
                            when,
                            net + vat,
                            method,
                            b.payer_personnummer,
                            b.bank_account,
                            b.mandate,
                            b.iban,
                            b.bic,
                        )
                    )
            if len(lines) >= BATCH:
                yield "invoices", invoices
                yield "invoice_lines", lines
                yield "payments", payments
                invoices, lines, payments = [], [], []
    yield "invoices", invoices
    yield "invoice_lines", lines
    yield "payments", payments


def planned(sizes: Sizes) -> dict[str, int]:
    return {
        "invoices": sizes.subjects * 2,
        "invoice_lines": sizes.subjects * 3,
        "payments": sizes.subjects // 2,
    }


SYSTEM = SystemSpec("billing", (INVOICES, INVOICE_LINES, PAYMENTS), generate, planned)
