"""Where data goes and how it is kept: recipients (Art. 13(1)(e)), third-country transfers with
their safeguards and how to get a copy (13(1)(f)), legal holds (17(3)), security (32) and cookies
(Lag (2022:482) om elektronisk kommunikation 9 kap. 28 §).
"""

from __future__ import annotations

from varna.law.transfers import assess_transfer
from varna.register.activities import Art17Ground
from varna.register.model import ConsentPractice, Topic
from varna.register.parties import Location, Recipient, RecipientKind
from varna.render import phrases
from varna.render.context import Context, in_eea
from varna.render.document import Block, Cell, Part, Section, bold, bullets, cell, link, para, table
from varna.render.labels import COOKIE_CATEGORIES, RECIPIENT_KINDS, label
from varna.render.policy_commitments import commitment_blocks
from varna.render.wording import Words, lower_first, sentence, upper_first
from varna.texts.catalog import N_

_GROUNDS: dict[Art17Ground, str] = {
    Art17Ground.legal_obligation: N_("because the law requires it"),
    Art17Ground.legal_claims: N_("because they are needed for legal claims"),
    Art17Ground.archiving: N_("for archiving, research or statistics"),
    Art17Ground.public_health: N_("for reasons of public health"),
    Art17Ground.freedom_of_expression: N_("for freedom of expression and information"),
}


def recipients_section(ctx: Context) -> Section:
    w = ctx.w
    title = w.gettext("Who we share your data with")
    recipients = ctx.recipients()
    promised = commitment_blocks(ctx, Topic.sharing)
    if not recipients:
        return Section(title, "recipients", (para(w.say("recipients.none")), *promised))
    blocks: list[Block] = [para(w.say("recipients.intro"))]
    if any(r.kind is RecipientKind.processor for _, r in recipients):
        blocks.append(para(w.say("recipients.processors")))
    rows = [_recipient_row(ctx, key, r) for key, r in recipients]
    header = [
        w.gettext("Recipient"),
        w.gettext("Why they get the data"),
        w.gettext("Data from"),
    ]
    blocks.append(table(header, rows, (1.3, 2.0, 1.2)))
    return Section(title, "recipients", (*blocks, *promised))


def _recipient_row(ctx: Context, key: str, r: Recipient) -> list[Cell]:
    w = ctx.w
    role = label(RECIPIENT_KINDS, r.kind, w)
    parents = [w.text(p.name) for p in ctx.register.recipients.values() if key in p.sub_processors]
    if parents:
        role = w.gettext("Sub-processor of {parents}", parents=w.join(parents))
    why = [para(sentence(w.text(r.purpose, f"recipients.{key}.purpose")))]
    if r.country:
        where = w.country(r.country)
        why.append(para(w.gettext("Processes the data in {where}.", where=where)))
    elif r.location is Location.within_eea:
        why.append(para(w.say("recipients.within_eea")))
    elif r.location is Location.may_transfer:
        why.append(para(w.say("recipients.may_transfer")))
    elif r.kind is not RecipientKind.authority:
        why.append(para(w.say("recipients.unknown")))
    used_by = [ctx.name(a) for a, activity in ctx.activities() if key in activity.recipients]
    source = cell(bullets(used_by)) if used_by else cell(", ".join(parents))
    return [cell(para(bold(w.text(r.name, f"recipients.{key}.name"))), role), tuple(why), source]


