"""Register facts as phrases: legal bases, retention rules, statutes and transfer safeguards.

Each function returns words in the language of its :class:`Words`: a phrase (lower case, no full
stop) that fits into a sentence, or, where the name says so, a sentence.
"""

from __future__ import annotations

from varna.law.citations import gdpr
from varna.register.activities import (
    Basis,
    LegalBasis,
    Retention,
    SpecialCategoryCondition,
)
from varna.register.model import Register
from varna.register.parties import Transfer
from varna.render.wording import Words, sentence
from varna.texts import citations
from varna.texts import retention as retention_texts
from varna.texts.glossary import BASES, MECHANISMS, label


def statute(ref: str, w: Words) -> str:
    """A statute named in a register: ``7 kap. 2 § bokföringslagen (1999:1078)`` / ``the Swedish
    Accounting Act (1999:1078), chapter 7 section 2``; text that is no known key stays as written.
    """
    return citations.statute(ref, w.texts)


def basis(item: LegalBasis, w: Words) -> list[str]:
    """One legal basis as sentences: the basis with its article, then any interest and note."""
    art = w.article(f"6(1)({item.basis.letter})")
    if item.basis is Basis.consent:
        head = w.gettext("With your consent ({art})", art=art)
    elif item.basis is Basis.contract:
        head = w.gettext("To perform the contract with you ({art})", art=art)
    elif item.basis is Basis.legal_obligation:
        if item.statute:
            head = w.gettext(
                "To comply with a legal obligation ({art}) under {statute}",
                art=art,
                statute=statute(item.statute, w),
            )
        else:
            head = w.gettext("To comply with a legal obligation ({art})", art=art)
    elif item.basis is Basis.vital_interests:
        head = w.gettext(
            "To protect your vital interests or those of another person ({art})", art=art
        )
    elif item.basis is Basis.public_task:
        head = w.gettext(
            "To perform a task in the public interest or in the exercise of official "
            "authority ({art})",
            art=art,
        )
    elif item.balancing_test:
        head = w.gettext(
            "For a legitimate interest, after balancing it against your interests ({art})", art=art
        )
    else:
        head = w.gettext("For a legitimate interest ({art})", art=art)
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
    if condition.statute:
        first = w.gettext(
            "We process special categories of data under {art} ({topic}) and {statute}.",
            art=art,
            topic=topic,
            statute=statute(condition.statute, w),
        )
    else:
        first = w.gettext(
            "We process special categories of data under {art} ({topic}).", art=art, topic=topic
        )
    out = [first]
    if condition.note:
        out.append(sentence(w.text(condition.note, "special_category_condition.note")))
    return out


def basis_label(item: LegalBasis, w: Words) -> list[str]:
    """One legal basis for the record, in the third person: ``Samtycke (artikel 6.1 a)``."""
    head = f"{label(BASES, item.basis, w.texts)} ({w.article(f'6(1)({item.basis.letter})')})"
    if item.statute:
        head += f": {statute(item.statute, w)}"
    out = [head]
    if item.interest:
        out.append(sentence(w.text(item.interest)))
    if item.balancing_test:
        out.append(
            w.gettext("Balancing test: {balancing_test}", balancing_test=item.balancing_test)
        )
    if item.note:
        out.append(sentence(w.text(item.note)))
    return out


def retention(
    rule: Retention, register: Register, w: Words, *, neutral: bool = False, consent: bool = True
) -> str:
    """How long, as a phrase (:func:`varna.texts.retention.retention`, the one wording every
    document uses), register texts written through ``w`` so missing translations are noted."""
    return retention_texts.retention(
        rule, register, w.texts, neutral=neutral, consent=consent, text=w.text
    )


def kept(rule: Retention, register: Register, w: Words, *, neutral: bool = False) -> str:
    """``i 24 månader efter …`` / ``for 24 months after …``: the phrase after ``sparas``."""
    return retention_texts.kept(rule, register, w.texts, neutral=neutral, text=w.text)


def mechanism(transfer: Transfer, w: Words) -> str:
    """The safeguard of a transfer as a phrase, with its reference where the register gives one."""
    text = label(MECHANISMS, transfer.mechanism, w.texts)
    if transfer.reference is None:
        return text
    return f"{text}; {w.text(transfer.reference, 'transfer.reference')}"
