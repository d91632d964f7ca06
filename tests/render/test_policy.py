"""The privacy policy states everything Art. 13 and 14 ask for, and only what applies."""

from __future__ import annotations

import re
from typing import Any

import pytest

from varna.register import Register, load_register
from varna.render.policy import compose_policy
from varna.render.wording import NBSP
from varna.render.writers import to_markdown

from .registers import SEED_000


def policy_text(register: Register, lang: str = "sv") -> str:
    composition = compose_policy(register, lang)  # type: ignore[arg-type]
    return to_markdown(composition.document).replace(NBSP, " ").replace("\\", "")


def changed(register: Register, edit: Any) -> Register:
    """A copy of ``register`` with its data edited by ``edit(data)``."""
    data = register.model_dump(mode="json")
    edit(data)
    return Register.model_validate(data)


# (what Art. 13/14 asks, a regex the Swedish policy of the complete register must match)
ARTICLE_13_14 = [
    (
        "13(1)(a) controller identity",
        r"Omsorgsteknik Norden AB \(org\.nr 556677-8899\) är "
        r"personuppgiftsansvarig",
    ),
    ("13(1)(a) contact", r"integritet@omsorgsteknik\.example"),
    (
        "13(1)(b) DPO contact",
        r"dataskyddsombud[^\n]*\n+- Dataskyddsombudet\n- E-post: \[dpo@omsorgsteknik\.example",
    ),
    ("13(1)(c) purpose", r"Att leverera larmtjänsten enligt avtalet\."),
    ("13(1)(c) basis with article", r"För att fullgöra avtalet med dig \(artikel 6\.1 b\)"),
    (
        "13(1)(c) statute",
        r"rättslig förpliktelse \(artikel 6\.1 c\) enligt 7 kap\. 2 § "
        r"bokföringslagen \(1999:1078\)",
    ),
    (
        "13(1)(d) legitimate interest",
        r"berättigat intresse, efter en intresseavvägning "
        r"\(artikel 6\.1 f\):<br>Att marknadsföra liknande tjänster till befintliga kunder",
    ),
    (
        "9(2) exception",
        r"artikel 9\.2 h \(hälso- och sjukvård, social omsorg\) och 3 kap\. 17 § "
        r"patientdatalagen",
    ),
    ("13(1)(e) recipients", r"\*\*Driftleverantören Nordmoln AB\*\*<br>Personuppgiftsbiträde"),
    ("13(1)(e) sub-processor", r"Underbiträde till Driftleverantören Nordmoln AB"),
    (
        "13(1)(f) third country and DPF",
        r"\| USA \| EU-kommissionens beslut om adekvat skyddsnivå "
        r"för organisationer certifierade enligt EU–US Data Privacy Framework",
    ),
    ("13(1)(f) SCC", r"\| Indien \| EU-kommissionens standardavtalsklausuler \(artikel 46\.2 c\)"),
    (
        "13(1)(f) adequacy",
        r"\| Storbritannien \| EU-kommissionens beslut om adekvat skyddsnivå "
        r"för landet",
    ),
    ("13(1)(f) copy", r"Du kan få en kopia av skyddsåtgärderna genom att kontakta oss"),
    ("13(2)(a) retention while active", r"Så länge avtalet gäller och därefter i 24 månader\."),
    (
        "13(2)(a) bookkeeping",
        r"Sju år räknat från utgången av det kalenderår då räkenskapsåret "
        r"avslutades\.",
    ),
    ("13(2)(a) period after", r"Tio år efter den senaste anteckningen\."),
    ("13(2)(a) legal hold", r"Fakturor och verifikationer samt betalningar sparas i sju år"),
    ("13(2)(b) access", r"\*\*Rätt till tillgång \(artikel 15\)\.\*\*"),
    ("13(2)(b) rectification", r"\*\*Rätt till rättelse \(artikel 16\)\.\*\*"),
    ("13(2)(b) erasure", r"\*\*Rätt till radering \(artikel 17\)\.\*\*"),
    ("13(2)(b) restriction", r"\*\*Rätt till begränsning \(artikel 18\)\.\*\*"),
    (
        "13(2)(b) objection",
        r"\*\*Rätt att invända \(artikel 21\.1\)\.\*\* Du har rätt att invända "
        r"mot behandling som vi grundar på ett berättigat intresse \(”Nyhetsbrev”\)",
    ),
    ("21(2) direct marketing", r"\*\*Rätt att invända mot direktmarknadsföring \(artikel 21\.2\)"),
    ("13(2)(b) portability", r"\*\*Rätt till dataportabilitet \(artikel 20\)\.\*\*"),
    ("13(2)(c) withdraw consent", r"\*\*Rätt att återkalla samtycke \(artikel 7\.3\)\.\*\*"),
    (
        "12 how to exercise",
        r"integritetscenter på \[https://omsorgsteknik\.example/integritet/"
        r"privacy\]",
    ),
    ("12(3) deadline", r"senast inom en månad"),
    (
        "13(2)(d) complaint",
        r"klagomål till tillsynsmyndigheten \(artikel 77\): Integritetsskydds"
        r"myndigheten \(IMY\), \[https://www\.imy\.se\]",
    ),
    (
        "13(2)(e) provision",
        r"Uppgifterna behövs för att vi ska kunna ingå och fullgöra avtalet "
        r"med dig\. Utan uppgifterna kan vi inte leverera larmet\.",
    ),
    ("13(2)(e) voluntary", r"Det är frivilligt att lämna uppgifterna\."),
    (
        "13(2)(f) automated",
        r"Vi fattar beslut helt automatiskt, och behandlingen innefattar "
        r"profilering",
    ),
    ("13(2)(f) logic", r"\*\*Logiken:\*\* Larm med hög risk går före"),
    ("22(3) safeguards", r"omprövat av en människa.*\(artikel 22\.3\)"),
    ("14(1)(d) categories", r"• Hälsouppgifter \(känslig personuppgift\)"),
    ("14(2)(f) source", r"från dig och SPAR \(en allmänt tillgänglig källa\)"),
    ("14(2)(f) named source", r"från kommunen som beställt tjänsten"),
    ("DSL 3:10 personnummer", r"Personnummer: Säker identifiering krävs"),
    (
        "cookies",
        r"\| \*\*Statistiktjänsten\*\* \(Storbritannien\) \| Räknar besök och sidvisningar"
        r"\. \| Statistik \| • _st_id: 13 månader<br>• _st_ses: en dag \|",
    ),
    ("session cookie", r"ot_session: tills du stänger webbläsaren"),
    ("security", r"loggar vi ut dig automatiskt"),
    (
        "processor scope",
        r"personuppgiftsbiträde för någon annans räkning \(kommuner som köper "
        r"hemtjänstsystemet\)",
    ),
    ("change notice", r"informerar vi dig via e-post och i kundportalen"),
    ("effective date", r"Omsorgsteknik Norden AB · version 2026-2 · gäller från 1 mars 2026"),
]