def transfers_section(ctx: Context) -> Section:
    """Art. 13(1)(f): what is known of each recipient's whereabouts, and no more. Recipients with
    no country and no location are said to be not yet established; "we do not transfer" is said
    only when every recipient is known to stay in the EU/EEA."""
    w = ctx.w
    title = w.gettext("Transfers outside the EU/EEA")
    rows: list[list[Cell]] = []
    unknown: list[str] = []
    possible: list[tuple[str, Recipient]] = []
    for key, r in ctx.recipients():
        if r.country is not None:
            if not in_eea(r.country):
                rows.append(
                    [cell(w.text(r.name)), cell(w.country(r.country)), _safeguard(ctx, key, r)]
                )
        elif r.location is Location.may_transfer:
            possible.append((key, r))
        elif r.location in (None, Location.unknown) and r.kind is not RecipientKind.authority:
            ctx.warn(f"recipients.{key}: where it processes data is not established")
            unknown.append(lower_first(w.text(r.name)))
    for key, system in ctx.register.systems.items():
        if not in_eea(system.country) and system.hosted_by is None:
            ctx.warn(f"systems.{key}: stored in {system.country} with no hosting recipient named")
    blocks: list[Block] = []
    if rows:
        header = [w.gettext("Recipient"), w.gettext("Country"), w.gettext("Safeguard")]
        blocks += [para(w.say("transfers.intro")), table(header, rows, (1.3, 0.8, 2.2))]
    groups: dict[tuple[object, object], list[tuple[str, Recipient]]] = {}
    for key, r in possible:
        groups.setdefault((r.transfer, r.safeguard_promised), []).append((key, r))
    for group in groups.values():
        blocks.extend(_possible(ctx, group))
    if unknown:
        blocks.append(para(w.say("transfers.unknown", names=w.join(unknown))))
    if rows or any(r.transfer for _, r in possible):
        blocks.append(para(w.say("transfers.copy"), *ctx.contact_phrase(), "."))
    promised = commitment_blocks(ctx, Topic.transfers)
    if not blocks:
        return Section(title, "transfers", (para(w.say("transfers.none")), *promised))
    if not rows and not possible:
        blocks.insert(0, para(w.say("transfers.none_known")))
    return Section(title, "transfers", (*blocks, *promised))


def _possible(ctx: Context, group: list[tuple[str, Recipient]]) -> list[Block]:
    """Recipients that may process outside the EU/EEA under the same safeguard: the possibility,
    and the safeguard the register names or the promise in the organisation's own words."""
    w = ctx.w
    names = w.join([lower_first(w.text(r.name, f"recipients.{k}.name")) for k, r in group])
    key, r = group[0]
    out: list[Block] = [para(w.say("transfers.may", names=names))]
    if r.transfer is not None:
        out.append(para(sentence(phrases.mechanism(r.transfer, w))))
    else:
        ctx.warn(f"recipients.{key}: a possible transfer without an Art. 46 safeguard")
        if r.safeguard_promised is not None:
            promise = sentence(w.text(r.safeguard_promised, f"recipients.{key}.safeguard_promised"))
            out.append(para(w.say("transfers.may_promise", promise=promise)))
        out.append(para(w.say("transfers.may_no_safeguard")))
    return out


def _safeguard(ctx: Context, key: str, r: Recipient) -> Cell:
    w = ctx.w
    assert r.country is not None
    if r.transfer is not None:
        out = [para(sentence(phrases.mechanism(r.transfer, w)))]
        where = r.transfer.copy_available_at
        if where:
            href = f"mailto:{where}" if "@" in where and "://" not in where else where
            out.append(para(w.gettext("Copy: "), link(where, href)))
        return tuple(out)
    if not assess_transfer(r.country, None, on=ctx.on).needs_mechanism:
        return cell(w.say("transfers.adequacy"))
    ctx.warn(f"recipients.{key}: transfer to {r.country} without a safeguard")
    return cell(w.gettext("No safeguard is stated."))


def retention_section(ctx: Context) -> Section:
    w = ctx.w
    blocks: list[Block] = [para(w.say("retention.intro"))]
    holds = []
    for key, hold in ctx.register.legal_holds.items():
        cats = upper_first(w.join([lower_first(ctx.category_label(c)) for c in hold.categories]))
        kept = phrases.kept(hold.retention, ctx.register, w)
        why = w.gettext(_GROUNDS[hold.ground])
        cite = f"{phrases.statute(hold.statute, w)}; {w.article(f'17(3)({hold.ground.value})')}"
        text = w.gettext(
            "{cats} are kept {kept}, {why} ({cite}).", cats=cats, kept=kept, why=why, cite=cite
        )
        holds.append(para(bold(w.text(hold.name, f"legal_holds.{key}.name") + ": "), text))
    if holds:
        blocks += [para(w.say("retention.holds")), bullets(holds)]
    blocks += commitment_blocks(ctx, Topic.retention)
    title = w.gettext("How long we keep your data")
    return Section(title, "retention", tuple(blocks))


