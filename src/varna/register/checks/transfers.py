"""Recipients: processors need a biträdesavtal, third countries a valid transfer mechanism."""

from __future__ import annotations

import re
from collections.abc import Iterator

from varna.law.transfers import TransferMechanism, assess_transfer
from varna.register.checks import Context, Finding, Severity, rule
from varna.register.checks.placeholders import strings
from varna.register.parties import Location, RecipientKind

E, W = Severity.error, Severity.warning


@rule("third-country-transfer")
def transfers(ctx: Context) -> Iterator[Finding]:
    """A recipient or system outside the EEA without a valid mechanism; Privacy Shield (invalid
    since 16 July 2020, CJEU C-311/18) and Safe Harbor (C-362/14) named as mechanisms.
    """
    reg = ctx.register
    for key, rec in reg.recipients.items():
        if rec.country is None:
            yield from _possible_transfer(ctx, key)
            continue
        mechanism = rec.transfer.mechanism if rec.transfer else None
        result = assess_transfer(rec.country, mechanism, on=ctx.on)
        if not result.valid:
            yield ctx.finding(
                "third-country-transfer",
                E,
                ("recipients", key, "transfer" if rec.transfer else "country"),
                result.reason,
                citation=result.citation,
                hint="use the EU-US Data Privacy Framework (certified recipients), SCC "
                "2021/914, BCR or an Art. 49 derogation",
            )
    for skey, system in reg.systems.items():
        result = assess_transfer(system.country, None, on=ctx.on)
        if result.needs_mechanism and not result.valid:
            host = reg.recipients.get(system.hosted_by or "")
            if host is None or host.transfer is None:
                yield ctx.finding(
                    "third-country-transfer",
                    E,
                    ("systems", skey, "country"),
                    f"data stored in {system.country} without a transfer mechanism",
                    citation="GDPR Art. 44, Art. 46",
                    hint="set hosted_by to a recipient that has a transfer mechanism",
                )


def _possible_transfer(ctx: Context, key: str) -> Iterator[Finding]:
    """A recipient that may process outside the EU/EEA, or of unknown whereabouts."""
    rec = ctx.register.recipients[key]
    if rec.location is Location.may_transfer:
        if rec.transfer is None:
            yield ctx.finding(
                "third-country-transfer",
                E,
                ("recipients", key, "location"),
                "data may be transferred outside the EU/EEA, but no Art. 46 safeguard is named"
                + (" (only a promise of comparable protection)" if rec.safeguard_promised else ""),
                citation="GDPR Art. 44, Art. 46(1), Art. 13(1)(f)",
                hint="name the countries and the mechanism (transfer: {mechanism: scc}), or "
                "confirm that the recipient stays within the EU/EEA",
            )
        elif rec.transfer.mechanism in _INVALID:
            yield ctx.finding(
                "third-country-transfer",
                E,
                ("recipients", key, "transfer"),
                f"'{rec.transfer.mechanism}' is no valid transfer mechanism",
                citation="CJEU C-311/18 (Schrems II); GDPR Art. 44, Art. 46",
                hint="use the EU-US Data Privacy Framework (certified recipients), SCC "
                "2021/914, BCR or an Art. 49 derogation",
            )


@rule("recipient-location")
def location(ctx: Context) -> Iterator[Finding]:
    """A recipient of unknown whereabouts: the policy cannot say whether data leaves the EU/EEA
    (authorities reached only on request are not asked of)."""
    for key, rec in ctx.register.recipients.items():
        if rec.country is not None or rec.kind is RecipientKind.authority:
            continue
        if rec.location is not None and rec.location is not Location.unknown:
            continue
        yield ctx.finding(
            "recipient-location",
            W,
            ("recipients", key),
            "where the recipient processes data is not established: the policy says so, and "
            "cannot tell people whether data leaves the EU/EEA",
            citation="GDPR Art. 13(1)(f), Art. 30(1)(e)",
            hint="set country (ISO code) or location: within_eea / may_transfer",
        )


_INVALID = {TransferMechanism.PRIVACY_SHIELD, TransferMechanism.SAFE_HARBOR}

_INVALID_NAMED = re.compile(r"privacy[ -]?shield|safe[ -]?harbou?r", re.IGNORECASE)


@rule("invalid-mechanism-named")
def invalid_named(ctx: Context) -> Iterator[Finding]:
    """Privacy Shield or Safe Harbor named in free text (a transfer reference, a purpose, a note)
    while the declared mechanism is something else or none: people are told of a safeguard that
    no longer exists (CJEU C-311/18, C-362/14)."""
    reg = ctx.register
    flagged = {
        key
        for key, rec in reg.recipients.items()
        if rec.transfer is not None and rec.transfer.mechanism in _INVALID
    }
    for path, value in strings(reg, ()):
        if path[:1] == ("recipients",) and path[1] in flagged:
            continue  # third-country-transfer reports the mechanism itself
        found = _INVALID_NAMED.search(value)
        if found:
            yield ctx.finding(
                "invalid-mechanism-named",
                E,
                path,
                f"names '{found.group(0)}', which is no transfer mechanism (Privacy Shield is "
                "invalid since 16 July 2020, Safe Harbor since 6 October 2015)",
                citation="CJEU C-311/18 (Schrems II); CJEU C-362/14; GDPR Art. 13(1)(f)",
                hint="name the mechanism actually used (EU-US Data Privacy Framework, SCC "
                "2021/914, BCR) and remove the old name",
            )


@rule("processor-agreement")
def processors(ctx: Context) -> Iterator[Finding]:
    """A processor without a biträdesavtal (Art. 28(3)), sub-processors without authorisation, or no
    country to assess transfers.
    """
    reg = ctx.register
    for key, rec in reg.recipients.items():
        if rec.kind is not RecipientKind.processor:
            continue
        if rec.dpa is None:
            yield ctx.finding(
                "processor-agreement",
                E,
                ("recipients", key),
                "processor without a data processing agreement (biträdesavtal)",
                citation="GDPR Art. 28(3)",
                hint="record the agreement under dpa: {signed: YYYY-MM-DD}",
            )
        elif rec.dpa.signed is None:
            yield ctx.finding(
                "processor-agreement",
                W,
                ("recipients", key, "dpa"),
                "the biträdesavtal is said to exist, but its date and copy are not recorded",
                citation="GDPR Art. 28(3), Art. 28(9), Art. 5(2)",
                hint="record dpa.signed and dpa.reference",
            )
        if rec.dpa is not None and rec.sub_processors and not rec.dpa.sub_processors_authorised:
            yield ctx.finding(
                "processor-agreement",
                W,
                ("recipients", key, "sub_processors"),
                "sub-processors are engaged without prior authorisation",
                citation="GDPR Art. 28(2), Art. 28(4)",
                hint="authorise them in writing, or set dpa.sub_processors_authorised",
            )
