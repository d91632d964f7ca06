"""Each detector on positive rows (found, with its exact span) and look-alikes (not found)."""

from __future__ import annotations

import pytest

from varna.discovery.engine import Scanner, ScanOptions

CASES = [
    # (id, text, label, expected span text or None when nothing of that label may be found)
    ("pnr-12-sep", "Personnummer: 19850312-1231.", "personnummer", "19850312-1231"),
    ("pnr-10-sep", "pnr 850312-1231 i journalen", "personnummer", "850312-1231"),
    ("pnr-12-bare", "kund 198503121231 ringde", "personnummer", "198503121231"),
    ("pnr-10-bare", "id 8503121231", "personnummer", "8503121231"),
    ("pnr-plus", "född 1912: 120312+1239", "personnummer", "120312+1239"),
    ("pnr-bad-luhn", "Personnummer 19850312-1234", "personnummer", None),
    ("pnr-bad-date", "Personnummer 19850230-1236", "personnummer", None),
    ("pnr-ocr", "OCR 8503121231", "personnummer", None),
    ("pnr-unix-ts", "ts=1701150000 level=info", "personnummer", None),
    ("pnr-order", "Order 100234567 skickad", "personnummer", None),
    ("sam-sep", "samordningsnummer 850372-1238", "personnummer", "850372-1238"),
    ("sam-bad-day", "samordningsnummer 850399-1234", "personnummer", None),
    ("pnr-space-context", "pnr 850312 1231", "personnummer", "850312 1231"),
    ("pnr-space-no-context", "rad 850312 1231", "personnummer", None),
    ("orgnr", "Acme AB, org.nr 556036-0793", "organisationsnummer", "556036-0793"),
    ("orgnr-16", "orgnr 16556036-0793", "organisationsnummer", "16556036-0793"),
    ("orgnr-bad", "org.nr 556036-0794", "organisationsnummer", None),
    ("orgnr-vat", "VAT SE556036079301", "organisationsnummer", "SE556036079301"),
    ("orgnr-compact-context", "Org nr: 5560360793", "organisationsnummer", "5560360793"),
    ("bankgiro", "Betala till bankgiro 5050-1055", "bankgiro", "5050-1055"),
    ("bankgiro-no-context", "Ring 5050-1055 i morgon", "bankgiro", None),
    ("bankgiro-bad", "bankgiro 5050-1056", "bankgiro", None),
    ("plusgiro", "plusgiro 4 47 88-8", "plusgiro", "4 47 88-8"),
    ("plusgiro-compact", "PG 44788-8", "plusgiro", "44788-8"),
    ("plusgiro-bad", "plusgiro 44788-1", "plusgiro", None),
    (
        "iban-grouped",
        "IBAN: SE45 5000 0000 0583 9825 7466",
        "iban",
        "SE45 5000 0000 0583 9825 7466",
    ),
    ("iban-compact", "to DE89370400440532013000 today", "iban", "DE89370400440532013000"),
    ("iban-bad", "IBAN SE45 5000 0000 0583 9825 7467", "iban", None),
    ("card-visa", "kort 4111 1111 1111 1111 gick", "card", "4111 1111 1111 1111"),
    ("card-mc", "card 5555555555554444", "card", "5555555555554444"),
    ("card-amex", "Amex 3782 822463 10005", "card", "3782 822463 10005"),
    ("card-jcb-15", "card 213148190969857", "card", "213148190969857"),
    ("card-diners-14", "kort 38909745274371", "card", "38909745274371"),
    ("card-bad-luhn", "kort 4111 1111 1111 1112", "card", None),
    ("card-no-issuer", "ref 9111 1111 1111 1118", "card", None),
    ("phone-mobile", "Ring 070-123 45 67", "phone", "070-123 45 67"),
    ("phone-stockholm", "tel 08-123 456 78", "phone", "08-123 456 78"),
    ("phone-intl", "call +46 70 123 45 67 now", "phone", "+46 70 123 45 67"),
    ("phone-uk", "office +44 20 7946 0958", "phone", "+44 20 7946 0958"),
    ("phone-outside-plan", "tel 068-16 46 03", "phone", "068-16 46 03"),
    ("phone-bare-invalid", "nr 0681646030", "phone", None),
    ("phone-date", "Datum 01/02/2023", "phone", None),
    ("phone-version", "version 1.2.3", "phone", None),
    ("email", "mejla anna.svensson@example.se idag", "email", "anna.svensson@example.se"),
    ("email-plus", "<first+tag@mail.example.com>", "email", "first+tag@mail.example.com"),
    ("email-no-domain", "user@localhost", "email", None),
    ("ipv4", "login from 192.168.10.20 failed", "ipv4", "192.168.10.20"),
    ("ipv4-octet", "addr 300.1.2.3", "ipv4", None),
    ("ipv4-version", "build 1.2.3.4.5 released", "ipv4", None),
    ("ipv4-prefixed-version", "app v1.2.3.4", "ipv4", None),
    ("ipv6", "src=2001:db8:85a3::8a2e:370:7334 ok", "ipv6", "2001:db8:85a3::8a2e:370:7334"),
    ("ipv6-full", "fe80:0:0:0:200:f8ff:fe21:67cf", "ipv6", "fe80:0:0:0:200:f8ff:fe21:67cf"),
    ("ipv6-clock", "kl 12:34:56", "ipv6", None),
    ("mac", "hwaddr 00:1A:2B:3C:4D:5E", "mac_address", "00:1A:2B:3C:4D:5E"),
    ("mac-broadcast", "ff:ff:ff:ff:ff:ff", "mac_address", None),
    ("postal-town", "Storgatan 1, 114 55 Stockholm", "postal_code", "114 55"),
    ("postal-context", "postnummer 41319", "postal_code", "41319"),
    ("postal-bare", "antal 12345 st", "postal_code", None),
    ("street", "bor på Storgatan 12B", "street_address", "Storgatan 12B"),
    ("street-two-words", "Stora Nygatan 5", "street_address", "Stora Nygatan 5"),
    ("street-none", "gatan är lång", "street_address", None),
    ("name", "Samtal med Anna Svensson idag", "person_name", "Anna Svensson"),
    ("name-hyphen", "Kontakt: Eva-Lena Nilsson", "person_name", "Eva-Lena Nilsson"),
    ("name-greeting", "Hej Johan, tack", "person_name", "Johan"),
    ("name-place", "Resa till Stockholm Central", "person_name", None),
    ("name-company", "Mötet hos Volvo Cars", "person_name", None),
    ("plate", "Bilen ABC 123 stod kvar", "vehicle_registration", "ABC 123"),
    ("plate-new", "regnr MLB84A", "vehicle_registration", "MLB84A"),
    ("plate-product", "Artikel ABC 123", "vehicle_registration", None),
    ("dob", "född 1985-03-12 i Lund", "date_of_birth", "1985-03-12"),
    ("dob-month", "Date of birth: 12 mars 1985", "date_of_birth", "12 mars 1985"),
    ("dob-no-context", "Möte 2023-01-02 kl 10", "date_of_birth", None),
    ("health", "Patienten har diabetes typ 2", "health", "diabetes"),
    ("health-drug", "tar Sertralin 50 mg", "health", "Sertralin"),
    ("health-none", "Vi har möte i morgon", "health", None),
    ("union", "Hon är medlem i Kommunal", "trade_union", "Kommunal"),
    ("union-word", "fackförbund: Unionen", "trade_union", "fackförbund"),
    ("union-common-word", "Vår vision är tydlig", "trade_union", None),
    ("religion", "Han är katolik", "religion", "katolik"),
    ("ethnic", "uppgift om etniskt ursprung", "ethnic_origin", "etniskt ursprung"),
    ("ethnic-same", "the same as before", "ethnic_origin", None),
]


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner.from_options(ScanOptions(backend="python"))


@pytest.mark.parametrize(
    ("text", "label", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_detector(scanner: Scanner, text: str, label: str, expected: str | None) -> None:
    found = [text[f.start : f.end] for f in scanner.scan(text) if f.label == label]
    if expected is None:
        assert found == []
    else:
        assert found == [expected]


def test_every_finding_has_an_explanation_and_a_score(scanner: Scanner) -> None:
    text = " ".join(c[1] for c in CASES)
    findings = scanner.scan(text)
    assert len(findings) > 30
    for finding in findings:
        assert 0.0 < finding.score <= 1.0
        assert finding.explanation.startswith(finding.detector)


def test_a_samordningsnummer_is_named_in_the_explanation(scanner: Scanner) -> None:
    (finding,) = scanner.scan("samordningsnummer 850372-1238")
    assert finding.label == "personnummer"
    assert finding.explanation.startswith("SamordningsnummerDetector")
