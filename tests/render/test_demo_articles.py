"""Art. 13 and 14 element coverage on the demo company's policy, in Swedish and English: each
element the law asks of a privacy policy, looked for in the rendered policy from what the demo
register records (so a register change moves the expectation with it)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from render.registers import DEMO, ON
from varna.register import load_register
from varna.register.activities import Basis, Role, SourceKind
from varna.register.model import Register
from varna.render.policy import compose_policy
from varna.render.writers import to_markdown

REGISTER = load_register(DEMO)


def policy(lang: str) -> str:
    doc = compose_policy(REGISTER, lang, on=ON).document
    text = to_markdown(doc).replace("<br>", " ").replace("\\", "")
    return " ".join(text.split())


TEXTS = {lang: policy(lang) for lang in ("sv", "en")}


def own(register: Register) -> list[str]:
    """Activities the demo company is controller for: the ones its policy describes."""
    return [k for k, a in register.activities.items() if a.role is Role.controller]


def controller_identity(r: Register, text: str, lang: str) -> list[str]:
    c = r.controller
    wanted = [c.name, c.org_number or "", c.address.street if c.address else ""]
    return [w for w in wanted if w and w not in text]


def dpo_contact(r: Register, text: str, lang: str) -> list[str]:
    dpo = r.controller.dpo
    return [] if dpo and dpo.email and dpo.email in text else ["the DPO's contact"]


def purposes(r: Register, text: str, lang: str) -> list[str]:
    return [k for k in own(r) if r.activities[k].purpose.get(lang) not in text]


def legal_bases(r: Register, text: str, lang: str) -> list[str]:
    word = "artikel 6.1" if lang == "sv" else "Article 6(1)"
    letters = {b.basis.letter for k in own(r) for b in r.activities[k].legal_bases}
    return [x for x in sorted(letters) if not re.search(rf"{re.escape(word)}[ (]{x}\b", text)]


def interests(r: Register, text: str, lang: str) -> list[str]:
    return [
        k
        for k in own(r)
        for b in r.activities[k].legal_bases
        if b.basis is Basis.legitimate_interests
        and b.interest is not None
        and b.interest.get(lang) not in text
    ]


def recipients(r: Register, text: str, lang: str) -> list[str]:
    keys = {x for k in own(r) for x in r.activities[k].recipients}
    return [
        r.recipients[k].name.get(lang) for k in keys if r.recipients[k].name.get(lang) not in text
    ]


def transfers(r: Register, text: str, lang: str) -> list[str]:
    outside = [x for x in r.recipients.values() if x.transfer is not None]
    assert outside, "the demo transfers data outside the EU/EEA"
    return [
        x.name.get(lang)
        for x in outside
        if x.transfer and x.transfer.reference and x.transfer.reference.get(lang) not in text
    ]


def retention(r: Register, text: str, lang: str) -> list[str]:
    word = {"sv": "Hur länge vi sparar uppgifterna", "en": "How long we keep"}[lang]
    return [] if word in text else ["the retention section"]


def rights(r: Register, text: str, lang: str) -> list[str]:
    word = "artikel" if lang == "sv" else "Article"
    return [
        n
        for n in ("15", "16", "17", "18", "20", "21", "7(3)")
        if f"{word} {n}" not in text and f"{word} {n.replace('(3)', '.3')}" not in text
    ]


def complaint(r: Register, text: str, lang: str) -> list[str]:
    return [] if "(IMY)" in text and "imy.se" in text else ["the complaint to IMY"]


def provision(r: Register, text: str, lang: str) -> list[str]:
    """13(2)(e): every activity that collects data from the person says whether it must be
    given and what follows if not."""
    missing = []
    for k in own(r):
        a = r.activities[k]
        if not any(s.kind is SourceKind.data_subject for s in a.sources):
            continue
        said = a.provision and a.provision.consequence
        if not said or said.get(lang) not in text:
            missing.append(k)
    return missing


def automated(r: Register, text: str, lang: str) -> list[str]:
    word = {"sv": "Automatiserade beslut", "en": "Automated decision"}[lang]
    return [] if word in text else ["automated decisions"]


def categories(r: Register, text: str, lang: str) -> list[str]:
    """14(1)(d): the categories of data, by label."""
    cats = {c for k in own(r) for c in r.activities[k].categories}
    return [c for c in sorted(cats) if r.category(c).label.get(lang) not in text]


def sources(r: Register, text: str, lang: str) -> list[str]:
    """14(2)(f): named sources of data not collected from the person."""
    named = {
        s.name.get(lang)
        for k in own(r)
        for s in r.activities[k].sources
        if s.name is not None and s.kind is not SourceKind.data_subject
    }
    assert named
    return [n for n in sorted(named) if n.lower() not in text.lower()]


def processor_pointer(r: Register, text: str, lang: str) -> list[str]:
    """Data the company processes for others (care recipients' data, which comes from the
    municipality): the policy points to the controller's own policy (Art. 14 via 28)."""
    word = {"sv": "personuppgiftsbiträde för någon annans räkning", "en": "processor"}[lang]
    assert any(a.role is Role.processor for a in r.activities.values())
    return [] if word in text else ["the pointer for processing done for others"]


ELEMENTS = [
    pytest.param(controller_identity, id="13-1-a-controller"),
    pytest.param(dpo_contact, id="13-1-b-dpo"),
    pytest.param(purposes, id="13-1-c-purposes"),
    pytest.param(legal_bases, id="13-1-c-legal-bases"),
    pytest.param(interests, id="13-1-d-legitimate-interests"),
    pytest.param(recipients, id="13-1-e-recipients"),
    pytest.param(transfers, id="13-1-f-transfers"),
    pytest.param(retention, id="13-2-a-retention"),
    pytest.param(rights, id="13-2-b-c-rights"),
    pytest.param(complaint, id="13-2-d-complaint"),
    pytest.param(provision, id="13-2-e-provision"),
    pytest.param(automated, id="13-2-f-automated"),
    pytest.param(categories, id="14-1-d-categories"),
    pytest.param(sources, id="14-2-f-sources"),
    pytest.param(processor_pointer, id="14-third-party-pointer"),
]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("element", ELEMENTS)
def test_every_article_13_and_14_element_is_in_the_demo_policy(
    element: Callable[[Register, str, str], list[str]], lang: str
) -> None:
    assert element(REGISTER, TEXTS[lang], lang) == []
