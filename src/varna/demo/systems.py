"""The demo company's systems: each a SQLite file with its tables, indexes and row generators.

Sizes per subject (N people): customers 0.5, companies 0.005, contacts 0.05, end users 0.3,
care notes 1.5, invoices 2, invoice lines 3, payments 0.5, tickets 0.5, newsletter sign-ups 0.3,
applicants 0.05, web log lines 1.5: about 10 rows per person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from varna.demo.names import CARE_NOTES, PATHS, TICKET_SUBJECTS, USER_AGENTS
from varna.demo.people import People, mix, org_number

Row = tuple[object, ...]
_FIRST_DAY = date(2015, 1, 1)
DAYS = [
    (_FIRST_DAY + timedelta(days=k)).isoformat()
    for k in range((date(2026, 11, 1) - _FIRST_DAY).days)
]
TIMES = [f"{h:02d}:{m:02d}:00" for h in range(7, 22) for m in range(0, 60, 7)]


def _at(h: int, first: int = 0, last: int = len(DAYS) - 1) -> str:
    return f"{DAYS[first + h % (last - first + 1)]} {TIMES[(h >> 20) % len(TIMES)]}"


def _day_index(iso: str) -> int:
    return (date.fromisoformat(iso) - _FIRST_DAY).days


@dataclass(frozen=True, slots=True)
class Sizes:
    """How many rows each table gets for ``subjects`` people."""

    subjects: int

    @property
    def customers(self) -> int:
        return max(self.subjects // 2, 5)

    @property
    def companies(self) -> int:
        return max(self.subjects // 200, 3)

    @property
    def contacts(self) -> int:
        return max(self.subjects // 20, 3)

    @property
    def end_users(self) -> int:
        return max(self.subjects * 3 // 10, 3)


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    ddl: str
    columns: tuple[str, ...]
    rows: Callable[[People, Sizes, int], Iterator[Row]]
    count: Callable[[Sizes], int]
    indexes: tuple[str, ...] = ()


# --- crm -------------------------------------------------------------------------------------
def _companies(people: People, s: Sizes, salt: int) -> Iterator[Row]:
    kinds = ("kommun", "Omsorg AB", "Hemtjänst AB", "Vård och Omsorg AB")
    for i in range(s.companies):
        h = mix(i, salt)
        yield (i + 1, f"Kund {i + 1} {kinds[h % 4]}", org_number(i, salt))


def _customers(people: People, s: Sizes, salt: int) -> Iterator[Row]:
    for i in range(s.customers):
        p, h = people[i], mix(i, salt)
        created = h % (len(DAYS) - 400)
        ended = (
            DAYS[created + 200 + (h >> 24) % 1500]
            if h % 5 == 0 and created + 1700 < len(DAYS)
            else None
        )
        yield (
            i + 1,
            f"K{100000 + i}",
            p.name,
            p.personnummer,
            p.email,
            p.phone,
            p.street,
            p.postal_code,
            p.city,
            f"{DAYS[created]} 09:00:00",
            f"{ended} 17:00:00" if ended else None,
        )


def _contacts(people: People, s: Sizes, salt: int) -> Iterator[Row]:
    titles = ("Verksamhetschef", "Enhetschef", "Inköpare", "IT-ansvarig", "Biståndshandläggare")
    base = s.customers
    for k in range(s.contacts):
        p, h = people[base + k], mix(k, salt)
        ended = f"{DAYS[(h >> 8) % len(DAYS)]} 17:00:00" if h % 10 == 0 else None
        yield (k + 1, p.name, titles[h % 5], p.email, p.phone, 1 + h % s.companies, ended)


# --- care ------------------------------------------------------------------------------------
def _end_users(people: People, s: Sizes, salt: int) -> Iterator[Row]:
    base = s.customers + s.contacts
    for k in range(s.end_users):
        p, h = people[base + k], mix(k, salt)
        yield (
            k + 1,
            f"K{100000 + h % s.customers}",
            p.name,
            p.birth_date,
            f"{p.street}, {p.postal_code} {p.city}",
        )


def _care_notes(people: People, s: Sizes, salt: int) -> Iterator[Row]:
    n = 0
    for k in range(s.end_users):
        for _ in range(5):
            h = mix(n, salt)
            n += 1
            text = CARE_NOTES[h % len(CARE_NOTES)].format(
                h=f"{7 + (h >> 8) % 14}:{(h >> 12) % 60:02d}",
                a=110 + (h >> 16) % 50,
                b=65 + (h >> 20) % 30,
                w=50 + (h >> 24) % 45,
                g=f"{4 + (h >> 28) % 6},{(h >> 32) % 10}",
            )
            yield (n, k + 1, text, _at(h >> 4))


# --- billing ---------------------------------------------------------------------------------
def _invoice_date(i: int, salt: int) -> str:
    return DAYS[_day_index("2019-01-01") + mix(i, salt) % (len(DAYS) - _day_index("2019-01-01"))]


def _invoices(people: People, s: Sizes, salt: int) -> Iterator[Row]:
    for n in range(s.customers * 4):
        c = n // 4
        p, h = people[c], mix(n, salt)
        d = _invoice_date(n, salt)
        due = (date.fromisoformat(d) + timedelta(days=30)).isoformat()
        yield (
            n + 1,
            f"F{2000000 + n}",
            f"K{100000 + c}",
            d,
            due,
            199 + h % 4800,
            p.name,
            f"{p.street}, {p.postal_code} {p.city}",
        )


def _invoice_lines(people: People, s: Sizes, salt: int) -> Iterator[Row]:
    items = (
        "Trygghetslarm, månadsavgift",
        "Surfplatta med omsorgsapp",
        "Medicinpåminnare",
        "Installation",
        "Support, timpris",
        "Golvsensor",
    )
    n = 0
    for inv in range(s.customers * 4):
        for _ in range(1 + (inv % 2)):
            h = mix(n, salt)
            n += 1
            yield (
                n,
                f"F{2000000 + inv}",
                items[h % len(items)],
                1 + (h >> 8) % 3,
                99 + (h >> 12) % 900,
            )


def _iban(account: int) -> str:
    """A Swedish IBAN with valid check digits (ISO 13616: ``SE`` is 28 14 as digits)."""
    bban = f"{account:020d}"
    return f"SE{98 - int(bban + '281400') % 97:02d}{bban}"


def _payments(people: People, s: Sizes, salt: int) -> Iterator[Row]:
    for k in range(s.customers):
        inv = k * 4 + 1
        h = mix(k, salt)
        iban = _iban((h >> 8) % 10**20) if h % 2 else None
        mandate = None if iban else f"AG{(h >> 16) % 10**8:08d}"
        yield (k + 1, f"F{2000000 + inv}", f"{_invoice_date(inv, salt)} 12:00:00", iban, mandate)


# --- support, marketing, recruitment, web ------------------------------------------------------
def _tickets(people: People, s: Sizes, salt: int) -> Iterator[Row]:
    for k in range(s.customers):
        h = mix(k, salt)
        who = people[k if h % 5 else s.subjects + k]  # one in five from someone not a customer
        opened = h % (len(DAYS) - 60)
        closed = f"{DAYS[opened + 1 + (h >> 8) % 30]} 16:00:00" if h % 7 else None
        subject = TICKET_SUBJECTS[(h >> 4) % len(TICKET_SUBJECTS)]
        yield (
            k + 1,
            who.email,
            subject,
            f"Hej! {subject}. Mitt telefonnummer är {who.phone}. Hälsningar {who.name}",
            f"{DAYS[opened]} 10:00:00",
            closed,
        )


def _signups(people: People, s: Sizes, salt: int) -> Iterator[Row]:
    sources = ("webbplats", "mässa", "kundportal")
    for k in range(s.subjects * 3 // 10):
        h = mix(k, salt)
        p = people[k * 3]
        given = h % (len(DAYS) - 100)
        withdrawn = f"{DAYS[given + 30 + (h >> 8) % 60]} 08:00:00" if h % 7 == 0 else None
        yield (k + 1, p.email, f"{DAYS[given]} 12:00:00", withdrawn, sources[(h >> 4) % 3])


def _applicants(people: People, s: Sizes, salt: int) -> Iterator[Row]:
    for k in range(max(s.subjects // 20, 2)):
        h = mix(k, salt)
        p = people[k * 20 + 1]
        applied = _day_index("2021-01-01") + h % (len(DAYS) - _day_index("2021-01-01") - 120)
        closed = f"{DAYS[applied + 60]} 15:00:00"
        yield (
            k + 1,
            p.name,
            p.email,
            p.phone,
            f"Undersköterska med {1 + h % 20} års erfarenhet av hemtjänst.",
            "Jag söker tjänsten som supporttekniker eftersom ...",
            f"{DAYS[applied]} 11:00:00",
            closed,
        )


def _access_log(people: People, s: Sizes, salt: int) -> Iterator[Row]:
    for n in range(s.subjects * 3 // 2):
        h = mix(n, salt)
        ip = (
            f"{81 + h % 100}.{(h >> 8) % 256}.{(h >> 16) % 256}.{(h >> 24) % 254 + 1}"
            if h % 10
            else f"2001:db8:{(h >> 8) % 65536:x}::{(h >> 24) % 65536:x}"
        )
        customer = f"K{100000 + (h >> 32) % s.customers}" if h % 10 < 3 else None
        yield (
            n + 1,
            _at(h >> 4, _day_index("2026-01-01")),
            ip,
            PATHS[(h >> 40) % len(PATHS)],
            USER_AGENTS[(h >> 44) % len(USER_AGENTS)],
            customer,
        )


def _t(
    name: str,
    ddl: str,
    rows: Callable[[People, Sizes, int], Iterator[Row]],
    count: Callable[[Sizes], int],
    *indexes: str,
) -> TableSpec:
    cols = tuple(
        part.strip().split()[0]
        for part in ddl.split(",")
        if not part.strip().upper().startswith(("FOREIGN", "PRIMARY"))
    )
    return TableSpec(name, f"CREATE TABLE {name} ({ddl})", cols, rows, count, indexes)


SYSTEMS: dict[str, tuple[TableSpec, ...]] = {
    "crm": (
        _t(
            "companies",
            "id INTEGER PRIMARY KEY, name TEXT NOT NULL, org_number TEXT NOT NULL",
            _companies,
            lambda s: s.companies,
        ),
        _t(
            "customers",
            "id INTEGER PRIMARY KEY, customer_no TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
            "personnummer TEXT, email TEXT NOT NULL, phone TEXT, street TEXT, postal_code TEXT, "
            "city TEXT, created_at TEXT NOT NULL, ended_at TEXT",
            _customers,
            lambda s: s.customers,
            "email",
            "personnummer",
            "phone",
            "ended_at",
        ),
        _t(
            "contacts",
            "id INTEGER PRIMARY KEY, name TEXT NOT NULL, title TEXT, email TEXT, phone TEXT, "
            "company_id INTEGER NOT NULL REFERENCES companies(id), ended_at TEXT",
            _contacts,
            lambda s: s.contacts,
            "email",
            "phone",
            "company_id",
        ),
    ),
    "care": (
        _t(
            "end_users",
            "id INTEGER PRIMARY KEY, customer_no TEXT NOT NULL, name TEXT NOT NULL, "
            "birth_date TEXT, address TEXT",
            _end_users,
            lambda s: s.end_users,
            "customer_no",
        ),
        _t(
            "care_notes",
            "id INTEGER PRIMARY KEY, end_user_id INTEGER NOT NULL REFERENCES end_users(id), "
            "note TEXT NOT NULL, written_at TEXT NOT NULL",
            _care_notes,
            lambda s: s.end_users * 5,
            "end_user_id",
            "written_at",
        ),
    ),
    "billing": (
        _t(
            "invoices",
            "id INTEGER PRIMARY KEY, invoice_no TEXT NOT NULL UNIQUE, customer_no TEXT NOT NULL, "
            "invoice_date TEXT NOT NULL, due_date TEXT NOT NULL, amount_sek INTEGER NOT NULL, "
            "billing_name TEXT, billing_address TEXT",
            _invoices,
            lambda s: s.customers * 4,
            "customer_no",
            "invoice_date",
        ),
        _t(
            "invoice_lines",
            "id INTEGER PRIMARY KEY, invoice_no TEXT NOT NULL REFERENCES invoices(invoice_no) "
            "ON DELETE NO ACTION, item TEXT NOT NULL, quantity INTEGER NOT NULL, "
            "unit_price_sek INTEGER NOT NULL",
            _invoice_lines,
            lambda s: s.customers * 6,
            "invoice_no",
        ),
        _t(
            "payments",
            "id INTEGER PRIMARY KEY, invoice_no TEXT NOT NULL, paid_at TEXT NOT NULL, iban TEXT, "
            "autogiro_mandate TEXT",
            _payments,
            lambda s: s.customers,
            "invoice_no",
            "paid_at",
        ),
    ),
    "support": (
        _t(
            "tickets",
            "id INTEGER PRIMARY KEY, from_email TEXT NOT NULL, subject TEXT, body TEXT, "
            "opened_at TEXT NOT NULL, closed_at TEXT",
            _tickets,
            lambda s: s.customers,
            "from_email",
            "closed_at",
        ),
    ),
    "marketing": (
        _t(
            "newsletter_signups",
            "id INTEGER PRIMARY KEY, email TEXT NOT NULL, consent_given_at TEXT NOT NULL, "
            "consent_withdrawn_at TEXT, source TEXT",
            _signups,
            lambda s: s.subjects * 3 // 10,
            "email",
            "consent_withdrawn_at",
        ),
    ),
    "recruitment": (
        _t(
            "applicants",
            "id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, phone TEXT, "
            "cv_text TEXT, cover_letter TEXT, applied_at TEXT NOT NULL, recruitment_closed_at TEXT",
            _applicants,
            lambda s: max(s.subjects // 20, 2),
            "email",
            "phone",
            "recruitment_closed_at",
        ),
    ),
    "web": (
        _t(
            "access_log",
            "id INTEGER PRIMARY KEY, ts TEXT NOT NULL, ip_address TEXT NOT NULL, path TEXT, "
            "user_agent TEXT, customer_no TEXT",
            _access_log,
            lambda s: s.subjects * 3 // 2,
            "ip_address",
            "customer_no",
            "ts",
        ),
    ),
}
