"""Register facts as phrases: legal bases, retention rules, statutes and transfer safeguards.

Each function returns words in the language of its :class:`Words`: a phrase (lower case, no full
stop) that fits into a sentence, or, where the name says so, a sentence.
"""

from __future__ import annotations

import re

from varna.law.citations import STATUTES, gdpr
from varna.law.transfers import TransferMechanism
from varna.register.activities import (
    Basis,
    Bookkeeping,
    LegalBasis,
    PeriodAfter,
    Retention,
    SpecialCategoryCondition,
    UntilWithdrawn,
    WhileActive,
)
from varna.register.model import Register
from varna.register.parties import Transfer
from varna.render.wording import NBSP, Words, lower_first, sentence

_SFS = re.compile(
    r"^(?P<title>\w*lag) \((?P<sfs>\d{4}:\d+)\)(?P<rest>.*?),? ?(?P<place>(?:\d+ kap\. )?\d+ §)?$",
    re.IGNORECASE,
)
_TOPIC = re.compile(r"\s*\((?![0-9]{4}:)[^()]*\)$")

# While a relation lasts, by the anchor event that ends it.
_WHILE = {
    "relation_ended": ("så länge kundrelationen består", "while the customer relationship lasts"),
    "contract_ended": ("så länge avtalet gäller", "while the contract is in force"),
    "case_closed": ("tills ärendet är avslutat", "until the case is closed"),
    "recruitment_closed": ("tills rekryteringen är avslutad", "until the recruitment is closed"),
    "last_activity": ("så länge du är aktiv hos oss", "while you are active with us"),
    "consent_withdrawn": ("tills du återkallar ditt samtycke", "until you withdraw your consent"),
}

_WHILE_NEUTRAL = {
    "last_activity": ("så länge den registrerade är aktiv", "while the data subject is active"),
    "consent_withdrawn": ("tills samtycket återkallas", "until consent is withdrawn"),
}

_MECHANISMS = {
    TransferMechanism.ADEQUACY: (
        "EU-kommissionens beslut om adekvat skyddsnivå för landet (artikel 45)",
        "the European Commission's adequacy decision for the country (Article 45)",
    ),
    TransferMechanism.DPF: (
        "EU-kommissionens beslut om adekvat skyddsnivå för organisationer certifierade enligt "
        "EU–US Data Privacy Framework (artikel 45)",
        "the European Commission's adequacy decision for organisations certified under the "
        "EU–US Data Privacy Framework (Article 45)",
    ),
    TransferMechanism.SCC: (
        "EU-kommissionens standardavtalsklausuler (artikel 46.2 c)",
        "the European Commission's standard contractual clauses (Article 46(2)(c))",
    ),
    TransferMechanism.BCR: (
        "bindande företagsbestämmelser (artikel 47)",
        "binding corporate rules (Article 47)",
    ),
    TransferMechanism.CODE_OF_CONDUCT: (
        "en godkänd uppförandekod (artikel 46.2 e)",
        "an approved code of conduct (Article 46(2)(e))",
    ),
    TransferMechanism.CERTIFICATION: (
        "en godkänd certifiering (artikel 46.2 f)",
        "an approved certification mechanism (Article 46(2)(f))",
    ),
    TransferMechanism.ART49: (
        "ett undantag för särskilda situationer (artikel 49)",
        "a derogation for specific situations (Article 49)",
    ),
    TransferMechanism.PRIVACY_SHIELD: (
        "Privacy Shield, som EU-domstolen ogiltigförklarade den 16 juli 2020",
        "the Privacy Shield, which the Court of Justice of the EU invalidated on 16 July 2020",
    ),
    TransferMechanism.SAFE_HARBOR: (
        "Safe Harbor, som EU-domstolen ogiltigförklarade den 6 oktober 2015",
        "Safe Harbor, which the Court of Justice of the EU invalidated on 6 October 2015",
    ),
}


def statute(ref: str, w: Words) -> str:
    """A statute named in a register: ``7 kap. 2 § bokföringslagen (1999:1078)`` / ``the Swedish
    Accounting Act (1999:1078), chapter 7 section 2``; text that is no known key stays as written.
    """
    citation = STATUTES.get(ref)
    if citation is None:
        return ref
    if w.lang == "en":
        return "the " + _TOPIC.sub("", citation.full_en)
    text = _TOPIC.sub("", citation.full_sv)
    match = _SFS.match(text)
    if match is None:
        return lower_first(text)
    name = f"{match['title'].lower()}en ({match['sfs']}){match['rest']}"
    return f"{match['place'].replace(' ', NBSP)}{NBSP}{name}" if match["place"] else name


def basis(item: LegalBasis, w: Words) -> list[str]:
    """One legal basis as sentences: the basis with its article, then any interest and note."""
    art = w.article(f"6(1)({item.basis.letter})")
    if item.basis is Basis.consent:
        head = w(f"Med ditt samtycke ({art})", f"With your consent ({art})")
    elif item.basis is Basis.contract:
        head = w(
            f"För att fullgöra avtalet med dig ({art})",
            f"To perform the contract with you ({art})",
        )
    elif item.basis is Basis.legal_obligation:
        law = f" {w('enligt', 'under')} {statute(item.statute, w)}" if item.statute else ""
        head = w(
            f"För att uppfylla en rättslig förpliktelse ({art}){law}",
            f"To comply with a legal obligation ({art}){law}",
        )
    elif item.basis is Basis.vital_interests:
        head = w(
            f"För att skydda dina eller någon annans grundläggande intressen ({art})",
            f"To protect your vital interests or those of another person ({art})",
        )
    elif item.basis is Basis.public_task:
        head = w(
            f"För att utföra en uppgift av allmänt intresse eller som ett led i "
            f"myndighetsutövning ({art})",
            f"To perform a task in the public interest or in the exercise of official "
            f"authority ({art})",
        )
    elif item.balancing_test:
        head = w(
            f"För ett berättigat intresse, efter en intresseavvägning ({art})",
            f"For a legitimate interest, after balancing it against your interests ({art})",
        )
    else:
        head = w(f"För ett berättigat intresse ({art})", f"For a legitimate interest ({art})")
    out = [sentence(head + (":" if item.interest else ""))]
    if item.interest:
        out.append(sentence(w.text(item.interest, "legal_bases.interest")))
    if item.note:
        out.append(sentence(w.text(item.note, "legal_bases.note")))
    return out


