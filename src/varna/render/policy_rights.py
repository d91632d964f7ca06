"""The person's side of the policy: the right to object to direct marketing (Art. 21(4), stated
prominently), automated decisions (Art. 13(2)(f)), the rights and how to exercise them (Art. 12-22,
13(2)(b)-(c)) and the complaint to the supervisory authority (Art. 13(2)(d), 77).
"""

from __future__ import annotations

from varna.register.activities import Basis, SourceKind
from varna.register.model import Topic
from varna.render.context import Context
from varna.render.document import (
    Block,
    Callout,
    Paragraph,
    Part,
    Section,
    bold,
    bullets,
    link,
    para,
)
from varna.render.labels import MARKETING_CHANNELS, label
from varna.render.policy_commitments import channel_blocks, commitment_blocks, grounds_sentence
from varna.render.wording import Words, sentence
from varna.texts.catalog import N_

_ART22_GROUNDS = {
    "contract": (
        N_("it is necessary for entering into or performing a contract with you"),
        "a",
    ),
    "law": (N_("it is authorised by law"), "b"),
    "explicit_consent": (N_("your explicit consent"), "c"),
}


def how_to_ask(ctx: Context) -> list[Part]:
    """``i vårt integritetscenter på …, eller via e-post till …``: where a request goes."""
    w = ctx.w
    parts: list[Part] = []
    if ctx.privacy_centre:
        parts += [
            # Translators: the centre's address follows, then ", or " and the ways to reach us
            w.gettext("in our privacy centre at "),
            link(ctx.privacy_centre, ctx.privacy_centre),
            w.gettext(", or "),
        ]
    return parts + ctx.contact_phrase()


def direct_marketing_callout(ctx: Context) -> Callout | None:
    """Art. 21(4): the right to object to direct marketing, clearly and separately."""
    w = ctx.w
    marketing = [(k, a) for k, a in ctx.activities() if a.direct_marketing]
    if not marketing:
        return None
    channels: list[str] = []
    for _, activity in marketing:
        for channel in activity.direct_marketing.channels if activity.direct_marketing else ():
            if (text := label(MARKETING_CHANNELS, channel, w)) not in channels:
                channels.append(text)
    names = ctx.quoted([ctx.name(k) for k, _ in marketing], most=99) or ""
    via = w.gettext(" by {channels}", channels=w.join(channels)) if channels else ""
    blocks = (
        para(w.say("marketing.body", via=via, names=names)),
        # Translators: where to ask follows: in our privacy centre at <link>, or by e-mail to <link>
        para(w.gettext("Say no "), *how_to_ask(ctx), "."),
    )
    title = w.gettext("You can always say no to direct marketing")
    return Callout(title, blocks)


def automated_section(ctx: Context) -> Section:
    w = ctx.w
    blocks: list[Block] = []
    for key, activity in ctx.activities():
        decision = activity.automated_decision
        if decision is None:
            continue
        how = (
            w.gettext("solely by automated means")
            if decision.solely_automated
            else w.gettext("automatically, with human involvement")
        )
        text = w.gettext("We take decisions {how}", how=how)
        if decision.profiling:
            text += w.gettext(", and this includes profiling")
        logic = sentence(w.text(decision.logic, f"activities.{key}.automated_decision"))
        meaning = sentence(w.text(decision.significance, f"activities.{key}.automated_decision"))
        blocks += [
            para(bold(ctx.name(key) + ". "), text + "."),
            para(bold(w.gettext("The logic: ")), logic),
            para(bold(w.gettext("What it means for you: ")), meaning),
        ]
        grounds = grounds_sentence(ctx, decision)
        if grounds is not None:
            blocks.append(grounds)
        elif decision.legal_effect and decision.basis:
            ground, letter = _ART22_GROUNDS[decision.basis]
            art = w.article(f"22(2)({letter})")
            blocks.append(para(w.say("automated.legal_effect", ground=w.gettext(ground), art=art)))
    if not blocks:
        blocks.append(para(w.say("automated.none")))
    title = w.gettext("Automated decisions and profiling")
    return Section(title, "automated", tuple(blocks))


