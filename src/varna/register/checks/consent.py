"""Consent: withdrawal as easy as giving (GDPR Art. 7(3)) and purposes that can be told apart
(Art. 7(2)), so the consent ledger can record and prove each one."""

from __future__ import annotations

from collections.abc import Iterator

from varna.register.activities import Basis
from varna.register.checks import Context, Finding, Severity, rule
from varna.register.parties import RightKey

E = Severity.error
W = Severity.warning
ART_7_3 = "GDPR Art. 7(3)"


@rule("consent-withdrawal")
def withdrawal(ctx: Context) -> Iterator[Finding]:
    """Consent as a basis with no declared way to withdraw it (Art. 7(3): as easy as giving it).
    An error when the register gives no way at all; a warning when people can only write to the
    controller's general contact or a channel for the right (the policy can say how, but the
    ledger hears of it only when staff record it)."""
    controller = ctx.register.controller
    channel = any(RightKey.withdraw_consent in c.rights for c in controller.request_channels)
    contact = channel or controller.contact is not None or bool(controller.other_contacts)
    for key, act in ctx.register.activities.items():
        if Basis.consent not in {lb.basis for lb in act.legal_bases}:
            continue
        if act.consent is not None and act.consent.withdrawal:
            continue
        where = ("activities", key, "consent") if act.consent else ("activities", key)
        hint = (
            "declare consent: {withdrawal: [link_in_message, privacy_centre]} (as easy as "
            "giving it)"
        )
        if contact:
            yield ctx.finding(
                "consent-withdrawal",
                W,
                where,
                "consent is a legal basis, but it can only be withdrawn by contacting the "
                "controller",
                citation=ART_7_3,
                hint=hint,
            )
        else:
            yield ctx.finding(
                "consent-withdrawal",
                E,
                where,
                "consent is a legal basis, but no way to withdraw it is declared",
                citation=ART_7_3,
                hint=hint,
            )


@rule("consent-purpose-twice")
def purpose_twice(ctx: Context) -> Iterator[Finding]:
    """A consent purpose key declared by two activities: the ledger could not tell which
    consent a grant or withdrawal is about (Art. 7(2))."""
    seen: dict[str, str] = {}
    for key, act in ctx.register.activities.items():
        for purpose in act.consent_purposes(key):
            if purpose in seen and seen[purpose] != key:
                yield ctx.finding(
                    "consent-purpose-twice",
                    E,
                    ("activities", key, "consent", "purposes"),
                    f"consent purpose '{purpose}' is also declared by activity '{seen[purpose]}'",
                    citation="GDPR Art. 7(2)",
                    hint="give each purpose its own key",
                )
            seen.setdefault(purpose, key)