def security_section(ctx: Context) -> Section | None:
    w, security = ctx.w, ctx.register.security
    items = [sentence(w.text(m, "security.measures")) for m in security.measures]
    if security.restricted_categories:
        labels = [ctx.category_label(c, mark_special=False) for c in security.restricted_categories]
        cats = w.join([lower_first(x) for x in labels])
        items.append(
            w.gettext("Only staff with a special authorisation have access to {cats}.", cats=cats)
        )
    if security.session_timeout_minutes:
        n = security.session_timeout_minutes
        items.append(
            w.gettext("If you are logged in and inactive for {n} minutes, we log you out.", n=n)
        )
    promised = commitment_blocks(ctx, Topic.security)
    if not items and not promised:
        return None
    listed = (para(w.say("security.intro")), bullets(items)) if items else ()
    blocks = (*listed, *promised)
    return Section(w.gettext("How we protect your data"), "security", blocks)


def cookies_section(ctx: Context) -> Section | None:
    w, services = ctx.w, ctx.register.cookies
    if not services:
        return None
    listed = any(s.cookies for s in services.values())
    rows = []
    for key, service in services.items():
        who: list[Part] = [bold(service.provider)]
        if service.country:
            who.append(f" ({w.country(service.country)})")
        purpose = sentence(w.text(service.purpose, f"cookies.{key}.purpose"))
        row = [cell(para(*who)), cell(purpose), cell(label(COOKIE_CATEGORIES, service.category, w))]
        if listed:
            names = [f"{c.name}: {_lifetime(c.lifetime, w)}" for c in service.cookies]
            none = w.gettext("No cookies of its own.")
            row.append(cell(bullets(names)) if names else cell(none))
        rows.append(row)
    header = [
        w.gettext("Service and provider"),
        w.gettext("Purpose"),
        w.gettext("Category"),
    ]
    widths: tuple[float, ...] = (1.3, 2.4, 1.0)
    if listed:
        header.append(w.gettext("Cookies and how long they last"))
        widths = (1.2, 2.0, 0.9, 1.4)
    blocks: tuple[Block, ...] = (
        *_consent_intro(ctx),
        table(header, rows, widths),
        *_consent(ctx),
        *commitment_blocks(ctx, Topic.cookies),
    )
    return Section(w.gettext("Cookies"), "cookies", blocks)


def _consent_intro(ctx: Context) -> tuple[Block, ...]:
    """The standard intro says "we use the others only if you consent": only when that is the
    recorded practice."""
    consent = ctx.register.cookie_consent
    if consent is not None and consent.practice is ConsentPractice.asked_before:
        return (para(ctx.w.say("cookies.intro")),)
    return (para(ctx.w.say("cookies.intro_neutral")),)


def _consent(ctx: Context) -> tuple[Block, ...]:
    """How consent is asked for, withdrawn, or not asked for: as recorded, never assumed."""
    w, consent = ctx.w, ctx.register.cookie_consent
    out: list[Block] = []
    if consent is None:
        if any(s.category.value != "necessary" for s in ctx.register.cookies.values()):
            ctx.warn("cookie_consent: unset; the policy says it is not yet described")
            out.append(para(w.say("cookies.unknown")))
        out.append(para(w.say("cookies.browser_settings")))
    elif consent.practice is ConsentPractice.asked_before:
        tool = w.say("cookies.tool", tool=consent.tool) if consent.tool else ""
        reachable = ctx.register.controller.contact or ctx.register.controller.address
        # Translators: after "You can change or withdraw your consent"; ways to reach us follow
        lead = w.gettext(" by contacting us ") if reachable else " "
        how: list[Part] = [lead, *ctx.contact_phrase()]
        if ctx.privacy_centre:
            centre = ctx.privacy_centre
            how = [
                w.gettext(" in our privacy centre at "),
                link(centre, centre),
            ]
        change = w.gettext("You can change or withdraw your consent at any time")
        out += [para(w.say("cookies.asked_before", tool=tool)), para(change, *how, ".")]
        out.append(para(w.say("cookies.browser_settings")))
    elif consent.practice is ConsentPractice.browser_settings:
        out.append(para(w.say("cookies.browser_settings")))
    else:
        out.append(para(w.say("cookies.not_asked")))
    if consent is not None and consent.note is not None:
        out.append(para(sentence(w.text(consent.note, "cookie_consent.note"))))
    return tuple(out)


def _lifetime(lifetime: str, w: Words) -> str:
    if lifetime == "session":
        return w.gettext("until you close the browser")
    return w.period(lifetime)