@pytest.mark.parametrize(("item", "pattern"), ARTICLE_13_14, ids=[i for i, _ in ARTICLE_13_14])
def test_policy_states(complete: Register, item: str, pattern: str) -> None:
    assert re.search(pattern, policy_text(complete), re.S), f"the policy does not state {item}"


def test_direct_marketing_objection_comes_first(complete: Register) -> None:
    text = policy_text(complete)
    callout = text.index("> **Du kan alltid säga nej till direktmarknadsföring**")
    assert callout < text.index("## Kunder")
    assert "direktmarknadsföring via e-post och sms (”Nyhetsbrev”)" in text


def test_english_policy_states_the_same(complete: Register) -> None:
    text = policy_text(complete, "en")
    for phrase in (
        "To perform the contract with you (Article 6(1)(b))",
        "You can always say no to direct marketing",
        "seven years from the end of the calendar year in which the financial year",
        "Swedish Authority for Privacy Protection (IMY)",
        "in force from 1 March 2026",
    ):
        assert phrase.lower() in text.lower()


def _no_marketing(data: dict[str, Any]) -> None:
    data["activities"]["newsletter"]["direct_marketing"] = None


def _no_consent(data: dict[str, Any]) -> None:
    for activity in data["activities"].values():
        activity["legal_bases"] = [b for b in activity["legal_bases"] if b["basis"] != "consent"]
        activity["legal_bases"] = activity["legal_bases"] or [{"basis": "contract"}]


