"""How long data is kept, in one sentence per rule, for every document that states it.

The policy, the Art. 30 record, the register extract and the receipts all describe a retention
rule through :func:`retention` (Art. 13(2)(a), 15(1)(d), 30(1)(f)), so one rule never reads two
ways. Periods are written as style guides advise: numbers up to twelve in words.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from varna.register.activities import (
    Bookkeeping,
    PeriodAfter,
    Retention,
    UntilWithdrawn,
    WhileActive,
)
from varna.register.model import Register
from varna.register.types import Text, parse_period
from varna.texts.catalog import N_, Texts

_NUMBERS = (
    N_("zero"),
    N_("one"),
    N_("two"),
    N_("three"),
    N_("four"),
    N_("five"),
    N_("six"),
    N_("seven"),
    N_("eight"),
    N_("nine"),
    N_("ten"),
    N_("eleven"),
    N_("twelve"),
)

# "one" agrees with the noun in some languages (Swedish en månad, ett år): whole phrases.
_ONE = {
    "days": N_("one day"),
    "weeks": N_("one week"),
    "months": N_("one month"),
    "years": N_("one year"),
}

# While a relation lasts, by the anchor event that ends it.
_WHILE = {
    "relation_ended": N_("while the customer relationship lasts"),
    "contract_ended": N_("while the contract is in force"),
    "case_closed": N_("until the case is closed"),
    "recruitment_closed": N_("until the recruitment is closed"),
    "last_activity": N_("while you are active with us"),
    "consent_withdrawn": N_("until you withdraw your consent"),
}

_WHILE_NEUTRAL = {
    "last_activity": N_("while the data subject is active"),
    "consent_withdrawn": N_("until consent is withdrawn"),
}


def number(n: int, t: Texts) -> str:
    """Numbers up to twelve in words; larger ones in digits."""
    return t.gettext(_NUMBERS[n]) if 0 <= n < len(_NUMBERS) else str(n)


@lru_cache(maxsize=1024)
def period(text: str, t: Texts) -> str:
    """``'24 months'`` -> ``24 månader``; ``'1 year'`` -> ``ett år`` / ``one year``."""
    parsed = parse_period(text)
    unit, n = parsed.unit.value, parsed.amount
    if n == 1:
        return t.gettext(_ONE[unit])
    words = number(n, t)
    if unit == "days":
        return t.ngettext("{number} day", "{number} days", n, number=words)
    if unit == "weeks":
        return t.ngettext("{number} week", "{number} weeks", n, number=words)
    if unit == "months":
        return t.ngettext("{number} month", "{number} months", n, number=words)
    return t.ngettext("{number} year", "{number} years", n, number=words)


RegisterText = Callable[[Text, str], str]
"""How a document writes a text from the register (and notes where a translation is missing)."""


def retention(
    rule: Retention,
    register: Register,
    t: Texts,
    *,
    neutral: bool = False,
    consent: bool = True,
    text: RegisterText | None = None,
) -> str:
    """How long, as a phrase: ``24 månader efter att kundrelationen upphörde``; ``neutral``
    speaks of the data subject instead of ``du`` (for the Art. 30 record); without ``consent``,
    "until withdrawn" means until the person objects (an opt-out on another basis); ``text``
    writes the register's anchor names (default: the text in ``t``'s language)."""
    write = text or (lambda value, _where: value.get(t.lang))
    if isinstance(rule, PeriodAfter):
        anchor = write(register.anchor_label(rule.anchor), f"anchors.{rule.anchor}")
        return t.gettext("{period} after {anchor}", period=period(rule.period, t), anchor=anchor)
    if isinstance(rule, WhileActive):
        return _while_active(rule, register, t, neutral=neutral, write=write)
    if isinstance(rule, Bookkeeping):
        return t.gettext(
            "{period} from the end of the calendar year in which the financial year ended",
            period=period(f"{rule.years} years", t),
        )
    assert isinstance(rule, UntilWithdrawn)
    if neutral:
        head = (
            t.gettext("until consent is withdrawn")
            if consent
            else t.gettext("until the data subject objects")
        )
    elif consent:
        head = t.gettext("until you withdraw your consent")
    else:
        head = t.gettext("until you object to the processing")
    if rule.grace:
        head += t.gettext(" and for at most {period} after that", period=period(rule.grace, t))
    return head


def kept(
    rule: Retention,
    register: Register,
    t: Texts,
    *,
    neutral: bool = False,
    text: RegisterText | None = None,
) -> str:
    """``i 24 månader efter …`` / ``for 24 months after …``: the phrase after "kept"."""
    phrase = retention(rule, register, t, neutral=neutral, text=text)
    if isinstance(rule, PeriodAfter | Bookkeeping):
        return t.gettext("for {phrase}", phrase=phrase)
    return phrase


def retention_sentence(rule: Retention | None, register: Register, t: Texts) -> str:
    """The rule as a sentence of its own (the extract's "how long"), or that none is stated."""
    if rule is None:
        return t.gettext("The register states no retention period; ask us.")
    phrase = retention(rule, register, t)
    return phrase[:1].upper() + phrase[1:] + "."


def _while_active(
    rule: WhileActive, register: Register, t: Texts, *, neutral: bool, write: RegisterText
) -> str:
    known = (_WHILE_NEUTRAL if neutral else {}).get(rule.anchor) or _WHILE.get(rule.anchor)
    if known is not None:
        head = t.gettext(known)
    else:
        anchor = write(register.anchor_label(rule.anchor), f"anchors.{rule.anchor}")
        head = t.gettext("until {anchor}", anchor=anchor)
    if rule.then:
        head += t.gettext(" and for {period} after that", period=period(rule.then, t))
    return head