def special_condition(condition: SpecialCategoryCondition, w: Words) -> list[str]:
    """The Art. 9(2) exception as sentences."""
    citation = gdpr(f"9(2)({condition.exception.value})")
    full = citation.full_sv if w.lang == "sv" else citation.full_en
    topic = full[full.rfind("(") + 1 : -1]
    art = w.article(f"9(2)({condition.exception.value})")
    law = f" {w('och', 'and')} {statute(condition.statute, w)}" if condition.statute else ""
    out = [
        w(
            f"Känsliga personuppgifter behandlar vi med stöd av {art} ({topic}){law}.",
            f"We process special categories of data under {art} ({topic}){law}.",
        )
    ]
    if condition.note:
        out.append(sentence(w.text(condition.note, "special_category_condition.note")))
    return out


def basis_label(item: LegalBasis, w: Words) -> list[str]:
    """One legal basis for the record, in the third person: ``Samtycke (artikel 6.1 a)``."""
    names = {
        Basis.consent: ("Samtycke", "Consent"),
        Basis.contract: ("Avtal", "Contract"),
        Basis.legal_obligation: ("Rättslig förpliktelse", "Legal obligation"),
        Basis.vital_interests: ("Grundläggande intressen", "Vital interests"),
        Basis.public_task: ("Allmänt intresse eller myndighetsutövning", "Public task"),
        Basis.legitimate_interests: ("Berättigat intresse", "Legitimate interests"),
    }
    head = f"{w(*names[item.basis])} ({w.article(f'6(1)({item.basis.letter})')})"
    if item.statute:
        head += f": {statute(item.statute, w)}"
    out = [head]
    if item.interest:
        out.append(sentence(w.text(item.interest)))
    if item.balancing_test:
        out.append(
            w(f"Intresseavvägning: {item.balancing_test}", f"Balancing test: {item.balancing_test}")
        )
    if item.note:
        out.append(sentence(w.text(item.note)))
    return out


def retention(
    rule: Retention, register: Register, w: Words, *, neutral: bool = False, consent: bool = True
) -> str:
    """How long, as a phrase: ``24 månader efter att kundrelationen upphörde``; ``neutral``
    speaks of the data subject instead of ``du`` (for the Art. 30 record); without ``consent``,
    "until withdrawn" means until the person objects (an opt-out on another basis)."""
    if isinstance(rule, PeriodAfter):
        anchor = w.text(register.anchor_label(rule.anchor), f"anchors.{rule.anchor}")
        return f"{w.period(rule.period)} {w('efter', 'after')} {anchor}"
    if isinstance(rule, WhileActive):
        return _while_active(rule, register, w, neutral=neutral)
    if isinstance(rule, Bookkeeping):
        years = w.period(f"{rule.years} years")
        return w(
            f"{years} räknat från utgången av det kalenderår då räkenskapsåret avslutades",
            f"{years} from the end of the calendar year in which the financial year ended",
        )
    assert isinstance(rule, UntilWithdrawn)
    head = w("tills du återkallar ditt samtycke", "until you withdraw your consent")
    if not consent:
        head = w("tills du invänder mot behandlingen", "until you object to the processing")
    if neutral:
        head = (
            w("tills samtycket återkallas", "until consent is withdrawn")
            if consent
            else w("tills den registrerade invänder", "until the data subject objects")
        )
    if rule.grace:
        grace = w.period(rule.grace)
        head += w(f" och därefter högst {grace}", f" and for at most {grace} after that")
    return head


def kept(rule: Retention, register: Register, w: Words, *, neutral: bool = False) -> str:
    """``i 24 månader efter …`` / ``for 24 months after …``: the phrase after ``sparas``."""
    phrase = retention(rule, register, w, neutral=neutral)
    if isinstance(rule, PeriodAfter | Bookkeeping):
        return f"{w('i', 'for')} {phrase}"
    return phrase


def _while_active(rule: WhileActive, register: Register, w: Words, *, neutral: bool) -> str:
    known = (_WHILE_NEUTRAL if neutral else {}).get(rule.anchor) or _WHILE.get(rule.anchor)
    if known is not None:
        head = w(*known)
    else:
        anchor = w.text(register.anchor_label(rule.anchor), f"anchors.{rule.anchor}")
        head = w(f"fram till {anchor}", f"until {anchor}")
    if rule.then:
        then = w.period(rule.then)
        head += w(f" och därefter i {then}", f" and for {then} after that")
    return head


def mechanism(transfer: Transfer, w: Words) -> str:
    """The safeguard of a transfer as a phrase, with its reference where the register gives one."""
    text = w(*_MECHANISMS[transfer.mechanism])
    return f"{text}; {transfer.reference}" if transfer.reference else text
