"""Cookies: consent before anything but strictly necessary storage (Lag (2022:482) om elektronisk
kommunikation 9 kap. 28 §), and necessary only for what the visitor asked for."""

from __future__ import annotations

import re
from collections.abc import Iterator

from varna.errors import UnknownCountryCode
from varna.law.transfers import assess_transfer
from varna.register.checks import Context, Finding, Severity, rule
from varna.register.model import ConsentPractice, CookieCategory

E, W = Severity.error, Severity.warning
LEK = "Lag (2022:482) om elektronisk kommunikation 9 kap. 28 §"

#: Words in a purpose or provider that mark statistics or marketing, not strict necessity.
NOT_NECESSARY = re.compile(
    r"statisti|analy[st]|analytics|webbanalys|trafik|traffic|mät|measur|marknadsför|marketing|"
    r"annons|advertis|spårning|tracking|pixel|remarketing|profil|google analytics|hotjar|"
    r"facebook|meta pixel|matomo|trender|trends|beteende|behaviour|behavior",
    re.IGNORECASE,
)


@rule("cookie-consent")
def consent(ctx: Context) -> Iterator[Finding]:
    """Cookies beyond the necessary with no consent practice described, or set without asking."""
    reg = ctx.register
    optional = [k for k, s in reg.cookies.items() if s.category is not CookieCategory.necessary]
    if not optional:
        return
    practice = reg.cookie_consent.practice if reg.cookie_consent else None
    if practice is None:
        yield ctx.finding(
            "cookie-consent",
            W,
            ("cookies",),
            "cookies beyond the strictly necessary are used, but how consent is asked for is "
            "not described: the policy cannot say how to give or withdraw it",
            citation=LEK,
            hint="describe it under cookie_consent: {practice: asked_before, tool: ...}",
        )
    elif practice is not ConsentPractice.asked_before:
        yield ctx.finding(
            "cookie-consent",
            E if practice is ConsentPractice.not_asked else W,
            ("cookie_consent", "practice"),
            "cookies beyond the strictly necessary are set without asking for consent first"
            + (" (browser settings are no prior consent)" if practice.value != "not_asked" else ""),
            citation=f"{LEK}; GDPR Art. 4(11)",
            hint="ask for consent before setting them (a consent banner with a real choice)",
        )


@rule("cookie-necessary")
def necessary(ctx: Context) -> Iterator[Finding]:
    """A service labelled necessary whose purpose is statistics, analytics or marketing: only
    storage strictly necessary for a service the visitor asked for is exempt from consent."""
    for key, service in ctx.register.cookies.items():
        if service.category is not CookieCategory.necessary:
            continue
        words = " ".join(
            [service.provider, service.purpose.sv, service.purpose.en or ""]
            + [c.purpose.sv + " " + (c.purpose.en or "") for c in service.cookies if c.purpose]
        )
        found = NOT_NECESSARY.search(words)
        if found:
            yield ctx.finding(
                "cookie-necessary",
                E,
                ("cookies", key, "category"),
                f"labelled necessary, but its purpose speaks of '{found.group(0).lower()}': "
                "statistics and marketing cookies need consent",
                citation=LEK,
                hint="set category to statistics or marketing, and ask for consent",
            )


@rule("cookie-transfer")
def transfer(ctx: Context) -> Iterator[Finding]:
    """A third-party cookie whose provider processes data outside the EU/EEA with no valid
    transfer mechanism (the service's own ``transfer``, or that of its register recipient)."""
    reg = ctx.register
    for key, service in reg.cookies.items():
        if service.third_party is False or service.country is None:
            continue
        declared = service.transfer
        if declared is None and service.recipient in reg.recipients:
            declared = reg.recipients[service.recipient].transfer
        try:
            result = assess_transfer(
                service.country, declared.mechanism if declared else None, on=ctx.on
            )
        except UnknownCountryCode:
            continue  # the loader reports an unknown country code
        if not result.valid:
            yield ctx.finding(
                "cookie-transfer",
                E,
                ("cookies", key, "transfer" if service.transfer else "country"),
                f"third-party cookies of '{service.provider}': {result.reason}",
                citation=f"GDPR Art. 44-46; {result.citation}",
                hint="declare transfer: {mechanism: dpf | scc | ...} on the service or its "
                "recipient, or choose a provider in the EU/EEA",
            )