def _no_interests(data: dict[str, Any]) -> None:
    data["activities"]["newsletter"]["legal_bases"] = [{"basis": "consent"}]


def _no_automated(data: dict[str, Any]) -> None:
    data["activities"]["risk_scoring"]["automated_decision"] = None


def _only_legal_obligation(data: dict[str, Any]) -> None:
    for activity in data["activities"].values():
        activity["legal_bases"] = [{"basis": "legal_obligation", "statute": "bokforingslagen"}]


def _no_transfers(data: dict[str, Any]) -> None:
    for recipient in data["recipients"].values():
        recipient["country"], recipient["transfer"] = "SE", None
    data["cookies"]["statistics"]["country"] = "SE"


@pytest.mark.parametrize(
    ("edit", "absent", "present"),
    [
        (_no_marketing, "säga nej till direktmarknadsföring", None),
        (_no_consent, "Rätt att återkalla samtycke", None),
        (_no_interests, "Rätt att invända (artikel 21.1)", None),
        (
            _no_automated,
            "Logiken",
            "Vi fattar inga beslut om dig som enbart grundas på automatiserad behandling",
        ),
        (_only_legal_obligation, "Rätt till dataportabilitet", None),
        (_no_transfers, "Skyddsåtgärd", "för inte över dem till länder utanför EU/EES"),
    ],
    ids=[
        "no-marketing",
        "no-consent",
        "no-interests",
        "no-automated",
        "no-portability",
        "no-transfers",
    ],
)
def test_only_what_applies(complete: Register, edit: Any, absent: str, present: str | None) -> None:
    text = policy_text(changed(complete, edit))
    assert absent not in text
    if present:
        assert present in text


def test_silence_in_the_register_is_a_warning_not_a_placeholder() -> None:
    seed_004 = load_register(SEED_000.with_name("004_65b7c35b520ab143.yaml"))
    composition = compose_policy(seed_004, "sv")
    assert any("activities.service_usage: no retention rule" in w for w in composition.warnings)
    text = policy_text(seed_004)
    assert "Vi har ännu inte fastställt hur länge vi sparar de här uppgifterna." in text
    assert "Så länge uppgifterna behövs för ändamålet." not in text


def test_a_period_in_words_is_repeated_not_filled_in(seed_000: Register) -> None:
    text = policy_text(seed_000)
    assert "Uppgifterna sparas så länge det finns ett behov av att bevara dem" in text
    assert not any(
        "activities.marketing: no retention" in w for w in compose_policy(seed_000).warnings
    )


def test_english_falls_back_to_swedish_and_says_where(complete: Register) -> None:
    def drop_english(data: dict[str, Any]) -> None:
        data["activities"]["subscription"]["purpose"]["en"] = None

    composition = compose_policy(changed(complete, drop_english), "en")
    assert "activities.subscription.purpose" in composition.fallbacks


def test_missing_org_number_and_date_leave_no_gap(complete: Register) -> None:
    def unknown(data: dict[str, Any]) -> None:
        data["controller"]["org_number"] = None
        data["controller"]["policy"]["effective_date"] = None
        data["controller"]["policy"]["version"] = None

    composition = compose_policy(changed(complete, unknown), "sv")
    text = to_markdown(composition.document)
    assert "org.nr" not in text
    assert "gäller från" not in text
    assert "()" not in text
    assert any("effective_date" in w for w in composition.warnings)