def rights_section(ctx: Context) -> Section:
    w = ctx.w
    erasure = w.say("rights.erasure")
    if ctx.register.legal_holds:
        erasure += " " + w.say("rights.erasure_holds")
    items = [
        _right(w.gettext("Right of access"), "15", w.say("rights.access"), w),
        _right(
            w.gettext("Right to rectification"),
            "16",
            w.say("rights.rectification"),
            w,
        ),
        _right(w.gettext("Right to erasure"), "17", erasure, w),
        _right(w.gettext("Right to restriction"), "18", w.say("rights.restriction"), w),
        *_conditional_rights(ctx),
    ]
    blocks: list[Block] = [para(w.say("rights.intro")), bullets(items)]
    if ctx.recipients():
        blocks.append(para(w.say("rights.recipients")))
    exercise = Section(
        w.gettext("How to exercise your rights"),
        "exercise",
        (
            # Translators: where to ask follows: in our privacy centre at <link>, or by e-mail…
            para(w.gettext("You exercise your rights "), *how_to_ask(ctx), "."),
            *channel_blocks(ctx),
            para(w.say("rights.deadline")),
            para(w.say("rights.identity")),
        ),
    )
    blocks += commitment_blocks(ctx, Topic.rights)
    return Section(w.gettext("Your rights"), "rights", tuple(blocks), (exercise,))


def _conditional_rights(ctx: Context) -> list[Paragraph]:
    """Objection, portability and withdrawal, where the register's bases make them apply."""
    w, items = ctx.w, []
    see = w.gettext("see the tables above")
    f_names = ctx.with_basis(Basis.legitimate_interests)
    e_names = ctx.with_basis(Basis.public_task)
    if f_names or e_names:
        kinds = [
            w.gettext("a legitimate interest") if f_names else "",
            w.gettext("a public interest") if e_names else "",
        ]
        text = w.say(
            "rights.object",
            kinds=w.join([k for k in kinds if k], conj=w.gettext("or")),
            refs=ctx.quoted(f_names + e_names) or see,
        )
        items.append(_right(w.gettext("Right to object"), "21(1)", text, w))
    if any(a.direct_marketing for _, a in ctx.activities()):
        title = w.gettext("Right to object to direct marketing")
        items.append(_right(title, "21(2)", w.say("rights.object_marketing"), w))
    portable = [
        ctx.name(k)
        for k, a in ctx.activities()
        if any(b.basis in (Basis.consent, Basis.contract) for b in a.legal_bases)
        and any(s.kind is SourceKind.data_subject for s in a.sources)
    ]
    if portable:
        text = w.say("rights.portability", refs=ctx.quoted(portable) or see)
        title = w.gettext("Right to data portability")
        items.append(_right(title, "20", text, w))
    consented = ctx.with_basis(Basis.consent)
    if consented:
        text = w.say("rights.withdraw", refs=ctx.quoted(consented) or see)
        title = w.gettext("Right to withdraw consent")
        items.append(_right(title, "7(3)", text, w))
    return items


def _right(title: str, article: str, text: str, w: Words) -> Paragraph:
    return para(bold(f"{title} ({w.article(article)}). "), text)


def complaint_section(ctx: Context) -> Section:
    w = ctx.w
    authority = ctx.register.controller.supervisory_authority
    parts: list[Part] = [
        w.text(authority.name, "controller.supervisory_authority.name"),
        ", ",
        link(authority.website, authority.website),
    ]
    if authority.email:
        parts += [", ", link(authority.email, f"mailto:{authority.email}")]
    if authority.address:
        parts += [", ", ctx.address(authority.address)]
    blocks = (
        para(w.say("complaint.body"), " ", *parts, "."),
        para(w.say("complaint.first")),
    )
    title = w.gettext("Complaints to the supervisory authority")
    return Section(title, "complaint", blocks)
