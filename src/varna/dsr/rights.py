"""The person's rights, as the register extract states them (Art. 15(1)(e)-(f), 15(3), 77).

Rights that depend on the processing are listed only where they apply: portability (Art. 20)
where an activity rests on consent or contract, withdrawal of consent (Art. 7(3)) where one rests
on consent, objection (Art. 21) always (21(2) direct marketing, 21(1) public task or legitimate
interests), and the Art. 22 safeguards where a solely automated decision has legal effect.
"""

from __future__ import annotations

from dataclasses import dataclass

from varna.dsr.wording import Lang, article, pick
from varna.register.activities import Activity, Basis


@dataclass(frozen=True, slots=True)
class Right:
    """One right: a key, the article, and what it means, in the extract's language."""

    key: str
    article: str
    text: str


_RIGHTS: tuple[tuple[str, str, str, str], ...] = (
    (
        "access",
        "15",
        "Du har rätt att få veta vilka uppgifter vi har om dig och få en kopia av dem. "
        "Den första kopian är kostnadsfri.",
        "You may find out what data we hold about you and receive a copy. The first copy is free.",
    ),
    (
        "rectification",
        "16",
        "Du har rätt att få felaktiga uppgifter rättade och ofullständiga uppgifter kompletterade.",
        "You may have inaccurate data corrected and incomplete data completed.",
    ),
    (
        "erasure",
        "17",
        "Du har rätt att få uppgifter raderade, utom sådana vi enligt lag måste spara "
        "(till exempel enligt bokföringslagen).",
        "You may have data erased, except what the law requires us to keep "
        "(for example under the Swedish Accounting Act).",
    ),
    (
        "restriction",
        "18",
        "Du har rätt att begära att vi begränsar behandlingen, till exempel medan vi kontrollerar "
        "att uppgifterna är riktiga.",
        "You may ask us to restrict processing, for example while we check that data is accurate.",
    ),
    (
        "objection",
        "21",
        "Du har rätt att invända mot behandling som grundar sig på berättigat intresse eller "
        "allmänt intresse, och alltid mot direktmarknadsföring.",
        "You may object to processing based on legitimate interests or a public task, and "
        "always to direct marketing.",
    ),
)

_PORTABILITY = (
    "portability",
    "20",
    "Du har rätt att få ut de uppgifter du själv har lämnat, som vi behandlar med stöd av "
    "samtycke eller avtal, i ett maskinläsbart format (dataportabilitet).",
    "You may receive the data you provided, which we process on consent or a contract, in a "
    "machine-readable format (data portability).",
)
_WITHDRAW = (
    "withdraw_consent",
    "7(3)",
    "Du kan när som helst återkalla ett samtycke, lika enkelt som du gav det.",
    "You may withdraw consent at any time, as easily as you gave it.",
)
_AUTOMATED = (
    "automated_decisions",
    "22",
    "Vid automatiserade beslut har du rätt till mänsklig medverkan, att framföra din "
    "synpunkt och att bestrida beslutet.",
    "For automated decisions you may obtain human intervention, express your point of view "
    "and contest the decision.",
)


def rights_for(activities: list[Activity], lang: Lang) -> list[Right]:
    """The rights that apply to the person, given the activities their data is processed in."""
    bases = {b.basis for a in activities for b in a.legal_bases}
    rows = list(_RIGHTS)
    if bases & {Basis.consent, Basis.contract}:
        rows.append(_PORTABILITY)
    if Basis.consent in bases:
        rows.append(_WITHDRAW)
    if any(a.automated_decision and a.automated_decision.legal_effect for a in activities):
        rows.append(_AUTOMATED)
    return [Right(key, article(ref, lang), pick((sv, en), lang)) for key, ref, sv, en in rows]
