"""Lawfulness: legal bases, consent, special categories, personnummer, marketing, automation."""

from __future__ import annotations

from collections.abc import Iterator

from varna.register.activities import Basis, MarketingChannel, Requirement, Role
from varna.register.checks import Context, Finding, Severity, rule
from varna.register.taxonomy import BOOKKEEPING_CATEGORIES, NATIONAL_ID_CATEGORIES, SpecialKind

E, W = Severity.error, Severity.warning


@rule("no-legal-basis")
def no_legal_basis(ctx: Context) -> Iterator[Finding]:
    """An activity states no Art. 6(1) legal basis."""
    for key, act in ctx.register.activities.items():
        if not act.legal_bases and act.role is Role.controller:
            yield ctx.finding(
                "no-legal-basis",
                E,
                ("activities", key),
                "activity has no legal basis",
                citation="GDPR Art. 6(1)",
                hint="add legal_bases, e.g. [contract] or [legal_obligation] with a statute",
            )


@rule("basis-incomplete")
def basis_incomplete(ctx: Context) -> Iterator[Finding]:
    """Legitimate interest without a documented balancing test; legal obligation without its statute
    (Art. 6(1)(c), 6(1)(f), 6(3)).
    """
    for key, act in ctx.register.activities.items():
        for i, lb in enumerate(act.legal_bases):
            path = ("activities", key, "legal_bases", i)
            if lb.basis is Basis.legitimate_interests and not lb.balancing_test:
                yield ctx.finding(
                    "basis-incomplete",
                    W,
                    path,
                    "legitimate interest without a documented balancing test",
                    citation="GDPR Art. 6(1)(f), Art. 5(2)",
                    hint="set balancing_test to the reference of the documented assessment",
                )
            if lb.basis is Basis.legal_obligation and not lb.statute:
                yield ctx.finding(
                    "basis-incomplete",
                    E,
                    path,
                    "legal obligation without the statute that imposes it",
                    citation="GDPR Art. 6(1)(c), Art. 6(3)",
                    hint="set statute, e.g. 'bokforingslagen'",
                )


@rule("consent-for-contract-data")
def consent_for_contract(ctx: Context) -> Iterator[Finding]:
    """Consent is the only basis for data the contract or the law requires: such consent is not
    freely given (Art. 7(4)).
    """
    for key, act in ctx.register.activities.items():
        bases = {lb.basis for lb in act.legal_bases}
        if Basis.consent not in bases or bases & {Basis.contract, Basis.legal_obligation}:
            continue
        needed = act.provision is not None and act.provision.requirement in (
            Requirement.contractual,
            Requirement.contract_prerequisite,
            Requirement.statutory,
        )
        money = sorted(BOOKKEEPING_CATEGORIES.intersection(act.categories))
        if needed or money or act.legal_holds:
            why = (
                "the data is needed for the contract"
                if needed
                else (
                    f"it includes {', '.join(money)}, which the contract or the law requires"
                    if money
                    else "it is under a legal hold"
                )
            )
            yield ctx.finding(
                "consent-for-contract-data",
                E,
                ("activities", key, "legal_bases"),
                f"consent is the only basis, but {why}: consent that cannot be refused or "
                "withdrawn without losing the service is not freely given",
                citation="GDPR Art. 7(4), Art. 6(1)(b)-(c); EDPB Guidelines 05/2020",
                hint="rest this processing on contract (6(1)(b)) or legal obligation (6(1)(c))",
            )


@rule("special-category")
def special_category(ctx: Context) -> Iterator[Finding]:
    """Art. 9(1) special categories without an Art. 9(2) exception or without restricted access
    (Art. 32); Art. 10 data.
    """
    reg = ctx.register
    restricted = set(reg.security.restricted_categories)
    for key, act in reg.activities.items():
        special = [c for c in act.categories if reg.category(c).special is not None]
        art9 = [c for c in special if reg.category(c).special is not SpecialKind.criminal_offences]
        if art9 and act.special_category_condition is None:
            yield ctx.finding(
                "special-category",
                E,
                ("activities", key, "categories"),
                f"special categories ({', '.join(art9)}) without an Art. 9(2) exception",
                citation="GDPR Art. 9(1)-(2)",
                hint="set special_category_condition.exception (e.g. 'h' for health care)",
            )
        if len(art9) < len(special):
            yield ctx.finding(
                "special-category",
                W,
                ("activities", key, "categories"),
                "criminal-offence data: only under official authority or where law allows",
                citation="GDPR Art. 10",
                hint="name the statute that allows it",
            )
        for cat in special:
            if cat not in restricted:
                yield ctx.finding(
                    "special-category",
                    E,
                    ("activities", key, "categories"),
                    f"special category '{cat}' is not access-restricted",
                    citation="GDPR Art. 9, Art. 32(1)(b), Art. 25",
                    hint="add it to security.restricted_categories",
                )


