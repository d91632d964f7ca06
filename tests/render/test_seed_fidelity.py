"""Fidelity to the seeds: what each original policy states, the rendered Swedish policy states too.

Each table lists facts of one original policy (``../shared/seeds/*.txt``) and a pattern the
policy rendered from its register (``examples/seeds/*.yaml``) must match. Where the register keeps
a flaw of the original (Datainspektionen, consent for everything), the rendering states it as the
register does: fixing the register is the DPO's call, not the renderer's.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from varna.register import load_register
from varna.render.policy import compose_policy
from varna.render.writers import to_markdown

from .registers import SEEDS

FACTS: dict[str, list[tuple[str, str]]] = {
    "000": [
        (
            "controller and org number",
            r"Camanio AB \(org\.nr 559215-8785\) är personuppgifts"
            r"ansvarig",
        ),
        ("address", r"Hästholmsvägen 32, 131 30 Nacka"),
        ("e-mail and telephone", r"info@camanio\.com.*08-1244 88 55"),
        ("the DPO and how to reach it", r"utsett ett dataskyddsombud.*dpo@camanio\.com"),
        (
            "seven years from the end of the calendar year",
            r"sju år,? räknat från utgången av det "
            r"kalenderår då räkenskapsåret.*avslutades",
        ),
        ("bookkeeping law", r"bokföringslagen"),
        (
            "complaint to the supervisory authority",
            r"klagomål till tillsynsmyndigheten.*"
            r"Datainspektionen",
        ),
        ("recipients: suppliers and partners", r"Leverantörer och samarbetspartners"),
        (
            "recipients: financing companies",
            r"Bolag som tillhandahåller finansieringslösningar "
            r"för kunder",
        ),
        ("recipients: authorities", r"\*\*Myndigheter\*\*"),
        ("recipients: potential buyer", r"Potentiell köpare vid avyttring"),
        (
            "processors with a biträdesavtal",
            r"Personuppgiftsbiträden behandlar uppgifterna för "
            r"vår räkning",
        ),
        ("kept within the EU/EEA", r"inom EU/EES"),
        ("customers: Kontoinformation", r"## Kunder och användare.*Kontoinformation för kunder"),
        ("customers: digital behaviour", r"## Kunder och användare.*Digitalt beteende"),
        ("customers: technical data", r"## Kunder och användare.*Teknisk data.*IP-adress"),
        (
            "customers: payment information",
            r"## Kunder och användare.*Betalningsinformation.*"
            r"IBAN och BIC/SWIFT.*Autogiromedgivande",
        ),
        (
            "customers: other data",
            r"## Kunder och användare.*Övrig data.*Svar på kundunder"
            r"sökningar.*Användargenererat innehåll",
        ),
        (
            "representatives",
            r"## Representanter för kunder, leverantörer och samarbetspartners.*"
            r"Titel och befattning.*Arbetsgivare eller organisation",
        ),
        ("representatives' sources", r"din arbetsgivare.*externa informationstjänster"),
        (
            "visitors: technical data",
            r"## Besökare av Camanios hemsida.*MAC-adress.*Ungefärlig "
            r"geografisk position",
        ),
        ("applicants: CV and cover letter", r"## Arbetssökande hos Camanio.*Personligt brev.*CV"),
        ("applicants' agencies", r"bemannings-, rekryterings- eller inhyrningsföretaget"),
        ("Brukardata with health information", r"Brukardata.*Hälsouppgifter"),
        ("consent as the basis", r"Med ditt samtycke \(artikel 6\.1 a\)"),
        (
            "marketing on legitimate interest",
            r"berättigat intresse \(artikel 6\.1 f\).*marknads"
            r"föringsaktiviteter",
        ),
        ("social media", r"Facebook, Instagram, Twitter, Youtube och LinkedIn"),
        ("consent withdrawal erases", r"Tills du återkallar ditt samtycke"),
        ("representatives kept while the relation lasts", r"Så länge kundrelationen består"),
        ("access (registerutdrag)", r"registerutdrag"),
        ("rectification, erasure, restriction", r"rättelse.*radering.*begränsning"),
        ("objection to direct marketing", r"invända mot direktmarknadsföring"),
        ("recipients told of corrections", r"meddelar vi de mottagare"),
        (
            "security: access only for those who need it",
            r"Endast anställda och andra inom "
            r"organisationen som behöver personuppgifterna",
        ),
        ("security: access control for sensitive data", r"behörighetskontroller för känsliga"),
        ("cookies: language and country", r"språkval och ursprungsland"),
        (
            "not covered as processor for employers",
            r"personuppgiftsbiträde för någon annans "
            r"räkning \(arbetsgivare som använder Camanios tjänster\)",
        ),
        ("changes published on the website", r"https://www\.camanio\.se/sv"),
        ("date of the policy", r"16 april 2020"),
    ],
    "001": [
        ("in force from 25 May 2018", r"gäller från 25 maj 2018"),
        ("identification by personnummer", r"Personnummer"),
        ("login and change history", r"Inloggningshistorik.*Ändringshistorik"),
        ("contract and the law as bases", r"fullgöra avtalet med dig.*rättslig förpliktelse"),
        ("authorities named", r"skattemyndigheter, polismyndigheter, kronofogdemyndigheter"),
        ("selected suppliers for troubleshooting", r"Utvalda leverantörer.*felsökning"),
        ("newsletters by e-mail", r"Nyhetsbrev.*generell kommunikation via e-post"),
        ("automated decisions", r"Analys av trafik och användning"),
        ("machine-readable format", r"maskinläsbart format"),
        ("erasure", r"Rätt till radering"),
        ("Real Cookie Banner", r"Real Cookie Banner"),
        ("bookkeeping records", r"Fakturor och verifikationer sparas"),
        ("material changes by e-mail and customer portal", r"via e-post och i kundportalen"),
        ("privacy by design", r"Privacy by design"),
    ],
    "002": [
        ("controller", r"Care of är personuppgiftsansvarig"),
        ("address", r"Västra Kvarngatan 64, 611 32 Nyköping"),
        (
            "the data listed",
            r"Namn.*Titel och befattning.*Telefonnummer.*Avdelning och chef.*"
            r"Fritext om relationen.*Mötesbokningar.*Offerter och ordrar.*IP-adress",
        ),
        ("contract as basis", r"fullgöra avtalet med dig"),
        ("authorities", r"skattemyndigheter eller polismyndigheter"),
        ("users of Cirrus are controllers", r"användare av Cirrus"),
        ("portability", r"maskinläsbart format"),
        ("direct marketing objection", r"invända mot direktmarknadsföring"),
        ("security measures", r"Logisk nätbegränsning.*Olika accessnivåer"),
    ],
    "003": [
        ("controller", r"Omilon AB"),
        ("address", r"Box 1, 473 21 Henån"),
        ("DPO", r"Karl-Fredrik Björklund.*karl-fredrik\.bjorklund@carler\.se"),
        ("customer service telephone", r"020-12 13 50"),
        ("invoices kept seven years", r"sju år"),
        ("privacy shield, as the policy says", r"Privacy Shield"),
        ("authorities", r"Offentliga myndigheter"),
        ("automatic recommendations", r"personanpassade rekommendationer"),
        (
            "automatic logout after a time not stated",
            r"Automatisk utloggning efter en viss tids inaktivitet",
        ),
        ("cookies and tracking pixels", r"spårningsbilder"),
        ("Datainspektionen", r"Datainspektionen"),
    ],
    "004": [
        ("controller and org number", r"Intelliplan AB \(org\.nr 556582-6848\)"),
        ("address", r"Arenavägen 39, plan 8, 121 77 Johanneshov"),
        ("e-mail and telephone", r"privacy@intelliplan\.se.*\+46 8 600 90 20"),
        ("private and public registers", r"privata register och offentliga register"),
        ("withdrawing consent", r"Rätt att återkalla samtycke"),
        ("bookkeeping as another basis", r"bokföringslagen"),
        ("identity check", r"kontrollerar vi att det är du som frågar"),
        (
            "IMY, formerly Datainspektionen",
            r"Integritetsskyddsmyndigheten \(tidigare "
            r"Datainspektionen\)",
        ),
        (
            "processors on instructions",
            r"Personuppgiftsbiträden behandlar uppgifterna för vår "
            r"räkning och bara enligt våra instruktioner",
        ),
        ("customers' processing not covered", r"personuppgiftsbiträde för någon annans räkning"),
    ],
}


@cache
def _rendered(seed: str) -> str:
    path = next(p for p in SEEDS if p.name.startswith(seed))
    text = to_markdown(compose_policy(load_register(path), "sv").document)
    text = re.sub(r"\]\([^)]*\)", "]", text).replace("[", "").replace("]", "")
    return text.replace("\u00a0", " ").replace("\\", "")


CASES = [(seed, fact, pattern) for seed, facts in FACTS.items() for fact, pattern in facts]


@pytest.mark.parametrize(("seed", "fact", "pattern"), CASES, ids=[f"{s}-{f}" for s, f, _ in CASES])
def test_rendered_policy_states_what_the_original_did(seed: str, fact: str, pattern: str) -> None:
    assert re.search(pattern, _rendered(seed), re.S), f"seed {seed}: the policy lost '{fact}'"


def test_every_seed_has_a_fact_table() -> None:
    seeds = {Path(p).name[:3] for p in SEEDS}
    assert seeds <= set(FACTS), f"no facts for seeds {sorted(seeds - set(FACTS))}"
