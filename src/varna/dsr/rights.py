"""The person's rights, as the register extract states them (Art. 15(1)(e)-(f), 15(3), 77).

Rights that depend on the processing are listed only where they apply: portability (Art. 20)
where an activity rests on consent or contract, withdrawal of consent (Art. 7(3)) where one rests
on consent, objection (Art. 21) always (21(2) direct marketing, 21(1) public task or legitimate
interests), and the Art. 22 safeguards where a solely automated decision has legal effect.
"""

from __future__ import annotations

from dataclasses import dataclass

from varna.register.activities import Activity, Basis
from varna.texts.catalog import N_, texts_for
from varna.texts.citations import article


@dataclass(frozen=True, slots=True)
class Right:
    """One right: a key, the article, and what it means, in the extract's language."""

    key: str
    article: str
    text: str


_RIGHTS: tuple[tuple[str, str, str], ...] = (
    (
        "access",
        "15",
        N_(
            "You may find out what data we hold about you and receive a copy. "
            "The first copy is free."
        ),
    ),
    (
        "rectification",
        "16",
        N_("You may have inaccurate data corrected and incomplete data completed."),
    ),
    (
        "erasure",
        "17",
        N_(
            "You may have data erased, except what the law requires us to keep "
            "(for example under the Swedish Accounting Act)."
        ),
    ),
    (
        "restriction",
        "18",
        N_(
            "You may ask us to restrict processing, for example while we check that data "
            "is accurate."
        ),
    ),
    (
        "objection",
        "21",
        N_(
            "You may object to processing based on legitimate interests or a public task, and "
            "always to direct marketing."
        ),
    ),
)

_PORTABILITY = (
    "portability",
    "20",
    N_(
        "You may receive the data you provided, which we process on consent or a contract, in a "
        "machine-readable format (data portability)."
    ),
)
_WITHDRAW = (
    "withdraw_consent",
    "7(3)",
    N_("You may withdraw consent at any time, as easily as you gave it."),
)
_AUTOMATED = (
    "automated_decisions",
    "22",
    N_(
        "For automated decisions you may obtain human intervention, express your point of view "
        "and contest the decision."
    ),
)


def rights_for(activities: list[Activity], lang: str) -> list[Right]:
    """The rights that apply to the person, given the activities their data is processed in."""
    bases = {b.basis for a in activities for b in a.legal_bases}
    rows = list(_RIGHTS)
    if bases & {Basis.consent, Basis.contract}:
        rows.append(_PORTABILITY)
    if Basis.consent in bases:
        rows.append(_WITHDRAW)
    if any(a.automated_decision and a.automated_decision.legal_effect for a in activities):
        rows.append(_AUTOMATED)
    t = texts_for(lang)
    return [Right(key, article(ref, t), t.gettext(text)) for key, ref, text in rows]