@rule("personnummer-justification")
def personnummer(ctx: Context) -> Iterator[Finding]:
    """Personnummer processed without a stated justification (Dataskyddslagen 3 kap. 10 §)."""
    for key, act in ctx.register.activities.items():
        ids = NATIONAL_ID_CATEGORIES.intersection(act.categories)
        if ids and act.personnummer_justification is None:
            only_consent = {lb.basis for lb in act.legal_bases} == {Basis.consent}
            yield ctx.finding(
                "personnummer-justification",
                W if only_consent else E,
                ("activities", key, "categories"),
                "personnummer processed without a stated justification",
                citation="Dataskyddslagen (2018:218) 3 kap. 10 §",
                hint="state in personnummer_justification why secure identification needs it",
            )


@rule("marketing-consent")
def marketing(ctx: Context) -> Iterator[Finding]:
    """E-mail or SMS marketing without consent or an existing-customer relationship
    (Marknadsföringslagen 19 §).
    """
    electronic = {MarketingChannel.email, MarketingChannel.sms}
    for key, act in ctx.register.activities.items():
        dm = act.direct_marketing
        if dm is None or not electronic.intersection(dm.channels):
            continue
        if Basis.consent in {lb.basis for lb in act.legal_bases} or dm.existing_customers_only:
            continue
        yield ctx.finding(
            "marketing-consent",
            E,
            ("activities", key, "direct_marketing"),
            "e-mail or SMS marketing without consent or an existing-customer relationship",
            citation="Marknadsföringslagen (2008:486) 19 §; GDPR Art. 21(2)",
            hint="add consent as a basis, or set existing_customers_only with an opt-out",
        )


@rule("automated-decision")
def automated(ctx: Context) -> Iterator[Finding]:
    """Solely automated decisions with legal effect and no Art. 22(2) ground."""
    for key, act in ctx.register.activities.items():
        ad = act.automated_decision
        if ad and ad.solely_automated and ad.legal_effect and ad.basis is None:
            yield ctx.finding(
                "automated-decision",
                E,
                ("activities", key, "automated_decision"),
                "solely automated decisions with legal effect need an Art. 22(2) ground",
                citation="GDPR Art. 22",
                hint="set basis to contract, law or explicit_consent",
            )


@rule("portability-not-applicable")
def portability(ctx: Context) -> Iterator[Finding]:
    """Portability promised for an activity where Art. 20 does not apply (neither consent nor
    contract).
    """
    for key, act in ctx.register.activities.items():
        bases = {lb.basis for lb in act.legal_bases}
        if act.portability_promised and not bases & {Basis.consent, Basis.contract}:
            yield ctx.finding(
                "portability-not-applicable",
                W,
                ("activities", key, "portability_promised"),
                "portability is promised, but Art. 20 applies only to consent or contract",
                citation="GDPR Art. 20(1)(a)",
                hint="drop the promise, or keep it knowingly as a voluntary commitment",
            )


@rule("processor-role")
def processor_role(ctx: Context) -> Iterator[Finding]:
    """An activity done as processor that names no controller (Art. 30(2)(a))."""
    for key, act in ctx.register.activities.items():
        if act.role is Role.processor and not act.on_behalf_of:
            yield ctx.finding(
                "processor-role",
                E,
                ("activities", key, "on_behalf_of"),
                "processing as processor without naming the controllers",
                citation="GDPR Art. 30(2)(a)",
                hint="list the controllers (or their category) in on_behalf_of",
            )
