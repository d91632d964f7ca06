"""A labelled, Swedish-flavoured corpus for measuring detectors: notes, e-mails, log lines and
form fields with planted personal data and look-alikes that must not be reported.

Every value is generated (valid check digits, invented names at reserved example domains) and
seeded, so the same seed gives the same corpus. Names are drawn from this module's own lists,
not from the detectors' gazetteer, with a share of names the gazetteer may not know. Mail
domains are the ones RFC 2606 reserves (``example.com``, ``.org``, ``.net``).
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import phonenumbers
from stdnum import iban, luhn


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "Anna Eva Maria Karin Kristina Lena Sara Emma Ingrid Malin Jenny Linda Elin Hanna Johanna "
    "Sofia Ida Julia Maja Elsa Astrid Wilma Ebba Agnes Saga Alva Freja Klara Ella Nora Olivia "
    "Lars Mikael Anders Johan Per Erik Karl Peter Jan Thomas Daniel Fredrik Hans Magnus Stefan "
    "Jonas Mattias Sven Andreas Björn Göran Martin Oskar Niklas Emil Viktor Åke Gustav Hugo Axel "
    "Mohammed Ali Ahmed Omar Fatima Amina Leila Mehmet Yusuf Zeynep Aleksandra Piotr Mirja Juha "
    "Eva-Lena Ann-Marie Jan-Erik Per-Olof Siv Gun Britt Ulla Bo Tord Sune Ylva Liv Tove"
)
LAST = _words(
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
    "Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Lindström "
    "Olofsson Lindqvist Lindgren Berg Axelsson Bergström Lundberg Lind Lundgren Lundqvist "
    "Mattsson Berglund Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin Engström Eklund "
    "Danielsson Lundin Håkansson Björk Bergman Holm Wikström Nyström Holmberg Söderberg Åberg "
    "Ali Mohamed Ahmed Hassan Yilmaz Kaya Nowak Kowalski Virtanen Korhonen Nieminen Jovanović "
    "Hosseini Rahimi Warsame Abdi Nguyen Lindahl Ekberg Nordin Ström Hedlund"
)
STREETS = _words(
    "Storgatan Drottninggatan Kungsgatan Skolgatan Kyrkogatan Järnvägsgatan Parkvägen "
    "Björkvägen Ringvägen Industrivägen Ängsvägen Tallvägen Stationsgatan Hamngatan Åsgränd"
)
TOWNS = (
    ("Stockholm", "113"),
    ("Stockholm", "118"),
    ("Solna", "171"),
    ("Uppsala", "753"),
    ("Göteborg", "413"),
    ("Malmö", "211"),
    ("Lund", "223"),
    ("Örebro", "702"),
    ("Umeå", "903"),
    ("Luleå", "972"),
    ("Västerås", "722"),
    ("Linköping", "582"),
)
DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com", "kund.example.org")

LABELS = (
    "personnummer", "organisationsnummer", "email", "phone", "iban", "bankgiro", "plusgiro",
    "card", "ipv4", "ipv6", "postal_code", "person_name",
)  # fmt: skip
"""The twelve labels of the text interface, which the corpus plants and the benchmark scores."""


@dataclass
class Record:
    """One corpus record: its text and the spans that are personal data."""

    id: str
    kind: str
    text: str = ""
    spans: list[tuple[int, int, str]] = field(default_factory=list)

    def add(self, text: str, label: str | None = None) -> None:
        if label is not None:
            self.spans.append((len(self.text), len(self.text) + len(text), label))
        self.text += text


class Values:
    """Generators of valid values, each drawn from one seeded ``random.Random``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def birth_date(self) -> date:
        return date(1930, 1, 1) + timedelta(days=self.rng.randrange(80 * 365))

    def personnummer(self, *, valid: bool = True) -> str:
        born = self.birth_date()
        body = born.strftime("%y%m%d") + f"{self.rng.randrange(1, 1000):03d}"
        check = int(luhn.calc_check_digit(body))
        if not valid:
            check = (check + self.rng.randrange(1, 10)) % 10
        ten = body + str(check)
        style = self.rng.randrange(4)
        century = born.strftime("%Y")[:2]
        return [
            f"{century}{ten[:6]}-{ten[6:]}",
            f"{ten[:6]}-{ten[6:]}",
            f"{century}{ten}",
            ten,
        ][style]

    def organisationsnummer(self, *, valid: bool = True) -> str:
        body = f"{self.rng.choice('25789')}{self.rng.randrange(10)}{self.rng.randrange(2, 10)}"
        body += "".join(str(self.rng.randrange(10)) for _ in range(6))
        check = int(luhn.calc_check_digit(body))
        if not valid:
            check = (check + 3) % 10
        ten = body + str(check)
        prefix = "16" if self.rng.random() < 0.1 else ""
        return f"{prefix}{ten[:6]}-{ten[6:]}"

    def luhn_number(self, length: int, prefix: str = "") -> str:
        body = prefix + "".join(
            str(self.rng.randrange(10)) for _ in range(length - 1 - len(prefix))
        )
        if body[0] == "0":
            body = "1" + body[1:]
        return body + luhn.calc_check_digit(body)

    def bankgiro(self) -> str:
        digits = self.luhn_number(self.rng.choice((7, 8)))
        return f"{digits[:-4]}-{digits[-4:]}"

    def plusgiro(self) -> str:
        digits = self.luhn_number(self.rng.randrange(5, 9))
        if self.rng.random() < 0.5:
            return f"{digits[:-1]}-{digits[-1]}"
        head = digits[:-1]
        groups = [head[max(0, i - 2) : i] for i in range(len(head), 0, -2)][::-1]
        return " ".join(groups) + "-" + digits[-1]

    def iban(self) -> str:
        country = self.rng.choice(("SE", "SE", "SE", "DE", "FI", "NO"))
        length = {"SE": 20, "DE": 18, "FI": 14, "NO": 11}[country]
        while True:  # a national check digit (Norway's mod 11) must hold too
            bban = "".join(str(self.rng.randrange(10)) for _ in range(length))
            value = f"{country}{iban.calc_check_digits(f'{country}00{bban}')}{bban}"
            if iban.is_valid(value):
                break
        if self.rng.random() < 0.6:
            return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
        return value

    def card(self, *, valid: bool = True) -> str:
        kind = self.rng.choice(("visa", "visa", "mc", "amex"))
        if kind == "amex":
            digits = self.luhn_number(15, self.rng.choice(("34", "37")))
            if not valid:
                digits = digits[:-1] + str((int(digits[-1]) + 1) % 10)
            return f"{digits[:4]} {digits[4:10]} {digits[10:]}"
        digits = self.luhn_number(16, "4" if kind == "visa" else str(self.rng.randrange(51, 56)))
        if not valid:
            digits = digits[:-1] + str((int(digits[-1]) + 1) % 10)
        sep = self.rng.choice((" ", "-", ""))
        return sep.join(digits[i : i + 4] for i in range(0, 16, 4))

    def phone(self) -> str:
        while True:
            style = self.rng.randrange(4)
            rest = "".join(str(self.rng.randrange(10)) for _ in range(7))
            mobile = f"7{self.rng.choice('02369')}"
            if style == 0:
                text = f"0{mobile}-{rest[:3]} {rest[3:5]} {rest[5:]}"
            elif style == 1:
                text = f"08-{rest[:3]} {rest[3:5]} {rest[5:7]}"
            elif style == 2:
                text = f"+46 {mobile} {rest[:3]} {rest[3:5]} {rest[5:]}"
            else:
                text = f"0{mobile}{rest}"
            if phonenumbers.is_valid_number(phonenumbers.parse(text, "SE")):
                return text

    def ipv4(self) -> str:
        return ".".join(str(self.rng.randrange(1, 255)) for _ in range(4))

    def ipv6(self) -> str:
        value = ipaddress.IPv6Address(self.rng.getrandbits(64) | (0x2001_0DB8 << 96))
        return value.compressed if self.rng.random() < 0.7 else value.exploded

    def name(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def email(self, name: str | None = None) -> str:
        first, last = (name or self.name()).lower().split(" ", 1)
        table = str.maketrans("åäöé", "aaoe")
        local = f"{first}.{last}".translate(table).replace("ć", "c").replace("-", "")
        return f"{local}{self.rng.choice(('', '', '1', '85'))}@{self.rng.choice(DOMAINS)}"

    def postal(self) -> tuple[str, str]:
        town, prefix = self.rng.choice(TOWNS)
        return f"{prefix} {self.rng.randrange(10, 100)}", town


_FILLER = (
    "Ärendet gäller en fråga om leveransen.",
    "Kunden var nöjd med svaret.",
    "Vi återkommer inom tre arbetsdagar.",
    "Uppföljning bokad till nästa vecka.",
    "Inga fler åtgärder behövs just nu.",
    "Se bifogat underlag för detaljer.",
    "The customer asked about the invoice.",
    "Please handle this before Friday.",
)


class _Builder:
    """Writes one record of a kind, planting values and decoys."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.values = Values(rng)

    def decoy(self, record: Record) -> None:
        """A look-alike that no detector may report."""
        v, rng = self.values, self.rng
        choice = rng.randrange(10)
        if choice == 0:
            record.add(f" Datum {rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/2023.")
        elif choice == 1:
            record.add(f" Version {rng.randrange(1, 12)}.{rng.randrange(20)}.{rng.randrange(50)}.")
        elif choice == 2:
            record.add(f" Order {rng.randrange(100000000, 999999999)} är skickad.")
        elif choice == 3:
            record.add(f" OCR {v.luhn_number(rng.randrange(10, 19))}.")
        elif choice == 4:
            record.add(f" ts={rng.randrange(1_500_000_000, 1_800_000_000)}")
        elif choice == 5:
            record.add(f" Felaktigt personnummer angivet: {v.personnummer(valid=False)}.")
        elif choice == 6:
            record.add(f" Kortet {v.card(valid=False)} nekades.")
        elif choice == 7:
            parts = (rng.randrange(1, 20), rng.randrange(10), rng.randrange(10), rng.randrange(999))
            record.add(" build " + ".".join(map(str, parts)) + ".1")
        elif choice == 8:
            record.add(
                f" Ordernummer {rng.randrange(2019, 2026)}-{rng.randrange(1000, 99999):05d}."
            )
        else:
            record.add(f" Org.nr {v.organisationsnummer(valid=False)} stämmer inte.")

    def note(self, record: Record) -> None:
        v, rng = self.values, self.rng
        name = v.name()
        record.add(rng.choice(("Samtal med ", "Besök av ", "Anteckning: ", "Patienten ")))
        record.add(name, "person_name")
        opening, closing = rng.choice(
            ((", personnummer ", ". "), (", pnr ", ". "), (" (personnr: ", "). "))
        )
        record.add(opening)
        record.add(v.personnummer(), "personnummer")
        record.add(closing)
        record.add(rng.choice(_FILLER))
        if rng.random() < 0.6:
            record.add(" Nås på ")
            record.add(v.phone(), "phone")
            record.add(".")
        if rng.random() < 0.4:
            street = f"{rng.choice(STREETS)} {rng.randrange(1, 120)}"
            code, town = v.postal()
            record.add(f" Bor på {street}, ")
            record.add(code, "postal_code")
            record.add(f" {town}.")

    def email(self, record: Record) -> None:
        v, rng = self.values, self.rng
        name = v.name()
        first = name.split(" ")[0]
        record.add("Från: ")
        record.add(name, "person_name")
        record.add(" <")
        record.add(v.email(name), "email")
        record.add(">\nÄmne: Faktura\n\n")
        record.add("Hej ")
        record.add(rng.choice(FIRST), "person_name")
        record.add("!\n" + rng.choice(_FILLER))
        choice = rng.randrange(4)
        if choice == 0:
            record.add(" Betala till bankgiro ")
            record.add(v.bankgiro(), "bankgiro")
            record.add(".")
        elif choice == 1:
            record.add(" Plusgiro: ")
            record.add(v.plusgiro(), "plusgiro")
        elif choice == 2:
            record.add(" IBAN ")
            record.add(v.iban(), "iban")
            record.add(".")
        else:
            record.add(" Mitt kort ")
            record.add(v.card(), "card")
            record.add(" drogs två gånger.")
        record.add("\nMvh ")
        record.add(first, "person_name")
        if rng.random() < 0.5:
            record.add("\nTel: ")
            record.add(v.phone(), "phone")

    def log(self, record: Record) -> None:
        v, rng = self.values, self.rng
        day = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
        ts = f"{day.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z"
        record.add(f"{ts} INFO auth login ok user=")
        record.add(v.email(), "email")
        record.add(" ip=")
        if rng.random() < 0.7:
            record.add(v.ipv4(), "ipv4")
        else:
            record.add(v.ipv6(), "ipv6")
        record.add(f" session={rng.getrandbits(64):016x} latency_ms={rng.randrange(5, 900)}")

    def form(self, record: Record) -> None:
        v, rng = self.values, self.rng
        name = v.name()
        code, town = v.postal()
        record.add("Namn: ")
        record.add(name, "person_name")
        record.add("; Personnummer: ")
        record.add(v.personnummer(), "personnummer")
        record.add(f"; Adress: {rng.choice(STREETS)} {rng.randrange(1, 80)}, ")
        record.add(code, "postal_code")
        record.add(f" {town}; E-post: ")
        record.add(v.email(name), "email")
        record.add("; Telefon: ")
        record.add(v.phone(), "phone")
        if rng.random() < 0.5:
            record.add("; Företag: Exempel AB, org.nr ")
            record.add(v.organisationsnummer(), "organisationsnummer")


KINDS = ("note", "email", "log", "form")


def generate_corpus(count: int, *, seed: int = 42, decoys: float = 0.6) -> Iterator[Record]:
    """``count`` records, cycling through notes, e-mails, log lines and form fields; each gets
    a look-alike with probability ``decoys`` (a second one with ``decoys / 2``)."""
    rng = random.Random(seed)
    builder = _Builder(rng)
    for number in range(count):
        kind = KINDS[number % len(KINDS)]
        record = Record(id=f"r{number:06d}", kind=kind)
        getattr(builder, kind)(record)
        if rng.random() < decoys:
            builder.decoy(record)
        if rng.random() < decoys / 2:
            builder.decoy(record)
        yield record
